"""Writing a rendered PDF to the folder the professional chose, and naming it.

The file is the only copy of personal data outside the encrypted database: it is
written atomically, readable by its owner only (0600), never over another file, and
every failure is explained in French.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from ..core.errors import InjonctionsError
from ..store.output_files import write_numbered, write_output

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


def document_filename(kind: str, day: dt.date, reference: str | None = None) -> str:
    """"attestation-presence-2026-11-23-26-00001.pdf": sorts by date, says what it is, and
    names the dossier by `reference` (its parquet number or initials: `person_reference`),
    never by the person's surname."""
    tag = re.sub(r"[^\w.-]+", "-", reference).strip("-")[:40] if reference else ""
    return safe_filename(kind, day.isoformat(), tag)


def person_reference(parquet_number: str | None, last_name: str, first_name: str, style: str) -> str:
    """What a file name says of its person: the parquet number, or the initials (« TT »)."""
    if style == "initiales" or not parquet_number:
        return "".join(part[:1].upper() for part in (first_name, last_name) if part)
    return parquet_number


def save_pdf(data: bytes, folder: Path, filename: str, *, exact: bool = False, force: bool = False) -> Path:
    """Write the PDF atomically (0600), never over an existing file: "nom (2).pdf"…
    (`exact`: the user named the file: refused when it exists, unless `force`)."""
    return save_file(data, folder, filename, suffix=".pdf", exact=exact, force=force)


def save_file(data: bytes, folder: Path, filename: str, *, suffix: str, exact: bool = False,
              force: bool = False) -> Path:
    """`save_pdf` for any export holding personal data (CSV, JSON): same guarantees, through
    the one writer of the store (`store.output_files`: never the base, never a device)."""
    folder = Path(folder).expanduser()
    filename = safe_filename(filename, suffix=suffix)
    if exact:
        if not folder.is_dir():
            raise InjonctionsError(f"Le dossier {folder} n'existe pas : choisissez un dossier existant.")
        return write_output(folder / filename, data, force=force, what="le document")
    return write_numbered(folder, filename, data)
