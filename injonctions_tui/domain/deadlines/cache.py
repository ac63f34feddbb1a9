"""The pending deadlines of the open measures, kept in the database (migration 6).

Why: computing the deadlines of 4 000 open dossiers takes 300 ms, and the échéances
view and the agenda's « retard » flags did it at every opening (issue 9). They only
change when a row the engine reads changes, so they are stored, and read with one
indexed query.

How the cache stays correct, whoever writes:
- the database itself marks a measure stale (`deadline_stale`) on any insert, update or
  delete in a table the engine reads (triggers of migration 6): no write path, raw SQL
  included, can forget to invalidate;
- `refresh()`, run before each read, recomputes the stale measures with the engine
  (deadlines/engine.py: one implementation of the rules, this module only stores its output);
- the engine the cache was computed with (`ENGINE_VERSION`, the content of core/rules.py,
  the public holidays) is stored: when it differs (another release, the first read
  after migration 6), the whole cache is recomputed;
- the rules read `today` in one place only (an unexcused absence calls for an incident
  report once it has happened): the cache keeps every absence, with its day in
  `anchor_on`, and the reads drop those still to come. The cache holds for any `today`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from ..calendar.slots import holidays_between
from ..core.models import DeadlineCacheState, DeadlineStale, Measure, database
from ..core.rules import RULES
from .engine import ENGINE_VERSION, KIND_RANK, SOURCES, Deadline, DeadlineKind, is_open, pending_for_cache
from .rows import CHUNK

_KINDS = {kind.value: kind for kind in DeadlineKind}
_from_iso = dt.date.fromisoformat
_COLUMNS = '"measure_id", "kind", "due_on", "label", "anchor_on"'
#: The years whose public holidays are fingerprinted (an incident report is due the next
#: working day): the span of the shipped holiday table (calendar/slots.py), read in a few ms.
_HOLIDAY_YEARS = (2000, 2100)
#: An incident report is listed once the absence it answers has happened.
_ARRIVED = '("anchor_on" IS NULL OR "anchor_on" <= ?)'
_INSERT = ('INSERT INTO "pending_deadline" ("measure_id", "kind", "rank", "due_on", "label", "anchor_on") '
           "VALUES (?, ?, ?, ?, ?, ?)")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """What the cached deadlines depend on besides the rows: the engine's version, the
    rules table (a delay edited in core/rules.py without bumping the version still counts) and
    the public holidays (the incident report's next working day). Once per process."""
    first, last = _HOLIDAY_YEARS
    days = holidays_between(dt.date(first, 1, 1), dt.date(last, 12, 31))
    return (f"moteur {ENGINE_VERSION} ; règles {_digest(repr(RULES))} ; "
            f"fériés {_digest(' '.join(day.isoformat() for day in days))}")


def _execute(sql: str, params: Iterable[Any] = ()) -> Any:
    return database.execute_sql(sql, tuple(params))


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for begin in range(0, len(ids), CHUNK):
        yield ids[begin:begin + CHUNK]


def _stored_engine() -> str | None:
    row = _execute('SELECT "engine" FROM "deadline_cache_state" WHERE "id" = 1').fetchone()
    return row[0] if row else None


def _up_to_date() -> bool:
    return (_stored_engine() == engine_fingerprint()
            and _execute('SELECT 1 FROM "deadline_stale" LIMIT 1').fetchone() is None)


def _restart() -> None:
    """Another engine computed the cache (or none yet): drop it, mark every open measure."""
    _execute('DELETE FROM "pending_deadline"')
    _execute('DELETE FROM "deadline_stale"')
    DeadlineStale.insert_from(Measure.select(Measure.id).where(is_open()), [DeadlineStale.measure_id]).execute()
    _execute('DELETE FROM "deadline_cache_state"')
    DeadlineCacheState.insert(id=1, engine=engine_fingerprint()).execute()


def _recompute(ids: list[int]) -> None:
    """Replace the cached deadlines of `ids` (at most CHUNK): computed for the open ones,
    none for a closed or deleted one. Rows go in the order the engine found them, so their
    id breaks ties as the live sort does."""
    rows = [(measure_id, d.kind.value, KIND_RANK[d.kind], d.due_on.isoformat(), d.label,
             d.anchor_on.isoformat() if d.anchor_on else None)
            for measure_id, found in pending_for_cache(Measure.id.in_(ids)) for d in found]
    marks = _marks(len(ids))
    _execute(f'DELETE FROM "pending_deadline" WHERE "measure_id" IN ({marks})', ids)
    database.cursor().executemany(_INSERT, rows)
    _execute(f'DELETE FROM "deadline_stale" WHERE "measure_id" IN ({marks})', ids)


def refresh() -> int:
    """Bring the cache up to date; returns how many measures were recomputed.

    Nothing is written when nothing is stale (two indexed reads). Otherwise one write
    transaction, taken at once (IMMEDIATE) since it reads what it then replaces: a
    failure leaves the cache and its stale marks as they were."""
    if _up_to_date():
        return 0
    with database.atomic("IMMEDIATE"):
        if _stored_engine() != engine_fingerprint():
            _restart()
        stale = [row[0] for row in _execute('SELECT "measure_id" FROM "deadline_stale" ORDER BY 1')]
        for ids in _chunks(stale):
            _recompute(ids)
    return len(stale)


def rebuild() -> int:
    """Recompute every open measure now, in one transaction (tests, diagnostics)."""
    with database.atomic("IMMEDIATE"):
        _execute('DELETE FROM "deadline_cache_state"')
        return refresh()


def _deadline(measure_id: int, kind: str, due_on: str, label: str, anchor_on: str | None) -> Deadline:
    found = _KINDS[kind]
    return Deadline(measure_id, found, _from_iso(due_on), label, SOURCES[found], None,
                    _from_iso(anchor_on) if anchor_on else None)


def pending_deadlines(today: dt.date, *, measure_ids: Iterable[int] | None = None, limit: int | None = None,
                   overdue_only: bool = False) -> list[Deadline]:
    """`deadlines.pending_deadlines` read from the cache: the same deadlines, in the same
    order (due date, measure, kind, then the engine's order; overdue ⇔ due before today,
    so the overdue ones come first). `overdue_only` keeps the late ones."""
    refresh()
    limit = None if limit is None else max(limit, 0)
    day = today.isoformat()
    where = _ARRIVED + (' AND "due_on" < ?' if overdue_only else "")
    params = [day, day] if overdue_only else [day]
    if measure_ids is None:
        sql = f'SELECT {_COLUMNS} FROM "pending_deadline" WHERE {where} ORDER BY "due_on", "measure_id", "rank", "id"'
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_deadline(*row) for row in _execute(sql, params)]
    found: list[tuple[Any, ...]] = []
    for ids in _chunks(list(dict.fromkeys(measure_ids))):
        found += _execute(f'SELECT {_COLUMNS}, "rank", "id" FROM "pending_deadline" '
                          f'WHERE "measure_id" IN ({_marks(len(ids))}) AND {where}', [*ids, *params]).fetchall()
    found.sort(key=lambda row: (row[2], row[0], row[5], row[6]))
    return [_deadline(*row[:5]) for row in found[:limit]]


def cached_overdue(measure_ids: Iterable[int], today: dt.date) -> dict[int, list[Deadline]]:
    """Each measure's overdue pending deadlines, most urgent first, as `deadlines.overdue`
    orders the engine's output (due date, kind, label, then the engine's order); measures
    with none are left out (closed ones among them)."""
    refresh()
    day = today.isoformat()
    late: dict[int, list[Deadline]] = {}
    for ids in _chunks(sorted(set(measure_ids))):
        for row in _execute(f'SELECT {_COLUMNS} FROM "pending_deadline" WHERE "measure_id" IN '
                            f'({_marks(len(ids))}) AND "due_on" < ? AND {_ARRIVED} '
                            'ORDER BY "measure_id", "due_on", "rank", "label", "id"', [*ids, day, day]):
            late.setdefault(row[0], []).append(_deadline(*row))
    return late


def measures_due(today: dt.date, within_days: int) -> list[int]:
    """The open measures with a pending deadline due at most `within_days` after today
    (negative: overdue by at least that many days), by id: the dossier list's filter,
    one indexed query instead of reading every pending deadline."""
    refresh()
    last_day = (today + dt.timedelta(days=within_days)).isoformat()
    return [row[0] for row in _execute(f'SELECT DISTINCT "measure_id" FROM "pending_deadline" '
                                       f'WHERE "due_on" <= ? AND {_ARRIVED} ORDER BY 1',
                                       [last_day, today.isoformat()])]
