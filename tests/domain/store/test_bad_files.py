"""Bad files and a hostile disk: a French message, no traceback, nothing destroyed.

Tried: truncated base (mid-page and on a page boundary), a flipped byte, random
bytes, an empty file, a folder, a plaintext SQLite file, a base from a newer version,
a read-only folder (as root, chmod does not stop writes: the child process drops its
privileges first), and a full disk (a file-size limit, RLIMIT_FSIZE, in a child).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from injonctions_tui.domain.core import models
from injonctions_tui.domain.core.errors import InjonctionsError, WrongPassphrase
from injonctions_tui.domain.store import migrations, storage
from tests.conftest import PASSPHRASE, child_environment

ROOT = Path(__file__).resolve().parents[3]
NOBODY = 65534


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def filled(db, db_path: Path) -> Path:
    """A closed base with a few hundred rows, so that it spans many pages."""
    with db.atomic():
        for i in range(300):
            models.Person.create(last_name=f"NOM{i}" * 10, first_name="Prénom" * 10)
    db.close()
    return db_path


def _refused(db_path: Path, error: type[InjonctionsError], pattern: str) -> InjonctionsError:
    before = _digest(db_path) if db_path.is_file() else None
    with pytest.raises(error, match=pattern) as caught:
        storage.open_database(db_path, PASSPHRASE)
    if before is not None:
        assert _digest(db_path) == before  # nothing was written to the file
    return caught.value


@pytest.mark.parametrize("cut", ["moitie", "frontiere_de_page"])
def test_truncated_base(filled: Path, cut: str) -> None:
    raw = filled.read_bytes()
    size = len(raw) // 2 if cut == "moitie" else (len(raw) // 2) // storage.PAGE_SIZE * storage.PAGE_SIZE
    filled.write_bytes(raw[:size])
    message = _refused(filled, storage.DamagedDatabase, "endommagée").message
    assert "Restaurez la dernière sauvegarde" in message


def test_flipped_byte_inside_the_base(filled: Path) -> None:
    raw = bytearray(filled.read_bytes())
    raw[storage.PAGE_SIZE * 5 + 100] ^= 0x01
    filled.write_bytes(bytes(raw))
    _refused(filled, storage.DamagedDatabase, "endommagée")


def test_random_bytes(filled: Path) -> None:
    filled.write_bytes(os.urandom(8 * storage.PAGE_SIZE))
    _refused(filled, WrongPassphrase, "n'est pas une base injonctions")
    filled.write_bytes(os.urandom(5000))
    _refused(filled, WrongPassphrase, "tronqué")


def test_empty_file(filled: Path) -> None:
    filled.write_bytes(b"")
    _refused(filled, storage.DamagedDatabase, "est vide")
    assert filled.stat().st_size == 0
    assert sorted(p.name for p in filled.parent.iterdir()) == ["injonctions.db", "injonctions.db.kdf"]


def test_a_folder_instead_of_the_base(filled: Path) -> None:
    filled.unlink()
    filled.mkdir()
    _refused(filled, InjonctionsError, "est un dossier")


def test_plaintext_sqlite_file(filled: Path) -> None:
    filled.unlink()
    sqlite3.connect(filled).execute("CREATE TABLE t (x)").connection.close()
    _refused(filled, WrongPassphrase, "non chiffrée")


def test_base_from_a_newer_version(filled: Path) -> None:
    db = storage.open_database(filled, PASSPHRASE)
    db.execute_sql("INSERT INTO schema_version (version, applied_at) VALUES (?, '2099-01-01')",
                   (migrations.LATEST_VERSION + 1,))
    db.close()
    _refused(filled, InjonctionsError, "version plus récente")
    with storage.open_with_key(filled, storage.derive_key_for(filled, PASSPHRASE), upgrade=False):
        assert models.Person.select().count() == 300


# -- Read-only folder and full disk: in a child process, for the privileges and limits --

CHILD = """
import os, resource, sys
from pathlib import Path
from injonctions_tui.domain.core import models
from injonctions_tui.domain.store import backup, instance_lock, storage
from injonctions_tui.domain.core.errors import InjonctionsError
import argon2.low_level  # loaded lazily by the app; here before becoming nobody, who cannot read root's Python
mode, path = sys.argv[1], Path(sys.argv[2])
if mode == "lecture_seule" and os.geteuid() == 0:
    os.setgid(%(nobody)d); os.setuid(%(nobody)d)  # root ignores permissions: become nobody
limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
try:
    if mode == "lecture_seule":
        try:
            instance_lock.acquire(path)
        except InjonctionsError as error:
            print("VERROU", error.message, flush=True)
        storage.open_database(path, os.environ["P"])
    elif mode == "disque_plein":
        db = storage.open_database(path, os.environ["P"])
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # Python ignores SIGXFSZ
        try:
            with db.atomic():
                models.Person.create(last_name="GROS", first_name="x" * 2_000_000)
        except Exception as error:
            explained = storage.explain_database_error(error, path)
            print("ECRITURE", explained.message if explained else repr(error), flush=True)
        print("APRES", models.Person.select().count(), flush=True)
        db.close()
    elif mode == "sauvegarde_pleine":
        db = storage.open_database(path, os.environ["P"])
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        backup.backup(path, Path(sys.argv[4]))
    print("OUVERTE")
except InjonctionsError as error:
    print("REFUS", type(error).__name__, error.message)
""" % {"nobody": NOBODY}


def _child(*args: str) -> str:
    result = subprocess.run([sys.executable, "-c", CHILD, *args], cwd=ROOT, capture_output=True, text=True,
                            env=child_environment(P=PASSPHRASE), timeout=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result.stdout


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder the unprivileged child can reach (pytest's tmp folders are root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="injonctions-lecture-seule-"))
    try:
        yield folder
    finally:
        folder.chmod(0o700)
        shutil.rmtree(folder, ignore_errors=True)


def test_read_only_folder(shared_folder: Path) -> None:
    db_path = shared_folder / "injonctions.db"
    db = storage.create_database(db_path, PASSPHRASE, kdf=storage.FAST_KDF)
    models.Person.create(last_name="TOURNESOL", first_name="Tryphon")
    db.close()
    before = {p.name: _digest(p) for p in shared_folder.iterdir()}
    if os.geteuid() == 0:
        for path in [shared_folder, *shared_folder.iterdir()]:
            os.chown(path, NOBODY, NOBODY)
    shared_folder.chmod(0o555)
    out = _child("lecture_seule", str(db_path))
    assert "VERROU" in out and "lecture seule" in out.split("VERROU")[1].splitlines()[0]
    assert "REFUS StorageUnavailable" in out and "est en lecture seule" in out and "-wal, -shm" in out
    shared_folder.chmod(0o700)
    assert {p.name: _digest(p) for p in shared_folder.iterdir()} == before


def test_full_disk_while_writing(filled: Path) -> None:
    size = filled.stat().st_size
    out = _child("disque_plein", str(filled), str(size + 64 * 1024))
    assert "ECRITURE Le disque est plein" in out or "ECRITURE Erreur d'écriture sur le disque" in out
    assert "la dernière modification n'a pas été enregistrée" in out
    assert "APRES 300" in out  # the app goes on with its data
    db = storage.open_database(filled, PASSPHRASE)
    try:
        assert db.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert models.Person.select().count() == 300
        assert not models.Person.select().where(models.Person.last_name == "GROS").exists()
    finally:
        db.close()


def test_full_disk_during_a_backup(filled: Path, tmp_path: Path) -> None:
    usb = tmp_path / "cle"
    usb.mkdir()
    before = _digest(filled)
    out = _child("sauvegarde_pleine", str(filled), str(64 * 1024), str(usb / "s.db"))
    assert "REFUS StorageUnavailable" in out and "disque plein" in out
    assert "Aucun fichier partiel" in out
    assert list(usb.iterdir()) == []
    assert _digest(filled) == before
    storage.open_database(filled, PASSPHRASE).close()


@pytest.mark.parametrize("damage", ["vide", "dossier", "tronquee"])
def test_cli_exit_status_2_and_no_traceback(filled: Path, damage: str) -> None:
    if damage == "vide":
        filled.write_bytes(b"")
    elif damage == "dossier":
        filled.unlink()
        filled.mkdir()
    else:
        filled.write_bytes(filled.read_bytes()[: 3 * storage.PAGE_SIZE + 10])
    result = subprocess.run([sys.executable, "-m", "injonctions_tui", "agenda", "--db", str(filled)], cwd=ROOT,
                            capture_output=True, text=True, env=child_environment(INJONCTIONS_PASSPHRASE=PASSPHRASE),
                            timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert any(word in result.stderr for word in ("vide", "dossier", "endommagée", "tronqué"))


def test_explain_database_error_for_the_last_resort_handlers() -> None:
    from peewee import OperationalError

    assert storage.explain_database_error(ValueError("bug")) is None  # a bug stays a bug
    assert storage.explain_database_error(OperationalError("no such column: x")) is None
    try:  # SQLite rolled back by itself, then peewee's rollback failed: the cause is the context
        try:
            raise OperationalError("database or disk is full")
        except OperationalError:
            raise OperationalError("cannot rollback - no transaction is active")  # noqa: B904
    except OperationalError as error:
        assert storage.explain_database_error(error).message.startswith("Le disque est plein")
    assert "occupée" in storage.explain_database_error(OperationalError("database is locked")).message
    assert isinstance(storage.explain_database_error(OperationalError("database disk image is malformed")),
                      storage.DamagedDatabase)
    assert "lecture seule" in storage.explain_database_error(OperationalError("attempt to write a readonly database")).message


def _damage_a_person_page(db_path: Path) -> None:
    """Flip one byte in a page of the person table: the key, the schema, the settings
    still read (so opening succeeds); only reading every page finds it."""
    raw = bytearray(db_path.read_bytes())
    raw[len(raw) - storage.PAGE_SIZE * 3 + 100] ^= 0x01
    db_path.write_bytes(bytes(raw))


def test_a_deferred_integrity_check_finds_the_damage_later(filled: Path) -> None:
    """The app unlocks without `quick_check` (0.8 s on a big base) and runs it in a
    worker: the damage is reported then, in French, the file untouched by the check."""
    _damage_a_person_page(filled)
    before = _digest(filled)
    key = storage.derive_key_for(filled, PASSPHRASE)
    with pytest.raises(storage.DamagedDatabase, match="endommagée"):
        storage.open_with_key(filled, key)  # the CLI's way: checked at once
    db = storage.open_with_key(filled, key, defer_integrity_check=True)
    try:
        assert db.integrity_checked is False
        with pytest.raises(storage.DamagedDatabase, match="endommagée") as caught:
            storage.check_integrity(filled)
        assert "Restaurez la dernière sauvegarde" in caught.value.message
    finally:
        db.close()
    assert _digest(filled) == before


def test_a_healthy_base_passes_the_deferred_check(filled: Path) -> None:
    db = storage.open_database(filled, PASSPHRASE, defer_integrity_check=True)
    try:
        storage.check_integrity(filled)  # nothing raised
        assert models.Person.select().count() == 300  # its connection was its own
    finally:
        db.close()


def test_no_migration_runs_on_an_unchecked_base(tmp_path: Path) -> None:
    """Deferring is refused when opening would migrate: a damaged old base is refused
    before anything is rewritten."""
    old = tmp_path / "ancienne.db"
    storage.create_database(old, PASSPHRASE, kdf=storage.FAST_KDF,
                            upgrade_to=migrations.LATEST_VERSION - 1).close()
    reopened = storage.open_database(old, PASSPHRASE, defer_integrity_check=True)
    try:
        assert reopened.integrity_checked is True
        assert migrations.current_version(reopened) == migrations.LATEST_VERSION
    finally:
        reopened.close()
    reopened = storage.open_database(old, PASSPHRASE, defer_integrity_check=True)
    assert reopened.integrity_checked is False  # up to date: the app checks it later
    reopened.close()


@pytest.mark.parametrize("limit_kib", [16, 200])
def test_demo_on_a_full_disk_says_so_and_leaves_nothing(tmp_path: Path, limit_kib: int) -> None:
    """A full disk (RLIMIT_FSIZE in the child) at the start or half-way through the demo: one
    French sentence that names a full disk or a write error, status 2, no file left (issue 15)."""
    import resource
    import subprocess
    import sys

    folder = tmp_path / "demo"
    folder.mkdir()

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_kib * 1024, limit_kib * 1024))

    result = subprocess.run([sys.executable, "-m", "injonctions_tui", "demo", "--db", str(folder / "d.db"),
                             "--no-tui"], cwd=Path(__file__).resolve().parents[3], env=child_environment(),
                            capture_output=True, text=True, timeout=300, preexec_fn=limit)
    assert result.returncode == 2, result.stderr
    assert "disque" in result.stderr and "occupée" not in result.stderr and "Traceback" not in result.stderr
    assert "File too large" not in result.stderr and "No space" not in result.stderr
    assert list(folder.iterdir()) == []
