"""Sending documents to a printer, or to the system's PDF viewer: the one entry point.

CUPS on Linux and macOS (`cups`), the shell's print verbs on Windows
(`windows_printing`). Several documents go as ONE job (merged in memory with pypdf),
so the day's papers come out together and in order. The PDFs are only read: whatever
fails, they stay where they were written, and the error (a `PrintingError`) is one
French sentence.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from ..core.errors import InjonctionsError
from ..core.files import read_limited
from . import cups, windows_printing
from .print_common import NotAPdf, PrinterInfo, PrintJob, ViewerUnavailable, check_copies
from .saving import save_pdf

#: A document of the app is a few hundred kilobytes; a batch of a busy day a few megabytes.
MAX_DOCUMENT = 100 * 1024 * 1024


def _windows() -> bool:
    return sys.platform == "win32"


def list_printers() -> list[PrinterInfo]:
    """Every print queue of this computer, the default one flagged; [] when there is none."""
    return windows_printing.list_printers() if _windows() else cups.list_printers()


def default_printer() -> PrinterInfo | None:
    return next((p for p in list_printers() if p.is_default), None)


def _read(path: Path) -> bytes:
    try:
        data = read_limited(path, MAX_DOCUMENT, is_dir_message=f"{path} est un dossier, pas un document.",
                            too_big_message=f"{path} dépasse 100 Mo : ce n'est pas un document de l'application.")
    except InjonctionsError as error:
        raise NotAPdf(error.message) from None
    if not data.startswith(b"%PDF-"):
        raise NotAPdf(f"{path.name} n'est pas un document PDF.")
    return data


def _merge(documents: list[bytes]) -> tuple[bytes, int]:
    """One PDF holding every document in order, and its number of pages."""
    from pypdf import PdfReader, PdfWriter  # only when printing
    from pypdf.errors import PyPdfError

    writer = PdfWriter()
    try:
        for data in documents:
            writer.append(PdfReader(io.BytesIO(data)))
        if len(documents) == 1:
            return documents[0], len(writer.pages)
        out = io.BytesIO()
        writer.write(out)
    except (PyPdfError, ValueError, KeyError, OSError) as error:
        raise NotAPdf("Un des documents à imprimer est illisible ou endommagé.", detail=str(error)) from None
    return out.getvalue(), len(writer.pages)


def print_pdfs(paths: Sequence[Path], *, printer: str | None, copies: int = 1,
               batch_name: str = "lot-impression.pdf") -> PrintJob:
    """Print the PDFs as one job on `printer` (None: the system's default), `copies` collated
    sets. On Windows several documents are first saved as one PDF (`batch_name`) beside the
    first one: the print verb needs a file."""
    check_copies(copies)
    if not paths:
        raise NotAPdf("Aucun document à imprimer.")
    sources = tuple(Path(p) for p in paths)
    data, pages = _merge([_read(path) for path in sources])
    if _windows():
        single = sources[0] if len(sources) == 1 else save_pdf(data, sources[0].parent, batch_name)
        windows_printing.print_file(single, printer, copies)
        return PrintJob(None, printer, copies, pages, sources)
    job_id, queue = cups.submit(data, printer, copies)
    return PrintJob(job_id, queue, copies, pages, sources)


def open_in_viewer(path: Path) -> None:
    """Show the PDF in the system's viewer, without waiting for it."""
    if not path.is_file():
        raise NotAPdf(f"Le document {path} est introuvable.")
    if _windows():
        try:
            windows_printing.open_file(path)
        except OSError as error:
            raise ViewerUnavailable(detail=str(error)) from None
        return
    opener = shutil.which("open" if sys.platform == "darwin" else "xdg-open")
    if opener is None:
        raise ViewerUnavailable(detail="ni xdg-open ni open")
    try:
        subprocess.Popen([opener, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as error:
        raise ViewerUnavailable(detail=str(error)) from None
