"""What can go wrong with the files and the disk, said in French.

SQLite and the OS speak English (`strerror`, "database or disk is full"): these
helpers give the user a sentence they can act on, and tell what was *not* lost.
`explain_database_error` is for the last-resort handlers of the CLI and the TUI.
"""

from __future__ import annotations

import errno
from pathlib import Path

from peewee import DatabaseError
from playhouse.sqlcipher_ext import sqlcipher

from ..core.errors import InjonctionsError

RESTORE_HINT = "Restaurez la dernière sauvegarde (injonctions restore FICHIER)"


class DamagedDatabase(InjonctionsError):
    """The file is empty, truncated or damaged: only a backup can help."""


class StorageUnavailable(InjonctionsError):
    """The folder or the disk refuses to write: read-only, full, removed."""


_OS_REASONS = {
    errno.EACCES: "accès refusé (dossier en lecture seule ?)",
    errno.EPERM: "opération non permise sur ce support",
    errno.EROFS: "le support est en lecture seule",
    errno.ENOSPC: "le disque est plein",
    errno.EDQUOT: "le quota du disque est atteint",
    errno.EFBIG: "fichier trop grand pour ce support (disque plein ?)",
    errno.ENOENT: "dossier ou fichier introuvable",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.EIO: "erreur d'entrée-sortie (support retiré ou défectueux ?)",
    errno.EEXIST: "le fichier existe déjà",
}


def describe_os_error(error: OSError) -> str:
    """The reason of a failed file operation in French (strerror is English)."""
    return _OS_REASONS.get(error.errno or 0, f"erreur du système (code {error.errno or '?'})")


SQL_ERRORS = (DatabaseError, sqlcipher.Error)


def explain_database_error(error: BaseException | None, db_path: Path | None = None) -> InjonctionsError | None:
    """A French message for an SQLite error the user can meet (disk full, read-only
    folder, damaged file...), or None for a bug. The CLI and the TUI call it in their
    last-resort handler: the failed transaction was rolled back, earlier data is intact."""
    chain: list[BaseException] = []
    while error is not None and len(chain) < 5:  # SQLite rolls back by itself on a full disk,
        chain.append(error)  # then peewee's rollback fails: the cause is in the context
        error = error.__cause__ or error.__context__
    text = " | ".join(str(e).lower() for e in chain if isinstance(e, SQL_ERRORS))
    if not text:
        return None
    where = f"le dossier {db_path.parent}" if db_path else "le dossier de la base"
    if "full" in text:
        return StorageUnavailable(
            "Le disque est plein : la dernière modification n'a pas été enregistrée (les données "
            "déjà enregistrées sont intactes). Libérez de la place, puis recommencez.")
    if "disk i/o error" in text:
        return StorageUnavailable(
            "Erreur d'écriture sur le disque (disque plein ou support retiré ?) : la dernière "
            "modification n'a pas été enregistrée ; les données déjà enregistrées sont intactes.")
    if "readonly" in text or "unable to open" in text:
        return StorageUnavailable(
            f"La base ne peut pas être ouverte en écriture : {where} est en lecture seule ou "
            "introuvable (la base doit pouvoir y écrire ses fichiers -wal et -shm). Copiez la base "
            "et son fichier .kdf dans un dossier où vous pouvez écrire. Rien n'a été modifié.")
    if "locked" in text or "busy" in text:
        return StorageUnavailable("La base est occupée par un autre programme : réessayez dans "
                                  "un instant. Rien n'a été modifié.")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        if db_path is not None and passphrase_changed_meanwhile(db_path):
            return StorageUnavailable("La phrase secrète de la base vient d'être changée par un autre programme : "
                                      "cette commande utilisait l'ancienne clé. Relancez-la avec la nouvelle phrase "
                                      "secrète ; rien n'a été modifié et la base n'est pas endommagée.")
        return DamagedDatabase(f"La base est endommagée et ne peut pas être lue. {RESTORE_HINT}.")
    return None


def kdf_stamp(db_path: Path) -> bytes | None:
    """The bytes of the base's `.kdf` file (to notice a passphrase changed meanwhile)."""
    try:
        with open(db_path.with_name(db_path.name + ".kdf"), "rb") as handle:
            return handle.read(8192)
    except OSError:
        return None


def passphrase_changed_meanwhile(db_path: Path) -> bool:
    """A passphrase change is under way (`.kdf.new`) or happened since the base was opened:
    a read that fails then is not a damaged base (a false alarm would send the user to an
    older backup, losing real data)."""
    if db_path.with_name(db_path.name + ".kdf.new").exists():
        return True
    from ..core.models import database

    opened = getattr(database.obj, "kdf_stamp", None)
    return opened is not None and kdf_stamp(db_path) != opened
