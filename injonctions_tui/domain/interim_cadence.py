"""INTERIM: the follow-up cadence the agenda needs, until deadlines.py provides it.

The legal deadline engine (domain/deadlines.py, written in parallel) owns these rules
in the end; this module is the small stand-in the agenda and booking use meanwhile,
built only from rules.py and dates.add_months. Point its callers at deadlines.py
when it lands and delete this file.

Cadence (DOMAIN.md step 5, R3413-14): interviews at month 3 and month 6 of the
measure, then every 6 months, never beyond the maximum duration. "Start" of the
measure: `start_on`, else the treating doctor's written agreement, else the date
the initial evaluation was held (our reading).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .dates import add_months
from .rules import rules_for
from .vocabulary import AppointmentKind

FOLLOWUP_KINDS = (AppointmentKind.SUIVI_M3, AppointmentKind.SUIVI_M6, AppointmentKind.SUIVI_SEMESTRIEL)


@dataclass(frozen=True)
class CadenceStep:
    """One interview the cadence asks for."""

    months: int
    kind: AppointmentKind
    due_on: dt.date


def interim_evaluation_deadline(measure_kind: str, saisine_on: dt.date) -> dt.date | None:
    """Saisine + the evaluation delay of the kind of measure (one month for an IT)."""
    months = rules_for(measure_kind).evaluation_within_months
    return add_months(saisine_on, months) if months is not None else None


def interim_measure_start(start_on: dt.date | None, agreement_on: dt.date | None,
                          evaluation_on: dt.date | None) -> dt.date | None:
    """The date the cadence counts from (see the module docstring)."""
    return start_on or agreement_on or evaluation_on


def _kind_for(months: int) -> AppointmentKind:
    return {3: AppointmentKind.SUIVI_M3, 6: AppointmentKind.SUIVI_M6}.get(months, AppointmentKind.SUIVI_SEMESTRIEL)


def interim_cadence_steps(measure_kind: str, start: dt.date) -> list[CadenceStep]:
    """Every follow-up interview due over the longest possible measure."""
    rules = rules_for(measure_kind)
    months = list(rules.first_followups_months)
    step = rules.followup_every_months
    current = months[-1] if months else 0
    while current + step <= rules.max_duration_months:
        current += step
        months.append(current)
    return [CadenceStep(m, _kind_for(m), add_months(start, m)) for m in months]


def interim_pending_steps(steps: Iterable[CadenceStep], covered_kinds: Iterable[str]) -> list[CadenceStep]:
    """The steps still to hold, in date order.

    Each covering interview (by kind) consumes one step, so a late M3 (held at month
    4) does not also count as the M6. A step left uncovered before a covered one is
    superseded (a missed M3 once the M6 was held) and is not pending any more.
    """
    available = Counter(covered_kinds)
    marked = []
    for step in steps:
        covered = available[step.kind] > 0
        if covered:
            available[step.kind] -= 1
        marked.append((step, covered))
    last_covered = max((i for i, (_, covered) in enumerate(marked) if covered), default=-1)
    return [step for i, (step, covered) in enumerate(marked) if i > last_covered and not covered]


def interim_next_step(steps: list[CadenceStep], covered_kinds: Iterable[str], today: dt.date,
                      planned_end_on: dt.date | None = None) -> CadenceStep | None:
    """The interview to book next: the latest one already due (earlier missed ones are
    superseded by it), else the first one to come. None when the cadence is complete.

    Steps after the planned end only happen if the measure is renewed: the first of
    them is still offered (a renewal may be on its way), not the ones after.
    """
    pending = interim_pending_steps(steps, covered_kinds)
    if planned_end_on is not None:
        within = [s for s in pending if s.due_on <= planned_end_on]
        pending = within + [s for s in pending if s.due_on > planned_end_on][:1]
    due = [s for s in pending if s.due_on <= today]
    if due:
        return due[-1]
    return pending[0] if pending else None


def interim_overdue_step(steps: list[CadenceStep], held_kinds: Iterable[str], today: dt.date,
                         grace_days: int, planned_end_on: dt.date | None = None) -> CadenceStep | None:
    """The step the cadence asked for more than `grace_days` ago, if still not held."""
    limit = today - dt.timedelta(days=grace_days)
    pending = interim_pending_steps(steps, held_kinds)
    late = [s for s in pending if s.due_on < limit
            and (planned_end_on is None or s.due_on <= planned_end_on)]
    return late[-1] if late else None
