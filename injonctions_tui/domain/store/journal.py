"""Reading the audit trail (writing is audit.py): for the screen and `injonctions audit`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..core.models import AuditEvent

PAGE = 1000

#: The French wording of the recorded actions (unknown ones are shown as recorded).
ACTION_LABELS = {
    "ouverture": "Ouverture de l'application", "deverrouillage": "Déverrouillage",
    "echec_deverrouillage": "Phrase secrète refusée", "verrouillage": "Verrouillage",
    "consultation_dossier": "Consultation d'un dossier", "creation_dossier": "Création d'un dossier",
    "modification_dossier": "Modification d'un dossier", "impression": "Document imprimé",
    "export": "Export", "import_json": "Import JSON", "import_saisine": "Import d'une saisine",
    "rdv_statut": "Statut d'un rendez-vous", "rdv_creation": "Rendez-vous pris",
    "convocation": "Convocation", "accueil_sans_rdv": "Personne sans rendez-vous",
    "renouvellement": "Renouvellement", "cloture": "Clôture", "reouverture": "Réouverture",
    "choix_orientation": "Choix du soignant", "accord_orientation": "Accord écrit du soignant",
    "refus_orientation": "Refus du soignant", "parametres_tribunal": "Paramètres du tribunal",
    "premiere_configuration": "Première configuration", "creation_base": "Création de la base",
    "sauvegarde": "Sauvegarde", "restauration": "Restauration", "changement_phrase_secrete": "Phrase secrète changée",
    "suppression_conservation": "Suppression (durée de conservation)",
    "effacement_conservation": "Dossier effacé (durée de conservation)",
    "controle_integrite": "Contrôle d'intégrité", "import_saisines": "Import de saisines",
    "parametre_conservation": "Durée de conservation", "consultation_agenda": "Consultation de l'agenda",
    "consultation_echeances": "Consultation des échéances", "consultation_journal": "Consultation du journal",
    "etat_annuel": "État justificatif", "bilan_activite": "Bilan d'activité",
    "rapport_brouillon": "Rapport commencé", "rapport_finalise": "Rapport finalisé",
    "rapport_termes_confirmes": "Termes signalés confirmés",
    "envoi_imprimante": "Envoi à l'imprimante", "parametres_impression": "Paramètres d'impression",
    "annuaire_ajout": "Annuaire : structure ajoutée", "annuaire_modification": "Annuaire : structure modifiée",
    "annuaire_suppression": "Annuaire : structure supprimée", "annuaire_import": "Annuaire : import d'un fichier",
    "parametres_verrouillage": "Délai de verrouillage ramené dans les limites",
}


@dataclass(frozen=True)
class JournalRow:
    at: dt.datetime
    actor: str
    action: str
    label: str
    entity: str
    entity_id: int | None
    details: str


def journal_rows(*, since: dt.date | None = None, limit: int | None = PAGE) -> list[JournalRow]:
    """Newest first."""
    query = AuditEvent.select().order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if since:
        query = query.where(AuditEvent.at >= dt.datetime.combine(since, dt.time.min))
    if limit:
        query = query.limit(limit)
    return [JournalRow(e.at, e.actor, e.action, ACTION_LABELS.get(e.action, e.action), e.entity or "",
                       e.entity_id, e.details) for e in query]


def journal_json(rows: list[JournalRow]) -> list[dict[str, Any]]:
    return [{"at": r.at.isoformat(), "actor": r.actor, "action": r.action, "entity": r.entity or None,
             "entity_id": r.entity_id, "details": r.details} for r in rows]


def journal_text(rows: list[JournalRow]) -> str:
    if not rows:
        return "Journal vide."
    return "\n".join(f"{r.at:%d/%m/%Y %H:%M:%S}  {r.actor:<28} {r.label:<32} "
                     f"{(r.entity + ' ' + str(r.entity_id)) if r.entity_id else r.entity:<18} {r.details}"
                     for r in rows)
