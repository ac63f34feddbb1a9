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
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from peewee import DatabaseError
from playhouse.sqlcipher_ext import SqlCipherDatabase

from . import migrations
from .errors import DatabaseExists, DatabaseMissing, InjonctionsError, WrongPassphrase
from .models import database

KDF_SUFFIX = ".kdf"
KEY_BYTES = 32


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
]


def kdf_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + KDF_SUFFIX)


def _write_kdf_file(db_path: Path, params: KdfParams) -> bytes:
    salt = secrets.token_bytes(16)
    payload = {"format": "injonctions-kdf", "version": 1, "algorithm": "argon2id",
               "salt": salt.hex(), **asdict(params)}
    path = kdf_path(db_path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    return salt


def _read_kdf_file(db_path: Path) -> tuple[bytes, KdfParams]:
    path = kdf_path(db_path)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        salt = bytes.fromhex(payload["salt"])
        params = KdfParams(int(payload["time_cost"]), int(payload["memory_cost_kib"]),
                           int(payload["parallelism"]))
    except FileNotFoundError:
        raise InjonctionsError(
            f"Le fichier de paramètres de clé est introuvable : {path}. Il doit rester "
            "à côté de la base ; restaurez-le depuis la sauvegarde."
        ) from None
    except (ValueError, KeyError, TypeError):
        raise InjonctionsError(f"Le fichier de paramètres de clé est illisible : {path}.") from None
    if len(salt) < 8 or min(params.time_cost, params.memory_cost_kib, params.parallelism) < 1:
        raise InjonctionsError(f"Le fichier de paramètres de clé est invalide : {path}.")
    return salt, params


def derive_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """The deliberate, slow step: argon2id of the passphrase."""
    if not passphrase:
        raise WrongPassphrase("La phrase secrète ne peut pas être vide.")
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
    salt, params = _read_kdf_file(db_path)
    return derive_key(passphrase, salt, params)


def _connect(db_path: Path, key: bytes, pragmas: list) -> SqlCipherDatabase:
    db = SqlCipherDatabase(str(db_path), passphrase=_raw_key(key), pragmas=pragmas)
    db.connect()
    return db


def key_digest(key: bytes) -> bytes:
    """A digest of the key, kept by the app to check a passphrase at the lock screen
    without keeping the key itself in Python objects."""
    return hashlib.sha256(b"injonctions-lock:" + key).digest()


def open_with_key(db_path: Path, key: bytes, *, upgrade: bool = True) -> SqlCipherDatabase:
    """Open an existing database with an already derived key, check it, migrate it.

    A wrong key writes nothing: it is detected on a bare connection that only reads.
    """
    if not db_path.exists():
        raise DatabaseMissing(f"Aucune base à l'emplacement {db_path}.")
    probe = _connect(db_path, key, _BASE_PRAGMAS)
    try:
        probe.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except DatabaseError:
        raise WrongPassphrase(
            "Phrase secrète incorrecte (ou ce fichier n'est pas une base injonctions). "
            "Rien n'a été modifié."
        ) from None
    finally:
        probe.close()
    db = _connect(db_path, key, _PRAGMAS)
    db.key_digest = key_digest(key)  # type: ignore[attr-defined]
    database.initialize(db)
    if upgrade:
        try:
            migrations.upgrade(db)
        except InjonctionsError:
            db.close()
            raise
    return db


def open_database(db_path: Path, passphrase: str) -> SqlCipherDatabase:
    """Unlock an existing database with its passphrase."""
    if not passphrase:
        raise WrongPassphrase("La phrase secrète ne peut pas être vide.")
    return open_with_key(db_path, derive_key_for(db_path, passphrase))


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
        db_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        salt = _write_kdf_file(db_path, kdf)
    except OSError as error:
        raise InjonctionsError(
            f"Impossible de créer la base dans {db_path.parent} : {error.strerror or error}."
        ) from None
    key = derive_key(passphrase, salt, kdf)
    db = _connect(db_path, key, _PRAGMAS)
    db.key_digest = key_digest(key)  # type: ignore[attr-defined]
    os.chmod(db_path, 0o600)
    database.initialize(db)
    migrations.upgrade(db, upgrade_to)
    return db


def is_encrypted_file(db_path: Path) -> bool:
    """True unless the file starts with the plaintext SQLite header."""
    with open(db_path, "rb") as handle:
        return handle.read(16) != b"SQLite format 3\x00"
