"""What every print backend shares: the errors (one French sentence each), a printer, a job.

Each error is an `InjonctionsError`: the CLI prints its message with exit status 2, the
app shows it; `detail` keeps what the system said (lp's English), never shown. A failure
never touches the PDF: the caller says where it stays.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InjonctionsError

#: Title of every job: nothing personal reaches the print system's history.
JOB_TITLE = "injonctions_tui"
MAX_COPIES = 99


class PrintingError(InjonctionsError):
    """A document could not be sent to a printer, or opened."""

    default_message = "L'impression a échoué."

    def __init__(self, message: str | None = None, *, detail: str = "") -> None:
        super().__init__(message or self.default_message)
        self.detail = detail


class PrintSystemMissing(PrintingError):
    default_message = "Le système d'impression (CUPS) n'est pas installé sur ce poste."


class SchedulerUnavailable(PrintingError):
    default_message = "Le service d'impression (CUPS) ne répond pas : vérifiez qu'il est démarré."


class NoPrinter(PrintingError):
    default_message = "Aucune imprimante n'est installée sur ce poste."


class UnknownPrinter(PrintingError):
    def __init__(self, printer: str, *, detail: str = "") -> None:
        super().__init__(f"L'imprimante « {printer} » est introuvable sur ce poste.", detail=detail)


class PrinterOffline(PrintingError):
    def __init__(self, printer: str, *, detail: str = "") -> None:
        super().__init__(f"L'imprimante « {printer} » est hors ligne (arrêtée).", detail=detail)


class PrinterRejecting(PrintingError):
    def __init__(self, printer: str, *, detail: str = "") -> None:
        super().__init__(f"L'imprimante « {printer} » refuse actuellement les impressions.", detail=detail)


class JobFailed(PrintingError):
    default_message = "L'impression a échoué : le document n'a pas été imprimé."


class NotAPdf(PrintingError):
    default_message = "Le document à imprimer est introuvable ou n'est pas un PDF lisible."


class InvalidCopies(PrintingError):
    default_message = f"Le nombre d'exemplaires doit être compris entre 1 et {MAX_COPIES}."


class ViewerUnavailable(PrintingError):
    default_message = "Impossible d'ouvrir le document : aucune visionneuse PDF n'est disponible sur ce poste."


@dataclass(frozen=True)
class PrinterInfo:
    """A print queue as the system describes it."""

    name: str
    is_default: bool
    #: False: stopped, paused or offline (« hors ligne »).
    enabled: bool
    #: False: the queue refuses new jobs.
    accepting: bool


@dataclass(frozen=True)
class PrintJob:
    """What was sent: one job, whatever the number of documents in it."""

    #: "VirtuelPDF-12" with CUPS; None on Windows (the print verb gives no job).
    job_id: str | None
    printer: str | None
    copies: int
    pages: int
    documents: tuple[Path, ...]

    def destination(self) -> str:
        """« l'imprimante « X » (travail n° 12) »."""
        where = f"l'imprimante « {self.printer} »" if self.printer else "l'imprimante par défaut"
        return where + (f" (travail n° {self.job_id.rpartition('-')[2]})" if self.job_id else "")

    def amount(self) -> str:
        """« 5 pages, 2 exemplaires »."""
        pages = "1 page" if self.pages == 1 else f"{self.pages} pages"
        return f"{pages}, " + ("1 exemplaire" if self.copies == 1 else f"{self.copies} exemplaires")

    def describe(self) -> str:
        """« Envoyé à l'imprimante « X » (travail n° 12) : 3 documents, 5 pages, 2 exemplaires. »"""
        documents = "1 document" if len(self.documents) == 1 else f"{len(self.documents)} documents"
        return f"Envoyé à {self.destination()} : {documents}, {self.amount()}."


class JobState(enum.Enum):
    PENDING = "en attente"
    COMPLETED = "imprimé"
    FAILED = "échec"
    #: No such job any more (or a system that does not follow jobs: Windows).
    UNKNOWN = "inconnu"


def check_copies(copies: int) -> int:
    if isinstance(copies, bool) or not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
        raise InvalidCopies(detail=repr(copies))
    return copies
