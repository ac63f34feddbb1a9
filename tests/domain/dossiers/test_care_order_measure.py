"""The injonction de soins as a measure (issue 21, points 1 and 4): ordered by the trial court
or the JAP, the ordonnance and its date, the sentence, the end of the obligation, the treating
doctor or psychologist and their agreement, interviews at the office beside the permanences,
the legal cap of 60 persons and the « expertal » conflict. Real encrypted base."""

from __future__ import annotations

import datetime as dt

import pytest

from injonctions_tui.domain.agenda.booking import book, convoke, propose_next
from injonctions_tui.domain.core.errors import InvalidInput, NotHabilitated
from injonctions_tui.domain.core.models import Measure, Person, RegisterEvent
from injonctions_tui.domain.deadlines.engine import measure_timeline
from injonctions_tui.domain.dossiers import form, measures
from injonctions_tui.domain.dossiers.conflicts import assign_with_checks, declare_conflict
from injonctions_tui.domain.dossiers.detail import dossier_detail
from injonctions_tui.domain.register.caseload import CapReached, caseload_of
from tests.conftest import TODAY
from tests.factories.care_orders import OFFICE, care_order_values, interview, list_coordinator, make_care_order
from tests.factories.reports import make_user

ORDONNANCE = dt.date(2026, 9, 7)


@pytest.fixture
def user(db):
    user = make_user()
    list_coordinator(user)
    return user


def test_the_measure_records_who_ordered_it_the_ordonnance_the_sentence_and_the_end(user) -> None:
    measure = make_care_order(user, TODAY, ordonnance_on=ORDONNANCE, authority="tribunal", stage="jugement",
                              ordonnance_reference="ORD-2026-17", jap_tribunal="Tribunal judiciaire de Versailles")
    measure = Measure.get_by_id(measure.id)
    assert (measure.kind, measure.authority, measure.ordonnance_on, measure.sentence) == (
        "injonction_de_soins", "tribunal", ORDONNANCE, "suivi_socio_judiciaire")
    assert measure.obligation_end_on == dt.date(2031, 1, 1) and measure.ordonnance_reference == "ORD-2026-17"
    timeline = measure_timeline(measure)  # from the JAP's ordonnance to the end of the obligation
    assert (timeline.start, timeline.planned_end, timeline.end_known) == (ORDONNANCE, dt.date(2031, 1, 1), True)
    lines = dict(dossier_detail(measure.id, TODAY).measure)
    assert lines["Ordonnée par"].startswith("Juridiction de jugement") or "Tribunal" in lines["Ordonnée par"]
    assert "07/09/2026" in lines["Ordonnance de désignation"] and lines["Peine"] == "Suivi socio-judiciaire"
    assert "Versailles" in lines["Juge de l'application des peines"]
    assert not any("L3413" in value or "thérapeutique" in value for value in lines.values())


def test_the_form_refuses_what_an_injonction_de_soins_cannot_be(user) -> None:
    values = care_order_values(ordonnance_on=ORDONNANCE, authority="procureur", ordonnance_on_="")
    values["ordonnance_on"] = ""
    values["obligation_end_on"] = "01/01/2020"
    with pytest.raises(form.FormRejected) as rejected:
        form.save(values, TODAY, professional=user)
    errors = rejected.value.errors
    assert "juge de l'application des peines" in errors["authority"]
    assert "Ordonnance du JAP" in errors["ordonnance_on"]
    assert Measure.select().count() == 0


def test_only_a_listed_coordonnateur_may_take_an_injonction_de_soins(db) -> None:
    user = make_user()  # habilitated by the ARS for the IT, but on no procureur's list
    with pytest.raises(NotHabilitated, match="liste des médecins coordonnateurs"):
        make_care_order(user, TODAY, ordonnance_on=ORDONNANCE)


def test_treating_doctor_or_psychologist_chosen_then_agreeing(user) -> None:
    measure = make_care_order(user, TODAY, ordonnance_on=ORDONNANCE)
    with pytest.raises(InvalidInput, match="médecin traitant ou psychologue traitant"):
        measures.choose_orientation(measure, structure="", doctor="Mme Iris MODÈLE", chosen_on=TODAY,
                                    chosen_by="personne", user=user)
    with pytest.raises(InvalidInput):  # never the coordonnateur themself
        measures.choose_orientation(measure, structure="", doctor="Léon Prunelle", chosen_on=TODAY,
                                    chosen_by="personne", user=user, treating_role="medecin_traitant")
    orientation = measures.choose_orientation(measure, structure="Cabinet des Lilas", doctor="Mme Iris MODÈLE",
                                              chosen_on=TODAY - dt.timedelta(days=5), chosen_by="personne",
                                              user=user, treating_role="psychologue_traitant")
    assert dossier_detail(measure.id, TODAY).orientation[0][1].endswith("accord du soignant attendu")
    measures.record_agreement(orientation, TODAY)
    who, what = dossier_detail(measure.id, TODAY).orientation[0]
    assert who == "Psychologue traitant" and "accord le 23/11/2026" in what


def test_interviews_at_the_office_beside_the_permanences(user) -> None:
    measure = make_care_order(user, TODAY, ordonnance_on=ORDONNANCE)
    with pytest.raises(InvalidInput, match="cabinet du médecin coordonnateur"):
        book(measure.id, "bilan_is", dt.datetime(2026, 12, 3, 9, 30), place="Tribunal judiciaire de Nanterre",
             today=TODAY)
    with pytest.raises(InvalidInput, match="permanence du tribunal"):  # Thursday morning: the IT permanence
        book(measure.id, "bilan_is", dt.datetime(2026, 12, 3, 10, 0), place=OFFICE, today=TODAY)
    with pytest.raises(InvalidInput, match="ne convient pas"):
        book(measure.id, "suivi_m3", dt.datetime(2026, 12, 2, 15, 0), place=OFFICE, today=TODAY)
    with pytest.raises(InvalidInput, match="ne se convoque pas à une permanence"):
        convoke(measure.id, TODAY)
    booked = book(measure.id, "premier_entretien_is", dt.datetime(2026, 12, 2, 15, 0), place=OFFICE, today=TODAY)
    assert booked.place == OFFICE and booked.starts_at.weekday() == 2
    with pytest.raises(InvalidInput, match="déjà un rendez-vous"):
        book(measure.id, "bilan_is", dt.datetime(2026, 12, 2, 15, 0), place="Cabinet annexe", today=TODAY)


def test_the_next_convocation_is_proposed_in_its_quarter_at_the_office(user) -> None:
    measure = make_care_order(user, TODAY, ordonnance_on=ORDONNANCE)
    interview(measure, dt.datetime(2026, 9, 21, 15), kind="premier_entretien_is")
    proposal = propose_next(measure.id, TODAY)
    # Quarter 2 of the measure runs 07/12/2026 - 06/03/2027: at the office, on a day without permanence.
    assert proposal.kind == "bilan_is" and proposal.place == OFFICE and proposal.due_on == dt.date(2027, 3, 6)
    assert dt.date(2026, 12, 7) <= proposal.starts_at.date() <= dt.date(2027, 3, 6)
    assert proposal.starts_at.weekday() not in (0, 3) or proposal.starts_at.hour >= 13
    assert "au moins 4 convocations par an" in proposal.note


def _person(index: int) -> Person:
    return Person.create(last_name=f"Fictif{index:02d}", first_name="Anatole", birth_date=dt.date(1980, 1, 1))


def test_a_61st_person_is_refused_unless_the_reason_is_recorded(user) -> None:
    for index in range(60):
        Measure.create(person=_person(index), professional=user, kind="injonction_de_soins",
                       parquet_number=f"26/300/{index:05d}", authority="jap", stage="application_peines",
                       saisine_received_on=ORDONNANCE, ordonnance_on=ORDONNANCE, status="suivi")
    assert caseload_of(user).of("injonction_de_soins").at_cap
    with pytest.raises(form.FormRejected) as rejected:  # said beside the field where the reason goes
        make_care_order(user, TODAY, ordonnance_on=ORDONNANCE, number="26/300/99999")
    assert "plafond légal" in rejected.value.errors["cap_override_reason"]
    with pytest.raises(CapReached, match="plafond légal"):  # the same rule when assigning a dossier
        assign_with_checks(Measure.create(person=_person(99), kind="injonction_de_soins",
                                          parquet_number="26/300/88888", authority="jap",
                                          stage="application_peines", saisine_received_on=ORDONNANCE,
                                          status="a_convoquer"), user, TODAY)
    assert Measure.select().where(Measure.professional == user).count() == 60
    measure = make_care_order(user, TODAY, ordonnance_on=ORDONNANCE, number="26/300/99999",
                              cap_override_reason="Désignation expresse du JAP, aucun autre coordonnateur")
    assert Measure.get_by_id(measure.id).cap_override_reason.startswith("Désignation expresse")
    event = RegisterEvent.get(RegisterEvent.action == "plafond_depasse")
    assert f"dossier n° {measure.id}" in event.details and "Fictif" not in event.details


def test_the_coordonnateur_cannot_have_been_the_persons_expert(user) -> None:
    with pytest.raises(InvalidInput, match="expertise"):
        make_care_order(user, TODAY, ordonnance_on=ORDONNANCE, expert_name="Dr Léon PRUNELLE")
    assert Measure.select().count() == 0
    measure = make_care_order(user, TODAY, ordonnance_on=ORDONNANCE, last="Expertisé", first="Hector")
    measure.professional = None
    measure.save()
    declare_conflict(user, category="expertal", declared_on=TODAY, last_name="Expertisé", first_name="Hector",
                     birth_date=dt.date(1980, 5, 12))
    with pytest.raises(InvalidInput, match="expertise"):
        assign_with_checks(measure, user, TODAY)
