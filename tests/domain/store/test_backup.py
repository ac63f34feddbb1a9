"""Backups (encrypted, consistent, never overwriting), restore (checks first, keeps the
replaced base aside, migrates old backups) and the passphrase change (rekey)."""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import threading
from pathlib import Path

import pytest

from injonctions_tui.domain.core import models
from injonctions_tui.domain.core.errors import DatabaseExists, InjonctionsError, WeakPassphrase, WrongPassphrase
from injonctions_tui.domain.demo.builder import populate_demo
from injonctions_tui.domain.store import backup, instance_lock, migrations, storage
from injonctions_tui.domain.store.instance_lock import InstanceLocked
from tests.conftest import PASSPHRASE, TODAY

NEW_PASSPHRASE = "une autre phrase pour la clé USB"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _person(name: str) -> int:
    return models.Person.create(last_name=name, first_name="Tryphon").id


def _names() -> set[str]:
    return {p.last_name for p in models.Person.select()}


def _make_backup(db_path: Path, tmp_path: Path, **kwargs) -> backup.BackupInfo:
    return backup.backup(db_path, tmp_path / "cle" / "sauvegarde.db", kdf=storage.FAST_KDF, **kwargs)


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    folder = tmp_path / "cle"
    folder.mkdir()
    return folder


def test_backup_is_encrypted_private_and_leaks_no_demo_name(db, db_path: Path, usb: Path) -> None:
    with db.atomic():
        populate_demo(TODAY)
    names = {p.last_name for p in models.Person.select()} | {m.parquet_number for m in models.Measure.select()}
    info = backup.backup(db_path, usb / "sauvegarde.db")
    raw = info.path.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert not [n for n in names if n.encode() in raw or n.upper().encode() in raw]
    assert info.path.stat().st_mode & 0o077 == 0 and info.kdf_path.stat().st_mode & 0o077 == 0
    assert sorted(p.name for p in usb.iterdir()) == ["sauvegarde.db", "sauvegarde.db.kdf"]  # no temp left
    persons = models.Person.select().count()
    assert info.counts["person"] == persons and info.schema_version == migrations.LATEST_VERSION
    assert f"{persons} personne(s)" in info.summary()
    assert backup.last_backup_at() is not None
    assert models.AuditEvent.select().where(models.AuditEvent.action == "sauvegarde").count() == 1


def test_backup_while_another_connection_writes_is_a_consistent_snapshot(db, db_path: Path, usb: Path) -> None:
    for i in range(50):
        _person(f"AVANT{i}")
    key = storage.derive_key_for(db_path, PASSPHRASE)
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        other = storage._connect(db_path, key, storage._PRAGMAS)
        try:
            while not stop.is_set():
                with other.atomic():
                    other.execute_sql(
                        "INSERT INTO person (last_name, first_name, is_protected_adult, created_at, search_name)"
                        " VALUES ('PENDANT', 'x', 0, '2026-01-01 00:00:00', '')")
                    other.execute_sql("INSERT INTO audit_event (at, actor, action, details)"
                                      " VALUES ('2026-01-01 00:00:00', 't', 'paire', '')")
                written.append(1)
                stop.wait(0.002)  # a busy user, not a tight loop that starves the app's own writes
        finally:
            other.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            stop.wait(0.01)
        infos = [backup.backup(db_path, usb / f"s{i}.db") for i in range(3)]
    finally:
        stop.set()
        thread.join()
    assert len(written) > 5
    for earlier_backups, info in enumerate(infos):
        checked = backup.verify_backup(info.path, PASSPHRASE)
        # each writer transaction adds one person and one event: a snapshot sees both or neither
        pairs = checked.counts["person"] - 50
        assert pairs >= 0 and checked.counts["audit_event"] - earlier_backups == pairs


def test_never_overwrites_and_reports_missing_or_unusable_folders(db, db_path: Path, usb: Path, tmp_path: Path) -> None:
    target = usb / "sauvegarde.db"
    target.write_bytes(b"un fichier important")
    with pytest.raises(DatabaseExists, match="existe déjà"):
        backup.backup(db_path, target)
    assert target.read_bytes() == b"un fichier important"
    with pytest.raises(InjonctionsError, match="n'existe pas"):
        backup.backup(db_path, tmp_path / "absente" / "s.db")
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    with pytest.raises(InjonctionsError, match="n'existe pas"):
        backup.backup(db_path, blocker / "s.db")
    assert backup.last_backup_at() is None  # a failed backup is not recorded


def test_backup_into_a_folder_gets_a_dated_name(db, db_path: Path, usb: Path) -> None:
    info = backup.backup(db_path, usb, now=dt.datetime(2026, 11, 23, 10, 15, 0))
    assert info.path == usb / "injonctions-2026-11-23-101500.db"


def test_backup_with_a_new_passphrase(db, db_path: Path, usb: Path) -> None:
    _person("TOURNESOL")
    with pytest.raises(WeakPassphrase):
        backup.backup(db_path, usb / "s.db", passphrase="court")
    info = backup.backup(db_path, usb / "s.db", passphrase=NEW_PASSPHRASE, kdf=storage.FAST_KDF)
    assert info.new_passphrase
    assert storage.kdf_path(info.path).read_bytes() != storage.kdf_path(db_path).read_bytes()
    assert backup.verify_backup(info.path, NEW_PASSPHRASE).counts["person"] == 1
    with pytest.raises(WrongPassphrase):
        backup.verify_backup(info.path, PASSPHRASE)


def test_restore_keeps_the_old_base_aside_and_brings_the_backup_back(db, db_path: Path, usb: Path) -> None:
    _person("TOURNESOL")
    info = backup.backup(db_path, usb / "s.db")
    _person("CASTAFIORE")
    db.close()
    result = backup.restore(info.path, db_path, PASSPHRASE, now=dt.datetime(2026, 11, 23, 11, 0, 0))
    aside = db_path.with_name("injonctions-remplacee-20261123-110000.db")
    assert result.aside[0] == aside and storage.kdf_path(aside).exists()
    reopened = storage.open_database(db_path, PASSPHRASE)
    try:
        assert _names() == {"TOURNESOL"}
        assert models.AuditEvent.select().where(models.AuditEvent.action == "restauration").count() == 1
    finally:
        reopened.close()
    old = storage.open_database(aside, PASSPHRASE)
    try:
        assert _names() == {"TOURNESOL", "CASTAFIORE"}
    finally:
        old.close()
    assert "conservée" in result.summary()


def test_restore_on_a_new_computer(tmp_path: Path, db, db_path: Path, usb: Path) -> None:
    _person("TOURNESOL")
    info = backup.backup(db_path, usb / "s.db", passphrase=NEW_PASSPHRASE, kdf=storage.FAST_KDF)
    db.close()
    fresh = tmp_path / "neuf" / "injonctions.db"
    result = backup.restore(info.path, fresh, NEW_PASSPHRASE)
    assert result.aside == []
    storage.open_database(fresh, NEW_PASSPHRASE).close()


def test_restore_refuses_a_corrupted_backup_or_a_wrong_passphrase_and_touches_nothing(
        db, db_path: Path, usb: Path) -> None:
    _person("TOURNESOL")
    info = backup.backup(db_path, usb / "s.db")
    db.close()
    before = {p.name: _digest(p) for p in db_path.parent.iterdir()}
    with pytest.raises(WrongPassphrase):
        backup.restore(info.path, db_path, "pas la bonne phrase du tout")
    raw = bytearray(info.path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    info.path.write_bytes(bytes(raw))
    with pytest.raises(storage.DamagedDatabase, match="endommagée"):
        backup.restore(info.path, db_path, PASSPHRASE)
    info.path.write_bytes(bytes(raw[: len(raw) // 3]))
    with pytest.raises(InjonctionsError, match="endommagée|incorrecte"):
        backup.restore(info.path, db_path, PASSPHRASE)
    storage.kdf_path(info.path).unlink()
    with pytest.raises(InjonctionsError, match="incomplète"):
        backup.restore(info.path, db_path, PASSPHRASE)
    after = {p.name: _digest(p) for p in db_path.parent.iterdir() if p.name != "injonctions.db.lock"}
    assert after == before


def test_restore_refuses_while_another_program_holds_the_base(db, db_path: Path, usb: Path) -> None:
    info = backup.backup(db_path, usb / "s.db")
    db.close()
    with open(instance_lock.lock_path(db_path), "a+b") as other:  # another program's flock
        fcntl.flock(other, fcntl.LOCK_EX)
        with pytest.raises(InstanceLocked, match="déjà ouverte"):
            backup.restore(info.path, db_path, PASSPHRASE)
    assert not list(db_path.parent.glob("*remplacee*"))
    storage.open_database(db_path, PASSPHRASE).close()


def test_restore_of_a_version_1_backup_migrates_it(tmp_path: Path, usb: Path) -> None:
    # What the first release left on a USB key: an encrypted base at schema 1 and its .kdf
    # (today's models cannot write to a schema-1 base, so it is built with raw SQL).
    old = storage.create_database(usb / "v1.db", PASSPHRASE, kdf=storage.FAST_KDF, upgrade_to=1)
    old.execute_sql("INSERT INTO person (last_name, first_name, is_protected_adult, created_at)"
                    " VALUES ('TOURNESOL', 'Tryphon', 0, '2020-01-01 00:00:00')")
    old.close()
    info = backup.verify_backup(usb / "v1.db", PASSPHRASE)
    assert info.schema_version == 1 and info.counts["person"] == 1
    target = tmp_path / "actuelle" / "injonctions.db"
    result = backup.restore(info.path, target, PASSPHRASE)
    assert (result.migrated_from, result.migrated_to) == (1, migrations.LATEST_VERSION)
    restored = storage.open_database(target, PASSPHRASE)
    try:
        person = models.Person.get()
        assert person.last_name == "TOURNESOL" and person.search_name == "tournesol tryphon"
    finally:
        restored.close()


def test_backup_reminder(db, db_path: Path, usb: Path) -> None:
    assert backup.backup_reminder(TODAY) is None  # an empty base has nothing to lose
    populate_demo(TODAY)
    assert "Aucune sauvegarde" in backup.backup_reminder(TODAY)
    backup.backup(db_path, usb / "s.db", now=dt.datetime(2026, 11, 10, 9, 0))
    assert backup.backup_reminder(dt.date(2026, 11, 17)) is None
    message = backup.backup_reminder(TODAY)
    assert "il y a 13 jours" in message and "10/11/2026" in message


def test_change_passphrase_then_old_refused_new_works_data_intact(db, db_path: Path, usb: Path) -> None:
    _person("TOURNESOL")
    old_backup = backup.backup(db_path, usb / "avant.db")
    db.close()
    with pytest.raises(WeakPassphrase):
        backup.change_passphrase(db_path, PASSPHRASE, "court")
    with pytest.raises(WrongPassphrase):
        backup.change_passphrase(db_path, "pas la bonne phrase du tout", NEW_PASSPHRASE)
    changed = backup.change_passphrase(db_path, PASSPHRASE, NEW_PASSPHRASE, kdf=storage.FAST_KDF)
    changed.close()
    assert not storage.pending_kdf_path(db_path).exists()
    with pytest.raises(WrongPassphrase):
        storage.open_database(db_path, PASSPHRASE)
    reopened = storage.open_database(db_path, NEW_PASSPHRASE)
    try:
        assert _names() == {"TOURNESOL"}
        assert reopened.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert models.AuditEvent.select().where(models.AuditEvent.action == "changement_phrase_secrete").count() == 1
    finally:
        reopened.close()
    assert backup.verify_backup(old_backup.path, PASSPHRASE).counts["person"] == 1  # old backups: old phrase


def test_a_passphrase_change_interrupted_after_the_rekey_is_finished_at_unlock(db, db_path: Path) -> None:
    """Simulate a crash between the rekey and the replacement of the .kdf file."""
    _person("TOURNESOL")
    db.close()
    old_kdf = storage.kdf_path(db_path).read_bytes()
    backup.change_passphrase(db_path, PASSPHRASE, NEW_PASSPHRASE, kdf=storage.FAST_KDF).close()
    storage.kdf_path(db_path).replace(storage.pending_kdf_path(db_path))
    storage.kdf_path(db_path).write_bytes(old_kdf)  # as if step 4 never happened
    with pytest.raises(WrongPassphrase):
        storage.open_database(db_path, PASSPHRASE)
    assert storage.pending_kdf_path(db_path).exists()
    reopened = storage.open_database(db_path, NEW_PASSPHRASE)
    reopened.close()
    assert not storage.pending_kdf_path(db_path).exists()
    storage.open_database(db_path, NEW_PASSPHRASE).close()


def test_a_stale_pending_salt_does_not_block_the_old_passphrase(db, db_path: Path) -> None:
    """Crash before the rekey: the base still opens with the old passphrase."""
    db.close()
    storage._write_kdf_file(db_path, storage.FAST_KDF, target=storage.pending_kdf_path(db_path))
    storage.open_database(db_path, PASSPHRASE).close()
    backup.change_passphrase(db_path, PASSPHRASE, NEW_PASSPHRASE, kdf=storage.FAST_KDF).close()
    storage.open_database(db_path, NEW_PASSPHRASE).close()


def test_restore_of_a_plain_copy_of_a_live_base_replays_its_wal(db, db_path: Path, tmp_path: Path) -> None:
    """A user who copied the files by hand (base, -wal, .kdf) gets everything back."""
    _person("TOURNESOL")
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.stat().st_size > 0  # the row is still in the WAL, not in the base file
    copy = tmp_path / "copie" / "injonctions.db"
    copy.parent.mkdir()
    for suffix in ("", "-wal", ".kdf"):
        copy.with_name(copy.name + suffix).write_bytes(db_path.with_name(db_path.name + suffix).read_bytes())
    db.close()
    target = tmp_path / "neuf" / "injonctions.db"
    backup.restore(copy, target, PASSPHRASE)
    restored = storage.open_database(target, PASSPHRASE)
    try:
        assert _names() == {"TOURNESOL"}
    finally:
        restored.close()
