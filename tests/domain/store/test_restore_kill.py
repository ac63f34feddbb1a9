"""Crash safety of `restore` (issue 15, point 4): SIGKILL at every step of the swap, and at
random moments, then the next start. The base at the path is always a whole base, the old
one or the restored one, never missing, never half; the first-run wizard never starts."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from injonctions_tui.domain.core.models import Person
from injonctions_tui.domain.store import backup, storage
from tests.conftest import PASSPHRASE, child_environment

ROOT = Path(__file__).resolve().parents[3]
WRITER = Path(__file__).with_name("restore_writer.py")
STEPS = ("copie écrite", "copie vérifiée", "journal écrit", "base mise de côté", "clé en place", "terminé")
RUNS_PER_STEP = 3
RANDOM_RUNS = 8
SEED = int(os.environ.get("CRASH_SEED", "20261123"))


def _prepare(folder: Path) -> tuple[Path, Path]:
    """A base with two persons, and a backup of it when it had one."""
    db_path = folder / "injonctions.db"
    db = storage.create_database(db_path, PASSPHRASE, kdf=storage.FAST_KDF)
    try:
        Person.create(last_name="Fictif", first_name="Avant")
        saved = backup.backup(db_path, folder / "sauvegarde.db", kdf=storage.FAST_KDF)
        Person.create(last_name="Fictif", first_name="Après")
    finally:
        db.close()
    return db_path, saved.path


def _kill_during_restore(db_path: Path, saved: Path, stop_at: str, delay: float | None) -> list[str]:
    env = child_environment(CRASH_PASSPHRASE=PASSPHRASE, PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, str(WRITER), str(db_path), str(saved), stop_at], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: list[str] = []
    try:
        if delay is not None:
            time.sleep(delay)
        else:
            for line in child.stdout:
                seen.append(line.strip())
                if line.strip() in ("arret", "fini"):
                    break
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
    return seen


def _after_restart(db_path: Path) -> int:
    """What the next start does: finish or forget the restore, then open. Persons in the base."""
    if not db_path.exists():  # the worst moments: no base at the path, the wizard must be blocked
        assert backup.wizard_blocker(db_path) is not None
    backup.finish_interrupted_restore(db_path)
    assert db_path.exists(), "aucune base à l'emplacement après la reprise"
    assert not backup.journal_path(db_path).exists()
    db = storage.open_database(db_path, PASSPHRASE)
    try:
        assert db.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
        return Person.select().count()
    finally:
        db.close()


def test_sigkill_at_every_step_of_a_restore_never_loses_the_base(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    plan = [(step, None) for step in STEPS for _ in range(RUNS_PER_STEP)]
    plan += [("aucune", rng.uniform(0.05, 0.6)) for _ in range(RANDOM_RUNS)]
    outcomes = {"ancienne": 0, "restaurée": 0, "sans base": 0}
    for run, (step, delay) in enumerate(plan):
        folder = tmp_path / f"essai-{run}"
        folder.mkdir()
        db_path, saved = _prepare(folder)
        seen = _kill_during_restore(db_path, saved, step, delay)
        outcomes["sans base"] += not db_path.exists()
        if delay is None:
            assert "arret" in seen, seen
        persons = _after_restart(db_path)
        assert persons in (1, 2)
        outcomes["restaurée" if persons == 1 else "ancienne"] += 1
        if step in ("journal écrit", "base mise de côté", "clé en place", "terminé"):
            assert persons == 1  # the journal was written: the restore is finished, not lost
            assert backup.replaced_bases(db_path)  # and the replaced base kept aside
    print(f"\nTest de coupure de la restauration : {len(plan)} exécutions tuées ({len(STEPS)} étapes × "
          f"{RUNS_PER_STEP}, {RANDOM_RUNS} au hasard) ; base ancienne intacte {outcomes['ancienne']} fois, "
          f"restauration terminée {outcomes['restaurée']} fois ; {outcomes['sans base']} coupure(s) sans base à "
          f"l'emplacement, assistant bloqué et restauration terminée au redémarrage ; graine {SEED}.")


def test_the_wizard_never_starts_beside_a_replaced_base_or_a_restore_in_progress(tmp_path: Path) -> None:
    db_path, saved = _prepare(tmp_path)
    backup.restore(saved, db_path, PASSPHRASE)
    (aside,) = backup.replaced_bases(db_path)
    for suffix in ("", ".kdf"):
        db_path.with_name(db_path.name + suffix).unlink()
    assert "une base remplacée par une restauration se trouve à côté" in backup.wizard_blocker(db_path)
    from injonctions_tui import cli

    assert cli.main(["init", "--db", str(db_path)]) == 2
    assert not db_path.exists()
    backup.journal_path(db_path).write_text("{}")
    assert "Une restauration est en cours" in backup.wizard_blocker(db_path)


@pytest.mark.parametrize("name", ["time_cost", "memory_cost_kib", "parallelism"])
def test_a_crafted_backup_is_refused_at_once(tmp_path: Path, name: str) -> None:
    import json

    db_path, saved = _prepare(tmp_path)
    params = json.loads(storage.kdf_path(saved).read_text())
    params[name] = {"time_cost": 10 ** 9, "memory_cost_kib": 2 ** 40, "parallelism": 2 ** 30}[name]
    storage.kdf_path(saved).write_text(json.dumps(params))
    before = db_path.read_bytes()
    from injonctions_tui.domain.core.errors import InjonctionsError

    with pytest.raises(InjonctionsError, match="hors limites"):
        backup.restore(saved, db_path, PASSPHRASE)
    assert db_path.read_bytes() == before
