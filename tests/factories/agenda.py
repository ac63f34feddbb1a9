"""Fictional persons and measures for the agenda, slot and booking tests.

Names come from comic strips so nobody mistakes them for real people.
"""

from __future__ import annotations

import datetime as dt

from injonctions_tui.domain.core.models import Appointment, Measure, Orientation, Person, Report
from injonctions_tui.domain.core.vocabulary import AppointmentKind, AppointmentStatus, MeasureStatus, ReportKind

COURT_PLACE = "Tribunal judiciaire de Nanterre"
CSAPA_PLACE = "CSAPA Les Tilleuls (test)"

_numbers = iter(range(10_000, 99_999))


def make_measure(last: str = "TOURNESOL", first: str = "Tryphon", *,
                 birth: dt.date = dt.date(1980, 5, 17), facts_on: dt.date | None = dt.date(2026, 9, 1),
                 saisine: dt.date = dt.date(2026, 11, 10), status: str = MeasureStatus.A_CONVOQUER,
                 start_on: dt.date | None = None, planned_end_on: dt.date | None = None,
                 person: Person | None = None, outcome: str | None = None) -> Measure:
    """A measure (and its person unless given) with plausible procedure dates."""
    if person is None:
        person = Person.create(last_name=last, first_name=first, birth_date=birth)
    return Measure.create(
        person=person, parquet_number=f"26{next(_numbers)}", authority="procureur",
        stage="alternative_poursuites", facts_on=facts_on,
        decision_on=(facts_on + dt.timedelta(days=10)) if facts_on else None,
        saisine_received_on=saisine, status=status, start_on=start_on,
        planned_end_on=planned_end_on, outcome=outcome)


def make_appointment(measure: Measure, at: dt.datetime, *, kind: str = AppointmentKind.EVALUATION_INITIALE,
                     status: str = AppointmentStatus.ATTENDU, place: str = COURT_PLACE,
                     minutes: int = 30) -> Appointment:
    """Written directly (no checks): the past, or a situation the booking rules forbid."""
    return Appointment.create(measure=measure, kind=kind, starts_at=at, place=place, status=status,
                              duration_minutes=minutes)


def held_evaluation(measure: Measure, on: dt.date) -> Appointment:
    return make_appointment(measure, dt.datetime.combine(on, dt.time(9)),
                            status=AppointmentStatus.PRESENT)


def agreed_orientation(measure: Measure, agreed_on: dt.date) -> Orientation:
    return Orientation.create(measure=measure, structure="CSAPA du Moulinsart (test)",
                              chosen_on=agreed_on - dt.timedelta(days=5), agreement_on=agreed_on)


def final_report(measure: Measure, kind: str, written_on: dt.date,
                 appointment: Appointment | None = None) -> Report:
    """A report sent to the magistrate (a final version: drafts settle no deadline)."""
    return Report.create(measure=measure, kind=kind, written_on=written_on, appointment=appointment,
                         status="final", observations="Rapport.")


def evaluated_and_oriented(measure: Measure, evaluated_on: dt.date) -> Appointment:
    """Evaluation held, avis motivé sent the next day, doctor chosen and agreed within
    the delays: every deadline before the cadence is met, so only the cadence can be late."""
    evaluation = held_evaluation(measure, evaluated_on)
    final_report(measure, ReportKind.AVIS_MOTIVE, evaluated_on + dt.timedelta(days=1), evaluation)
    agreed_orientation(measure, evaluated_on + dt.timedelta(days=10))
    return evaluation
