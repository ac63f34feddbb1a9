"""The médecin coordonnateur's entry on the procureur's list (issue 21, point 6): the four
criteria of seed 004 and the pieces of the application file, an entry valid 3 years, beside
the IT habilitation and independent of it, with its own reminders. Real encrypted base."""

from __future__ import annotations

import datetime as dt

import pytest

from injonctions_tui.domain.core.errors import InvalidInput, NotHabilitated
from injonctions_tui.domain.core.models import RegisterEvent
from injonctions_tui.domain.register.coordinator import (listing_checklist, listing_view, own_listing_warning,
                                                         set_listing, set_practice_since)
from injonctions_tui.domain.register.eligibility import record_evidence
from injonctions_tui.domain.register.export import register_csv, register_json, register_text
from injonctions_tui.domain.store.coordinator import check_may_act
from injonctions_tui.domain.store.professionals import create_user, habilitation_on, record_habilitation
from tests.conftest import TODAY
from tests.factories.care_orders import make_care_order

NANTERRE = "Tribunal judiciaire de Nanterre"


@pytest.fixture
def doctor(db):
    user = create_user(last_name="Prunelle", first_name="Léonie", profession="medecin", rpps_adeli=None,
                       csapa_name="CSAPA Les Tilleuls (fictif)", csapa_address="1 rue de l'Exemple, 92000 Nanterre")
    user.order_registered_on = dt.date(2010, 9, 1)
    user.save()
    record_habilitation(user, decision_on=dt.date(2026, 1, 15), reference="ARS-TEST-2026-001",
                        valid_until=dt.date(2026, 12, 31))
    return user


def _file(user, on: dt.date = dt.date(2026, 6, 1)) -> None:
    for item in ("declaration_coordonnateur", "activites_coordonnateur", "attestation_ordre_coordonnateur",
                 "extrait_b2"):
        record_evidence(user, item, on)


def test_the_four_criteria_and_the_application_file(doctor) -> None:
    found = listing_checklist(doctor, TODAY)
    assert [item.key for item in found.items] == ["ordre", "qualification", "b2", "sanction", "declaration",
                                                  "activites", "attestation_ordre", "formation"]
    assert {item.key for item in found.unmet} >= {"qualification", "b2", "declaration"}
    with pytest.raises(InvalidInput, match="Inscription refusée"):
        set_listing(doctor, "inscrit_liste", on=TODAY, tribunal=NANTERRE)
    set_practice_since(doctor, psychiatrist_since=dt.date(2024, 1, 1), specialist_since=None, today=TODAY)
    _file(doctor)
    qualification = next(i for i in listing_checklist(doctor, TODAY).items if i.key == "qualification")
    assert not qualification.met and "3 ans requis" in qualification.explanation  # psychiatrist for 2 years only
    record_evidence(doctor, "formation_coordonnateur", dt.date(2025, 6, 1))  # the arrêté of 24 March 2009
    assert listing_checklist(doctor, TODAY).complete


def test_a_psychologist_cannot_be_on_the_list(db) -> None:
    user = create_user(last_name="Prunelle", first_name="Léon", profession="psychologue", rpps_adeli=None,
                       csapa_name="CSAPA (fictif)", csapa_address="1 rue de l'Exemple, 92000 Nanterre")
    ordre = listing_checklist(user, TODAY).items[0]
    assert not ordre.met and "seul un médecin" in ordre.explanation


def test_an_entry_is_valid_three_years_and_guards_every_act(doctor) -> None:
    set_practice_since(doctor, psychiatrist_since=dt.date(2012, 1, 1), specialist_since=None, today=TODAY)
    _file(doctor, dt.date(2026, 3, 1))
    row = set_listing(doctor, "inscrit_liste", on=dt.date(2026, 3, 9), tribunal=NANTERRE, reference="PR-2026-3")
    assert row.valid_until == dt.date(2029, 3, 8)
    check_may_act(doctor, "injonction_de_soins", TODAY)
    with pytest.raises(NotHabilitated, match="expirée"):
        check_may_act(doctor, "injonction_de_soins", dt.date(2029, 3, 9))
    assert "Inscrit(e) sur la liste" in listing_view(doctor, TODAY).text
    assert any("valable jusqu'au 08/03/2029" in e.details for e in RegisterEvent.select())


def test_struck_off_the_list_but_still_habilitated_for_the_it(doctor) -> None:
    set_practice_since(doctor, psychiatrist_since=dt.date(2012, 1, 1), specialist_since=None, today=TODAY)
    _file(doctor, dt.date(2026, 3, 1))
    set_listing(doctor, "inscrit_liste", on=dt.date(2026, 3, 9), tribunal=NANTERRE)
    with pytest.raises(InvalidInput, match="Motif"):
        set_listing(doctor, "radie_liste", on=dt.date(2026, 10, 1), tribunal=NANTERRE)
    set_listing(doctor, "radie_liste", on=dt.date(2026, 10, 1), tribunal=NANTERRE, reason="Décision du procureur")
    with pytest.raises(NotHabilitated):
        make_care_order(doctor, TODAY, ordonnance_on=dt.date(2026, 11, 2))
    assert habilitation_on(doctor, TODAY) is not None  # the two register entries never mix
    check_may_act(doctor, "injonction_therapeutique", TODAY)


def test_its_own_reminders(doctor) -> None:
    assert own_listing_warning(doctor, TODAY) is None  # never applied, no IS: nothing to say
    set_practice_since(doctor, psychiatrist_since=dt.date(2012, 1, 1), specialist_since=None, today=TODAY)
    _file(doctor, dt.date(2023, 12, 1))
    set_listing(doctor, "inscrit_liste", on=dt.date(2024, 1, 8), tribunal=NANTERRE, override_reason=None)
    assert own_listing_warning(doctor, dt.date(2026, 6, 1)) is None
    soon = own_listing_warning(doctor, TODAY)  # valid until 07/01/2027: 45 days left
    assert "expire le 07/01/2027" in soon and "nouvelle candidature" in soon
    make_care_order(doctor, TODAY, ordonnance_on=dt.date(2026, 11, 2))
    late = own_listing_warning(doctor, dt.date(2027, 2, 1))
    assert "a expiré le 07/01/2027" in late and "1 injonction(s) de soins" in late


def test_the_register_exports_show_the_entry_beside_the_habilitation(doctor) -> None:
    set_practice_since(doctor, psychiatrist_since=dt.date(2012, 1, 1), specialist_since=None, today=TODAY)
    _file(doctor, dt.date(2026, 3, 1))
    set_listing(doctor, "inscrit_liste", on=dt.date(2026, 3, 9), tribunal=NANTERRE)
    (entry,) = register_json(TODAY)["professionals"]
    assert entry["coordinator_listing"]["listed"] is True and entry["coordinator_listing"]["file_complete"]
    assert entry["coordinator_listing"]["valid_until"] == "2029-03-08"
    assert "Liste des médecins coordonnateurs : Inscrit(e) sur la liste" in register_text(TODAY)
    header, row = register_csv(TODAY).lstrip("\ufeff").splitlines()
    assert header.endswith(";Liste des médecins coordonnateurs") and "jusqu'au 08/03/2029" in row
