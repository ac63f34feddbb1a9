"""The one clock: every "today" and "now" of the application comes from here.

Deadlines, the agenda's opening day, audit times and signing times all depend on the
date; reading it in one place lets the tests, the benchmark and a developer set it
(`set_moment`, or `INJONCTIONS_NOW` for a child process) without touching the
system clock, and keeps the app's answer identical whatever day the suite runs.

A set clock keeps ticking from the moment it was given, on `time.monotonic`, so
events still follow each other in time (audit order, "slots already gone") and a
test that moves the system clock does not move it.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from .errors import InjonctionsError

#: A child process (the CLI started by a test, the benchmark's children) starts its
#: clock at this ISO moment, e.g. ``2026-11-23T10:00:00``.
CLOCK_ENV = "INJONCTIONS_NOW"


@dataclass(frozen=True)
class Clock:
    """The real clock (`start` None), or one set to `start` that ticks from there."""

    start: dt.datetime | None = None
    tick: bool = True
    _origin: float = field(default_factory=time.monotonic, compare=False, repr=False)

    def now(self) -> dt.datetime:
        if self.start is None:
            return dt.datetime.now()
        if not self.tick:
            return self.start
        return self.start + dt.timedelta(seconds=time.monotonic() - self._origin)


def _from_environment(value: str) -> Clock:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InjonctionsError(f"{CLOCK_ENV} : « {value[:40]} » n'est pas une date et heure ISO "
                               "(AAAA-MM-JJTHH:MM:SS).") from None
    return Clock(moment.replace(tzinfo=None) if moment.tzinfo is None else
                 moment.astimezone().replace(tzinfo=None))


_clock = Clock()


def configure_from_environment(environ: Mapping[str, str] = os.environ) -> None:
    """Start at `INJONCTIONS_NOW` when it is set (the CLI calls this once at start);
    otherwise leave the clock as it is."""
    global _clock
    if environ.get(CLOCK_ENV):
        _clock = _from_environment(environ[CLOCK_ENV])


def now() -> dt.datetime:
    """The current local moment, to the second."""
    return _clock.now().replace(microsecond=0)


def now_utc() -> dt.datetime:
    """The current moment as an aware UTC datetime (certificates, signing times)."""
    return _clock.now().astimezone(dt.timezone.utc)


def today() -> dt.date:
    return _clock.now().date()


def set_moment(moment: dt.datetime | None, *, tick: bool = True) -> Clock:
    """Set the clock to `moment` (None: the system clock again); returns the previous one."""
    global _clock
    previous, _clock = _clock, Clock(moment, tick)
    return previous


@contextmanager
def moment(at: dt.datetime, *, tick: bool = True) -> Iterator[None]:
    """The clock at `at` for the duration of the block."""
    previous = set_moment(at, tick=tick)
    try:
        yield
    finally:
        global _clock
        _clock = previous


def environment_for_child() -> dict[str, str]:
    """What a child process needs to share this clock (empty with the system clock)."""
    return {CLOCK_ENV: now().isoformat()} if _clock.start is not None else {}
