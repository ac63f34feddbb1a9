"""A second program on the same database is told, in French, instead of let in."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from injonctions_tui.domain.store import instance_lock
from injonctions_tui.domain.store.instance_lock import InstanceLock, InstanceLocked

ROOT = Path(__file__).resolve().parents[3]

#: Another program: try to take the lock, say what happened, keep it if asked to.
CHILD = """
import sys
from pathlib import Path
from injonctions_tui.domain.store import instance_lock
try:
    lock = instance_lock.acquire(Path(sys.argv[1]))
except instance_lock.InstanceLocked as error:
    print(error.message, flush=True)
    sys.exit(error.exit_status)
print("verrou pris", flush=True)
if len(sys.argv) > 2:
    sys.stdin.readline()
"""


def _other_program(db_path: Path, *, keep: bool = False) -> subprocess.Popen:
    args = [sys.executable, "-c", CHILD, str(db_path)] + (["garder"] if keep else [])
    return subprocess.Popen(args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_second_program_is_refused_with_a_french_message_then_let_in_after_close(tmp_path: Path) -> None:
    db_path = tmp_path / "injonctions.db"
    lock = instance_lock.acquire(db_path)
    try:
        child = _other_program(db_path)
        out, err = child.communicate(timeout=60)
        assert child.returncode == 2, err
        assert "La base est déjà ouverte par une autre fenêtre ou un autre programme" in out
        assert f"processus n° {os.getpid()}" in out
        assert err == ""
    finally:
        lock.release()
    child = _other_program(db_path)
    out, _ = child.communicate(timeout=60)
    assert child.returncode == 0 and "verrou pris" in out


def test_the_lock_of_another_process_refuses_this_one_and_dies_with_it(tmp_path: Path) -> None:
    db_path = tmp_path / "injonctions.db"
    child = _other_program(db_path, keep=True)
    try:
        assert child.stdout.readline().strip() == "verrou pris"
        assert instance_lock.is_locked(db_path)
        with pytest.raises(InstanceLocked, match=f"processus n° {child.pid}"):
            instance_lock.acquire(db_path)
    finally:
        child.send_signal(signal.SIGKILL)  # a crash: no clean release
        child.wait(timeout=60)
    assert not instance_lock.is_locked(db_path)
    with instance_lock.acquire(db_path) as lock:  # a stale lock file is not a problem
        assert lock.held
    assert not lock.held


def test_lock_file_holds_only_a_process_id_and_is_private(tmp_path: Path) -> None:
    db_path = tmp_path / "donnees" / "injonctions.db"  # the folder is created if needed
    with InstanceLock(db_path) as lock:
        assert lock.path == tmp_path / "donnees" / "injonctions.db.lock"
        assert lock.path.read_text() == f"{os.getpid()}\n"
        assert lock.path.stat().st_mode & 0o077 == 0
    assert lock.path.read_text() == ""


def test_hold_reuses_the_lock_this_process_already_has(tmp_path: Path) -> None:
    db_path = tmp_path / "injonctions.db"
    with instance_lock.acquire(db_path) as outer:
        assert instance_lock.held_here(db_path) is outer
        with instance_lock.hold(db_path) as inner:
            assert inner is outer
        assert outer.held  # the inner block did not release the app's lock
        with pytest.raises(InstanceLocked):
            InstanceLock(db_path).acquire()  # a second, independent lock is still refused
    assert instance_lock.held_here(db_path) is None
    with instance_lock.hold(db_path) as own:
        assert own.held
    assert not own.held


def test_lock_in_a_folder_that_cannot_exist_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    with pytest.raises(Exception) as caught:
        instance_lock.acquire(blocker / "injonctions.db")
    assert "n'est pas un dossier" in caught.value.message
