"""Documents on paper: to the printer chosen in Paramètres, and the day's papers as one job.

The PDFs are produced first (`produce.produce_document`, the one way to print), then sent:
a printer that fails loses nothing — the message says where the documents stay, and the
convocations of the day's batch stay « à envoyer » (marked printed only once the printer
has taken the job). Each
sending is recorded in the audit trail (how many documents, pages and copies, which
printer: never a name).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InvalidInput
from ..printing.print_common import JobState, PrintingError, PrintJob
from ..printing.print_settings import load_print_settings
from ..printing.printers import print_pdfs
from ..store import audit
from ..store.settings import CourtSettings, load_court
from .day_papers import DayPapers, day_papers
from .produce import ProducedDocument, produce_document

AUDIT_ACTION = "envoi_imprimante"


def _kept(message: str, paths: Sequence[Path]) -> str:
    """The printer's French sentence, and where the documents stay (still one sentence)."""
    base = message.rstrip(".")
    if len(paths) == 1:
        return f"{base} ; le document reste enregistré : {paths[0]}."
    return f"{base} ; les {len(paths)} documents restent enregistrés dans {paths[0].parent}."


def print_documents(paths: Sequence[Path], *, printer: str | None = None, copies: int | None = None,
                    batch_name: str = "lot-impression.pdf") -> PrintJob:
    """Send the PDFs as one job: to `printer`, else the one chosen in Paramètres, else the
    computer's default; `copies` else the number chosen in Paramètres."""
    chosen = load_print_settings()
    try:
        job = print_pdfs(paths, printer=printer or chosen.printer, copies=copies or chosen.copies,
                         batch_name=batch_name)
    except PrintingError as error:
        error.message = _kept(error.message, paths)
        error.args = (error.message,)
        raise
    audit.record(AUDIT_ACTION, details=f"documents={len(job.documents)} pages={job.pages} "
                                       f"exemplaires={job.copies} imprimante={job.printer or 'defaut'}"[:500])
    return job


def follow(job: PrintJob, timeout: float = 120.0) -> JobState:
    """Until the printer has taken the job (CUPS; Windows gives no job to follow): a job
    stopped on an error raises, saying where the documents stay."""
    if job.job_id is None:
        return JobState.UNKNOWN
    from ..printing.cups import wait_for_job

    try:
        return wait_for_job(job.job_id, timeout)
    except PrintingError as error:
        error.message = _kept(error.message, job.documents)
        error.args = (error.message,)
        raise


@dataclass(frozen=True)
class PrintedDay:
    papers: DayPapers
    produced: list[ProducedDocument]
    job: PrintJob

    def summary(self) -> str:
        return (f"Papiers du {self.papers.day.strftime('%d/%m/%Y')} envoyés à {self.job.destination()} : "
                f"{self.papers.describe()}, {self.job.amount()}.")


def produce_day_papers(day: dt.date, *, folder: Path, today: dt.date, court: CourtSettings | None = None,
                       defer_saved: bool = False) -> tuple[DayPapers, list[ProducedDocument]]:
    """Write every paper of `day` (day_papers.day_papers) in `folder`, in the order they are used;
    `defer_saved`: the convocations are marked printed by the caller (print_day_papers)."""
    court = court or load_court()
    papers = day_papers(day, court=court, today=today)
    if not papers.items:
        raise InvalidInput(f"Rien à imprimer pour le {day.strftime('%d/%m/%Y')} : ni permanence, ni rendez-vous, "
                           "ni papier d'orientation, ni convocation à envoyer.")
    produced = [produce_document(key, target, folder=folder, today=today, court=court, defer_saved=defer_saved)
                for key, target in papers.items]
    return papers, produced


def print_day_papers(day: dt.date, *, folder: Path, today: dt.date, printer: str | None = None,
                     copies: int | None = None) -> PrintedDay:
    """The day's papers, written then sent as ONE job (they come out together, in order);
    the convocations count as sent once the printer has taken the job, not before."""
    papers, produced = produce_day_papers(day, folder=folder, today=today, defer_saved=True)
    job = print_documents([document.path for document in produced], printer=printer, copies=copies,
                          batch_name=f"papiers-du-jour-{day.isoformat()}.pdf")
    for document in produced:
        if document.saved is not None:
            document.saved()
    return PrintedDay(papers, produced, job)
