"""The calendar of permanences: which days are held, which are closed, which slots are free.

Permanences repeat every week (store/settings.py) but a French public holiday closes the
court: Easter Monday falls on the minors' Monday, Ascension on the adults' Thursday,
1 and 8 May on either. Nothing may be booked there silently (issue 3), so every
booking goes through this calendar. Holidays come from the `holidays` package
(metropolitan France). Importing it and computing a year costs ~80 ms (it loads every
country), on the start-up path of the agenda: so its output for 2000-2100 is shipped
as `assets/jours_feries_fr.json` (written by `write_holiday_table`, checked against
the package by the tests) and the package is only imported for a year outside it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..core.errors import InvalidInput
from ..core.models import Appointment
from ..core.vocabulary import AppointmentStatus, Public, label
from ..store.settings import CourtSettings, Permanence

DAY = dt.timedelta(days=1)
#: How far ahead `next_open_permanence` looks before concluding there is none.
SEARCH_DAYS = 400


@dataclass(frozen=True)
class PermanenceDay:
    """One occurrence of a weekly permanence on a given date."""

    date: dt.date
    permanence: Permanence
    closed: bool
    holiday_name: str | None

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.permanence.start_time)

    @property
    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.permanence.end_time)


HOLIDAY_TABLE = "jours_feries_fr.json"
#: The years `assets/jours_feries_fr.json` covers.
HOLIDAY_TABLE_YEARS = range(2000, 2101)


def holidays_from_package(year: int) -> dict[dt.date, str]:
    """What the `holidays` package says for one year (French names)."""
    import holidays

    return dict(holidays.France(years=year, language="fr"))


def write_holiday_table(target: Path | None = None) -> Path:
    """Regenerate the shipped table from the package (after upgrading `holidays`)."""
    target = target or Path(str(resources.files("injonctions_tui").joinpath("assets", HOLIDAY_TABLE)))
    table = {str(year): {day.isoformat(): name for day, name in sorted(holidays_from_package(year).items())}
             for year in HOLIDAY_TABLE_YEARS}
    target.write_text(json.dumps(table, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    return target


@lru_cache(maxsize=1)
def _holiday_table() -> dict[str, dict[str, str]]:
    return json.loads(resources.files("injonctions_tui").joinpath("assets", HOLIDAY_TABLE).read_text("utf-8"))


@lru_cache(maxsize=32)
def _holidays_of_year(year: int) -> dict[dt.date, str]:
    """Holidays of one year with their French names: the shipped table, else the package."""
    shipped = _holiday_table().get(str(year))
    if shipped is None:
        return holidays_from_package(year)
    return {dt.date.fromisoformat(day): name for day, name in shipped.items()}


def holiday_name(day: dt.date) -> str | None:
    """The French name of the public holiday on `day` ("Lundi de Pâques"), or None."""
    return _holidays_of_year(day.year).get(day)


def holidays_between(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """Every public holiday from `start` to `end` inclusive."""
    found: dict[dt.date, str] = {}
    for year in range(start.year, end.year + 1):
        found.update({d: n for d, n in _holidays_of_year(year).items() if start <= d <= end})
    return dict(sorted(found.items()))


def is_closed(court: CourtSettings, day: dt.date, permanence: Permanence) -> bool:
    """True when the permanence is not held on `day`: a holiday, or not its weekday.

    `court` is taken so exceptional closures set per court can be added here later.
    """
    return permanence.weekday != day.weekday() or holiday_name(day) is not None


def _occurrences_on(court: CourtSettings, day: dt.date) -> list[PermanenceDay]:
    name = holiday_name(day)
    held = [p for p in court.permanences if p.weekday == day.weekday()]
    return [PermanenceDay(day, p, name is not None, name)
            for p in sorted(held, key=lambda p: p.start)]


def permanence_occurrences(court: CourtSettings, start: dt.date, end: dt.date) -> list[PermanenceDay]:
    """Every permanence from `start` to `end` inclusive, closed ones included (flagged)."""
    found: list[PermanenceDay] = []
    day = start
    while day <= end:
        found.extend(_occurrences_on(court, day))
        day += DAY
    return found


def _check_public(court: CourtSettings, public: str) -> Public:
    try:
        value = Public(public)
    except ValueError:
        raise InvalidInput(f"Public inconnu : « {public} ».") from None
    if not any(p.public == value for p in court.permanences):
        raise InvalidInput(f"Aucune permanence n'est configurée pour le public « {label(value).lower()} » : "
                           "ajoutez-la dans les paramètres du tribunal.")
    return value


def iter_open_permanences(court: CourtSettings, public: str, first_day: dt.date,
                          days: int = SEARCH_DAYS) -> Iterable[PermanenceDay]:
    """Open permanences of a public, from `first_day` on, for `days` days."""
    value = _check_public(court, public)
    for offset in range(days):
        for occurrence in _occurrences_on(court, first_day + offset * DAY):
            if occurrence.permanence.public == value and not occurrence.closed:
                yield occurrence


def next_open_permanence(court: CourtSettings, public: str, after: dt.date, *,
                         include_after: bool = False) -> PermanenceDay:
    """The first permanence of `public` after `after` (or on it) that is not a holiday."""
    first_day = after if include_after else after + DAY
    for occurrence in iter_open_permanences(court, public, first_day):
        return occurrence
    raise InvalidInput("Aucune permanence ouverte dans l'année qui suit : vérifiez les paramètres.")


def slots_of(permanence: Permanence, day: dt.date) -> list[dt.datetime]:
    """Slot start times of a permanence on `day`: every slot ends by the closing time."""
    step = dt.timedelta(minutes=permanence.slot_minutes)
    at = dt.datetime.combine(day, permanence.start_time)
    end = dt.datetime.combine(day, permanence.end_time)
    slots = []
    while at + step <= end:
        slots.append(at)
        at += step
    return slots


def booked_intervals(day: dt.date, place: str | None = None,
                     ignore_id: int | None = None) -> list[tuple[dt.datetime, dt.datetime]]:
    """Start and end of the appointments that still hold a slot on `day` (not postponed)."""
    start = dt.datetime.combine(day, dt.time.min)
    query = (Appointment.select(Appointment.id, Appointment.starts_at, Appointment.duration_minutes)
             .where((Appointment.starts_at >= start) & (Appointment.starts_at < start + DAY)
                    & (Appointment.status != AppointmentStatus.REPORTE)))
    if place is not None:
        query = query.where(Appointment.place == place)
    if ignore_id is not None:
        query = query.where(Appointment.id != ignore_id)
    return [(a.starts_at, a.starts_at + dt.timedelta(minutes=a.duration_minutes or 0))
            for a in query]


def overlaps(start: dt.datetime, minutes: int, intervals: Iterable[tuple[dt.datetime, dt.datetime]]) -> bool:
    end = start + dt.timedelta(minutes=minutes)
    return any(start < taken_end and taken_start < end for taken_start, taken_end in intervals)


#: Booked intervals by (day, place), shared by the searches of one call (see
#: `find_free_slot`'s `cache`) so listing many conflicts does not re-read each day.
BookedCache = dict[tuple[dt.date, str], list[tuple[dt.datetime, dt.datetime]]]


def _free_in(occurrence: PermanenceDay, exclude: Collection[dt.datetime],
             cache: BookedCache | None = None) -> list[dt.datetime]:
    permanence = occurrence.permanence
    key = (occurrence.date, permanence.place)
    if cache is None or key not in cache:
        taken = booked_intervals(occurrence.date, permanence.place)
        if cache is not None:
            cache[key] = taken
    else:
        taken = cache[key]
    return [slot for slot in slots_of(permanence, occurrence.date)
            if slot not in exclude and not overlaps(slot, permanence.slot_minutes, taken)]


def free_slots(court: CourtSettings, day: dt.date, public: str) -> list[dt.datetime]:
    """Free slots of the permanences of `public` on `day` (none when closed)."""
    value = _check_public(court, public)
    found: list[dt.datetime] = []
    for occurrence in _occurrences_on(court, day):
        if occurrence.permanence.public == value and not occurrence.closed:
            found.extend(_free_in(occurrence, ()))
    return sorted(found)


def find_free_slot(court: CourtSettings, public: str, on_or_after: dt.date, *,
                   horizon_days: int = 120, not_before: dt.datetime | None = None,
                   exclude: Collection[dt.datetime] = (),
                   cache: BookedCache | None = None) -> tuple[dt.datetime, PermanenceDay]:
    """The earliest free slot of `public` from `on_or_after`, with its permanence (its place).

    `not_before` skips slots already gone this morning; `exclude` holds slots just
    proposed to someone else (several conflicts moved at once must not collide);
    `cache` keeps the days already read during one listing.
    """
    for occurrence in iter_open_permanences(court, public, on_or_after, horizon_days):
        for slot in _free_in(occurrence, exclude, cache):
            if not_before is None or slot >= not_before:
                return slot, occurrence
    raise InvalidInput(f"Aucun créneau libre pour les {label(Public(public)).lower()} dans les "
                       f"{horizon_days} jours à partir du {on_or_after:%d/%m/%Y}.")


def find_last_free_slot(court: CourtSettings, public: str, first_day: dt.date,
                        last_day: dt.date) -> tuple[dt.datetime, PermanenceDay] | None:
    """The first free slot of the LAST permanence of `public` from `first_day` to
    `last_day` that still has one, or None: an interview due on a date lands on the
    closest permanence on or before it, never after by design (issue 16)."""
    if last_day < first_day:
        return None
    days = (last_day - first_day).days + 1
    occurrences = list(iter_open_permanences(court, public, first_day, days))
    for occurrence in reversed(occurrences):
        free = _free_in(occurrence, ())
        if free:
            return free[0], occurrence
    return None


def first_free_slot(court: CourtSettings, public: str, on_or_after: dt.date, *,
                    horizon_days: int = 120) -> dt.datetime:
    """The earliest free slot of `public` on or after a date, holidays skipped."""
    return find_free_slot(court, public, on_or_after, horizon_days=horizon_days)[0]


def permanence_at(court: CourtSettings, starts_at: dt.datetime, place: str) -> Permanence | None:
    """The permanence of the court held at `place` when `starts_at` falls in its hours."""
    for permanence in court.permanences:
        if (permanence.weekday == starts_at.weekday() and permanence.place == place
                and permanence.start_time <= starts_at.time() < permanence.end_time):
            return permanence
    return None


def court_places(court: CourtSettings) -> set[str]:
    return {p.place for p in court.permanences}
