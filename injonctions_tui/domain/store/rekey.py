"""Changing the passphrase of the base (SQLCipher rekey) without ever losing it.

The key is argon2id(passphrase, salt) and the salt lives in `<db>.kdf`: the new salt
must be on disk before the base is re-encrypted, and must replace the old one only
after the rekey is committed, or a crash in between would lose the key for good.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from playhouse.sqlcipher_ext import SqlCipherDatabase

from ..core.errors import InjonctionsError, WeakPassphrase, WrongPassphrase
from . import audit, instance_lock, integrity, storage
from .passphrase import check_new_passphrase
from .storage import KdfParams
from .storage_errors import SQL_ERRORS, StorageUnavailable


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _reseal(conn: SqlCipherDatabase, old: integrity._Keys, new: integrity._Keys) -> None:
    from ..core.models import database

    previous = database.obj
    database.initialize(conn)
    try:
        with conn.atomic():
            integrity.reseal(old, new)
    finally:
        database.initialize(previous)


def change_passphrase(db_path: Path, old: str, new: str, *,
                      kdf: KdfParams = KdfParams()) -> SqlCipherDatabase:
    """Rekey the base with a new passphrase; returns it reopened with the new key (bound
    to the models). The caller closes its own connections first (every thread): they
    hold the old key. Another program is kept out by the instance lock.

    Crash-safe order: (1) the new salt is written to `<db>.kdf.new` and synced; (2)
    `PRAGMA rekey` rewrites every page in ONE transaction (old key or new key, never a
    mix) and the WAL is checkpointed; (3) the new key is checked; (4) `.kdf.new`
    replaces `.kdf` atomically. A crash between (2) and (4) is finished at the next
    unlock by `storage.derive_key_for`, which tries `.kdf.new` when `.kdf` fails.
    Existing backups keep the passphrase they were made with.
    """
    db_path = Path(db_path)
    check_new_passphrase(new)
    if new == old:
        raise WeakPassphrase("La nouvelle phrase secrète est identique à l'actuelle.")
    with instance_lock.hold(db_path):
        old_key = storage.derive_key_for(db_path, old)
        if not storage.key_opens(db_path, old_key):
            raise WrongPassphrase("Phrase secrète actuelle incorrecte : rien n'a été modifié.")
        pending = storage.pending_kdf_path(db_path)
        pending.unlink(missing_ok=True)  # left by a change whose rekey never happened
        try:
            salt = storage._write_kdf_file(db_path, kdf, target=pending)
            storage.fsync_dir(db_path.parent)
        except OSError as error:
            raise StorageUnavailable(f"Impossible de changer la phrase secrète : "
                                     f"{storage.describe_os_error(error)}. Rien n'a été modifié.") from None
        new_key = storage.derive_key(new, salt, kdf)
        conn = storage._connect(db_path, old_key, storage._PRAGMAS)
        old_seal, new_seal = integrity.keys_from(old_key), integrity.keys_from(new_key)
        try:
            # The MAC keys derive from the base key: the seals are written again for the new
            # key first, in one transaction; the rekey then re-encrypts (issue 15).
            _reseal(conn, old_seal, new_seal)
            conn.execute_sql("PRAGMA rekey = " + _quote(storage._raw_key(new_key)))
            conn.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except SQL_ERRORS as error:
            if storage.key_opens(db_path, old_key):  # no rekey: the seals go back to the old key
                with contextlib.suppress(*SQL_ERRORS):
                    _reseal(conn, new_seal, old_seal)
                pending.unlink(missing_ok=True)
            conn.close()
            raise storage.explain_database_error(error, db_path) or error from None
        conn.close()
        if not storage.key_opens(db_path, new_key):
            raise InjonctionsError("Le changement de phrase secrète n'a pas pu être vérifié : "
                                   "l'ancienne phrase secrète reste valable.")
        try:
            os.replace(pending, storage.kdf_path(db_path))
        except FileNotFoundError:
            pass  # a concurrent unlock already finished the change (storage._settle_passphrase_change)
        storage.fsync_dir(db_path.parent)
        # Committed: whatever happens now, the change is done and is reported as done.
        db = storage.open_with_key(db_path, new_key)
        try:
            audit.record("changement_phrase_secrete")
        except SQL_ERRORS:
            pass
        return db
