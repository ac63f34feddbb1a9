"""The audit trail: who did what, when, to which record, as a hash chain (issues 8 and 15).

Each event is appended by `store.integrity.append_events` (its MAC covers the previous
event's), inside a write transaction taken with BEGIN IMMEDIATE: a read command's event
(`injonctions agenda`…) waits its turn instead of making a writer fail, and is retried a
few times when the base stays busy (another program's long write).
"""

from __future__ import annotations

import datetime as dt
import time

from peewee import OperationalError

from ..core import clock
from ..core.models import database
from . import integrity
from .professionals import current_user

#: Waits between attempts when the base stays locked beyond SQLite's busy timeout.
RETRY_DELAYS = (0.05, 0.2, 0.5, 1.0)


def _actor() -> str:
    user = current_user()
    return user.full_name if user else "système"


def _stamp(at: dt.datetime | None) -> str:
    return str(at or clock.now())  # as peewee stores a DateTimeField


def record(action: str, entity: str | None = None, entity_id: int | None = None,
           details: str = "", *, at: dt.datetime | None = None) -> None:
    """Append one event. `details` must never hold personal data beyond ids."""
    record_many(action, entity, [entity_id], details, at=at)


def record_many(action: str, entity: str | None, entity_ids: list[int | None], details: str = "", *,
                at: dt.datetime | None = None) -> None:
    """One event per id (an import of many saisines), chained in one statement batch."""
    def append() -> None:
        actor, stamp = _actor(), _stamp(at)
        integrity.append_events([(stamp, actor, action, entity, entity_id, details[:500])
                                 for entity_id in entity_ids])

    if database.in_transaction():  # the caller's transaction (already BEGIN IMMEDIATE) holds the lock
        append()
        return
    for delay in (*RETRY_DELAYS, None):
        try:
            with database.atomic():  # BEGIN IMMEDIATE (storage opens every base so)
                append()
            return
        except OperationalError as error:
            if delay is None or not ("locked" in str(error) or "busy" in str(error)):
                raise
            time.sleep(delay)
