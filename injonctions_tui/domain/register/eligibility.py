"""Who may be habilitated: the four criteria and the application file (CSP R3413-1 to R3413-5).

Why a checklist computed on a date rather than stored ticks: an extract of the criminal
record or a certificate goes stale, a doctor reaches three years of registration on a
given day, and the list is revised every year; the same evidence answers differently on
another date. The checklist is what the screens, the register exports and the
habilitation gate (`register_status.set_status`) read. DOMAIN.md "The habilitation
register" is the source; the validity periods are our choice, stated below.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from ..core.dates import add_months, age_on, format_fr
from ..core.errors import InvalidInput
from ..core.models import EligibilityEvidence, Professional, database
from ..core.validation import clean_text
from ..core.vocabulary import EvidenceItem, Profession, label
from .entries import add_professional, update_professional  # this module's API too
from .history import actor_name, log

#: Our choice: an extract of the B2 checked more than 12 months ago no longer covers the
#: yearly revision of the list (R3413-1: the list is revised every year), so it is stale
#: from its first anniversary (checked 15/01/2026: valid up to 14/01/2027 included).
B2_VALID_MONTHS = 12
#: Same reading for the certificate of no disciplinary ban or suspension (criterion 4).
SANCTION_CERTIFICATE_VALID_MONTHS = 12
#: Criterion 2 for a doctor: registered with the order at least this long before the decision.
DOCTOR_ORDER_YEARS = 3
#: The order of each profession that has one (psychologists have none).
ORDER_NAMES: dict[str, str] = {Profession.MEDECIN: "Ordre des médecins",
                               Profession.INFIRMIER: "Ordre national des infirmiers"}


class ItemKey(StrEnum):
    """One line of the checklist: four criteria, three pieces, the protocol's condition."""

    FORMATION = "formation_addictologie"
    ORDRE = "inscription_ordre"
    B2 = "extrait_b2"
    SANCTION = "absence_sanction"
    CANDIDATURE = "declaration_candidature"
    ACTIVITES = "etat_activites"
    ATTESTATION = "attestation_non_sanction"
    CSAPA = "salarie_csapa"


class ItemState(StrEnum):
    MET = "rempli"
    MISSING = "manquant"
    STALE = "perime"
    UNMET = "non_rempli"


STATE_LABELS = {ItemState.MET: "rempli", ItemState.MISSING: "manquant", ItemState.STALE: "périmé",
                ItemState.UNMET: "non rempli"}

#: (key, group, label, short label for lists). Groups: "critere", "dossier", "protocole".
ITEMS: tuple[tuple[ItemKey, str, str, str], ...] = (
    (ItemKey.FORMATION, "critere", "1. Formation ou expérience en addictologie", "formation en addictologie"),
    (ItemKey.ORDRE, "critere", "2. Inscription à l'ordre professionnel", "inscription à l'ordre"),
    (ItemKey.B2, "critere", "3. Bulletin n° 2 du casier judiciaire vérifié", "extrait B2"),
    (ItemKey.SANCTION, "critere", "4. Ni interdiction ni suspension d'exercice",
     "absence de sanction disciplinaire"),
    (ItemKey.CANDIDATURE, "dossier", "Déclaration de candidature", "déclaration de candidature"),
    (ItemKey.ACTIVITES, "dossier", "État des activités professionnelles (lieux et dates)",
     "état des activités professionnelles"),
    (ItemKey.ATTESTATION, "dossier", "Attestation d'absence de sanction disciplinaire",
     "attestation de non-sanction"),
    (ItemKey.CSAPA, "protocole", "Salarié(e) d'un CSAPA (protocole)", "CSAPA employeur"),
)
_SHORT = {key: short for key, _, _, short in ITEMS}

#: Checklist item -> (evidence it reads, validity in months or None, what to provide).
_EVIDENCE: dict[ItemKey, tuple[EvidenceItem, int | None, str]] = {
    ItemKey.FORMATION: (EvidenceItem.FORMATION, None,
                        "diplôme, attestation de formation ou d'expérience en addictologie"),
    ItemKey.B2: (EvidenceItem.EXTRAIT_B2, B2_VALID_MONTHS, "date de vérification du B2 par l'ARS"),
    ItemKey.SANCTION: (EvidenceItem.ATTESTATION_NON_SANCTION, SANCTION_CERTIFICATE_VALID_MONTHS,
                       "attestation de l'ordre ou de l'employeur"),
    ItemKey.CANDIDATURE: (EvidenceItem.DECLARATION_CANDIDATURE, None, "déclaration libre, datée"),
    ItemKey.ACTIVITES: (EvidenceItem.ETAT_ACTIVITES, None, "activités, lieux et dates d'exercice"),
    ItemKey.ATTESTATION: (EvidenceItem.ATTESTATION_NON_SANCTION, SANCTION_CERTIFICATE_VALID_MONTHS,
                          "attestation de l'ordre ou de l'employeur"),
}


@dataclass(frozen=True)
class ChecklistItem:
    key: ItemKey
    group: str
    label: str
    state: ItemState
    explanation: str
    document_on: dt.date | None = None
    expires_on: dt.date | None = None
    reference: str | None = None

    @property
    def met(self) -> bool:
        return self.state == ItemState.MET

    @property
    def short(self) -> str:
        """"extrait B2 (périmé)": for one-line lists (register, CLI)."""
        return f"{_SHORT[self.key]} ({STATE_LABELS[self.state]})"


@dataclass(frozen=True)
class Checklist:
    professional_id: int
    on: dt.date
    items: tuple[ChecklistItem, ...]

    @property
    def complete(self) -> bool:
        return all(item.met for item in self.items)

    @property
    def unmet(self) -> tuple[ChecklistItem, ...]:
        return tuple(item for item in self.items if not item.met)

    def item(self, key: ItemKey | str) -> ChecklistItem:
        return next(item for item in self.items if item.key == key)


def _years(count: int) -> str:
    return f"{count} an" if count < 2 else f"{count} ans"


def _latest(evidence: list[EligibilityEvidence], item: EvidenceItem, on: dt.date) -> EligibilityEvidence | None:
    """The most recent piece of that kind dated on or before `on` (a later one does not count yet)."""
    dated = [e for e in evidence if e.item == item and e.document_on <= on]
    return max(dated, key=lambda e: (e.document_on, e.id), default=None)


def _evidence_item(key: ItemKey, group: str, title: str, evidence: list[EligibilityEvidence],
                   on: dt.date) -> ChecklistItem:
    item, months, wanted = _EVIDENCE[key]
    piece = _latest(evidence, item, on)
    if piece is None:
        return ChecklistItem(key, group, title, ItemState.MISSING, f"Aucune pièce enregistrée ({wanted}).")
    reference = f" (réf. {piece.reference})" if piece.reference else ""
    said = (f"Vérifié le {format_fr(piece.document_on)}" if item == EvidenceItem.EXTRAIT_B2
            else f"Pièce datée du {format_fr(piece.document_on)}") + reference
    if months is None:
        return ChecklistItem(key, group, title, ItemState.MET, f"{said}.", piece.document_on, None, piece.reference)
    expires = add_months(piece.document_on, months) - dt.timedelta(days=1)
    if on > expires:
        return ChecklistItem(key, group, title, ItemState.STALE,
                             f"{said} : plus valable depuis le {format_fr(expires + dt.timedelta(days=1))} "
                             f"(validité retenue : {months} mois), à renouveler.",
                             piece.document_on, expires, piece.reference)
    return ChecklistItem(key, group, title, ItemState.MET, f"{said}, valable jusqu'au {format_fr(expires)}.",
                         piece.document_on, expires, piece.reference)


def order_name_of(professional: Professional) -> str | None:
    """The order the professional belongs to, or None when their profession has none."""
    if professional.profession == Profession.PSYCHOLOGUE:
        return None
    if professional.profession == Profession.AUTRE and professional.without_order:
        return None
    return professional.order_name or ORDER_NAMES.get(professional.profession) or "ordre professionnel"


def _order_item(professional: Professional, title: str, on: dt.date) -> ChecklistItem:
    """Criterion 2: registered with the order where one exists; a doctor for 3 years at least."""
    key, group = ItemKey.ORDRE, "critere"
    order = order_name_of(professional)
    if order is None:
        why = ("les psychologues ne relèvent d'aucun ordre professionnel"
               if professional.profession == Profession.PSYCHOLOGUE else "profession sans ordre professionnel")
        return ChecklistItem(key, group, title, ItemState.MET, f"Sans objet : {why}.")
    registered = professional.order_registered_on
    if registered is None:
        return ChecklistItem(key, group, title, ItemState.MISSING,
                             f"Date d'inscription au tableau ({order}) non renseignée.")
    number = f", n° {professional.order_number}" if professional.order_number else ""
    if registered > on:
        return ChecklistItem(key, group, title, ItemState.UNMET,
                             f"Inscription ({order}) datée du {format_fr(registered)}, postérieure au "
                             f"{format_fr(on)}.", registered, None, professional.order_number)
    years = age_on(registered, on)
    if professional.profession == Profession.MEDECIN and years < DOCTOR_ORDER_YEARS:
        reached = add_months(registered, 12 * DOCTOR_ORDER_YEARS)
        return ChecklistItem(key, group, title, ItemState.UNMET,
                             f"Inscrit(e) au tableau ({order}) depuis le {format_fr(registered)}, soit "
                             f"{_years(years)} au {format_fr(on)} : un médecin doit l'être depuis "
                             f"{DOCTOR_ORDER_YEARS} ans au moins (atteints le {format_fr(reached)}).",
                             registered, None, professional.order_number)
    return ChecklistItem(key, group, title, ItemState.MET,
                         f"Inscrit(e) au tableau ({order}{number}) depuis le {format_fr(registered)} "
                         f"({_years(years)}).", registered, None, professional.order_number)


def _csapa_item(professional: Professional, title: str) -> ChecklistItem:
    if professional.csapa_name:
        return ChecklistItem(ItemKey.CSAPA, "protocole", title, ItemState.MET,
                             f"Salarié(e) de : {professional.csapa_name}.")
    return ChecklistItem(ItemKey.CSAPA, "protocole", title, ItemState.MISSING,
                         "CSAPA employeur non renseigné : le protocole réserve l'habilitation aux "
                         "salariés d'un CSAPA.")


def checklist(professional: Professional, on: dt.date) -> Checklist:
    """Every criterion and piece of the file, met / missing / stale / unmet on that date."""
    evidence = list(EligibilityEvidence.select().where(EligibilityEvidence.professional == professional))
    items = []
    for key, group, title, _ in ITEMS:
        if key == ItemKey.ORDRE:
            items.append(_order_item(professional, title, on))
        elif key == ItemKey.CSAPA:
            items.append(_csapa_item(professional, title))
        else:
            items.append(_evidence_item(key, group, title, evidence, on))
    return Checklist(professional.id, on, tuple(items))


def missing_items(professional: Professional, on: dt.date) -> list[str]:
    """The unmet items in a few words each ("extrait B2 (périmé)"). The certificate counts
    for criterion 4 and the file: it is named once."""
    unmet = checklist(professional, on).unmet
    keys = {item.key for item in unmet}
    return [item.short for item in unmet
            if not (item.key == ItemKey.ATTESTATION and ItemKey.SANCTION in keys)]


# --------------------------------------------------------------------------- evidence


def _required_date(value: object, field: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise InvalidInput(f"{field} : date manquante (format JJ/MM/AAAA).")
    return value


def record_evidence(professional: Professional, item: str, on: dt.date | None, reference: str | None = None,
                    note: str | None = None) -> EligibilityEvidence:
    """Record a piece of the file as checked on `on` (the date of the document or of the
    check). Recording a B2 extract or a certificate states nothing contrary was found."""
    try:
        item = EvidenceItem(item).value
    except ValueError:
        raise InvalidInput("Pièce du dossier : choisissez dans la liste.") from None
    on = _required_date(on, "Date de la pièce")
    reference = clean_text(reference, "Référence", limit=120)
    note = clean_text(note, "Note", limit=1000)
    with database.atomic():
        piece = EligibilityEvidence.create(professional=professional, item=item, document_on=on,
                                           reference=reference, note=note,
                                           recorded_by=actor_name())
        log(professional, "piece", f"{label(item)} du {format_fr(on)}" + (f" (réf. {reference})" if reference else ""),
            audit_details=f"piece={item} id={piece.id}")
    return piece


def remove_evidence(piece: EligibilityEvidence, reason: str) -> None:
    """Withdraw a piece recorded by mistake; the history keeps what it was and why."""
    reason = clean_text(reason, "Motif du retrait", required=True, limit=1000)
    with database.atomic():
        professional = piece.professional
        log(professional, "piece_retiree",
            f"{label(piece.item)} du {format_fr(piece.document_on)} retirée : {reason}",
            audit_details=f"piece={piece.item} id={piece.id}")
        piece.delete_instance()


__all__ = ["B2_VALID_MONTHS", "DOCTOR_ORDER_YEARS", "SANCTION_CERTIFICATE_VALID_MONTHS", "Checklist",
           "ChecklistItem", "ItemKey", "ItemState", "add_professional", "checklist", "missing_items",
           "record_evidence", "remove_evidence", "update_professional"]
