"""The encrypted database: what a lost laptop must not give away, and unlocking."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from injonctions_tui.domain.core import models
from injonctions_tui.domain.core.errors import DatabaseExists, DatabaseMissing, InjonctionsError, WrongPassphrase
from injonctions_tui.domain.store import storage
from tests.conftest import PASSPHRASE


def _fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _add_person(name: str = "TOURNESOL") -> None:
    models.Person.create(last_name=name, first_name="Tryphon")


def test_file_is_encrypted_and_private(db, db_path: Path) -> None:
    _add_person()
    db.close()
    raw = db_path.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert b"TOURNESOL" not in raw
    assert storage.is_encrypted_file(db_path)
    assert db_path.stat().st_mode & 0o077 == 0
    assert storage.kdf_path(db_path).stat().st_mode & 0o077 == 0


def test_wal_and_foreign_keys_are_on(db) -> None:
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1


def test_reopen_with_right_passphrase_keeps_data(db, db_path: Path) -> None:
    _add_person()
    db.close()
    reopened = storage.open_database(db_path, PASSPHRASE)
    try:
        assert [p.last_name for p in models.Person.select()] == ["TOURNESOL"]
    finally:
        reopened.close()


def test_wrong_passphrase_is_refused_and_writes_nothing(db, db_path: Path, capfd) -> None:
    _add_person()
    db.close()
    before = _fingerprint(db_path.parent)
    with pytest.raises(WrongPassphrase) as caught:
        storage.open_database(db_path, "ce n'est pas la bonne phrase")
    assert "Phrase secrète incorrecte" in caught.value.message
    assert _fingerprint(db_path.parent) == before  # no -wal, no -shm, nothing changed
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""  # SQLCipher logging is silenced


@pytest.mark.parametrize("empty", ["", None])
def test_empty_passphrase_is_refused_everywhere(tmp_path: Path, empty) -> None:
    with pytest.raises(WrongPassphrase, match="vide"):
        storage.create_database(tmp_path / "a.db", empty or "", kdf=storage.FAST_KDF)
    assert not (tmp_path / "a.db").exists()


def test_open_refuses_empty_passphrase_on_existing(db, db_path: Path) -> None:
    db.close()
    with pytest.raises(WrongPassphrase, match="vide"):
        storage.open_database(db_path, "")


def test_create_never_overwrites(db, db_path: Path) -> None:
    _add_person()
    db.close()
    with pytest.raises(DatabaseExists):
        storage.create_database(db_path, PASSPHRASE, kdf=storage.FAST_KDF)
    reopened = storage.open_database(db_path, PASSPHRASE)
    assert models.Person.select().count() == 1
    reopened.close()


def test_missing_database_and_missing_kdf_file(tmp_path: Path, db, db_path: Path) -> None:
    with pytest.raises(DatabaseMissing, match="Aucune base"):
        storage.open_database(tmp_path / "absente.db", PASSPHRASE)
    db.close()
    storage.kdf_path(db_path).unlink()
    with pytest.raises(InjonctionsError, match="paramètres de clé"):
        storage.open_database(db_path, PASSPHRASE)


def test_corrupt_kdf_file_is_a_clear_error(db, db_path: Path) -> None:
    db.close()
    storage.kdf_path(db_path).write_text("{pas du json", encoding="utf-8")
    with pytest.raises(InjonctionsError, match="illisible"):
        storage.open_database(db_path, PASSPHRASE)


def test_a_file_that_is_not_a_database(tmp_path: Path, db, db_path: Path) -> None:
    db.close()
    db_path.write_bytes(b"ceci n'est pas une base" * 100)
    with pytest.raises(WrongPassphrase):
        storage.open_database(db_path, PASSPHRASE)


def test_key_is_derived_once_and_other_threads_connect_with_it(db) -> None:
    """A worker thread gets its own connection from the raw key, with the pragmas."""
    _add_person()
    seen: dict[str, object] = {}

    def worker() -> None:
        seen["count"] = models.Person.select().count()
        seen["fk"] = db.execute_sql("PRAGMA foreign_keys").fetchone()[0]
        db.close()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == {"count": 1, "fk": 1}


def test_production_key_derivation_parameters(tmp_path: Path) -> None:
    """The default argon2id cost is the real one (tests elsewhere use FAST_KDF)."""
    params = storage.KdfParams()
    assert params.memory_cost_kib >= 64 * 1024 and params.time_cost >= 3
    database = storage.create_database(tmp_path / "prod.db", PASSPHRASE)
    database.close()
    key = storage.derive_key_for(tmp_path / "prod.db", PASSPHRASE)
    assert len(key) == 32
    assert key != storage.derive_key_for(tmp_path / "prod.db", PASSPHRASE + "!")
    storage.open_with_key(tmp_path / "prod.db", key).close()
