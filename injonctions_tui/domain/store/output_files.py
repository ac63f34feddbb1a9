"""Every file the app writes for the user goes through here: never over the base, never by mistake.

Why one helper: a typo in `--out` (the base's `.kdf`, the base itself, `/dev/full`) must
not destroy the only copy of the user's history. So a target is resolved first (symlinks
and `..` followed), then refused when it is the open base or a companion of any base
(`-wal`, `-shm`, `-journal`, `.kdf`, `.kdf.new`, `.lock`), when it exists but is not a
regular file (a device, a folder, a pipe), and when it exists at all unless the user said
`--force`. The content is written to a temporary file in the same folder (0600, synced)
and only then given its name, by a link (which never replaces) or, with `--force`, by a
rename (which replaces the name, never writes into another file). Folders are created
owner-only (0700), each level. Every failure is one French sentence (full disk included).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from ..core.errors import InjonctionsError
from ..core.models import database
from .storage_errors import describe_os_error

#: The files that live beside a base and belong to it.
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal", ".kdf", ".kdf.new", ".lock", ".echecs", ".restauration")


class OutputRefused(InjonctionsError):
    """The chosen output file would destroy something: nothing was written."""


def _real(path: Path) -> str:
    return os.path.realpath(os.path.abspath(os.path.expanduser(str(path))))


def _base_files(base: Path) -> set[str]:
    real = _real(base)
    return {real, *(real + suffix for suffix in COMPANION_SUFFIXES)}


def _open_bases() -> list[Path]:
    """The base the models are bound to, if any."""
    bound = database.obj
    return [Path(bound.database)] if bound is not None and bound.database else []


def _belongs_to_a_base(real: str) -> bool:
    """A companion of an existing file (`x.db.kdf` beside `x.db`), or a file that has its
    own `.kdf` beside it (a base, whichever it is)."""
    if os.path.exists(real + ".kdf"):
        return True
    return any(real.endswith(suffix) and os.path.exists(real[: -len(suffix)]) for suffix in COMPANION_SUFFIXES)


def belongs_to_a_base(path: Path, bases: Iterable[Path] = ()) -> bool:
    """True for the open base, one of `bases`, any file with its own `.kdf`, or a companion
    of one of them: never written over, never read as an import either."""
    real = _real(path)
    protected = set().union(*(_base_files(b) for b in [*bases, *_open_bases()]))
    return real in protected or _belongs_to_a_base(real)


def check_output(path: Path, *, force: bool = False, bases: Iterable[Path] = ()) -> Path:
    """The resolved target, or OutputRefused (French) saying why it may not be written."""
    real = _real(path)
    if belongs_to_a_base(path, bases):
        raise OutputRefused(f"Refusé : {path} est la base de données ou l'un de ses fichiers (clé, journal, "
                            "verrou). L'écrire la rendrait illisible pour toujours ; choisissez un autre nom. "
                            "Rien n'a été écrit.")
    try:
        info = os.stat(real)
    except FileNotFoundError:
        return Path(real)
    except OSError as error:
        raise OutputRefused(f"Impossible d'écrire {path} : {describe_os_error(error)}. Rien n'a été écrit.") from None
    if stat.S_ISDIR(info.st_mode):
        raise OutputRefused(f"{path} est un dossier : indiquez un nom de fichier. Rien n'a été écrit.")
    if not stat.S_ISREG(info.st_mode):
        raise OutputRefused(f"Refusé : {path} n'est pas un fichier ordinaire (périphérique, tube…). "
                            "Rien n'a été écrit.")
    if not force:
        raise OutputRefused(f"Le fichier {path} existe déjà : choisissez un autre nom, ou ajoutez --force "
                            "pour le remplacer. Rien n'a été écrit.")
    return Path(real)


def os_error_message(error: OSError, what: str, folder: Path) -> str:
    """A failed write in French: a full disk is called a full disk."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return f"Le disque est plein : {what} n'a pas été enregistré dans {folder}. Libérez de la place ou " \
               "choisissez un autre dossier ; aucun fichier partiel n'a été laissé."
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Impossible d'écrire dans le dossier {folder} : il est en lecture seule ou l'accès est refusé. " \
               "Choisissez un autre dossier."
    return f"Impossible d'enregistrer {what} dans {folder} : {describe_os_error(error)}."


def make_private_dirs(folder: Path) -> Path:
    """Create `folder` and each missing parent, owner-only (0700); French errors."""
    folder = Path(os.path.abspath(os.path.expanduser(str(folder))))
    missing: list[Path] = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    try:
        for level in reversed(missing):
            with contextlib.suppress(FileExistsError):
                os.mkdir(level, 0o700)
                os.chmod(level, 0o700)  # the umask may have taken bits away, never added: be exact
        if not folder.is_dir():
            raise OutputRefused(f"{folder} n'est pas un dossier : un fichier porte déjà ce nom.")
    except OSError as error:
        reason = ("un élément du chemin n'est pas un dossier" if error.errno in (errno.ENOTDIR, errno.EEXIST)
                  else describe_os_error(error))
        raise OutputRefused(f"Impossible de créer le dossier {folder} : {reason}.") from None
    return folder


def _write_temp(folder: Path, data: bytes, suffix: str) -> Path:
    temp = folder / f".{secrets.token_hex(8)}{suffix}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        if sys.platform != "win32":  # Windows has no modes: the profile folder's rights protect it
            os.fchmod(fd, 0o600)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    os.close(fd)
    return temp


def _link(temp: Path, target: Path) -> None:
    """Give the temporary file its final name, failing if that name is taken."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        # File systems without hard links (FAT USB keys): reserve the name, then replace.
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.replace(temp, target)


def sync_folder(folder: Path) -> None:
    """Best effort: make a new name survive a power cut (POSIX only)."""
    if sys.platform == "win32":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_output(path: Path, data: bytes, *, force: bool = False, what: str = "le fichier",
                 bases: Iterable[Path] = ()) -> Path:
    """Write `data` to exactly `path` (the user named it), 0600, atomically; refused as
    `check_output` says. Returns the path written."""
    target = check_output(path, force=force, bases=bases)
    folder = target.parent
    if not folder.is_dir():
        raise OutputRefused(f"Le dossier {folder} n'existe pas : choisissez un dossier existant. Rien n'a été écrit.")
    temp: Path | None = None
    try:
        temp = _write_temp(folder, data, target.suffix)
        if force and target.exists():
            check_output(target, force=True, bases=bases)  # still a regular file, still not the base
            os.replace(temp, target)
        else:
            try:
                _link(temp, target)
            except FileExistsError:
                raise OutputRefused(f"Le fichier {path} vient d'apparaître : choisissez un autre nom. "
                                    "Rien n'a été écrit.") from None
        sync_folder(folder)
        return target
    except OSError as error:
        raise OutputRefused(os_error_message(error, what, folder)) from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink()


def write_numbered(folder: Path, filename: str, data: bytes, *, what: str = "le document") -> Path:
    """Write `data` in `folder` under `filename`, or "name (2).ext"… when it is taken: for
    names the app chose itself (the documents folder), never over another file."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        if folder.exists():
            raise OutputRefused(f"{folder} n'est pas un dossier : choisissez un dossier pour le document.")
        raise OutputRefused(f"Le dossier {folder} n'existe pas : choisissez un dossier existant.")
    stem, suffix = os.path.splitext(filename)
    temp: Path | None = None
    try:
        temp = _write_temp(folder, data, suffix)
        for candidate in [filename] + [f"{stem} ({n}){suffix}" for n in range(2, 100)]:
            target = folder / candidate
            try:
                check_output(target, force=False)
            except OutputRefused:
                continue
            try:
                _link(temp, target)
            except FileExistsError:
                continue
            sync_folder(folder)
            return target
        raise OutputRefused(f"Trop de documents nommés {filename} dans {folder} : renommez-en quelques-uns.")
    except OSError as error:
        raise OutputRefused(os_error_message(error, what, folder)) from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink()
