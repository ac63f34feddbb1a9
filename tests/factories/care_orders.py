"""Injonctions de soins for the tests (issue 21): the user listed as médecin coordonnateur,
dossiers created through the real form. Every person here is fictional."""

from __future__ import annotations

import datetime as dt

from injonctions_tui.domain.core.dates import format_fr
from injonctions_tui.domain.core.models import Appointment, CoordinatorListing, Measure, Professional
from injonctions_tui.domain.dossiers import form
from injonctions_tui.domain.store.coordinator import listing_end

JAP_A = "Mme Agathe FICTIVE, JAP"
JAP_B = "M. Octave EXEMPLE, JAP"
OFFICE = "CSAPA Les Tilleuls (fictif)"


def list_coordinator(user: Professional, decided_on: dt.date = dt.date(2025, 3, 1)) -> CoordinatorListing:
    """The user's entry on the procureur's list, valid 3 years from `decided_on`."""
    return CoordinatorListing.create(professional=user, status="inscrit_liste", tribunal="Tribunal judiciaire de "
                                     "Nanterre", decided_on=decided_on, valid_until=listing_end(decided_on))


def care_order_values(last: str = "Bilboquet", first: str = "Anatole", *, ordonnance_on: dt.date,
                      judge: str = JAP_A, number: str = "26/200/00001", **extra: str) -> dict[str, str]:
    """The dossier form filled for an injonction de soins ordered by the JAP."""
    values = form.values_from(None, form.IS) | {
        "last_name": last, "first_name": first, "birth_date": "12/05/1980", "parquet_number": number,
        "magistrat_referent": judge, "decision_on": format_fr(ordonnance_on - dt.timedelta(days=30)),
        "saisine_received_on": format_fr(ordonnance_on + dt.timedelta(days=2)),
        "ordonnance_on": format_fr(ordonnance_on), "sentence": "suivi_socio_judiciaire",
        "obligation_end_on": "01/01/2031", "expert_name": "Dr Ernest EXPERTISE"}
    return values | extra


def make_care_order(user: Professional, today: dt.date, *, ordonnance_on: dt.date, **values: str) -> Measure:
    """An injonction de soins saved through the dossier form (the guards run)."""
    return form.save(care_order_values(ordonnance_on=ordonnance_on, **values), today, professional=user)


def interview(measure: Measure, when: dt.datetime, status: str = "present", kind: str = "bilan_is") -> Appointment:
    return Appointment.create(measure=measure, kind=kind, starts_at=when, status=status, place=OFFICE)
