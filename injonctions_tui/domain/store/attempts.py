"""Refused passphrases on the command line: each one waits longer, and all are recorded.

The terminal app slows down guessing at its unlock screen and writes the refused attempts
to the journal once the base opens. A script calling `injonctions` in a loop is a new
process each time, so the count lives beside the base, in `<base>.echecs` (a number and a
time, nothing personal, 0600): the n-th consecutive refusal waits FAILURE_DELAYS[n]
before answering, and the next successful unlock records how many there were, then
forgets them.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path

from ..core import clock

SUFFIX = ".echecs"
#: Seconds to wait after the n-th consecutive refusal (the unlock screen's brake).
FAILURE_DELAYS = (0, 1, 2, 4, 8, 15, 30)


def path_of(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + SUFFIX)


def failures(db_path: Path) -> int:
    try:
        with open(path_of(db_path), "rb") as handle:
            return max(0, int(json.loads(handle.read(256))["count"]))
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def refused(db_path: Path, *, sleep: bool = True) -> int:
    """Count one more refusal, then wait its delay; returns the seconds waited."""
    count = failures(db_path) + 1
    with contextlib.suppress(OSError):
        fd = os.open(path_of(db_path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            json.dump({"count": count, "last": clock.now().isoformat(timespec="seconds")}, handle)
    delay = FAILURE_DELAYS[min(count, len(FAILURE_DELAYS) - 1)]
    if sleep and delay:
        time.sleep(delay)
    return delay


def settle(db_path: Path) -> None:
    """After a successful unlock: record the refusals that came before, then forget them."""
    count = failures(db_path)
    if not count:
        return
    from . import audit

    audit.record("echec_deverrouillage", details=f"essais refusés avant ouverture={count} (ligne de commande)")
    with contextlib.suppress(OSError):
        path_of(db_path).unlink()
