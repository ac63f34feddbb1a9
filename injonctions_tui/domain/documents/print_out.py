"""Documents on paper: to the printer chosen in Paramètres, and the day's papers as one job.

The PDFs are produced first (`produce.produce_document`, the one way to print), then sent:
a printer that fails loses nothing — the message says where the documents stay. Each
sending is recorded in the audit trail (how many documents, pages and copies, which
printer: never a name).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..agenda.papers import DayPapers, day_papers
from ..core.errors import InvalidInput
from ..printing.print_common import JobState, PrintingError, PrintJob
from ..printing.print_settings import load_print_settings
from ..printing.printers import print_pdfs
from ..store import audit
from ..store.settings import CourtSettings, load_court
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


def papers_of_the_day(day: dt.date, *, court: CourtSettings, today: dt.date) -> DayPapers:
    """The agenda's papers of `day` (agenda.papers) and the orientation papers due that day,
    in handing-out order: what the batch prints and what its confirmation announces."""
    from ..orientation.due import documents_due_on

    return day_papers(day, court=court, today=today).with_items(
        [(due.key, due.target) for due in documents_due_on(day)])


def nothing_to_print(day: dt.date) -> str:
    from ..core.dates import format_long_fr

    return (f"Rien à imprimer pour le {format_long_fr(day)} : ni permanence, ni rendez-vous, ni convocation à "
            "envoyer, ni papier d'orientation.")


def produce_day_papers(day: dt.date, *, folder: Path, today: dt.date,
                       court: CourtSettings | None = None) -> tuple[DayPapers, list[ProducedDocument]]:
    """Write every paper of `day` (agenda.papers.day_papers) in `folder`, in handing-out order."""
    court = court or load_court()
    papers = papers_of_the_day(day, court=court, today=today)
    if not papers.items:
        raise InvalidInput(nothing_to_print(day))
    produced = [produce_document(key, target, folder=folder, today=today, court=court) for key, target in papers.items]
    return papers, produced


def print_day_papers(day: dt.date, *, folder: Path, today: dt.date, printer: str | None = None,
                     copies: int | None = None) -> PrintedDay:
    """The day's papers, written then sent as ONE job (they come out together, in order)."""
    papers, produced = produce_day_papers(day, folder=folder, today=today)
    job = print_documents([document.path for document in produced], printer=printer, copies=copies,
                          batch_name=f"papiers-du-jour-{day.isoformat()}.pdf")
    return PrintedDay(papers, produced, job)
