"""The court's calendar: permanence days, their slots, French public holidays.

- `slots`: the calendar of permanences: which days are held, which are closed, which slots are free.
  Public: PermanenceDay, holidays_from_package, write_holiday_table, holiday_name, holidays_between, is_closed,
  permanence_occurrences, iter_open_permanences, next_open_permanence, slots_of, booked_intervals, overlaps,
  free_slots, find_free_slot, first_free_slot, permanence_at, court_places.
"""

__all__ = ["slots"]
