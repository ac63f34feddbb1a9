"""Caseload per professional against the cap of the measure's kind (60 for the injonction de soins)."""

from __future__ import annotations

import datetime as dt

import pytest

from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import CoordinatorListing, Measure, Person, Professional
from injonctions_tui.domain.core.rules import MeasureKind, rules_for
from injonctions_tui.domain.dossiers.conflicts import assign_with_checks
from injonctions_tui.domain.register import caseload
from injonctions_tui.domain.register.caseload import caseload_of, caseloads, check_capacity
from injonctions_tui.domain.register.entries import add_professional
from injonctions_tui.domain.register.rows import register_rows
from injonctions_tui.domain.register.status import set_status
from tests.conftest import TODAY

D = dt.date
IS = MeasureKind.INJONCTION_DE_SOINS
IT = MeasureKind.INJONCTION_THERAPEUTIQUE


@pytest.fixture
def coordinator(db: object) -> Professional:
    """A médecin coordonnateur, habilitated and on the procureur's list (the files are not the
    point here: an injonction de soins is carried out under the list entry, issue 21)."""
    doctor = add_professional(last_name="Haddock", first_name="Archibald", profession="medecin",
                              order_registered_on=D(2001, 1, 1), csapa_name="CSAPA du Port (test)")
    set_status(doctor, "habilite", on=D(2026, 1, 5), reason=None, override_reason="Test de plafond.")
    CoordinatorListing.create(professional=doctor, status="inscrit_liste", tribunal="Tribunal judiciaire (test)",
                              decided_on=D(2025, 1, 6), valid_until=D(2028, 1, 5))
    return doctor


def follow(professional: Professional | None, count: int, kind: MeasureKind = IS, *,
           closed: bool = False) -> list[Measure]:
    made = []
    for _ in range(count):
        person = Person.create(last_name="Dupondt", first_name=f"Jumeau {Person.select().count() + 1}")
        made.append(Measure.create(person=person, professional=professional, kind=kind.value,
                                   parquet_number=f"26/{person.id:05d}", authority="jap",
                                   stage="application_peines", saisine_received_on=D(2026, 2, 1),
                                   outcome="classement_sans_suite" if closed else None,
                                   status="cloture" if closed else "suivi"))
    return made


def test_the_cap_comes_from_the_rules_table(coordinator: Professional) -> None:
    assert rules_for(IS).caseload_cap == 60 and rules_for(IT).caseload_cap is None
    load = caseload_of(coordinator)
    assert [(k.kind, k.persons, k.cap) for k in load.kinds] == [(IT, 0, None), (IS, 0, 60)]
    assert load.text == "0" and load.warnings == []


def test_open_measures_count_each_person_once(coordinator: Professional) -> None:
    measures = follow(coordinator, 3)
    Measure.create(person=measures[0].person, professional=coordinator, kind=IS.value, parquet_number="26/99999",
                   authority="jap", stage="application_peines", saisine_received_on=D(2026, 3, 1))
    follow(coordinator, 2, closed=True)  # ended: no longer followed
    follow(coordinator, 4, IT)
    follow(None, 5)  # nobody's yet
    load = caseload_of(coordinator)
    assert (load.of(IS).persons, load.of(IT).persons, load.persons) == (3, 4, 7)
    assert load.text == "4 IT ; 3 / 60 IS"
    assert caseloads()[coordinator.id] == load


def test_warning_from_ninety_percent_of_the_cap(coordinator: Professional) -> None:
    assert caseload.NEAR_CAP_SHARE == 0.9
    follow(coordinator, 53)
    assert caseload_of(coordinator).of(IS).warning is None
    follow(coordinator, 1)
    assert caseload_of(coordinator).warnings == [
        "54 personnes suivies en injonction de soins sur 60 au plus : plafond bientôt atteint."]
    row = next(r for r in register_rows(TODAY) if r.professional_id == coordinator.id)
    assert row.caseload == "54 / 60 IS" and row.caseload_persons == 54 and row.caseload_warnings
    follow(coordinator, 6)
    assert caseload_of(coordinator).of(IS).at_cap
    assert caseload_of(coordinator).warnings == ["60 personnes suivies en injonction de soins : plafond de 60 atteint."]


def test_no_new_person_beyond_the_cap(coordinator: Professional) -> None:
    followed = follow(coordinator, 60)
    newcomer = follow(None, 1)[0]
    with pytest.raises(InvalidInput, match="suit déjà 60 personnes en injonction de soins : le plafond de 60"):
        assign_with_checks(newcomer, coordinator, TODAY)
    assert Measure.get_by_id(newcomer.id).professional is None
    # A person already followed adds nobody: a second measure of theirs is accepted.
    again = Measure.create(person=followed[0].person, kind=IS.value, parquet_number="26/88888", authority="jap",
                           stage="application_peines", saisine_received_on=D(2026, 3, 1))
    assign_with_checks(again, coordinator, TODAY)
    # The injonction thérapeutique has no cap.
    check_capacity(coordinator, IT)
    follow(coordinator, 70, IT)
    assert caseload_of(coordinator).of(IT).warning is None
