"""Concurrent use (issue 15, point 7): readers that write their audit event beside a writer,
and a passphrase change in the middle. Writes begin IMMEDIATE and wait their turn; nothing
is ever called damaged."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from injonctions_tui.domain.store import integrity, rekey, storage
from tests.conftest import PASSPHRASE, child_environment

ROOT = Path(__file__).resolve().parents[3]
WORKER = Path(__file__).with_name("race_worker.py")
READERS = 6
SECONDS = 4.0
NEW = "une toute nouvelle phrase pour la course"


def _start(db_path: Path, role: str) -> subprocess.Popen:
    env = child_environment(RACE_PASSPHRASE=PASSPHRASE, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, str(WORKER), str(db_path), role, str(SECONDS)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_readers_writer_and_a_passphrase_change_race_without_false_alarms(tmp_path: Path) -> None:
    db_path = tmp_path / "injonctions.db"
    storage.create_database(db_path, PASSPHRASE, kdf=storage.FAST_KDF).close()
    children = [_start(db_path, "ecrivain")] + [_start(db_path, "lecteur") for _ in range(READERS)]
    time.sleep(SECONDS / 2)
    changed = rekey.change_passphrase(db_path, PASSPHRASE, NEW, kdf=storage.FAST_KDF)  # committed: success
    changed.close()
    lines, writes = [], 0
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        lines += out.splitlines()
        writes = writes or out.splitlines().count("ok")  # the first child is the writer
    done = lines.count("ok")
    others = [line for line in lines if line != "ok"]
    print(f"\nCourse : 1 écrivain et {READERS} lecteurs (chacun écrit son événement de journal) pendant "
          f"{SECONDS:g} s, phrase secrète changée à mi-course : {done} opérations réussies dont {writes} écritures, "
          f"0 « base occupée », 0 « endommagée » ; {len(others)} refus après le changement, tous « phrase "
          "incorrecte » ou « vient d'être changée ».")
    assert done > 20
    assert not [line for line in others if "est endommagée" in line or "Restaurez" in line or "inattendu" in line
                or "occupée" in line]
    assert all("Phrase secrète incorrecte" in line or "vient d'être changée" in line for line in others)
    db = storage.open_database(db_path, NEW)
    try:
        assert integrity.verify_base().intact  # every event of every process is in one chain
    finally:
        db.close()
