"""The legal deadline engine (deadlines.py): every rule, with month ends and leap years."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from injonctions_tui.domain.core.models import Appointment, Measure, Orientation, Person, Report
from injonctions_tui.domain.core.vocabulary import AppointmentKind as AK
from injonctions_tui.domain.deadlines.cache import pending_deadlines
from injonctions_tui.domain.deadlines.engine import (Deadline, DeadlineKind as K, NextInterview, deadlines_by_measure,
                                                     deadlines_for, evaluation_deadline, next_deadline, next_interview,
                                                     overdue, pending_deadlines_live, planned_followups,
                                                     proposed_next_interview)
from injonctions_tui.domain.dossiers import measures
from injonctions_tui.domain.portability import json_export as export_json
from tests.conftest import TODAY

D = dt.date


def make_measure(saisine: dt.date, *, start: dt.date | None = None, end: dt.date | None = None,
                 name: str = "TOURNESOL", **fields: object) -> Measure:
    person = Person.create(last_name=name, first_name="Tryphon", birth_date=D(1990, 5, 14))
    return Measure.create(person=person, parquet_number=f"26/{person.id:05d}", authority="procureur",
                          stage="alternative_poursuites", saisine_received_on=saisine, start_on=start,
                          planned_end_on=end, **fields)


def visit(measure: Measure, kind: str, day: dt.date, status: str = "present") -> Appointment:
    return Appointment.create(measure=measure, kind=kind, starts_at=dt.datetime.combine(day, dt.time(9)),
                              place="Tribunal de Moulinsart", status=status)


def report(measure: Measure, kind: str, day: dt.date, appointment: Appointment | None = None,
           status: str = "final", proposal: str | None = None) -> Report:
    return Report.create(measure=measure, kind=kind, written_on=day, appointment=appointment,
                         status=status, proposal=proposal)


def of(measure: Measure, kind: K, today: dt.date = TODAY) -> list[Deadline]:
    return [d for d in deadlines_for(measure, today) if d.kind == kind]


def only(measure: Measure, kind: K, today: dt.date = TODAY) -> Deadline:
    found = of(measure, kind, today)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------- evaluation, choice, agreement

@pytest.mark.parametrize(("saisine", "due"), [
    (D(2026, 11, 2), D(2026, 12, 2)),
    (D(2026, 1, 31), D(2026, 2, 28)),   # clamped to the month end
    (D(2028, 1, 31), D(2028, 2, 29)),   # leap year
    (D(2028, 2, 29), D(2028, 3, 29)),   # saisine on a leap day
])
def test_evaluation_due_one_month_after_the_saisine(db: object, saisine: dt.date, due: dt.date) -> None:
    measure = make_measure(saisine)
    deadline = only(measure, K.EVALUATION, saisine)
    assert (deadline.due_on, deadline.done_on) == (due, None)
    assert "R3413-11" in deadline.source and deadline.label == "Évaluation initiale à tenir"
    assert not deadline.overdue(due) and deadline.overdue(due + dt.timedelta(days=1))
    assert deadline.days_left(saisine) == (due - saisine).days


def test_evaluation_is_done_only_when_the_person_came(db: object) -> None:
    measure = make_measure(D(2026, 10, 1))
    visit(measure, AK.EVALUATION_INITIALE, D(2026, 10, 8), "absent")
    assert only(measure, K.EVALUATION).overdue(TODAY)
    visit(measure, AK.EVALUATION_INITIALE, D(2026, 10, 15), "present")
    deadline = only(measure, K.EVALUATION)
    assert deadline.done_on == D(2026, 10, 15) and not deadline.overdue(TODAY)


def test_choice_within_10_days_then_written_agreement_within_15(db: object) -> None:
    measure = make_measure(D(2026, 2, 20))
    visit(measure, AK.EVALUATION_INITIALE, D(2026, 2, 26))
    choice = only(measure, K.DOCTOR_CHOICE)
    assert (choice.due_on, choice.done_on) == (D(2026, 3, 8), None)
    assert "évaluation du 26/02/2026" in choice.label
    orientation = Orientation.create(measure=measure, structure="CSAPA du Château",
                                     chosen_on=D(2026, 3, 5))
    assert only(measure, K.DOCTOR_CHOICE).done_on == D(2026, 3, 5)
    agreement = only(measure, K.WRITTEN_AGREEMENT)
    assert (agreement.due_on, agreement.done_on) == (D(2026, 3, 20), None)
    assert agreement.overdue(D(2026, 3, 21)) and not agreement.overdue(D(2026, 3, 20))
    orientation.agreement_on = D(2026, 3, 18)
    orientation.save()
    assert only(measure, K.WRITTEN_AGREEMENT).done_on == D(2026, 3, 18)


def test_a_refusal_calls_for_a_new_choice(db: object) -> None:
    measure = make_measure(D(2026, 2, 20))
    visit(measure, AK.EVALUATION_INITIALE, D(2026, 2, 26))
    Orientation.create(measure=measure, structure="Cabinet Haddock", chosen_on=D(2026, 3, 2),
                       refused_on=D(2026, 3, 10))
    choices = of(measure, K.DOCTOR_CHOICE)
    assert [(c.due_on, c.done_on) for c in choices] == [(D(2026, 3, 8), D(2026, 3, 2)),
                                                         (D(2026, 3, 20), None)]
    assert "refus du 10/03/2026" in choices[1].label
    assert only(measure, K.WRITTEN_AGREEMENT).done_on == D(2026, 3, 10)  # answered: no
    Orientation.create(measure=measure, structure="CSAPA du Château", chosen_on=D(2026, 3, 16))
    assert [c.done_on for c in of(measure, K.DOCTOR_CHOICE)] == [D(2026, 3, 2), D(2026, 3, 16)]
    assert [a.due_on for a in of(measure, K.WRITTEN_AGREEMENT) if not a.done] == [D(2026, 3, 31)]


def test_no_choice_is_due_when_the_measure_is_not_appropriate(db: object) -> None:
    measure = make_measure(D(2026, 10, 1))
    held = visit(measure, AK.EVALUATION_INITIALE, D(2026, 10, 8))
    report(measure, "avis_motive", D(2026, 10, 9), held, proposal="non_opportune")
    assert of(measure, K.DOCTOR_CHOICE) == []
    assert only(measure, K.REASONED_OPINION).done_on == D(2026, 10, 9)


# --------------------------------------------------------------- follow-up cadence

def test_cadence_from_a_month_end_start(db: object) -> None:
    measure = make_measure(D(2026, 7, 1), start=D(2026, 8, 31))
    assert planned_followups(measure) == [(AK.SUIVI_M3, D(2026, 11, 30)), (AK.SUIVI_M6, D(2027, 2, 28))]
    m3 = only(measure, K.INTERVIEW_M3)
    assert m3.label == "Entretien M3 à tenir"
    assert not m3.overdue(D(2026, 11, 30)) and m3.overdue(D(2026, 12, 1))  # no grace period
    leap = make_measure(D(2027, 7, 1), start=D(2027, 8, 31), name="LAMPION")
    assert [day for _, day in planned_followups(leap)] == [D(2027, 11, 30), D(2028, 2, 29)]


def test_every_six_months_after_m6_up_to_the_two_year_cap(db: object) -> None:
    measure = make_measure(D(2026, 7, 1), start=D(2026, 8, 31))
    for decided in (D(2027, 2, 1), D(2027, 8, 1), D(2028, 2, 1)):
        measures.renew(measure, decided, today=decided)
    assert measure.planned_end_on == D(2028, 8, 31)
    assert planned_followups(measure) == [
        (AK.SUIVI_M3, D(2026, 11, 30)), (AK.SUIVI_M6, D(2027, 2, 28)),
        (AK.SUIVI_SEMESTRIEL, D(2027, 8, 31)), (AK.SUIVI_SEMESTRIEL, D(2028, 2, 29)),
        (AK.SUIVI_SEMESTRIEL, D(2028, 8, 31))]
    semestrial = of(measure, K.INTERVIEW_SEMIANNUAL)
    assert [d.label for d in semestrial][0] == "Entretien de suivi à 12 mois à tenir"
    visit(measure, AK.SUIVI_SEMESTRIEL, D(2027, 9, 2))
    assert [d.done_on for d in of(measure, K.INTERVIEW_SEMIANNUAL)] == [D(2027, 9, 2), None, None]


def test_cadence_counts_from_the_decision_never_from_the_agreement(db: object) -> None:
    """DOMAIN.md step 6 (binding): the measure starts on the decision date; the written
    agreement of the chosen doctor does not move it."""
    measure = make_measure(D(2026, 1, 5))
    visit(measure, AK.EVALUATION_INITIALE, D(2026, 1, 15))
    Orientation.create(measure=measure, structure="CSAPA du Château", chosen_on=D(2026, 1, 20),
                       agreement_on=D(2026, 1, 31))
    assert planned_followups(measure) == [] and of(measure, K.INTERVIEW_M3) == []  # no decision date yet
    assert of(measure, K.MAXIMUM_DURATION) == []
    Measure.update(decision_on=D(2025, 12, 31)).where(Measure.id == measure.id).execute()
    measure = Measure.get_by_id(measure.id)
    assert planned_followups(measure) == [(AK.SUIVI_M3, D(2026, 3, 31)), (AK.SUIVI_M6, D(2026, 6, 30))]
    assert only(measure, K.MAXIMUM_DURATION).due_on == D(2027, 12, 31)
    assert only(measure, K.END_OF_INITIAL_PERIOD).due_on == D(2026, 6, 30)


def test_a_report_is_due_after_each_interview_held(db: object) -> None:
    measure = make_measure(D(2026, 5, 4), start=D(2026, 6, 1))
    evaluation = visit(measure, AK.EVALUATION_INITIALE, D(2026, 5, 11))
    m3 = visit(measure, AK.SUIVI_M3, D(2026, 9, 3))
    visit(measure, AK.SUIVI_M6, D(2026, 12, 1), "attendu")  # booked, not held: nothing to write
    visit(measure, AK.SUPPLEMENTAIRE, D(2026, 10, 1), "excuse")
    opinion = only(measure, K.REASONED_OPINION)
    assert (opinion.due_on, opinion.done_on) == (D(2026, 5, 12), None)  # « sans délai »: the next working day
    assert "sans délai" in opinion.label and "jour ouvré" in opinion.source
    fiche = only(measure, K.LIAISON_REPORT)
    assert (fiche.due_on, fiche.done_on) == (D(2026, 9, 18), None) and "03/09/2026" in fiche.label
    assert only(measure, K.INTERVIEW_M3).done_on == D(2026, 9, 3)
    report(measure, "fiche_navette", D(2026, 9, 4), m3, status="brouillon")
    assert only(measure, K.LIAISON_REPORT).done_on is None  # a draft has not reached the magistrate
    report(measure, "fiche_navette", D(2026, 9, 7), m3)
    report(measure, "avis_motive", D(2026, 5, 12))  # not linked: matched by date
    assert only(measure, K.LIAISON_REPORT).done_on == D(2026, 9, 7)
    assert only(measure, K.REASONED_OPINION).done_on == D(2026, 5, 12)
    assert evaluation.id  # the evaluation itself calls for the avis motivé, not a fiche navette


@pytest.mark.parametrize(("absent_on", "due"), [
    (D(2026, 11, 23), D(2026, 11, 24)),   # Monday: the next day
    (D(2026, 11, 27), D(2026, 11, 30)),   # Friday: the Monday after
    (D(2026, 12, 24), D(2026, 12, 28)),   # Christmas, then the weekend
])
def test_an_unexcused_absence_is_reported_by_the_next_working_day(db: object, absent_on: dt.date,
                                                                   due: dt.date) -> None:
    measure = make_measure(D(2026, 6, 1), start=D(2026, 7, 1))
    missed = visit(measure, AK.SUIVI_M3, absent_on, "absent")
    visit(measure, AK.SUPPLEMENTAIRE, absent_on - dt.timedelta(days=7), "excuse")
    incident = only(measure, K.INCIDENT_REPORT, D(2027, 1, 4))
    assert (incident.due_on, incident.done_on) == (due, None)
    assert "L3413-3" in incident.source and "absence non excusée" in incident.label
    report(measure, "incident", absent_on, missed)
    assert only(measure, K.INCIDENT_REPORT, D(2027, 1, 4)).done_on == absent_on


# --------------------------------------------------------------- periods, closure

def test_end_of_initial_period_then_of_each_renewal(db: object) -> None:
    measure = make_measure(D(2026, 2, 2), start=D(2026, 3, 15), end=D(2026, 9, 15))
    initial = only(measure, K.END_OF_INITIAL_PERIOD)
    assert (initial.due_on, initial.done_on) == (D(2026, 9, 15), None) and initial.overdue(TODAY)
    measures.renew(measure, D(2026, 9, 10), today=TODAY)
    assert only(measure, K.END_OF_INITIAL_PERIOD).done_on == D(2026, 9, 10)
    renewal = only(measure, K.END_OF_RENEWAL)
    assert (renewal.due_on, renewal.done_on, renewal.label) == (
        D(2027, 3, 15), None, "Fin du renouvellement n°1 : renouvellement ou fin à enregistrer")
    measures.renew(measure, D(2027, 3, 1), today=D(2027, 3, 1))
    measures.renew(measure, D(2027, 9, 1), today=D(2027, 9, 1))
    ends = of(measure, K.END_OF_RENEWAL)  # the third one reaches the cap: the cap says it
    assert [(d.due_on, d.done_on) for d in ends] == [(D(2027, 3, 15), D(2027, 3, 1)),
                                                     (D(2027, 9, 15), D(2027, 9, 1))]
    cap = only(measure, K.MAXIMUM_DURATION)
    assert (cap.due_on, cap.done_on) == (D(2028, 3, 15), None) and "2 ans" in cap.label


def test_a_closed_measure_has_no_pending_deadline_and_reopening_restores_them(db: object) -> None:
    measure = make_measure(D(2026, 2, 2), start=D(2026, 3, 2), end=D(2026, 9, 2))
    visit(measure, AK.EVALUATION_INITIALE, D(2026, 2, 9))
    visit(measure, AK.SUIVI_M3, D(2026, 6, 4), "absent")
    before = [d for d in deadlines_for(measure, TODAY) if not d.done]
    assert {d.kind for d in before} >= {K.INTERVIEW_M3, K.INCIDENT_REPORT, K.END_OF_INITIAL_PERIOD}
    measures.close(measure, "composition_penale", D(2026, 7, 1), TODAY)
    after = deadlines_for(measure, TODAY)
    assert after and all(d.done for d in after)  # the evaluation held is still shown
    assert K.END_OF_INITIAL_PERIOD not in {d.kind for d in after}  # never reached
    assert pending_deadlines(TODAY) == []
    measures.reopen(measure, "Décision du parquet annulée")
    assert [d for d in deadlines_for(measure, TODAY) if not d.done] == before


def test_a_period_reached_before_the_closure_is_done_by_it(db: object) -> None:
    measure = make_measure(D(2026, 1, 5), start=D(2026, 2, 2), end=D(2026, 8, 2))
    measures.close(measure, "classement_sans_suite", D(2026, 8, 20), TODAY)
    assert only(measure, K.END_OF_INITIAL_PERIOD).done_on == D(2026, 8, 20)
    assert of(measure, K.MAXIMUM_DURATION) == []


# --------------------------------------------------------------- across dossiers

def test_pending_deadlines_most_urgent_first(db: object) -> None:
    late = make_measure(D(2026, 9, 1), name="HADDOCK")          # evaluation due 01/10: overdue
    later = make_measure(D(2026, 10, 15), name="CASTAFIORE")    # due 15/11: overdue
    soon = make_measure(D(2026, 11, 20), name="LAMPION")        # due 20/12: upcoming
    closed = make_measure(D(2026, 8, 1), name="TAPIOCA", outcome="caducite",
                          outcome_on=D(2026, 9, 1), status="cloture")
    found = pending_deadlines(TODAY)
    assert [(d.measure_id, d.kind) for d in found] == [
        (late.id, K.EVALUATION), (later.id, K.EVALUATION), (soon.id, K.EVALUATION)]
    assert [d.overdue(TODAY) for d in found] == [True, True, False]
    assert pending_deadlines(TODAY, limit=1) == found[:1]
    assert [d.measure_id for d in pending_deadlines(TODAY, measure_ids=[soon.id, closed.id])] == [soon.id]
    assert overdue(found, TODAY) == found[:2] and next_deadline(found, TODAY) == found[2]
    assert next_deadline([], TODAY) is None


def test_bulk_loading_agrees_and_does_not_query_per_measure(db: object,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    made = []
    for index in range(12):
        measure = make_measure(D(2026, 1, 5) + dt.timedelta(days=index), start=D(2026, 3, 1))
        visit(measure, AK.SUIVI_M3, D(2026, 6, 1), "present" if index % 2 else "absent")
        made.append(measure)
    bulk = deadlines_by_measure(TODAY)
    assert all(bulk[m.id] == deadlines_for(m, TODAY) for m in made)
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        live = pending_deadlines_live(TODAY)
    queries = [r for r in caplog.records if r.name == "peewee"]
    assert 0 < len(queries) <= 6  # measures, appointments, orientations, renewals, reports, attestations
    assert pending_deadlines(TODAY) == live  # fills the cache (deadline_cache.py)
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        assert pending_deadlines(TODAY) == live
    queries = [r for r in caplog.records if r.name == "peewee"]
    assert len(queries) <= 3  # engine of the cache, stale measures, then the cached rows


def test_proposed_next_interview_follows_the_cadence(db: object) -> None:
    measure = make_measure(D(2026, 11, 16))
    assert proposed_next_interview(measure, TODAY) == (AK.EVALUATION_INITIALE, TODAY)
    visit(measure, AK.EVALUATION_INITIALE, D(2026, 11, 26), "attendu")
    assert proposed_next_interview(measure, TODAY) is None  # booked; the start is still unknown
    measure.start_on = D(2026, 12, 31)
    measure.save()
    assert proposed_next_interview(measure, TODAY) == (AK.SUIVI_M3, D(2027, 3, 31))
    visit(measure, AK.SUIVI_M3, D(2027, 3, 31), "excuse")  # to be booked again
    assert proposed_next_interview(measure, D(2027, 4, 2)) == (AK.SUIVI_M3, D(2027, 4, 2))
    visit(measure, AK.SUIVI_M3, D(2027, 4, 8), "attendu")
    assert proposed_next_interview(measure, TODAY) == (AK.SUIVI_M6, D(2027, 6, 30))
    measures.close(measure, "poursuites", TODAY, TODAY)
    assert proposed_next_interview(measure, TODAY) is None


def test_next_interview_keeps_the_legal_date_and_the_start(db: object) -> None:
    """What booking.propose_next builds on: the legal date stays, even when past."""
    measure = make_measure(D(2026, 1, 5), start=D(2026, 2, 2))
    assert next_interview(measure) == NextInterview(AK.SUIVI_M3, D(2026, 5, 2), D(2026, 2, 2))
    assert proposed_next_interview(measure, TODAY) == (AK.SUIVI_M3, TODAY)
    assert next_interview(measure).due_on == only(measure, K.INTERVIEW_M3).due_on
    fresh = make_measure(D(2026, 11, 16), name="LAMPION")
    assert next_interview(fresh) == NextInterview(AK.EVALUATION_INITIALE, D(2026, 12, 16), None)
    assert evaluation_deadline("injonction_therapeutique", D(2026, 11, 16)) == D(2026, 12, 16)
    assert evaluation_deadline("injonction_de_soins", D(2026, 11, 16)) is None
    evaluated = make_measure(D(2026, 10, 1), name="HADDOCK")
    visit(evaluated, AK.EVALUATION_INITIALE, D(2026, 10, 8))
    assert next_interview(evaluated) is None  # held, but the measure has not started: no M3 yet


def test_export_carries_the_computed_deadlines_and_import_ignores_them(db: object) -> None:
    measure = make_measure(D(2026, 10, 1))
    visit(measure, AK.EVALUATION_INITIALE, D(2026, 10, 8))
    payload = export_json.export_all(TODAY)
    exported = payload["measures"][0]["deadlines"]
    assert exported == [d.as_dict() for d in deadlines_for(measure, TODAY)]
    assert {"kind": "evaluation", "due_on": "2026-11-01", "label": "Évaluation initiale à tenir",
            "done_on": "2026-10-08"} in exported
    assert export_json.export_all(TODAY)["measures"] == payload["measures"]  # deterministic
    for model in (Appointment, Measure, Person):
        model.delete().execute()
    payload["measures"][0]["deadlines"] = [{"anything": "ignored"}]
    counts = export_json.import_all(payload)
    assert counts["measures"] == 1 and Measure.get_by_id(measure.id).saisine_received_on == D(2026, 10, 1)
