"""The habilitation register as rows: identity, order, CSAPA, status, file, caseload.

Why one row type for the screen, the exports and the CLI: the ARS, the parquet and the
CSAPA read the same facts (who is habilitated, until when, what is missing), so they are
computed once here, on a given date, never from the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.dates import format_fr
from ..core.models import Professional
from ..core.vocabulary import HabilitationStatus, label
from ..store.professionals import habilitation_on, latest_habilitation
from .caseload import Caseload, caseloads
from .coordinator import listing_view
from .eligibility import missing_items, order_name_of
from .status import overrides_of, status_view

#: The annual revision: warn this many days before a habilitation ends.
EXPIRY_WARNING_DAYS = 60


@dataclass(frozen=True)
class RegisterRow:
    professional_id: int
    name: str
    profession: str
    rpps_adeli: str
    csapa: str
    status: str
    valid_until: dt.date | None
    habilitated_today: bool
    expires_soon: bool
    is_user: bool
    # Issue 6: the whole file, as the register screen, the exports and the CLI show it.
    status_code: str | None = None  # HabilitationStatus value, "expire", or None
    state: str = ""  # "Habilité", "Habilitation expirée", "Suspendu"... on the date
    since: dt.date | None = None
    expired: bool = False
    decision_on: dt.date | None = None
    decision_reference: str = ""
    list_year: int | None = None
    reason: str = ""
    departments: str = ""
    order: str = ""  # "Ordre des médecins depuis le 01/02/2010", "sans objet", ""
    order_registered_on: dt.date | None = None
    missing: tuple[str, ...] = ()
    overrides: int = 0
    caseload: str = ""  # "12" or "55 / 60"
    caseload_persons: int = 0
    caseload_warnings: tuple[str, ...] = ()
    #: The procureur's list of médecins coordonnateurs (injonction de soins): "" when the
    #: professional never applied, else « Inscrit(e) sur la liste (…) jusqu'au … ».
    listing: str = ""
    listed_today: bool = False
    listing_until: dt.date | None = None

    @property
    def file_complete(self) -> bool:
        return not self.missing


def _order(professional: Professional) -> str:
    name = order_name_of(professional)
    if name is None:
        return "sans objet"
    if professional.order_registered_on is None:
        return f"{name} : date non renseignée"
    return f"{name} depuis le {format_fr(professional.order_registered_on)}"


def row_for(professional: Professional, today: dt.date, load: Caseload | None = None) -> RegisterRow:
    current = habilitation_on(professional, today)
    latest = current or latest_habilitation(professional)
    valid_until = latest.valid_until if latest else None
    view = status_view(professional, today)
    decision = view.decision
    granted = decision if decision is not None and decision.status == HabilitationStatus.HABILITE else None
    reason = decision.reason if decision is not None and decision.status != HabilitationStatus.HABILITE else None
    listed = listing_view(professional, today)
    return RegisterRow(
        professional_id=professional.id,
        name=professional.full_name,
        profession=label(professional.profession),
        rpps_adeli=professional.rpps_adeli or "",
        csapa=professional.csapa_name or "",
        status=label(latest.status) if latest else "Aucune décision",
        valid_until=valid_until,
        habilitated_today=current is not None,
        expires_soon=bool(current and valid_until and (valid_until - today).days <= EXPIRY_WARNING_DAYS),
        is_user=professional.is_user,
        status_code=view.code,
        state=view.label,
        since=view.since,
        expired=view.expired,
        decision_on=granted.decision_on if granted else None,
        decision_reference=(granted.decision_reference or "") if granted else "",
        list_year=granted.list_year if granted else None,
        reason=reason or "",
        departments=professional.departments or "",
        order=_order(professional),
        order_registered_on=professional.order_registered_on,
        missing=tuple(missing_items(professional, today)),
        overrides=len(overrides_of(current)),
        caseload=load.text if load else "",
        caseload_persons=load.persons if load else 0,
        caseload_warnings=tuple(load.warnings) if load else (),
        listing=listed.text if listed.recorded else "", listed_today=listed.listed,
        listing_until=listed.valid_until if listed.listed else None,
    )


def register_rows(today: dt.date) -> list[RegisterRow]:
    """Every professional of the register, by name, as of `today`."""
    loads = caseloads()
    return [row_for(p, today, loads.get(p.id))
            for p in Professional.select().order_by(Professional.last_name, Professional.first_name)]


def expiring(today: dt.date, days: int = EXPIRY_WARNING_DAYS) -> list[RegisterRow]:
    """The annual revision: habilitations ending within `days` days, then expired ones."""
    rows = register_rows(today)
    soon = [r for r in rows if r.habilitated_today and r.valid_until and (r.valid_until - today).days <= days]
    gone = [r for r in rows if r.expired]
    return sorted(soon, key=lambda r: r.valid_until or today) + sorted(gone, key=lambda r: r.valid_until or today)


def own_habilitation_warning(user: Professional | None, today: dt.date) -> str | None:
    """The start screen's sentence about the user's own habilitation (None when all is well)."""
    if user is None:
        return None
    view = status_view(user, today)
    if view.habilitated:
        left = (view.valid_until - today).days if view.valid_until else None
        if left is None or left > EXPIRY_WARNING_DAYS:
            return None
        when = "aujourd'hui" if left == 0 else f"dans {left} jour{'s' if left > 1 else ''}"
        return (f"Votre habilitation expire le {format_fr(view.valid_until)} ({when}) : demandez son "
                "renouvellement à l'ARS (liste départementale révisée chaque année).")
    blocked = "aucun dossier ne peut vous être confié ni aucun document signé"
    if view.expired:
        return (f"Votre habilitation a expiré (elle était valable jusqu'au {format_fr(view.valid_until)}) : "
                f"{blocked} sans nouvelle décision de l'ARS.")
    if view.code in (HabilitationStatus.SUSPENDU, HabilitationStatus.RADIE, HabilitationStatus.RETIRE):
        return f"Habilitation : {view.label.lower()} depuis le {format_fr(view.since)} ; {blocked}."
    if view.code == HabilitationStatus.CANDIDAT:
        return f"Candidature en attente de la décision de l'ARS : {blocked} d'ici là."
    return f"Aucune habilitation en cours enregistrée : {blocked}. Renseignez la décision de l'ARS (registre)."
