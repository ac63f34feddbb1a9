"""The calendar of permanences: French holidays, slot generation, free slots."""

from __future__ import annotations

import datetime as dt

import pytest

from injonctions_tui.domain.calendar.slots import (first_free_slot, free_slots, holiday_name, is_closed,
                                                   next_open_permanence, permanence_occurrences, slots_of)
from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.vocabulary import AppointmentStatus, Public
from injonctions_tui.domain.store.settings import CourtSettings, Permanence
from tests.factories.agenda import CSAPA_PLACE, make_appointment, make_measure

NANTERRE = CourtSettings()
MINORS, ADULTS = NANTERRE.permanences
D, T = dt.date, dt.datetime

#: A court that does things differently: Tuesday afternoons, 20-minute slots.
TUESDAY_COURT = CourtSettings(tribunal="Tribunal judiciaire de Moulinsart", permanences=[
    Permanence(1, "14:00", "17:00", Public.MAJEURS.value, "Tribunal judiciaire de Moulinsart", 20)])


@pytest.mark.parametrize(("day", "name", "permanence"), [
    (D(2027, 3, 29), "Lundi de Pâques", MINORS),
    (D(2027, 5, 17), "Lundi de Pentecôte", MINORS),
    (D(2027, 5, 6), "Ascension", ADULTS),
    (D(2025, 5, 1), "Fête du Travail", ADULTS),
    (D(2025, 5, 8), "Fête de la Victoire", ADULTS),
    (D(2028, 5, 1), "Fête du Travail", MINORS),
    (D(2028, 5, 8), "Fête de la Victoire", MINORS),
    (D(2027, 11, 11), "Armistice", ADULTS),
])
def test_holidays_close_the_permanence_of_that_day(day: dt.date, name: str, permanence: Permanence) -> None:
    assert holiday_name(day) == name
    assert is_closed(NANTERRE, day, permanence)
    (occurrence,) = permanence_occurrences(NANTERRE, day, day)
    assert occurrence.closed and occurrence.holiday_name == name
    assert occurrence.permanence == permanence


def test_an_ordinary_permanence_is_open_and_other_weekdays_hold_none() -> None:
    monday = D(2026, 11, 23)
    assert holiday_name(monday) is None and not is_closed(NANTERRE, monday, MINORS)
    assert is_closed(NANTERRE, monday, ADULTS)  # adults are seen on Thursday
    week = permanence_occurrences(NANTERRE, monday, D(2026, 11, 29))
    assert [(o.date, o.permanence.public, o.closed) for o in week] == [
        (monday, "mineurs", False), (D(2026, 11, 26), "majeurs", False)]


def test_next_open_permanence_skips_holidays() -> None:
    assert next_open_permanence(NANTERRE, "mineurs", D(2027, 3, 28)).date == D(2027, 4, 5)
    assert next_open_permanence(NANTERRE, "mineurs", D(2027, 3, 29), include_after=True).date == D(2027, 4, 5)
    assert next_open_permanence(NANTERRE, "mineurs", D(2027, 5, 16)).date == D(2027, 5, 24)
    assert next_open_permanence(NANTERRE, "majeurs", D(2027, 5, 5)).date == D(2027, 5, 13)
    assert next_open_permanence(NANTERRE, "majeurs", D(2027, 11, 10)).date == D(2027, 11, 18)
    # "after" is exclusive unless asked: the same Monday is not "next".
    assert next_open_permanence(NANTERRE, "mineurs", D(2026, 11, 23)).date == D(2026, 11, 30)
    assert next_open_permanence(NANTERRE, "mineurs", D(2026, 11, 23), include_after=True).date == D(2026, 11, 23)


def test_slots_of_a_custom_court() -> None:
    (tuesday,) = TUESDAY_COURT.permanences
    slots = slots_of(tuesday, D(2026, 11, 24))
    assert slots[0] == T(2026, 11, 24, 14, 0) and slots[-1] == T(2026, 11, 24, 16, 40)
    assert len(slots) == 9 and all((b - a) == dt.timedelta(minutes=20) for a, b in zip(slots, slots[1:]))


def test_the_last_slot_ends_by_the_closing_time() -> None:
    odd = Permanence(0, "09:00", "13:00", "mineurs", "Tribunal", slot_minutes=25)
    slots = slots_of(odd, D(2026, 11, 23))
    assert slots[-1] == T(2026, 11, 23, 12, 20)  # 12h45 would run to 13h10
    assert len(slots_of(MINORS, D(2026, 11, 23))) == 8


def test_free_slots_leave_out_booked_appointments_but_not_postponed_ones(db: object) -> None:
    day = D(2026, 11, 24)
    place = TUESDAY_COURT.permanences[0].place
    measure = make_measure()
    make_appointment(measure, T(2026, 11, 24, 14, 0), place=place, minutes=20)
    make_appointment(measure, T(2026, 11, 24, 14, 20), place=place, minutes=20, status=AppointmentStatus.REPORTE)
    make_appointment(measure, T(2026, 11, 24, 15, 0), place=CSAPA_PLACE)  # elsewhere: no clash
    free = free_slots(TUESDAY_COURT, day, "majeurs")
    assert T(2026, 11, 24, 14, 0) not in free
    assert T(2026, 11, 24, 14, 20) in free and T(2026, 11, 24, 15, 0) in free
    assert len(free) == 8
    assert free_slots(TUESDAY_COURT, D(2026, 11, 25), "majeurs") == []  # no permanence on Wednesday


def test_a_longer_appointment_blocks_every_slot_it_overlaps(db: object) -> None:
    place = TUESDAY_COURT.permanences[0].place
    make_appointment(make_measure(), T(2026, 11, 24, 14, 0), place=place, minutes=45)
    free = free_slots(TUESDAY_COURT, D(2026, 11, 24), "majeurs")
    assert free[0] == T(2026, 11, 24, 15, 0)  # 14h00, 14h20 and 14h40 are taken


def test_free_slots_on_a_holiday_are_none(db: object) -> None:
    assert free_slots(NANTERRE, D(2027, 3, 29), "mineurs") == []
    assert len(free_slots(NANTERRE, D(2027, 4, 5), "mineurs")) == 8


def test_first_free_slot_skips_taken_slots_and_holidays(db: object) -> None:
    measure = make_measure()
    make_appointment(measure, T(2027, 4, 5, 9, 0))
    assert first_free_slot(NANTERRE, "mineurs", D(2027, 3, 29)) == T(2027, 4, 5, 9, 30)
    assert first_free_slot(NANTERRE, "majeurs", D(2027, 5, 6)) == T(2027, 5, 13, 9, 0)


def test_first_free_slot_moves_to_the_next_week_when_a_morning_is_full(db: object) -> None:
    measure = make_measure()
    for slot in slots_of(MINORS, D(2026, 11, 23)):
        make_appointment(measure, slot)
    assert first_free_slot(NANTERRE, "mineurs", D(2026, 11, 23)) == T(2026, 11, 30, 9, 0)


def test_no_free_slot_within_the_horizon_is_an_error_in_french(db: object) -> None:
    with pytest.raises(InvalidInput, match="Aucun créneau libre"):
        first_free_slot(NANTERRE, "mineurs", D(2027, 3, 27), horizon_days=5)  # only Easter Monday
    with pytest.raises(InvalidInput, match="Aucune permanence n'est configurée"):
        first_free_slot(TUESDAY_COURT, "mineurs", D(2026, 11, 23))


def test_the_shipped_holiday_table_is_what_the_holidays_package_says() -> None:
    """`assets/jours_feries_fr.json` spares the start-up the package's 80 ms; after an
    upgrade of `holidays` that changes a date or a name, this fails: run
    `slots.write_holiday_table()`."""
    from injonctions_tui.domain.calendar import slots

    for year in slots.HOLIDAY_TABLE_YEARS:
        assert slots._holidays_of_year(year) == slots.holidays_from_package(year), year
    assert len(slots._holidays_of_year(2026)) == 11


def test_a_year_outside_the_table_asks_the_package() -> None:
    from injonctions_tui.domain.calendar import slots

    assert 1995 not in slots.HOLIDAY_TABLE_YEARS
    assert holiday_name(D(1995, 7, 14)) == "Fête nationale"
    assert holiday_name(D(1995, 7, 15)) is None
