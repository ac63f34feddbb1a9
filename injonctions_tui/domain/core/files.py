"""Reading files the user hands us (imports): size-capped, with French errors."""

from __future__ import annotations

import stat
from pathlib import Path

from .errors import InjonctionsError


def read_limited(path: Path, max_bytes: int, *, is_dir_message: str, too_big_message: str) -> bytes:
    """The bytes of a user-chosen file, refusing folders, missing and oversized files."""
    path = Path(path)
    try:
        if path.is_dir():
            raise InjonctionsError(is_dir_message)
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a pipe would block the reading forever, a device never end
            raise InjonctionsError(f"{path} n'est pas un fichier ordinaire (périphérique, tube…) : choisissez "
                                   "un fichier.")
        too_big = info.st_size > max_bytes
        with open(path, "rb") as handle:
            raw = b"" if too_big else handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InjonctionsError(f"Le fichier {path} est introuvable.") from None
    except PermissionError:
        raise InjonctionsError(f"Impossible de lire le fichier {path} : accès refusé.") from None
    except IsADirectoryError:
        raise InjonctionsError(is_dir_message) from None
    except OSError as error:  # strerror is English: the code only
        raise InjonctionsError(f"Impossible de lire le fichier {path} : erreur du système (code "
                               f"{error.errno or '?'}).") from None
    if too_big or len(raw) > max_bytes:
        raise InjonctionsError(too_big_message)
    return raw
