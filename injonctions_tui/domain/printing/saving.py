"""Writing a rendered PDF to the folder the professional chose, and naming it.

The file is the only copy of personal data outside the encrypted database: it is
written atomically, readable by its owner only (0600), never over another file, and
every failure is explained in French.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import secrets
import sys
import unicodedata
from pathlib import Path

from ..core.errors import InjonctionsError

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def safe_filename(*parts: str, suffix: str = ".pdf") -> str:
    """A portable file name: no separator nor reserved character, accents kept (NFC)."""
    joined = "-".join(p for p in parts if p)
    cleaned = _UNSAFE.sub("-", unicodedata.normalize("NFC", joined))
    cleaned = re.sub(r"\s+", "-", cleaned).strip("-. ")
    cleaned = re.sub(r"-{2,}", "-", cleaned)[:120].rstrip("-. ")
    if cleaned.lower().endswith(suffix):
        cleaned = cleaned[: -len(suffix)]
    return (cleaned or "document") + suffix


def document_filename(kind: str, day: dt.date, last_name: str | None = None) -> str:
    """"attestation-presence-2026-11-23-TOURNESOL.pdf": sorts by date, says what it is."""
    name = re.sub(r"[^\w'-]+", "-", last_name.upper()).strip("-")[:40] if last_name else ""
    return safe_filename(kind, day.isoformat(), name)


def _candidates(filename: str) -> list[str]:
    stem, suffix = os.path.splitext(filename)
    return [filename] + [f"{stem} ({n}){suffix}" for n in range(2, 100)]


def _os_error(error: OSError, folder: Path) -> InjonctionsError:
    if error.errno == errno.ENOSPC or error.errno == errno.EDQUOT:
        return InjonctionsError(f"Le disque est plein : le document n'a pas été enregistré dans {folder}. "
                                "Libérez de la place ou choisissez un autre dossier.")
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return InjonctionsError(f"Impossible d'écrire dans le dossier {folder} : il est en lecture seule "
                                "ou l'accès est refusé. Choisissez un autre dossier.")
    return InjonctionsError(f"Impossible d'enregistrer le document dans {folder} : "
                            f"{error.strerror or error}.")


def save_pdf(data: bytes, folder: Path, filename: str) -> Path:
    """Write the PDF atomically (0600), never over an existing file: "nom (2).pdf"…

    The final name appears only once the content is complete on disk (a hard link of
    a fully written, synced temporary file in the same folder).
    """
    return save_file(data, folder, filename, suffix=".pdf")


def save_file(data: bytes, folder: Path, filename: str, *, suffix: str) -> Path:
    """`save_pdf` for any export holding personal data (CSV, JSON): same guarantees."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        if folder.exists():
            raise InjonctionsError(f"{folder} n'est pas un dossier : choisissez un dossier pour le document.")
        raise InjonctionsError(f"Le dossier {folder} n'existe pas : choisissez un dossier existant.")
    filename = safe_filename(filename, suffix=suffix)
    temp = folder / f".{secrets.token_hex(8)}{suffix}.tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        try:
            if sys.platform != "win32":  # Windows has no modes: the profile folder's rights protect it
                os.fchmod(fd, 0o600)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        for candidate in _candidates(filename):
            target = folder / candidate
            try:
                _publish(temp, target)
                _sync_folder(folder)
                return target
            except FileExistsError:
                continue
        raise InjonctionsError(f"Trop de documents nommés {filename} dans {folder} : renommez-en quelques-uns.")
    except OSError as error:
        raise _os_error(error, folder) from None
    finally:
        try:
            temp.unlink()
        except OSError:
            pass


def _publish(temp: Path, target: Path) -> None:
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


def _sync_folder(folder: Path) -> None:
    """Best effort: make the new name itself survive a power cut (POSIX only)."""
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
