"""Crash safety: SIGKILL at random moments during a stream of writes, a hundred times.

After every kill the base is reopened: `PRAGMA integrity_check` must say ok, every
acknowledged write (an id printed after its commit) must be there, and no write may
be half there (each transaction adds a person and its audit event: both or neither).
The same base is reused across runs, so later runs also kill during the recovery of
the previous crash's WAL, and during checkpoints (the child checkpoints often).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from injonctions_tui.domain.store import integrity, storage
from tests.conftest import PASSPHRASE, child_environment

ROOT = Path(__file__).resolve().parents[3]
WRITER = Path(__file__).with_name("crash_writer.py")
RUNS = 100
#: Share of runs killed before the child is ready (during start-up and WAL recovery).
EARLY_KILLS = 0.15
MAX_DELAY = 0.12
SEED = int(os.environ.get("CRASH_SEED", "20261123"))


def _one_run(db_path: Path, run: int, rng: random.Random) -> list[int]:
    """Start the writer, kill it at a random moment, return the acknowledged ids."""
    env = child_environment(CRASH_PASSPHRASE=PASSPHRASE, PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, str(WRITER), str(db_path), str(run)], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        if rng.random() < EARLY_KILLS:
            time.sleep(rng.uniform(0, 0.15))
        else:
            ready = child.stdout.readline()
            assert ready == "pret\n", child.stderr.read()
            time.sleep(rng.uniform(0, MAX_DELAY))
    finally:
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL, err  # it was killed, not crashed on its own
    complete_lines = out.split("\n")[:-1]  # a line without its newline was never acknowledged
    return [int(line) for line in complete_lines if line.isdigit()]


def _check(db_path: Path, key: bytes) -> set[int]:
    """Reopen after the crash: integrity, and what is in the base."""
    db = storage.open_with_key(db_path, key)
    try:
        assert db.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute_sql("PRAGMA foreign_key_check").fetchall() == []
        half_done = db.execute_sql(
            "SELECT count(*) FROM person p LEFT JOIN audit_event e ON e.entity_id = p.id "
            "AND e.action = 'ecriture' WHERE e.id IS NULL").fetchone()[0]
        persons = {row[0] for row in db.execute_sql("SELECT id FROM person")}
        events = db.execute_sql("SELECT count(*) FROM audit_event WHERE action = 'ecriture'").fetchone()[0]
        assert half_done == 0 and events == len(persons)
        verdict = integrity.verify_base()  # a kill never leaves the chain or its head behind
        assert verdict.intact, verdict.problems
        return persons
    finally:
        db.close()


def test_sigkill_during_writes_loses_no_acknowledged_write(tmp_path: Path) -> None:
    db_path = tmp_path / "injonctions.db"
    storage.create_database(db_path, PASSPHRASE, kdf=storage.FAST_KDF).close()
    key = storage.derive_key_for(db_path, PASSPHRASE)
    rng = random.Random(SEED)
    acknowledged: set[int] = set()
    lost: set[int] = set()
    runs_with_writes = 0
    started = time.monotonic()
    for run in range(RUNS):
        acked = _one_run(db_path, run, rng)
        runs_with_writes += bool(acked)
        acknowledged.update(acked)
        present = _check(db_path, key)
        lost |= acknowledged - present
    elapsed = time.monotonic() - started
    print(f"\nTest de coupure (SIGKILL) : {RUNS} exécutions tuées ({runs_with_writes} pendant les écritures), "
          f"{len(acknowledged)} écritures acquittées, {len(lost)} perdues, "
          f"intégrité ok après chaque coupure ; graine {SEED}, {elapsed:.1f} s.")
    assert not lost
    assert len(acknowledged) >= RUNS  # the test really exercised writes
