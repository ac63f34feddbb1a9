"""The demonstration's habilitation files: evidence, an override, conflicts, history.

Why apart from demo.py: the register shows complete and incomplete files side by side
(a doctor registered for two years only, stale B2 extracts, a missing certificate), and
that needs a table of its own. Like the rest of the demo, every date derives from
`today` (no clock, no random draw), so two runs give identical rows; everything is
written directly, as the demo writes its other rows.
"""

from __future__ import annotations

import datetime as dt

from ..core.dates import add_months, format_fr
from ..core.models import (ConflictDeclaration, EligibilityEvidence, Habilitation, HabilitationOverride, Professional,
                           RegisterEvent)
from ..core.vocabulary import ConflictCategory, EvidenceItem, HabilitationStatus, label
from ..register.eligibility import checklist

F, B2, AT = EvidenceItem.FORMATION, EvidenceItem.EXTRAIT_B2, EvidenceItem.ATTESTATION_NON_SANCTION
CA, AC = EvidenceItem.DECLARATION_CANDIDATURE, EvidenceItem.ETAT_ACTIVITES

#: Last name -> {piece: months before today of each copy}. A piece absent is missing.
EVIDENCE: dict[str, dict[EvidenceItem, tuple[int, ...]]] = {
    "SECCOTINE": {F: (96,), CA: (27,), AC: (27,), B2: (27, 11), AT: (27, 11)},  # complete
    "CUMULUS": {F: (120,), CA: (15,), AC: (13,), B2: (15, 3), AT: (15, 3)},  # complete (override)
    "BERGAMOTE": {F: (60,), CA: (13,), AC: (13,), B2: (13,), AT: (13,)},  # B2 and certificate stale
    "ZÉPHYR": {F: (100,), CA: (20,), AC: (20,), B2: (19,), AT: (19,)},  # expired, stale
    "CALEMBOUR": {F: (150,), CA: (16,), AC: (16,), B2: (6,)},  # suspended: no certificate
    "TROMBINE": {F: (70,), CA: (16,), B2: (15,), AT: (15,)},  # struck off: statement missing
    "FARIBOLE": {F: (18,), CA: (1,), AC: (1,), B2: (1,), AT: (1,)},  # doctor, 2 years only
    "BOUILLOTTE": {F: (200,), CA: (16,), AC: (16,), B2: (15,), AT: (15,)},  # withdrawn
}
REFERENCES = {F: "DU d'addictologie (démo)", B2: "Vérification ARS (démo)", AT: "Attestation de l'ordre (démo)",
              CA: "Lettre de candidature", AC: "CV et état des activités"}
#: The colleague habilitated although a piece was missing at the decision, and why.
OVERRIDE = ("CUMULUS", "État des activités transmis directement à l'ARS par le CSAPA ; copie reçue ensuite.")
#: Persons the user must not follow (names absent from the demo's persons).
CONFLICTS = [("SECCOTINE", "Anatole", dt.date(1994, 3, 12), ConflictCategory.FAMILLE, "Frère"),
             ("PAPERASSE", "Gontran", None, ConflictCategory.PROFESSIONNEL, "Ancien collègue de service")]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour))


def fill_register(today: dt.date) -> None:
    """Write the files of the professionals the demo created (after demo._Builder.professionals)."""
    user = Professional.get(Professional.is_user == True)
    actor = user.full_name
    events: list[tuple[dt.datetime, Professional, str, str]] = []
    for professional in Professional.select().order_by(Professional.id):
        if not professional.is_user:
            events.append((professional.created_at, professional, "ajout",
                           f"{professional.full_name}, {label(professional.profession).lower()}"))
        if professional.profession != "psychologue":
            professional.order_number = f"92-DEMO-{professional.id:04d}"
            professional.save()
        for item, months_ago in EVIDENCE.get(professional.last_name, {}).items():
            for months in months_ago:
                day = add_months(today, -months)
                EligibilityEvidence.create(professional=professional, item=item.value, document_on=day,
                                           reference=REFERENCES[item], recorded_by=actor, recorded_at=_at(day, 10))
                events.append((_at(day, 10), professional, "piece", f"{label(item)} du {format_fr(day)}"))
        for row in Habilitation.select().where(Habilitation.professional == professional).order_by(Habilitation.id):
            when = row.status_on or row.decision_on or today
            what = f"→ {label(row.status)} le {format_fr(when)}"
            if row.status == HabilitationStatus.HABILITE:
                what += f" (décision {row.decision_reference}), valable jusqu'au {format_fr(row.valid_until)}"
            if row.reason:
                what += f" ; motif : {row.reason}"
            events.append((_at(when, 9), professional, "statut", what))
    _override(today, actor, events)
    for last, first, born, category, note in CONFLICTS:
        declared = add_months(today, -20)
        declaration = ConflictDeclaration.create(professional=user, last_name=last, first_name=first,
                                                 birth_date=born, category=category.value, note=note,
                                                 declared_on=declared, created_at=_at(declared, 11))
        events.append((_at(declared, 11), user, "conflit",
                       f"Déclaration n° {declaration.id} ({label(category).lower()}) du {format_fr(declared)}"))
    for at, professional, action, details in sorted(events, key=lambda e: (e[0], e[1].id, e[2])):
        RegisterEvent.create(professional=professional, at=at, actor=actor, action=action, details=details)


def _override(today: dt.date, actor: str, events: list) -> None:
    """The colleague's current habilitation, granted with a piece missing at that date."""
    last, reason = OVERRIDE
    professional = Professional.get(Professional.last_name == last)
    granted = (Habilitation.select().where((Habilitation.professional == professional)
                                           & (Habilitation.status == HabilitationStatus.HABILITE.value))
               .order_by(Habilitation.decision_on.desc()).first())
    unmet = checklist(professional, granted.decision_on).unmet
    for item in unmet:
        HabilitationOverride.create(habilitation=granted, professional=professional, item=item.key.value,
                                    unmet=item.explanation, reason=reason, decided_by=actor,
                                    decided_on=granted.decision_on)
    if unmet:
        events.append((_at(granted.decision_on, 9), professional, "derogation",
                       f"Habilitation du {format_fr(granted.decision_on)} malgré : "
                       + " ; ".join(i.short for i in unmet) + f". Motif : {reason}"))
