"""The legal deadlines: what is due on each measure, by when, what is late.

The engine (one function per step of the measure), the rows it reads, its cache in the base, the échéances.

- `cache`: the pending deadlines of the open measures, kept in the database (migration 6).
  Public: engine_fingerprint, refresh, rebuild, pending_deadlines, cached_overdue, measures_due.
- `engine`: the legal deadline engine: what is due on each measure, by when, and what is late.
  Public: DeadlineKind, Deadline, evaluation_deadline, choice_deadline, agreement_deadline, deadlines_for,
  measure_timeline, deadlines_by_measure, is_open, pending_deadlines_live, pending_for_cache, overdue,
  next_deadline, planned_followups, NextInterview, next_interview, proposed_next_interview.
- `listing`: the échéances: pending legal deadlines across dossiers, most urgent first, for the screen,
  `injonctions echeances` (text or JSON) and a paper copy.
  Public: DeadlineRow, when_text, deadline_rows, deadlines_text, deadlines_json.
- `rows`: the rows the deadline engine reads, loaded in bulk.
  Public: Facts, Visit, Choice, Extension, Written, Rows, load_facts, load_rows, rows_of, chunks.
"""

__all__ = ["cache", "engine", "listing", "rows"]
