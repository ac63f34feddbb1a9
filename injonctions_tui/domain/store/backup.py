"""Encrypted backups, their check, the restore, and the passphrase change (issue 8).

A backup is an SQLCipher export (`sqlcipher_export`) of the open base into a new
file keyed with the same key, or with a key derived from a new passphrase and a new
salt; its `.kdf` goes beside it. The export reads inside one transaction, so in WAL
mode it is a consistent snapshot while the app keeps writing. It is written under a
temporary name in the target folder, checked (integrity, schema), then renamed: a
backup that exists is complete. Nothing is ever overwritten.

Restoring checks the backup *before* touching anything, copies it beside the base,
migrates the copy, keeps the replaced base aside under a dated name, then renames.
The passphrase change (`change_passphrase`, in rekey.py) is re-exported here.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from playhouse.sqlcipher_ext import sqlcipher

from ..core import clock
from ..core.dates import format_fr
from ..core.errors import DatabaseExists, InjonctionsError, WrongPassphrase
from ..core.models import Measure, Setting, database
from . import audit, instance_lock, migrations, storage
from .output_files import check_output, make_private_dirs
from .passphrase import check_new_passphrase
from .rekey import change_passphrase  # noqa: F401  (the passphrase change lives beside)
from .storage import KdfParams
from .storage_errors import SQL_ERRORS, DamagedDatabase, StorageUnavailable

LAST_BACKUP_KEY = "last_backup"
REMINDER_DAYS = 7
_LABELS = {"person": "personne(s)", "measure": "mesure(s)", "appointment": "rendez-vous",
           "report": "rapport(s)", "audit_event": "événement(s) du journal"}


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds, as checked: schema version and rows per table."""

    path: Path
    created_at: dt.datetime
    schema_version: int
    counts: dict[str, int] = field(default_factory=dict)
    size_bytes: int = 0
    new_passphrase: bool = False

    @property
    def kdf_path(self) -> Path:
        return storage.kdf_path(self.path)

    def summary(self) -> str:
        parts = [f"{self.counts.get(table, 0)} {label}" for table, label in _LABELS.items()]
        return ", ".join(parts) + f" (schéma {self.schema_version})"


@dataclass(frozen=True)
class RestoreInfo:
    """The restored base, the files kept aside, and the migration applied."""

    db_path: Path
    aside: list[Path]
    backup: BackupInfo
    migrated_from: int
    migrated_to: int

    def summary(self) -> str:
        kept = f" L'ancienne base est conservée : {self.aside[0]}." if self.aside else ""
        moved = (f" Sauvegarde mise à jour du schéma {self.migrated_from} au schéma {self.migrated_to}."
                 if self.migrated_from != self.migrated_to else "")
        return (f"Base restaurée : {self.backup.summary()}.{moved}{kept} Elle s'ouvre désormais avec "
                "la phrase secrète de la sauvegarde.")


def default_backup_path(db_path: Path, now: dt.datetime) -> Path:
    return db_path.parent / "sauvegardes" / f"injonctions-{now:%Y-%m-%d-%H%M%S}.db"


def _source_key(db_path: Path) -> str:
    """The raw key (`x'…'`) of the open base: a backup is made while the app runs."""
    db = database.obj
    if db is None or Path(db.database).resolve() != Path(db_path).resolve():
        raise InjonctionsError("Ouvrez la base avant d'en faire une sauvegarde.")
    return db.connect_params["passphrase"]


def _open_path() -> Path:
    bound = database.obj
    return Path(bound.database) if bound is not None else Path("/")


def _connect(path: Path, key_sql: str, *, read_only: bool = False) -> sqlcipher.Connection:
    mode = "ro" if read_only else "rwc"
    conn = sqlcipher.connect(f"file:{quote(str(path))}?mode={mode}", uri=True,
                             isolation_level=None, timeout=5)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute("PRAGMA key = " + _quote(key_sql))
    return conn


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _remove(*paths: Path) -> None:
    for path in paths:
        for leftover in (path, path.with_name(path.name + "-journal"), path.with_name(path.name + "-wal"),
                         path.with_name(path.name + "-shm"), storage.kdf_path(path)):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _inspect(path: Path, key_sql: str, *, created_at: dt.datetime | None = None,
             new_passphrase: bool = False) -> BackupInfo:
    """Open read-only, check integrity and schema, count rows; French errors."""
    try:
        conn = _connect(path, key_sql, read_only=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            verdict = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            tables = [row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
            version = (conn.execute('SELECT MAX("version") FROM "schema_version"').fetchone()[0] or 0
                       if "schema_version" in tables else None)
            counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                      for t in tables if t != "schema_version"}
        finally:
            conn.close()
    except SQL_ERRORS as error:
        if "not a database" in str(error):
            raise WrongPassphrase(f"Phrase secrète incorrecte pour la sauvegarde {path} (ou ce fichier "
                                  "n'est pas une sauvegarde injonctions). Rien n'a été modifié.") from None
        raise DamagedDatabase(f"La sauvegarde {path} est endommagée ou illisible : elle ne peut pas "
                              "être restaurée. Rien n'a été modifié.") from None
    if verdict != ["ok"]:
        raise DamagedDatabase(f"La sauvegarde {path} est endommagée ({len(verdict)} anomalie(s)) : "
                              "elle ne peut pas être restaurée. Rien n'a été modifié.")
    if version is None:
        raise InjonctionsError(f"{path} n'est pas une sauvegarde injonctions. Rien n'a été modifié.")
    if version > migrations.LATEST_VERSION:
        raise InjonctionsError(
            f"Cette sauvegarde a été faite par une version plus récente de l'application (schéma "
            f"{version}, cette version connaît le schéma {migrations.LATEST_VERSION}). Mettez "
            "l'application à jour ; rien n'a été modifié.")
    stamp = created_at or dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
    return BackupInfo(path, stamp, version, counts, path.stat().st_size, new_passphrase)


def _target(db_path: Path, out_path: Path | None, now: dt.datetime) -> Path:
    if out_path is None:
        target = default_backup_path(db_path, now)
        make_private_dirs(target.parent)
        return target
    target = Path(out_path).expanduser()
    return target / default_backup_path(db_path, now).name if target.is_dir() else target


def _refuse_existing(target: Path) -> None:
    if target.exists() or storage.kdf_path(target).exists():
        raise DatabaseExists(f"Le fichier {target} existe déjà : choisissez un autre nom. Rien n'a "
                             "été écrasé.")
    check_output(target, force=True, bases=[_open_path()])  # never the base (by another spelling)


def _export(db_path: Path, source_key: str, tmp: Path, key_sql: str) -> None:
    conn = _connect(db_path, source_key)
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("ATTACH DATABASE ? AS backup KEY ?", (str(tmp), key_sql))
        conn.execute("BEGIN")  # one read transaction: a snapshot, writers go on
        conn.execute("SELECT sqlcipher_export('backup')")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE backup")
    finally:
        conn.close()
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return storage.describe_os_error(error)
    explained = storage.explain_database_error(error)
    if explained and explained.message.startswith("Le disque est plein"):
        return "le disque est plein"
    return "erreur d'écriture (disque plein ou support retiré ?)"


def backup(db_path: Path, out_path: Path | None = None, *, passphrase: str | None = None,
           kdf: KdfParams = KdfParams(), now: dt.datetime | None = None) -> BackupInfo:
    """Write an encrypted, checked copy of the open base (same key, or `passphrase`)."""
    db_path = Path(db_path)
    source_key = _source_key(db_path)
    now = now or clock.now()
    if passphrase is not None:
        check_new_passphrase(passphrase)
    target = _target(db_path, out_path, now)
    folder = target.parent
    if not folder.is_dir():
        raise StorageUnavailable(f"Le dossier {folder} n'existe pas (clé USB débranchée ?) : aucune "
                                 "sauvegarde n'a été écrite.")
    _refuse_existing(target)
    tmp = folder / f".{target.name}.{secrets.token_hex(4)}.tmp"
    try:
        _write_private(tmp, b"")  # 0600 from the start; SQLCipher fills an empty file
        if passphrase is None:
            _write_private(storage.kdf_path(tmp), storage.kdf_path(db_path).read_bytes())
            key_sql = source_key
        else:
            salt = storage._write_kdf_file(tmp, kdf)
            key_sql = storage._raw_key(storage.derive_key(passphrase, salt, kdf))
        _export(db_path, source_key, tmp, key_sql)
        info = _inspect(tmp, key_sql, created_at=now, new_passphrase=passphrase is not None)
        _refuse_existing(target)
        os.rename(storage.kdf_path(tmp), storage.kdf_path(target))  # the .kdf first: a base
        os.rename(tmp, target)  # that exists always has its key parameters
        storage.fsync_dir(folder)
    except (OSError, *SQL_ERRORS) as error:
        _remove(tmp)
        raise StorageUnavailable(f"Impossible d'écrire la sauvegarde dans {folder} : {_reason(error)}. "
                                 "Aucun fichier partiel n'a été laissé ; la base n'a pas été modifiée.") from None
    except BaseException:
        _remove(tmp)
        raise
    info = dataclasses.replace(info, path=target)
    with database.atomic():
        Setting.replace(key=LAST_BACKUP_KEY, value=json.dumps(now.isoformat(sep=" "))).execute()
        audit.record("sauvegarde", details="nouvelle phrase secrète" if passphrase else "même clé")
    return info


def _backup_key(path: Path, passphrase: str) -> bytes:
    if not path.is_file() or path.stat().st_size == 0:
        what = "est introuvable" if not path.exists() else "n'est pas une sauvegarde (vide ou dossier)"
        raise InjonctionsError(f"Le fichier {path} {what}. Rien n'a été modifié.")
    if not storage.kdf_path(path).is_file():
        raise InjonctionsError(f"La sauvegarde {path} est incomplète : le fichier "
                               f"{storage.kdf_path(path).name} doit l'accompagner. Rien n'a été modifié.")
    salt, params = storage._read_kdf_file(path)
    return storage.derive_key(passphrase, salt, params)


def verify_backup(path: Path, passphrase: str) -> BackupInfo:
    """Check a backup without changing it: key, integrity, schema version, counts."""
    path = Path(path)
    return _inspect(path, storage._raw_key(_backup_key(path, passphrase)))


#: The journal of a restore in progress, beside the base: what replaces what.
RESTORE_JOURNAL_SUFFIX = ".restauration"
_COMPANIONS = ("", "-wal", "-shm", storage.KDF_SUFFIX, storage.PENDING_KDF_SUFFIX)
#: Tests only: called with the name of each step of a restore (the kill test stops there).
STEP_HOOK: Callable[[str], None] | None = None


def _step(name: str) -> None:
    if STEP_HOOK is not None:
        STEP_HOOK(name)


def journal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + RESTORE_JOURNAL_SUFFIX)


def _aside_name(db_path: Path, now: dt.datetime) -> Path:
    base = db_path.with_name(f"{db_path.stem}-remplacee-{now:%Y%m%d-%H%M%S}{db_path.suffix}")
    while base.exists():
        base = base.with_name(f"{base.stem}-{secrets.token_hex(2)}{base.suffix}")
    return base


def _move_aside(db_path: Path, aside: Path) -> list[Path]:
    """Rename what is left of the base and its companions to `aside`; nothing is deleted
    (each rename is atomic: run again after a crash, it moves what the crash left)."""
    moved: list[Path] = []
    for suffix in _COMPANIONS:
        source = db_path.with_name(db_path.name + suffix)
        if source.exists():
            os.rename(source, aside.with_name(aside.name + suffix))
            moved.append(aside.with_name(aside.name + suffix))
    return moved


def _swap(db_path: Path, new: Path, aside: Path) -> list[Path]:
    """Steps 3 and 4 of a restore, safe to run again after a crash at any point."""
    # The new key parameters still under their temporary name: the old base may still be
    # (partly) in place; once they have moved, everything old was already aside.
    moved = _move_aside(db_path, aside) if storage.kdf_path(new).exists() else []
    _step("base mise de côté")
    if storage.kdf_path(new).exists():
        os.rename(storage.kdf_path(new), storage.kdf_path(db_path))
    _step("clé en place")
    if new.exists():
        os.rename(new, db_path)
    storage.fsync_dir(db_path.parent)
    return moved


def finish_interrupted_restore(db_path: Path) -> str | None:
    """A restore stopped by a crash (power cut, kill) is finished at the next start: the new
    base was complete and checked before its journal was written, so it is put in place (the
    replaced one stays aside); a restore stopped before its journal is forgotten (its
    temporary copy removed, the base untouched). Returns what was done, in French, or None."""
    db_path = Path(db_path)
    journal = journal_path(db_path)
    if not journal.exists():  # a restore stopped before its journal: the base was never touched
        for stale in [*db_path.parent.glob(f".{db_path.name}.restauration-*"),
                      journal.with_name(journal.name + ".tmp")]:
            with contextlib.suppress(OSError):
                stale.unlink()
    if not journal.exists():
        return None
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
        new, aside = db_path.with_name(plan["nouvelle"]), db_path.with_name(plan["ancienne"])
    except (OSError, ValueError, KeyError, TypeError):
        raise InjonctionsError(f"Une restauration a été interrompue mais son journal {journal} est illisible : "
                               "rien n'a été modifié. Vérifiez les fichiers à côté de la base.") from None
    with instance_lock.hold(db_path):
        _swap(db_path, new, aside)
        journal.unlink()
        storage.fsync_dir(db_path.parent)
    kept = f" ; l'ancienne base est conservée : {aside}" if aside.exists() else ""
    return f"Une restauration interrompue a été terminée{kept}."


def wizard_blocker(db_path: Path) -> str | None:
    """Why the first-run wizard must not create a base at `db_path` (French), or None: a
    restore in progress, or a base set aside by a restore, lies beside the path."""
    if journal_path(db_path).exists():
        return (f"Une restauration est en cours pour {db_path} (fichier {journal_path(db_path).name}) : "
                "relancez l'application pour la terminer ; aucune base neuve n'a été créée.")
    replaced = replaced_bases(db_path)
    if replaced:
        return (f"Aucune base à l'emplacement {db_path}, mais une base remplacée par une restauration se trouve à "
                f"côté : {replaced[-1]}. Pour la reprendre, renommez-la (avec son fichier .kdf) en "
                f"{db_path.name} ; aucune base neuve n'a été créée par-dessus votre historique.")
    return None


def replaced_bases(db_path: Path) -> list[Path]:
    """Bases set aside by a restore, beside `db_path` (the wizard never starts over them)."""
    return sorted(p for p in db_path.parent.glob(f"{db_path.stem}-remplacee-*{db_path.suffix}") if p.is_file())


def restore(backup_path: Path, db_path: Path, passphrase: str, *,
            now: dt.datetime | None = None) -> RestoreInfo:
    """Replace the base by a checked backup; the replaced base is kept aside.

    Crash-safe like the passphrase change: (1) the backup is copied beside the base under a
    temporary name, checked and migrated there; (2) a journal `<base>.restauration` naming
    the new and the replaced files is written and synced; (3) the base and its companions
    are renamed aside; (4) the new files take the base's name; (5) the journal goes. A
    crash before (2) leaves the base untouched; after it, the next start finishes the swap
    (`finish_interrupted_restore`), and never offers the first-run wizard meanwhile.

    The app must have closed the base (the instance lock refuses another program).
    Afterwards the models are bound to a closed database: reopen `db_path`.
    """
    backup_path, db_path = Path(backup_path), Path(db_path)
    now = now or clock.now()
    with instance_lock.hold(db_path):
        finish_interrupted_restore(db_path)
        key = _backup_key(backup_path, passphrase)
        info = _inspect(backup_path, storage._raw_key(key))
        tmp = db_path.with_name(f".{db_path.name}.restauration-{secrets.token_hex(4)}")
        journal = journal_path(db_path)
        aside_path = _aside_name(db_path, now)
        aside: list[Path] = []
        try:
            _write_private(tmp, backup_path.read_bytes())
            _write_private(storage.kdf_path(tmp), storage.kdf_path(backup_path).read_bytes())
            wal = backup_path.with_name(backup_path.name + "-wal")  # a plain copy of a live base
            if wal.is_file():
                _write_private(tmp.with_name(tmp.name + "-wal"), wal.read_bytes())
            _step("copie écrite")
            db = storage.open_with_key(tmp, key)  # checks again, migrates the copy
            try:
                version = migrations.current_version(db)
                audit.record("restauration", details=f"schéma {info.schema_version} -> {version}")
                db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                db.execute_sql("PRAGMA journal_mode = DELETE")  # one file to rename, nothing beside
            finally:
                db.close()
            for leftover in (tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
                leftover.unlink(missing_ok=True)
            storage.fsync_dir(db_path.parent)
            _step("copie vérifiée")
            pending = journal.with_name(journal.name + ".tmp")
            _write_private(pending, json.dumps({"nouvelle": tmp.name, "ancienne": aside_path.name}).encode())
            os.rename(pending, journal)
            storage.fsync_dir(db_path.parent)
            _step("journal écrit")
            aside = _swap(db_path, tmp, aside_path)
            journal.unlink()
            storage.fsync_dir(db_path.parent)
            _step("terminé")
        except OSError as error:
            if not journal.exists():
                _remove(tmp)
                journal.with_name(journal.name + ".tmp").unlink(missing_ok=True)
                raise StorageUnavailable(f"La restauration a échoué : {storage.describe_os_error(error)}. "
                                         "La base actuelle n'a pas été remplacée.") from None
            raise StorageUnavailable(f"La restauration a été interrompue : {storage.describe_os_error(error)}. "
                                     "Elle sera terminée au prochain lancement ; l'ancienne base est conservée "
                                     f"({aside_path}).") from None
        except BaseException:
            if not journal.exists():
                _remove(tmp)
            raise
    return RestoreInfo(db_path, aside, info, info.schema_version, version)


def last_backup_at() -> dt.datetime | None:
    row = Setting.get_or_none(Setting.key == LAST_BACKUP_KEY)
    try:
        return dt.datetime.fromisoformat(json.loads(row.value)) if row else None
    except (ValueError, TypeError):
        return None


def backup_reminder(today: dt.date) -> str | None:
    """A French reminder when the last backup is older than a week (or never made)."""
    last = last_backup_at()
    if last is None:
        if not Measure.select().exists():
            return None  # nothing to lose yet
        return ("Aucune sauvegarde n'a encore été faite : faites une sauvegarde chiffrée, sur une clé "
                "USB rangée à part de l'ordinateur.")
    days = (today - last.date()).days
    if days <= REMINDER_DAYS:
        return None
    return (f"Dernière sauvegarde le {format_fr(last.date())}, il y a {days} jours : pensez à faire "
            "une sauvegarde chiffrée.")
