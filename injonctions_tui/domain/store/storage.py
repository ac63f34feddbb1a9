"""The encrypted database: key derivation, creation, unlocking.

The passphrase is turned into a 256-bit key once, with argon2id, and the key is
given to SQLCipher as a raw key (`x'…'`), so SQLCipher skips its own per-connection
PBKDF2: unlocking costs one deliberate derivation, every later connection (a worker
thread, for example) is instant. The salt and the argon2 parameters are stored in
a small JSON file beside the database (`<base>.kdf`): they are not secret, but
without them the key cannot be derived again, so backups carry both.

SQLCipher pitfalls handled here: its errors go to stderr (they would corrupt the
terminal UI), so `cipher_log_level` is NONE; an empty key silently creates a
*plaintext* database, so it is refused; a wrong key only fails at the first query,
so the key is checked right after connecting, before anything is written.

Bad files get a French diagnosis before anything is written: a folder instead of a
file, an empty or truncated file, a damaged one (`PRAGMA quick_check` right after
unlocking), a read-only folder (WAL must create `-wal` and `-shm` beside the base).
`explain_database_error` turns the SQLite errors that can reach the user later (disk
full, I/O error) into French messages for the CLI and the TUI.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from playhouse.sqlcipher_ext import SqlCipherDatabase

from ..core.errors import DatabaseExists, DatabaseMissing, InjonctionsError, WrongPassphrase
from ..core.models import database
from . import migrations
from .output_files import make_private_dirs
from .storage_errors import (RESTORE_HINT, SQL_ERRORS, DamagedDatabase, StorageUnavailable, describe_os_error,
                             explain_database_error, kdf_stamp)

KDF_SUFFIX = ".kdf"
#: The new salt of an unfinished passphrase change (see rekey.change_passphrase).
PENDING_KDF_SUFFIX = ".kdf.new"
KEY_BYTES = 32
PAGE_SIZE = 4096


@dataclass(frozen=True)
class KdfParams:
    """argon2id cost parameters: about 0.2 s here, and 64 MiB so a laptop copes."""

    time_cost: int = 8
    memory_cost_kib: int = 64 * 1024
    parallelism: int = 2


#: Cheap parameters for tests and throwaway demo databases only.
FAST_KDF = KdfParams(time_cost=1, memory_cost_kib=8 * 1024, parallelism=1)

#: Applied on every connection, in this order (cipher_log_level before anything can fail).
_BASE_PRAGMAS = [("cipher_log_level", "NONE"), ("temp_store", "MEMORY")]
_PRAGMAS = _BASE_PRAGMAS + [
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("synchronous", "FULL"),
    ("busy_timeout", 5000),
    # 64 MiB of decrypted pages: search as you type no longer re-decrypts the measure table
    # at every keystroke on a large base (bench/RESULTS.md); memory stays well under 200 MB.
    ("cache_size", -65536),
]


def kdf_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + KDF_SUFFIX)


def pending_kdf_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + PENDING_KDF_SUFFIX)


def fsync_dir(folder: Path) -> None:
    """Make a rename durable: the directory entry is only on disk after this (POSIX; on
    Windows a folder cannot be opened as a file, and NTFS journals the rename itself)."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_kdf_file(db_path: Path, params: KdfParams, *, target: Path | None = None) -> bytes:
    """Write a new salt and `params` to `<db>.kdf` (or `target`), never over a file."""
    salt = secrets.token_bytes(16)
    payload = {"format": "injonctions-kdf", "version": 1, "algorithm": "argon2id",
               "salt": salt.hex(), **asdict(params)}
    path = target or kdf_path(db_path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    return salt


#: Bounds of a key derivation read from a file (a `.kdf`, a backup's, an export's): a
#: crafted one must be refused at once, not hang (time_cost 1e9) nor crash (memory 2^40
#: KiB, parallelism 2^30). Up to 16 times the production cost (a few seconds at most).
MAX_TIME_COST, MAX_MEMORY_KIB, MAX_PARALLELISM = 32, 1024 * 1024, 16
MAX_WORK = 16 * KdfParams().time_cost * KdfParams().memory_cost_kib
MAX_KDF_FILE = 4096


def checked_kdf_params(payload: Any, where: str) -> KdfParams:
    """The argon2 parameters of `payload` (a mapping), or a French refusal naming `where`."""
    try:
        values = [payload[name] for name in ("time_cost", "memory_cost_kib", "parallelism")]
        if any(type(value) is not int for value in values):
            raise TypeError
    except (KeyError, TypeError):
        raise InjonctionsError(f"Les paramètres de clé de {where} sont illisibles.") from None
    params = KdfParams(*values)
    if not (1 <= params.time_cost <= MAX_TIME_COST and 1 <= params.parallelism <= MAX_PARALLELISM
            and 8 * params.parallelism <= params.memory_cost_kib <= MAX_MEMORY_KIB
            and params.time_cost * params.memory_cost_kib <= MAX_WORK):
        raise InjonctionsError(
            f"Les paramètres de clé de {where} sont hors limites (passes {params.time_cost}, mémoire "
            f"{params.memory_cost_kib} Kio, parallélisme {params.parallelism}) : fichier abîmé ou fabriqué. "
            f"Limites : {MAX_TIME_COST} passes, {MAX_MEMORY_KIB // 1024} Mio, {MAX_PARALLELISM} fils. "
            "Rien n'a été modifié.")
    return params


def _read_kdf_file(db_path: Path, *, source: Path | None = None) -> tuple[bytes, KdfParams]:
    path = source or kdf_path(db_path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_KDF_FILE + 1)
        if len(raw) > MAX_KDF_FILE:
            raise ValueError
        payload = json.loads(raw.decode("utf-8"))
        salt = bytes.fromhex(payload["salt"])
    except FileNotFoundError:
        raise InjonctionsError(
            f"Le fichier de paramètres de clé est introuvable : {path}. Il doit rester "
            "à côté de la base ; restaurez-le depuis la sauvegarde."
        ) from None
    except IsADirectoryError:
        raise InjonctionsError(f"Le fichier de paramètres de clé {path} est un dossier.") from None
    except OSError as error:
        raise InjonctionsError(f"Le fichier de paramètres de clé {path} ne peut pas être lu : "
                               f"{describe_os_error(error)}.") from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise InjonctionsError(f"Le fichier de paramètres de clé est illisible : {path}.") from None
    if not isinstance(payload, dict) or not 8 <= len(salt) <= 64:
        raise InjonctionsError(f"Le fichier de paramètres de clé est invalide : {path}.")
    return salt, checked_kdf_params(payload, f"{path}")


def read_kdf_params(db_path: Path) -> tuple[bytes, KdfParams]:
    """The salt and argon2 parameters of a base (public: an export carries them)."""
    return _read_kdf_file(db_path)


def derive_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """The deliberate, slow step: argon2id of the passphrase."""
    if not passphrase:
        raise WrongPassphrase("La phrase secrète ne peut pas être vide.")
    from argon2.low_level import Type, hash_secret_raw  # loaded at the first unlock, not at start-up

    return hash_secret_raw(
        passphrase.encode("utf-8"), salt, time_cost=params.time_cost,
        memory_cost=params.memory_cost_kib, parallelism=params.parallelism,
        hash_len=KEY_BYTES, type=Type.ID,
    )


def _raw_key(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise ValueError("SQLCipher raw keys are 32 bytes")
    return f"x'{key.hex()}'"


def derive_key_for(db_path: Path, passphrase: str) -> bytes:
    """Derive the key of an existing database from its `.kdf` file."""
    if not db_path.exists():
        raise DatabaseMissing(
            f"Aucune base à l'emplacement {db_path}. Lancez « injonctions » pour la créer, "
            "ou indiquez une autre base avec --db."
        )
    check_database_file(db_path)
    salt, params = _read_kdf_file(db_path)
    key = derive_key(passphrase, salt, params)
    if pending_kdf_path(db_path).exists():
        key = _settle_passphrase_change(db_path, passphrase, key)
    return key


def check_database_file(db_path: Path) -> None:
    """Refuse at once, before the slow derivation, what cannot be a database."""
    if db_path.is_dir():
        raise InjonctionsError(f"{db_path} est un dossier, pas une base : indiquez le fichier "
                               "de la base (par exemple …/injonctions.db).")
    if db_path.exists() and db_path.stat().st_size == 0:
        raise DamagedDatabase(f"Le fichier {db_path} est vide (copie interrompue ?) : ce n'est pas "
                              f"une base utilisable. {RESTORE_HINT} ; rien n'a été modifié.")


def key_opens(db_path: Path, key: bytes) -> bool:
    """True when `key` decrypts the database (a read-only probe)."""
    try:
        probe = _connect(db_path, key, _BASE_PRAGMAS)
    except SQL_ERRORS:
        return False
    try:
        probe.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except SQL_ERRORS:
        return False
    finally:
        probe.close()


def _settle_passphrase_change(db_path: Path, passphrase: str, key: bytes) -> bytes:
    """A passphrase change stopped after writing `<db>.kdf.new`: if the new key opens the
    base, the rekey was committed and the change is finished here; otherwise the old
    `.kdf` still holds (the stale file is left for `change_passphrase` to clear: removing
    it here could race with a change in progress)."""
    if key_opens(db_path, key):
        return key
    pending = pending_kdf_path(db_path)
    try:
        salt, params = _read_kdf_file(db_path, source=pending)
    except InjonctionsError:
        return key
    new_key = derive_key(passphrase, salt, params)
    if not key_opens(db_path, new_key):
        return key
    try:
        os.replace(pending, kdf_path(db_path))
    except FileNotFoundError:
        pass  # the change finished it meanwhile
    fsync_dir(db_path.parent)
    return new_key


def _check_writable(db_path: Path) -> None:
    """WAL writes `-wal` and `-shm` beside the base: a read-only folder cannot work."""
    if not os.access(db_path.parent, os.W_OK | os.X_OK):
        raise StorageUnavailable(
            f"La base ne peut pas être ouverte : le dossier {db_path.parent} est en lecture seule, "
            "or la base doit y écrire ses fichiers de journal (-wal, -shm). Copiez la base et son "
            "fichier .kdf dans un dossier où vous pouvez écrire. Rien n'a été modifié.")
    if not os.access(db_path, os.R_OK | os.W_OK):
        raise StorageUnavailable(f"Le fichier {db_path} est en lecture seule : la base ne peut pas "
                                 "être ouverte. Rien n'a été modifié.")


def _probe_error(db_path: Path, error: Exception) -> InjonctionsError:
    """What a failed first read means: wrong key, foreign file, truncated or damaged."""
    if "not a database" not in str(error):
        return explain_database_error(error, db_path) or DamagedDatabase(
            f"La base ne peut pas être lue. {RESTORE_HINT}.")
    if not is_encrypted_file(db_path):
        return WrongPassphrase("Ce fichier est une base SQLite non chiffrée : ce n'est pas une "
                               "base injonctions. Rien n'a été modifié.")
    size = db_path.stat().st_size
    if size % PAGE_SIZE:
        return WrongPassphrase(
            f"Phrase secrète incorrecte, ou ce fichier n'est pas une base injonctions : sa taille "
            f"({size} octets) n'est pas celle d'une base (fichier tronqué ?). Rien n'a été modifié.")
    return WrongPassphrase("Phrase secrète incorrecte (ou ce fichier n'est pas une base "
                           "injonctions). Rien n'a été modifié.")


def _connect(db_path: Path, key: bytes, pragmas: list) -> SqlCipherDatabase:
    # Every write transaction starts with BEGIN IMMEDIATE: it waits for the write lock
    # (busy_timeout) instead of failing when a read turns into a write after another
    # program wrote (SQLITE_BUSY without waiting). A read snapshot asks for DEFERRED.
    db = SqlCipherDatabase(str(db_path), passphrase=_raw_key(key), pragmas=pragmas, lock_type="IMMEDIATE")
    db.connect()
    return db


def _raise_if_damaged(db_path: Path, connection: SqlCipherDatabase) -> None:
    verdict = [row[0] for row in connection.execute_sql("PRAGMA quick_check").fetchall()]
    if verdict != ["ok"]:
        raise DamagedDatabase(f"La base {db_path} est endommagée ({len(verdict)} anomalie(s) "
                              f"détectée(s)). {RESTORE_HINT} ; rien n'a été modifié.")


def check_integrity(db_path: Path) -> None:
    """The deferred `PRAGMA quick_check` of a base opened with `defer_integrity_check`.

    Runs in a worker thread: peewee gives the thread its own connection (same key),
    which reads a consistent snapshot while the app keeps working (WAL), and is closed
    here. Raises DamagedDatabase (French message) if anything is wrong."""
    try:
        _raise_if_damaged(db_path, database)
    except SQL_ERRORS as error:
        raise explain_database_error(error, db_path) or DamagedDatabase(
            f"La base {db_path} ne peut pas être relue. {RESTORE_HINT}.") from None
    finally:
        database.close()


def check_tampering() -> Any:
    """The tamper check (store.integrity.verify_base) on this thread's own connection,
    closed afterwards; records the verdict in the journal (ids and counts only)."""
    from . import audit, integrity

    try:
        verdict = integrity.verify_base()
        if not verdict.intact:  # the finding itself goes into the chain (a clean check is not news)
            audit.record("controle_integrite", details=f"rapports={verdict.reports} evenements={verdict.events} "
                                                       f"anomalies={len(verdict.problems)}")
        return verdict
    except SQL_ERRORS as error:
        raise explain_database_error(error) or DamagedDatabase(f"La base ne peut pas être relue. {RESTORE_HINT}.") \
            from None
    finally:
        database.close()


def key_digest(key: bytes) -> bytes:
    """A digest of the key, kept by the app to check a passphrase at the lock screen
    without keeping the key itself in Python objects."""
    return hashlib.sha256(b"injonctions-lock:" + key).digest()


def open_with_key(db_path: Path, key: bytes, *, upgrade: bool = True,
                  defer_integrity_check: bool = False) -> SqlCipherDatabase:
    """Open an existing database with an already derived key, check it, migrate it.

    A wrong key writes nothing: it is detected on a bare connection that only reads.
    `PRAGMA quick_check` reads and decrypts every page (0.8 s on a 145 MB base): the
    terminal app defers it (`defer_integrity_check`) and runs `check_integrity` in a
    worker once the agenda is shown, so unlocking stays instant; the CLI checks at once.
    A migration never runs on an unchecked base: when one is pending, the check is done
    here whatever the caller asked. `db.integrity_checked` says which happened.
    """
    if not db_path.exists():
        raise DatabaseMissing(f"Aucune base à l'emplacement {db_path}.")
    check_database_file(db_path)
    _check_writable(db_path)
    probe = None
    try:
        probe = _connect(db_path, key, _BASE_PRAGMAS)
        probe.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        check_now = not defer_integrity_check or (
            upgrade and migrations.stored_version(probe) < migrations.LATEST_VERSION)
        if check_now:
            _raise_if_damaged(db_path, probe)
    except SQL_ERRORS as error:
        raise _probe_error(db_path, error) from None
    finally:
        if probe is not None:
            probe.close()
    try:
        db = _connect(db_path, key, _PRAGMAS)
    except SQL_ERRORS as error:
        raise explain_database_error(error, db_path) or _probe_error(db_path, error) from None
    db.key_digest = key_digest(key)
    db.kdf_stamp = kdf_stamp(db_path)
    db.integrity_checked = check_now
    db.tamper_checked = False  # store.integrity, in the app's worker
    database.initialize(db)
    if upgrade:
        try:
            migrations.upgrade(db)
        except InjonctionsError:
            db.close()
            raise
        except SQL_ERRORS as error:
            db.close()
            raise explain_database_error(error, db_path) or error from None
    return db


def open_database(db_path: Path, passphrase: str, *, defer_integrity_check: bool = False) -> SqlCipherDatabase:
    """Unlock an existing database with its passphrase."""
    if not passphrase:
        raise WrongPassphrase("La phrase secrète ne peut pas être vide.")
    before = kdf_stamp(db_path)
    try:
        return open_with_key(db_path, derive_key_for(db_path, passphrase), defer_integrity_check=defer_integrity_check)
    except (WrongPassphrase, DamagedDatabase):
        if kdf_stamp(db_path) == before and not pending_kdf_path(db_path).exists():
            raise
    # The passphrase was changed by another program between reading `.kdf` and opening: once
    # more with the key parameters now in place (the old passphrase is then refused, rightly).
    return open_with_key(db_path, derive_key_for(db_path, passphrase), defer_integrity_check=defer_integrity_check)


def create_database(db_path: Path, passphrase: str, *, kdf: KdfParams = KdfParams(),
                    upgrade_to: int = migrations.LATEST_VERSION) -> SqlCipherDatabase:
    """Create a new encrypted database (refusing to overwrite one) and its schema."""
    if not passphrase:
        raise WrongPassphrase(
            "La phrase secrète ne peut pas être vide : la base serait enregistrée en clair."
        )
    if db_path.exists() or kdf_path(db_path).exists():
        raise DatabaseExists(f"Une base existe déjà à l'emplacement {db_path} ; elle n'a pas été modifiée.")
    try:
        make_private_dirs(db_path.parent)
        salt = _write_kdf_file(db_path, kdf)
    except OSError as error:
        _remove_new_base(db_path)
        raise StorageUnavailable(
            f"Impossible de créer la base dans {db_path.parent} : {describe_os_error(error)}. Rien n'a été laissé."
        ) from None
    try:
        key = derive_key(passphrase, salt, kdf)
        db = _connect(db_path, key, _PRAGMAS)
        db.key_digest = key_digest(key)
        db.kdf_stamp = kdf_stamp(db_path)
        db.integrity_checked = True  # nothing to check in a new base
        db.tamper_checked = True
        os.chmod(db_path, 0o600)
        database.initialize(db)
        migrations.upgrade(db, upgrade_to)
    except (OSError, *SQL_ERRORS) as error:  # a full disk half-way: a new base is all or nothing
        if database.obj is not None and Path(database.obj.database) == db_path:
            database.obj.close()
        _remove_new_base(db_path)
        reason = describe_os_error(error) if isinstance(error, OSError) else (
            "le disque est plein" if "full" in str(error).lower() else "erreur d'écriture (disque plein ?)")
        raise StorageUnavailable(f"Impossible de créer la base dans {db_path.parent} : {reason}. "
                                 "Rien n'a été laissé.") from None
    return db


def _remove_new_base(db_path: Path) -> None:
    """What a failed creation wrote (the base did not exist before: create_database checks)."""
    for suffix in ("", "-wal", "-shm", "-journal", KDF_SUFFIX):
        try:
            db_path.with_name(db_path.name + suffix).unlink()
        except OSError:
            pass


@contextmanager
def own_connection() -> Iterator[None]:
    """The work of a worker thread on the open base: peewee gives each thread its own
    connection (opened, with the key, on first use); closed here when the work is done,
    so no thread leaves one behind (and the next checkpoint is not held back)."""
    try:
        yield
    finally:
        if database.obj is not None and not database.is_closed():
            database.close()


def open_base_path() -> Path | None:
    """The file of the base the models are bound to (None when none is open): what lives
    beside it (the professional's own lexicon) follows the base the user chose."""
    bound = database.obj
    return Path(bound.database) if bound is not None and bound.database else None


def is_encrypted_file(db_path: Path) -> bool:
    """True unless the file starts with the plaintext SQLite header."""
    with open(db_path, "rb") as handle:
        return handle.read(16) != b"SQLite format 3\x00"
