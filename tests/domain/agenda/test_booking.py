"""The morning's actions: mark, book, propose the next interview, convoke, walk-ins."""

from __future__ import annotations

import datetime as dt

import pytest

from injonctions_tui.domain.agenda.booking import book, convoke, mark, propose_next
from injonctions_tui.domain.agenda.convocations import holiday_conflicts, saisines_to_convoke
from injonctions_tui.domain.agenda.walk_ins import PARQUET_TO_COMPLETE, add_walk_in
from injonctions_tui.domain.core.errors import InvalidInput, NeedsConfirmation
from injonctions_tui.domain.core.models import Appointment, AuditEvent, Measure, Person
from injonctions_tui.domain.core.vocabulary import AppointmentKind as AK, AppointmentStatus as AS, MeasureStatus
from injonctions_tui.domain.deadlines.engine import DeadlineKind as K, deadlines_for
from injonctions_tui.domain.store.settings import CourtSettings
from tests.conftest import TODAY
from tests.factories.agenda import (COURT_PLACE, CSAPA_PLACE, agreed_orientation, held_evaluation, make_appointment,
                                    make_measure)

COURT = CourtSettings()
#: A court that convokes by hand at the permanence: no lead time.
COURT_NOW = CourtSettings(convocation_lead_days=0)
D, T = dt.date, dt.datetime


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.select().where(AuditEvent.action == action))


# --- mark ------------------------------------------------------------------------------
def test_mark_records_the_status_and_an_audit_event_without_names(db: object) -> None:
    appointment = make_appointment(make_measure(), T(2026, 11, 23, 9, 0))
    mark(appointment.id, "present", TODAY)
    assert Appointment.get_by_id(appointment.id).status == AS.PRESENT
    (event,) = _events("rdv_statut")
    assert event.entity == "appointment" and event.entity_id == appointment.id
    assert event.details == "attendu -> present" and "TOURNESOL" not in event.details.upper()
    for status in ("absent", "excuse", "reporte", "attendu"):
        mark(appointment.id, status, TODAY)
        assert Appointment.get_by_id(appointment.id).status == status
    assert len(_events("rdv_statut")) == 5


def test_a_future_appointment_cannot_be_present_or_absent_but_can_be_excused(db: object) -> None:
    appointment = make_appointment(make_measure(), T(2026, 11, 26, 9, 0))
    for status in ("present", "absent"):
        with pytest.raises(InvalidInput, match="pas encore eu lieu"):
            mark(appointment.id, status, TODAY)
    mark(appointment.id, "excuse", TODAY)
    assert Appointment.get_by_id(appointment.id).status == AS.EXCUSE
    with pytest.raises(InvalidInput, match="Statut de rendez-vous inconnu"):
        mark(appointment.id, "guéri", TODAY)
    with pytest.raises(InvalidInput, match="introuvable"):
        mark(99_999, "present", TODAY)


def test_a_postponed_appointment_cannot_come_back_on_a_slot_given_away(db: object) -> None:
    first = make_appointment(make_measure(), T(2026, 11, 30, 9, 0), status=AS.REPORTE)
    make_appointment(make_measure("CASTAFIORE", "Bianca"), T(2026, 11, 30, 9, 0))
    with pytest.raises(InvalidInput, match="redonné"):
        mark(first.id, "attendu", TODAY)
    assert Appointment.get_by_id(first.id).status == AS.REPORTE


# --- book ------------------------------------------------------------------------------
def test_booking_a_permanence_slot(db: object) -> None:
    measure = make_measure()
    appointment = book(measure.id, "evaluation_initiale", T(2026, 11, 26, 10, 30), place=COURT_PLACE,
                       today=TODAY, court=COURT)
    assert appointment.duration_minutes == 30 and appointment.status == AS.ATTENDU
    assert Measure.get_by_id(measure.id).status == MeasureStatus.EVALUATION  # convoked now
    (event,) = _events("rdv_creation")
    assert event.entity_id == appointment.id and "2026-11-26 10:30" in event.details


@pytest.mark.parametrize(("at", "message"), [
    (T(2026, 11, 19, 9, 0), "est passé"),
    (T(2026, 11, 26, 9, 10), "ne correspond à aucun créneau"),
    (T(2026, 11, 29, 9, 0), "dimanche"),
])
def test_booking_at_the_court_refuses_past_and_off_slot_times(db: object, at: dt.datetime, message: str) -> None:
    measure = make_measure()
    with pytest.raises(InvalidInput, match=message) as refused:
        book(measure.id, "suivi_m3", at, place=COURT_PLACE, today=TODAY, court=COURT, confirmed=True)
    assert not isinstance(refused.value, NeedsConfirmation)  # no confirmation makes these possible
    assert Appointment.select().count() == 0 and not _events("rdv_creation")


@pytest.mark.parametrize(("at", "codes", "message"), [
    (T(2027, 3, 29, 9, 0), ("ferie",), r"Le 29/03/2027 est férié \(Lundi de Pâques\) : le tribunal est fermé\."),
    (T(2027, 5, 6, 9, 0), ("ferie",), r"férié \(Ascension\)"),
    (T(2026, 11, 24, 9, 0), ("hors_horaires",), "Il n'y a pas de permanence au tribunal le mardi."),
    (T(2026, 11, 26, 13, 0), ("hors_horaires",), r"13h00 est en dehors de la permanence du jeudi \(9h-13h, majeurs\)"),
    (T(2026, 11, 30, 14, 30), ("hors_horaires",), r"14h30 est en dehors de la permanence du lundi \(9h-13h, mineurs\)"),
])
def test_booking_outside_the_court_s_permanences_asks_first_then_records_the_departure(
        db: object, at: dt.datetime, codes: tuple[str, ...], message: str) -> None:
    """Issue 16: a walk-in was booked at 14h30 on the minors' 9h-13h Monday without a word."""
    measure = make_measure()  # an adult at the date of the facts: Thursday's public
    with pytest.raises(NeedsConfirmation, match=message) as asked:
        book(measure.id, "suivi_m3", at, place=COURT_PLACE, today=TODAY, court=COURT)
    assert set(codes) <= set(asked.value.codes) and asked.value.question == "Réserver quand même ?"
    assert Appointment.select().count() == 0 and not _events("rdv_creation")
    appointment = book(measure.id, "suivi_m3", at, place=COURT_PLACE, today=TODAY, court=COURT, confirmed=True)
    assert appointment.starts_at == at
    (event,) = _events("rdv_creation")
    assert "derogation=" in event.details and codes[0] in event.details.split("derogation=")[1]


def test_the_other_public_s_permanence_asks_first(db: object) -> None:
    """A minor at the date of the facts is seen on the minors' Monday, not on Thursday."""
    minor = make_measure(birth=D(2010, 1, 1), facts_on=D(2026, 9, 1))
    with pytest.raises(NeedsConfirmation, match="La permanence du jeudi reçoit les majeurs ; cette personne relève "
                                                 r"de celle des mineurs \(âge à la date des faits\)\.") as asked:
        book(minor.id, "suivi_m3", T(2026, 11, 26, 9, 0), place=COURT_PLACE, today=TODAY, court=COURT)
    assert asked.value.codes == ("public",)
    book(minor.id, "suivi_m3", T(2026, 11, 30, 9, 0), place=COURT_PLACE, today=TODAY, court=COURT)  # Monday: fine
    book(minor.id, "supplementaire", T(2026, 11, 26, 9, 0), place=COURT_PLACE, today=TODAY, court=COURT,
         confirmed=True)
    assert "derogation=public" in _events("rdv_creation")[-1].details
    # Outside Thursday's hours as well: both are said, and both recorded once confirmed.
    with pytest.raises(NeedsConfirmation) as asked:
        book(minor.id, "supplementaire", T(2026, 11, 26, 14, 0), place=COURT_PLACE, today=TODAY, court=COURT)
    assert asked.value.codes == ("hors_horaires", "public")


def test_booking_refuses_a_taken_slot_and_a_closed_measure(db: object) -> None:
    book(make_measure().id, "suivi_m3", T(2026, 11, 26, 9, 0), place=COURT_PLACE, today=TODAY, court=COURT)
    other = make_measure("CASTAFIORE", "Bianca")
    with pytest.raises(InvalidInput, match="déjà pris"):
        book(other.id, "suivi_m3", T(2026, 11, 26, 9, 0), place=COURT_PLACE, today=TODAY, court=COURT)
    closed = make_measure("DUPOND", "Alfred", status=MeasureStatus.CLOTURE, outcome="classement_sans_suite")
    with pytest.raises(InvalidInput, match="clôturée"):
        book(closed.id, "suivi_m3", T(2026, 11, 26, 9, 30), place=COURT_PLACE, today=TODAY, court=COURT)
    assert Appointment.select().count() == 1


def test_booking_outside_permanences_at_the_csapa(db: object) -> None:
    measure = make_measure()
    appointment = book(measure.id, "suivi_m6", T(2026, 11, 24, 18, 0), place=CSAPA_PLACE, today=TODAY,
                       court=COURT)
    assert appointment.place == CSAPA_PLACE and appointment.duration_minutes == 30
    for at, message in ((T(2026, 11, 29, 10, 0), "dimanche"), (T(2026, 11, 24, 18, 15), "déjà pris")):
        with pytest.raises(InvalidInput, match=message):
            book(measure.id, "suivi_m6", at, place=CSAPA_PLACE, today=TODAY, court=COURT, confirmed=True)
    for at, message in ((T(2026, 11, 24, 19, 45), "entre 8h et 20h"), (T(2026, 12, 25, 10, 0), r"férié \(Noël\)")):
        with pytest.raises(NeedsConfirmation, match=message):
            book(measure.id, "suivi_m6", at, place=CSAPA_PLACE, today=TODAY, court=COURT)
    with pytest.raises(InvalidInput, match="Type d'entretien inconnu"):
        book(measure.id, "consultation", T(2026, 11, 25, 10, 0), place=CSAPA_PLACE, today=TODAY, court=COURT)


# --- propose_next ----------------------------------------------------------------------------
def test_first_proposal_is_the_evaluation_on_the_minors_monday_even_if_adult_today(db: object) -> None:
    measure = make_measure(birth=D(2008, 10, 1), facts_on=D(2026, 9, 1))  # 17 then, 18 now
    proposal = propose_next(measure.id, TODAY, court=COURT)
    assert proposal.kind == AK.EVALUATION_INITIALE and proposal.public == "mineurs"
    assert proposal.due_on == D(2026, 12, 10)  # saisine 10/11 + one month
    # Not before the 10 days a posted convocation needs: the minors' Monday after 3 December.
    assert proposal.starts_at == T(2026, 12, 7, 9, 0) and proposal.place == COURT_PLACE and not proposal.late
    # Without a lead time, this very morning.
    assert propose_next(measure.id, TODAY, court=COURT_NOW).starts_at == T(2026, 11, 23, 9, 0)


def test_an_evaluation_already_booked_is_not_proposed_twice(db: object) -> None:
    measure = make_measure()
    make_appointment(measure, T(2026, 11, 26, 9, 0))
    with pytest.raises(InvalidInput, match="déjà prévue"):
        propose_next(measure.id, TODAY, court=COURT)


def test_cadence_m3_then_m6_from_a_month_end_start(db: object) -> None:
    measure = make_measure(saisine=D(2026, 7, 20), status=MeasureStatus.SUIVI, start_on=D(2026, 8, 31))
    held_evaluation(measure, D(2026, 8, 10))
    proposal = propose_next(measure.id, TODAY, court=COURT)
    assert proposal.kind == AK.SUIVI_M3 and proposal.due_on == D(2026, 11, 30)
    # Due in 7 days: the lead time cannot be kept, so the first Thursday after it, said late.
    assert proposal.starts_at == T(2026, 12, 3, 9, 0) and proposal.late
    assert proposal.note.endswith("En retard : le délai de convocation de 10 jours ne permet pas de tenir la date "
                                  "légale (30/11/2026).")
    make_appointment(measure, T(2026, 12, 3, 9, 0), kind=AK.SUIVI_M3, status=AS.PRESENT)
    proposal = propose_next(measure.id, D(2026, 12, 3), court=COURT)
    assert proposal.kind == AK.SUIVI_M6 and proposal.due_on == D(2027, 2, 28)
    # Issue 16: the last Thursday on or before the legal date, never the first one after it.
    assert proposal.starts_at == T(2027, 2, 25, 9, 0) and not proposal.late


def test_the_next_interview_lands_on_the_last_free_permanence_before_its_date(db: object) -> None:
    """« Suivi M6 dû le 27/02/2027 » was proposed on 01/03/2027: late by design (issue 16)."""
    measure = make_measure(saisine=D(2026, 7, 20), status=MeasureStatus.SUIVI, start_on=D(2026, 8, 27))
    held_evaluation(measure, D(2026, 8, 10))
    make_appointment(measure, T(2026, 11, 26, 9, 0), kind=AK.SUIVI_M3, status=AS.PRESENT)
    busy = make_measure("DUPONT", "Alfred")
    for hour in range(9, 13):  # the Thursday before the date is full
        for minute in (0, 30):
            make_appointment(busy, T(2027, 2, 25, hour, minute), kind=AK.SUPPLEMENTAIRE)
    proposal = propose_next(measure.id, TODAY, court=COURT)
    assert proposal.due_on == D(2027, 2, 27) and proposal.starts_at == T(2027, 2, 18, 9, 0) and not proposal.late
    for day in (D(2027, 2, 4), D(2027, 2, 11), D(2027, 2, 18)):  # every Thursday from the lead time is full
        for hour in range(9, 13):
            for minute in (0, 30):
                make_appointment(busy, T(day.year, day.month, day.day, hour, minute), kind=AK.SUPPLEMENTAIRE)
    proposal = propose_next(measure.id, D(2027, 1, 27), court=COURT)
    assert proposal.starts_at == T(2027, 3, 4, 9, 0) and proposal.late
    assert proposal.note.endswith("En retard : aucun créneau libre d'ici la date légale (27/02/2027).")


def test_m6_from_31_august_lands_on_29_february_in_a_leap_year(db: object) -> None:
    measure = make_measure(saisine=D(2027, 7, 20), status=MeasureStatus.SUIVI, start_on=D(2027, 8, 31))
    held_evaluation(measure, D(2027, 8, 12))
    make_appointment(measure, T(2027, 12, 2, 9, 0), kind=AK.SUIVI_M3, status=AS.PRESENT)
    proposal = propose_next(measure.id, D(2027, 12, 2), court=COURT)
    assert proposal.due_on == D(2028, 2, 29) and proposal.starts_at == T(2028, 2, 24, 9, 0)


def test_a_booked_interview_counts_so_the_next_one_is_proposed(db: object) -> None:
    measure = make_measure(saisine=D(2026, 7, 20), status=MeasureStatus.SUIVI, start_on=D(2026, 8, 31))
    held_evaluation(measure, D(2026, 8, 10))
    make_appointment(measure, T(2026, 12, 3, 9, 0), kind=AK.SUIVI_M3)  # awaited
    assert propose_next(measure.id, TODAY, court=COURT).kind == AK.SUIVI_M6


def test_the_cadence_counts_from_the_decision_not_from_the_evaluation_nor_the_agreement(db: object) -> None:
    measure = make_measure(saisine=D(2026, 8, 1), status=MeasureStatus.SUIVI)
    Measure.update(decision_on=None).where(Measure.id == measure.id).execute()
    held_evaluation(measure, D(2026, 8, 20))
    with pytest.raises(InvalidInput, match="Début de la mesure inconnu : renseignez la date de la décision"):
        propose_next(measure.id, TODAY, court=COURT)  # the evaluation does not start the measure
    agreed_orientation(measure, D(2026, 9, 10))
    with pytest.raises(InvalidInput, match="Début de la mesure inconnu"):
        propose_next(measure.id, TODAY, court=COURT)  # nor does the doctor's agreement
    Measure.update(decision_on=D(2026, 7, 24)).where(Measure.id == measure.id).execute()
    proposal = propose_next(measure.id, TODAY, court=COURT)
    assert (proposal.kind, proposal.due_on) == (AK.SUIVI_M3, D(2026, 10, 24))  # decision + 3 months
    assert proposal.note.startswith("Suivi M3 dû le 24/10/2026 (début de mesure le 24/07/2026).")


def test_an_evaluation_left_unmarked_must_be_marked_first(db: object) -> None:
    measure = make_measure()
    make_appointment(measure, T(2026, 11, 19, 9, 0))  # last Thursday, still « attendu »
    with pytest.raises(InvalidInput, match="n'est pas encore marquée"):
        propose_next(measure.id, TODAY, court=COURT)


def test_a_late_cadence_is_proposed_from_today_never_in_the_past(db: object) -> None:
    measure = make_measure(saisine=D(2024, 12, 1), status=MeasureStatus.SUIVI, start_on=D(2025, 1, 10))
    held_evaluation(measure, D(2024, 12, 20))
    proposal = propose_next(measure.id, TODAY, court=COURT)
    # The oldest interview not held nor booked comes first, as the échéances list it.
    assert proposal.kind == AK.SUIVI_M3 and proposal.due_on == D(2025, 4, 10)
    late = [d for d in deadlines_for(Measure.get_by_id(measure.id), TODAY) if d.overdue(TODAY)]
    assert (K.INTERVIEW_M3, D(2025, 4, 10)) in [(d.kind, d.due_on) for d in late]
    assert proposal.starts_at.date() >= TODAY and "Date légale dépassée" in proposal.note
    make_appointment(measure, proposal.starts_at, kind=AK.SUIVI_M3)
    proposal = propose_next(measure.id, TODAY, court=COURT)
    assert proposal.kind == AK.SUIVI_M6 and proposal.due_on == D(2025, 7, 10)
    make_appointment(measure, proposal.starts_at, kind=AK.SUIVI_M6)
    # Initial period of 6 months, never renewed: nothing after M6 until a renewal is recorded.
    with pytest.raises(InvalidInput, match=r"fin prévue \(10/07/2025\).*renouvellement"):
        propose_next(measure.id, TODAY, court=COURT)


# --- convoke and saisines -------------------------------------------------------------------
def test_convoke_minor_at_facts_on_monday_adult_on_thursday_and_override(db: object) -> None:
    minor = make_measure("LAMPION", "Séraphin", birth=D(2008, 10, 1), facts_on=D(2026, 9, 1))
    adult = make_measure("CASTAFIORE", "Bianca", birth=D(1970, 1, 1))
    forced = make_measure("DUPONT", "Alfred", birth=D(1990, 1, 1))
    # The convocation lead time (10 days) first: 3 December at the earliest.
    assert convoke(minor.id, TODAY, court=COURT).starts_at == T(2026, 12, 7, 9, 0)
    assert convoke(adult.id, TODAY, court=COURT).starts_at == T(2026, 12, 3, 9, 0)
    appointment = convoke(forced.id, TODAY, court=COURT, public_override="mineurs")
    assert appointment.starts_at == T(2026, 12, 7, 9, 30) and appointment.kind == AK.EVALUATION_INITIALE
    assert Measure.get_by_id(forced.id).public_override == "mineurs"
    assert len(_events("convocation")) == 3 and len(_events("public_force")) == 1
    with pytest.raises(InvalidInput, match="Déjà convoqué"):
        convoke(adult.id, TODAY, court=COURT)


def test_convoke_during_the_permanence_does_not_take_a_slot_already_gone(db: object) -> None:
    minor = make_measure("LAMPION", "Séraphin", birth=D(2010, 1, 1), facts_on=D(2026, 9, 1))
    appointment = convoke(minor.id, TODAY, court=COURT_NOW, now=T(2026, 11, 23, 10, 50))
    assert appointment.starts_at == T(2026, 11, 23, 11, 0)


def test_convoke_skips_easter_monday(db: object) -> None:
    minor = make_measure("LAMPION", "Séraphin", birth=D(2010, 1, 1), facts_on=D(2027, 2, 1),
                         saisine=D(2027, 3, 20))
    assert convoke(minor.id, D(2027, 3, 26), court=COURT_NOW).starts_at == T(2027, 4, 5, 9, 0)


def test_referrals_sorted_by_deadline_with_both_minority_flags(db: object) -> None:
    late = make_measure("TOURNESOL", "Tryphon", saisine=D(2026, 10, 15))
    grown = make_measure("LAMPION", "Séraphin", birth=D(2008, 10, 1), facts_on=D(2026, 9, 1),
                         saisine=D(2026, 11, 20))
    soon = make_measure("CASTAFIORE", "Bianca", saisine=D(2026, 11, 1))
    booked = make_measure("DUPONT", "Alfred", saisine=D(2026, 10, 1))
    make_appointment(booked, T(2026, 11, 26, 9, 0))
    missed = make_measure("DUPOND", "Jérôme", saisine=D(2026, 11, 5), status=MeasureStatus.EVALUATION)
    make_appointment(missed, T(2026, 11, 19, 9, 0), status=AS.ABSENT)
    saisines = saisines_to_convoke(TODAY)
    assert [r.measure_id for r in saisines] == [late.id, soon.id, missed.id, grown.id]
    first = saisines[0]
    assert first.deadline == D(2026, 11, 15) and first.days_left == -8 and first.overdue
    assert not saisines[1].overdue and saisines[1].days_left == 8
    last = saisines[-1]
    assert last.minor_at_facts and last.adult_today and last.public == "mineurs"
    assert not first.minor_at_facts and first.adult_today and first.public == "majeurs"


# --- walk-ins --------------------------------------------------------------------------------
def test_walk_in_creates_person_measure_and_evaluation_on_todays_permanence(db: object) -> None:
    appointment = add_walk_in(last_name="Tournesol", first_name="Tryphon", birth_date="17/05/2009",
                              parquet_number=None, today=TODAY, court=COURT,
                              now=T(2026, 11, 23, 10, 5))
    measure = appointment.measure
    assert appointment.walk_in and appointment.kind == AK.EVALUATION_INITIALE
    assert appointment.starts_at == T(2026, 11, 23, 10, 0) and appointment.place == COURT_PLACE
    assert measure.status == MeasureStatus.EVALUATION and measure.saisine_received_on == TODAY
    assert measure.parquet_number == PARQUET_TO_COMPLETE == "" and measure.authority == "procureur"
    assert measure.person.birth_date == D(2009, 5, 17)
    assert _events("accueil_sans_rdv") and _events("creation_dossier_sans_rdv")
    assert all("ournesol" not in e.details for e in AuditEvent.select())


def test_walk_in_reuses_the_person_and_their_referral_and_takes_the_next_free_slot(db: object) -> None:
    saisine = make_measure("CASTAFIORE", "Bianca", birth=D(1990, 3, 3))
    taken = make_measure("DUPONT", "Alfred")
    make_appointment(taken, T(2026, 11, 23, 10, 0))
    with pytest.raises(NeedsConfirmation, match="La permanence du lundi reçoit les mineurs"):
        add_walk_in(last_name="castafiore", first_name="BIANCA", birth_date=D(1990, 3, 3),
                    parquet_number=None, today=TODAY, court=COURT, now=T(2026, 11, 23, 10, 10))
    appointment = add_walk_in(last_name="castafiore", first_name="BIANCA", birth_date=D(1990, 3, 3),
                              parquet_number=None, today=TODAY, court=COURT, now=T(2026, 11, 23, 10, 10),
                              confirmed=True)  # an adult on the minors' Monday: asked, then recorded
    assert "derogation=public" in _events("accueil_sans_rdv")[-1].details
    assert appointment.measure_id == saisine.id and appointment.starts_at == T(2026, 11, 23, 10, 30)
    assert Person.select().count() == 2 and Measure.select().count() == 2
    assert Measure.get_by_id(saisine.id).status == MeasureStatus.EVALUATION


def test_walk_in_with_every_slot_taken_is_seen_now(db: object) -> None:
    busy = make_measure("DUPONT", "Alfred")
    for hour in range(9, 13):
        for minute in (0, 30):
            make_appointment(busy, T(2026, 11, 23, hour, minute))
    appointment = add_walk_in(last_name="Lampion", first_name="Séraphin", birth_date=D(1975, 1, 1),
                              parquet_number="2612345678", today=TODAY, court=COURT,
                              now=T(2026, 11, 23, 11, 40), confirmed=True)
    assert appointment.starts_at == T(2026, 11, 23, 11, 30)
    assert appointment.measure.parquet_number == "2612345678"


@pytest.mark.parametrize(("fields", "message"), [
    ({"last_name": " "}, "Nom : champ obligatoire"),
    ({"first_name": "Tryphon\x00"}, "caractères de contrôle"),
    ({"last_name": "T" * 121}, "au plus 120"),
    ({"birth_date": "31/02/2000"}, "n'existe pas"),
    ({"birth_date": D(2020, 1, 1)}, "pas vraisemblable"),
    ({"parquet_number": "?!"}, "N° de parquet"),
    ({"today": D(2026, 11, 24)}, "Pas de permanence au tribunal le mardi"),
    ({"today": D(2027, 3, 29)}, r"\(Lundi de Pâques\)"),
])
def test_walk_in_validation_writes_nothing(db: object, fields: dict, message: str) -> None:
    values = {"last_name": "Tournesol", "first_name": "Tryphon", "birth_date": D(1980, 1, 1),
              "parquet_number": None, "today": TODAY, "court": COURT} | fields
    with pytest.raises(InvalidInput, match=message):
        add_walk_in(**values)
    assert Person.select().count() == 0 and Appointment.select().count() == 0


# --- holiday conflicts ----------------------------------------------------------------------
def test_holiday_conflicts_propose_the_next_open_permanence(db: object) -> None:
    minor = make_measure("LAMPION", "Séraphin", birth=D(2010, 1, 1), facts_on=D(2027, 1, 10))
    other = make_measure("DUPONT", "Alfred", birth=D(2011, 1, 1), facts_on=D(2027, 1, 10))
    adult = make_measure("CASTAFIORE", "Bianca")
    first = make_appointment(minor, T(2027, 3, 29, 9, 0))
    second = make_appointment(other, T(2027, 3, 29, 9, 30))
    make_appointment(adult, T(2027, 5, 6, 10, 0))
    make_appointment(adult, T(2027, 5, 6, 9, 0), status=AS.REPORTE)  # already handled
    make_appointment(minor, T(2027, 4, 5, 9, 0))  # the first slot of the next Monday is taken
    conflicts = holiday_conflicts(COURT, D(2027, 3, 1), D(2027, 5, 31))
    assert [c.appointment_id for c in conflicts][:2] == [first.id, second.id] and len(conflicts) == 3
    assert conflicts[0].holiday_name == "Lundi de Pâques"
    assert conflicts[0].next_permanence.date == D(2027, 4, 5)
    assert conflicts[0].proposed_at == T(2027, 4, 5, 9, 30)
    assert conflicts[1].proposed_at == T(2027, 4, 5, 10, 0)  # not the slot proposed just above
    assert conflicts[2].holiday_name == "Ascension" and conflicts[2].proposed_at == T(2027, 5, 13, 9, 0)
    assert holiday_conflicts(COURT, D(2027, 4, 1), D(2027, 4, 30)) == []
