"""What the agenda shows: permanence days, their appointments, and the paper/CLI copy.

The queries stay here so screens and the CLI only display rows. A day or a week is
one joined query on the `starts_at` index (appointment, measure, person, "has a
report") plus one query on the cached pending deadlines of the measures of those rows
(deadlines/cache.py), whatever the size of the database.

The « retard » flag is the deadline engine's (deadlines/engine.py, read from its cache as the
échéances view does), so the agenda and the échéances view always agree on what is
late: see `_overdue_reason`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, cast

from peewee import fn

from ..calendar.slots import DAY, PermanenceDay, holiday_name, permanence_occurrences
from ..core import clock
from ..core.dates import age_on, format_long_fr, hour_fr
from ..core.models import Appointment, Measure, Person, Report, person_name
from ..core.people import MAJORITY_AGE, public_for
from ..core.vocabulary import AppointmentKind, AppointmentStatus, Public, label
from ..deadlines.cache import cached_overdue
from ..deadlines.engine import Deadline, DeadlineKind
from ..deadlines.listing import when_text
from ..store.settings import CourtSettings, Permanence

#: How the empty parquet number of a walk-in is shown.
TO_COMPLETE = "à compléter"


@dataclass(frozen=True)
class AgendaRow:
    """One appointment as the agenda lists it (labels in French, flags as booleans)."""

    appointment_id: int
    measure_id: int
    time: str
    person: str
    parquet_number: str
    kind: str
    status: str
    place: str
    #: The person goes to the minors' permanence (minor at the facts, or overridden).
    minor_at_facts: bool
    #: No report written yet for this measure.
    new_referral: bool
    walk_in: bool
    starts_at: dt.datetime | None = None
    kind_value: str = ""
    status_value: str = ""
    public: str = ""
    #: 18 or older today; with `minor_at_facts`: seen on Monday although adult now.
    adult_today: bool = False
    #: The measure has an overdue pending deadline (deadlines/engine.py, as in the échéances
    #: view); the reason is the most urgent one: « Entretien M3 à tenir (3 j de retard) ».
    overdue: bool = False
    overdue_reason: str = ""
    #: The only lateness is the interview this appointment is for: it is being caught up.
    catch_up: bool = False
    #: Still awaited on a public holiday: to move to another permanence.
    holiday_conflict: bool = False


@dataclass(frozen=True)
class DayView:
    """A day of the agenda: its permanences (closed ones flagged) and appointments."""

    date: dt.date
    heading: str
    permanences: list[PermanenceDay]
    holiday_name: str | None
    rows: list[AgendaRow] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        """A permanence day where every permanence is closed (a holiday)."""
        return bool(self.permanences) and all(p.closed for p in self.permanences)


_hour = hour_fr


def permanences_on(court: CourtSettings, day: dt.date) -> list[Permanence]:
    return [p for p in court.permanences if p.weekday == day.weekday()]


def _opens(court: CourtSettings, day: dt.date) -> bool:
    return any(p.weekday == day.weekday() for p in court.permanences) and holiday_name(day) is None


def opening_day(court: CourtSettings, today: dt.date) -> dt.date:
    """Today if a permanence is held today, else the next day one is (holidays skipped)."""
    if not court.permanences:
        return today
    for offset in range(400):
        if _opens(court, day := today + offset * DAY):
            return day
    return today


def next_permanence_day(court: CourtSettings, day: dt.date, direction: int = 1) -> dt.date:
    """The next (+1) or previous (-1) permanence day, closed ones included so a holiday
    is seen as closed; the next or previous calendar day if no permanence is set."""
    step = DAY if direction >= 0 else -DAY
    weekdays = {p.weekday for p in court.permanences}
    candidate = day + step
    while weekdays and candidate.weekday() not in weekdays:
        candidate += step
    return candidate


def heading_of(day: dt.date, occurrences: list[PermanenceDay]) -> str:
    """"Lundi 23 novembre 2026 — permanence mineurs 9h-13h — Tribunal judiciaire de Nanterre"."""
    text = format_long_fr(day).capitalize()
    holiday = holiday_name(day)
    if not occurrences:
        return text + " — pas de permanence au tribunal" + (f" (férié : {holiday})" if holiday else "")
    places = {o.permanence.place for o in occurrences}
    parts = [f"{label(Public(o.permanence.public)).lower()} {_hour(o.permanence.start)}-"
             f"{_hour(o.permanence.end)}" + ("" if len(places) == 1 else f" ({o.permanence.place})")
             for o in occurrences]
    text += " — permanence " + ", ".join(parts)
    if holiday:
        return text + f" FERMÉE ({holiday})"
    return text + (f" — {places.pop()}" if len(places) == 1 else "")


#: The deadline an appointment of this kind answers: when the only lateness of a
#: measure is the very interview on the agenda (booked at the first permanence after
#: its date), the row is a catch-up ("rattrapage"), not an alarm.
ANSWERS: dict[str, DeadlineKind] = {
    AppointmentKind.EVALUATION_INITIALE.value: DeadlineKind.EVALUATION,
    AppointmentKind.SUIVI_M3.value: DeadlineKind.INTERVIEW_M3,
    AppointmentKind.SUIVI_M6.value: DeadlineKind.INTERVIEW_M6,
    AppointmentKind.SUIVI_SEMESTRIEL.value: DeadlineKind.INTERVIEW_SEMIANNUAL,
}


def _overdue_deadlines(measure_ids: list[int], today: dt.date) -> dict[int, list[Deadline]]:
    """Each measure's overdue pending deadlines, most urgent first (`deadlines.overdue`'s
    order), from the engine's cache, so the agenda and the échéances view agree on what is
    late; closed measures have no pending deadline, hence no flag."""
    return cached_overdue(measure_ids, today)


def _overdue_reason(late: list[Deadline], today: dt.date) -> str:
    """The most urgent lateness, as the échéances view words it (label, delay)."""
    return f"{late[0].label} ({when_text(late[0], today)})" if late else ""


def _catches_up(late: list[Deadline], booked: _Booked) -> bool:
    """Every overdue deadline of the measure is the one this awaited appointment answers."""
    answered = ANSWERS.get(booked.kind)
    return (bool(late) and booked.status == AppointmentStatus.ATTENDU
            and all(d.kind == answered for d in late))


class _Booked(NamedTuple):
    """One appointment with what its row shows, read as a tuple: building the appointment,
    measure and person models cost half the week view (574 appointments, benchmark)."""

    id: int
    measure_id: int
    kind: str
    starts_at: dt.datetime
    status: str
    place: str
    walk_in: bool
    parquet_number: str
    facts_on: dt.date | None
    public_override: str | None
    saisine_received_on: dt.date
    last_name: str
    first_name: str
    birth_date: dt.date | None
    reported: bool


_ROW_FIELDS = (Appointment.id, Appointment.measure, Appointment.kind, Appointment.starts_at,
               Appointment.status, Appointment.place, Appointment.walk_in,
               Measure.parquet_number, Measure.facts_on, Measure.public_override,
               Measure.saisine_received_on, Person.last_name, Person.first_name, Person.birth_date)


def _rows_between(first_day: dt.date, last_day: dt.date, today: dt.date) -> list[AgendaRow]:
    """Every appointment from `first_day` to `last_day` inclusive, in time order."""
    start = dt.datetime.combine(first_day, dt.time.min)
    end = dt.datetime.combine(last_day + DAY, dt.time.min)
    reported = fn.EXISTS(Report.select(Report.id).where(Report.measure == Measure.id))
    query = (Appointment.select(*_ROW_FIELDS, reported.alias("reported")).join(Measure).join(Person)
             .where((Appointment.starts_at >= start) & (Appointment.starts_at < end))
             .order_by(Appointment.starts_at, Appointment.id))
    booked = [_Booked(*row) for row in cast("Iterable[tuple[Any, ...]]", query.tuples())]
    late_by_measure = _overdue_deadlines(sorted({b.measure_id for b in booked}), today)
    rows = []
    for b in booked:
        public = public_for(b.birth_date, b.facts_on, b.public_override, b.saisine_received_on)
        adult = b.birth_date is not None and age_on(b.birth_date, today) >= MAJORITY_AGE
        late = late_by_measure.get(b.measure_id, [])
        reason = _overdue_reason(late, today)
        rows.append(AgendaRow(
            appointment_id=b.id, measure_id=b.measure_id,
            time=b.starts_at.strftime("%Hh%M"), person=person_name(b.last_name, b.first_name),
            parquet_number=b.parquet_number, kind=label(b.kind),
            status=label(b.status), place=b.place,
            minor_at_facts=public == Public.MINEURS, new_referral=not b.reported,
            walk_in=bool(b.walk_in), starts_at=b.starts_at,
            kind_value=b.kind, status_value=b.status, public=public.value,
            adult_today=adult, overdue=bool(reason), overdue_reason=reason,
            catch_up=_catches_up(late, b),
            holiday_conflict=(b.status == AppointmentStatus.ATTENDU
                              and holiday_name(b.starts_at.date()) is not None)))
    return rows


def day_rows(day: dt.date, today: dt.date | None = None) -> list[AgendaRow]:
    """Every appointment of a day, in time order, with the markers the agenda shows."""
    return _rows_between(day, day, today or clock.today())


def _views(court: CourtSettings, first_day: dt.date, last_day: dt.date, today: dt.date,
           keep_empty_weekend: bool) -> list[DayView]:
    rows_by_day: dict[dt.date, list[AgendaRow]] = defaultdict(list)
    for row in _rows_between(first_day, last_day, today):
        rows_by_day[row.starts_at.date()].append(row)  # type: ignore[union-attr]
    by_day: dict[dt.date, list[PermanenceDay]] = defaultdict(list)
    for occurrence in permanence_occurrences(court, first_day, last_day):
        by_day[occurrence.date].append(occurrence)
    views, day = [], first_day
    while day <= last_day:
        if keep_empty_weekend or day.weekday() < 5 or by_day[day] or rows_by_day[day]:
            views.append(DayView(day, heading_of(day, by_day[day]), by_day[day], holiday_name(day),
                                 rows_by_day[day]))
        day += DAY
    return views


def day_view(court: CourtSettings, day: dt.date, today: dt.date) -> DayView:
    """One day: its permanences (closed on a holiday) and its appointments."""
    return _views(court, day, day, today, keep_empty_weekend=True)[0]


def week_view(court: CourtSettings, monday: dt.date, today: dt.date) -> list[DayView]:
    """Monday to Friday of the week containing `monday`, plus a weekend day only when
    it has a permanence or an appointment."""
    first = monday - dt.timedelta(days=monday.weekday())
    return _views(court, first, first + 6 * DAY, today, keep_empty_weekend=False)


def _markers(row: AgendaRow) -> list[str]:
    markers = []
    if row.minor_at_facts:
        markers.append("mineur aux faits, majeur aujourd'hui" if row.adult_today else "mineur")
    if row.new_referral:
        markers.append("nouveau")
    if row.walk_in:
        markers.append("sans RDV")
    if row.overdue:
        markers.append(row.overdue_reason)
    if row.holiday_conflict:
        markers.append("jour férié : à déplacer")
    return markers


def _day_text(view: DayView) -> list[str]:
    lines = [view.heading]
    for row in view.rows:
        markers = ", ".join(_markers(row))
        line = (f"  {row.time}  {row.person:<28} {row.parquet_number or TO_COMPLETE:<14} "
                f"{row.kind:<24} {row.status:<8}" + (f"  [{markers}]" if markers else ""))
        lines.append(line.rstrip())
        if row.place not in {o.permanence.place for o in view.permanences}:
            lines.append(f"         lieu : {row.place}")
    count = len(view.rows)
    lines.append(f"  {count} rendez-vous." if count else "  Aucun rendez-vous.")
    return lines


def agenda_text(court: CourtSettings, day: dt.date, week: bool, *, today: dt.date | None = None) -> str:
    """The day (or week) as plain text: the paper backup and `injonctions agenda`."""
    today = today or clock.today()
    views = week_view(court, day, today) if week else [day_view(court, day, today)]
    title = (f"Agenda de la semaine du {format_long_fr(views[0].date)}" if week
             else f"Feuille de permanence du {format_long_fr(day)}")
    lines = [title, ""]
    for view in views:
        lines.extend(_day_text(view))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _row_json(row: AgendaRow) -> dict[str, Any]:
    return {"appointment_id": row.appointment_id, "measure_id": row.measure_id,
            "starts_at": row.starts_at.isoformat() if row.starts_at else None, "time": row.time,
            "person": row.person, "parquet_number": row.parquet_number, "kind": row.kind_value,
            "kind_label": row.kind, "status": row.status_value, "status_label": row.status,
            "place": row.place, "public": row.public, "minor_at_facts": row.minor_at_facts,
            "adult_today": row.adult_today, "new_referral": row.new_referral, "walk_in": row.walk_in,
            "overdue": row.overdue, "overdue_reason": row.overdue_reason,
            "holiday_conflict": row.holiday_conflict}


def _day_json(view: DayView) -> dict[str, Any]:
    return {"date": view.date.isoformat(), "heading": view.heading, "closed": view.closed,
            "holiday": view.holiday_name,
            "permanences": [{"public": o.permanence.public, "start": o.permanence.start,
                             "end": o.permanence.end, "place": o.permanence.place,
                             "slot_minutes": o.permanence.slot_minutes, "closed": o.closed}
                            for o in view.permanences],
            "appointments": [_row_json(row) for row in view.rows]}


def agenda_json(court: CourtSettings, day: dt.date, week: bool, *, today: dt.date | None = None) -> dict:
    """The same content as `agenda_text`, for scripts (ISO dates, stored codes + labels)."""
    today = today or clock.today()
    views = week_view(court, day, today) if week else [day_view(court, day, today)]
    return {"format": "injonctions-agenda", "version": 1, "date": day.isoformat(), "week": week,
            "today": today.isoformat(), "days": [_day_json(view) for view in views]}
