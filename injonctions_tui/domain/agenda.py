"""What the agenda shows: the permanence days and the appointments of a day.

Issue 3 grows this into the full permanence agenda; the queries stay here so the
screen only displays rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .models import Appointment, Measure, Person, Report
from .people import public_for
from .settings import CourtSettings, Permanence
from .vocabulary import Public, label


@dataclass(frozen=True)
class AgendaRow:
    """One appointment as the agenda lists it."""

    appointment_id: int
    measure_id: int
    time: str
    person: str
    parquet_number: str
    kind: str
    status: str
    place: str
    minor_at_facts: bool
    new_referral: bool
    walk_in: bool


def permanences_on(court: CourtSettings, day: dt.date) -> list[Permanence]:
    return [p for p in court.permanences if p.weekday == day.weekday()]


def opening_day(court: CourtSettings, today: dt.date) -> dt.date:
    """Today if it is a permanence day, else the next one (today if none is set)."""
    weekdays = {p.weekday for p in court.permanences}
    if not weekdays:
        return today
    day = today
    while day.weekday() not in weekdays:
        day += dt.timedelta(days=1)
    return day


def day_rows(day: dt.date) -> list[AgendaRow]:
    """Every appointment of a day, in time order, with the markers the agenda shows."""
    start = dt.datetime.combine(day, dt.time.min)
    end = start + dt.timedelta(days=1)
    query = (Appointment.select(Appointment, Measure, Person)
             .join(Measure).join(Person)
             .where((Appointment.starts_at >= start) & (Appointment.starts_at < end))
             .order_by(Appointment.starts_at, Appointment.id))
    measure_ids = [a.measure_id for a in query]
    reported = {r.measure_id for r in Report.select(Report.measure).where(Report.measure.in_(measure_ids))}
    rows = []
    for appointment in query:
        measure, person = appointment.measure, appointment.measure.person
        public = public_for(person.birth_date, measure.facts_on, measure.public_override,
                            measure.saisine_received_on)
        rows.append(AgendaRow(
            appointment_id=appointment.id,
            measure_id=measure.id,
            time=appointment.starts_at.strftime("%Hh%M"),
            person=person.full_name,
            parquet_number=measure.parquet_number,
            kind=label(appointment.kind),
            status=label(appointment.status),
            place=appointment.place,
            minor_at_facts=public == Public.MINEURS,
            new_referral=measure.id not in reported,
            walk_in=appointment.walk_in,
        ))
    return rows
