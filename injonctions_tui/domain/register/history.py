"""The history of the habilitation register: who changed what about a professional, when.

Why a table of its own rather than the audit trail alone: the register is shown to the
ARS and the parquet, and its history (reasons of a suspension, an override) is part of
it, whereas audit events hold ids and codes only. Each change writes both: a readable
line here, an id-only event in the audit trail. Names of persons under a measure never
go here (a conflict declaration is logged by its number and category only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.models import Professional, RegisterEvent
from ..store import audit
from ..store.professionals import current_user

MAX_DETAILS = 1000


def actor_name() -> str:
    """The person making the change: the user of this installation, or "système"."""
    user = current_user()
    return user.full_name if user else "système"


def log(professional: Professional, action: str, details: str, *, audit_details: str = "") -> RegisterEvent:
    """One line of the register's history, and its id-only twin in the audit trail."""
    event = RegisterEvent.create(professional=professional, actor=actor_name(), action=action,
                                 details=details[:MAX_DETAILS])
    audit.record(f"registre.{action}", "professional", professional.id, audit_details)
    return event


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime
    actor: str
    action: str
    details: str
    professional_id: int
    professional: str


#: French labels of the history's actions, for the screen and the printed extract.
ACTION_LABELS = {
    "ajout": "Inscription au registre",
    "modification": "Modification de la fiche",
    "piece": "Pièce du dossier enregistrée",
    "piece_retiree": "Pièce du dossier retirée",
    "statut": "Changement de statut",
    "derogation": "Dérogation enregistrée",
    "conflit": "Déclaration de conflit d'intérêts",
    "conflit_fin": "Fin d'une déclaration de conflit d'intérêts",
    "plafond_depasse": "Dépassement motivé du plafond légal",
    "liste_coordonnateur": "Liste des médecins coordonnateurs",
}


def history(professional: Professional | None = None, *, limit: int | None = None) -> list[HistoryRow]:
    """The history, newest first (one professional's, or the whole register's)."""
    query = (RegisterEvent.select(RegisterEvent, Professional).join(Professional)
             .order_by(RegisterEvent.at.desc(), RegisterEvent.id.desc()))
    if professional is not None:
        query = query.where(RegisterEvent.professional == professional)
    if limit is not None:
        query = query.limit(limit)
    return [HistoryRow(at=e.at, actor=e.actor, action=ACTION_LABELS.get(e.action, e.action),
                       details=e.details, professional_id=e.professional_id,
                       professional=e.professional.full_name) for e in query]
