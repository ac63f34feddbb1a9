"""Producing a document from any screen: the domain's one pipeline, in a worker thread.

Rendering and signing take a moment; the worker runs `documents.produce_document` on
its own connection and posts a typed message back: the app says where the file went
(a toast), or why it was refused (a toast for what the user can mend — a wrong PIN, a
card to insert —, a dialog for a real failure such as a full disk or a blocked card).
When the professional's card signs, its PIN is asked here first (ask_pin). One document
at a time from the screens: the batch signed with one PIN entry is the CLI's for now
(`injonctions print KIND N N… --sign`). Once written, a document is offered for printing
or viewing (offer); printing runs in a worker too (print_in_background), and so do the
day's papers (print_day_in_background), sent as one job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from ..domain.core.errors import InjonctionsError, InvalidInput
from ..domain.store.storage import own_connection
from ..paths import prepared_documents_dir

if TYPE_CHECKING:
    from ..app import InjonctionsApp
    from ..domain.documents.produce import ProducedDocument
    from ..domain.printing.print_common import PrintJob


class DocumentProduced(Message):
    """The file is written (and signed when asked)."""

    def __init__(self, produced: ProducedDocument) -> None:
        super().__init__()
        self.produced = produced


class DocumentRefused(Message):
    """Nothing was written: `reason` says why, in French; `mendable` by the user (a
    missing presence, a draft to finalise) or a real failure (disk full, folder gone)."""

    def __init__(self, reason: str, mendable: bool) -> None:
        super().__init__()
        self.reason = reason
        self.mendable = mendable


def produce_in_background(app: InjonctionsApp, key: str, target: object, *, sign: bool = False) -> None:
    """Start the worker; the app is told by a message when it is done. When the card signs,
    its PIN is asked first, on the UI thread (a password field), then handed to the worker:
    never stored, never logged."""
    if sign:
        from ..domain.printing.signer_choice import pin_needed

        try:
            card = pin_needed()
        except InjonctionsError as error:
            app.show_error(error.message)
            return
        if card is not None:
            ask_pin(app, card.describe(), lambda pin: _start(app, key, target, sign=True, pin=pin))
            return
    _start(app, key, target, sign=sign, pin=None)


def ask_pin(app: InjonctionsApp, card: str, then: Callable[[str], None]) -> None:
    """The PIN dialog: `then(pin)` once typed; cancelling writes nothing and says so."""
    from .form_modal import FormModal, ModalField

    def typed(values: dict[str, str]) -> str:
        if not values["pin"]:
            raise InvalidInput("Tapez le code PIN de la carte (Échap : annuler).")
        return values["pin"]

    def done(pin: object) -> None:
        if isinstance(pin, str) and pin:
            then(pin)
        else:
            app.notify("Signature annulée : aucun document n'a été écrit.", severity="warning")

    app.push_screen(FormModal("Code PIN de la carte", [ModalField("pin", "Code PIN", password=True)], typed,
                              submit_label="Signer", intro=f"Signature par la {card}. Le code n'est jamais "
                                                           "enregistré."), done)


def _start(app: InjonctionsApp, key: str, target: object, *, sign: bool, pin: str | None) -> None:
    app.notify("Signature et enregistrement du PDF…" if sign else "Préparation du document…", timeout=3)
    today = app.today()

    def work() -> None:
        from ..domain.documents.produce import produce_document

        try:
            with own_connection():
                produced = produce_document(key, target, folder=prepared_documents_dir(today.year), sign=sign,
                                            today=today, pin=pin)
        except InjonctionsError as error:
            mendable = isinstance(error, InvalidInput) or getattr(error, "mendable", False)
            app.post_message(DocumentRefused(error.message, mendable))
            return
        app.post_message(DocumentProduced(produced))

    app.run_worker(work, thread=True, group="documents", description=f"document {key}")


def offer(app: InjonctionsApp, produced: ProducedDocument) -> None:
    """« Imprimer » (the printer of Paramètres), « Ouvrir » (the system's viewer) or close."""
    from ..domain.printing.print_settings import load_print_settings
    from .document_ready import OPEN, PRINT, DocumentReadyModal

    def chosen(choice: str | None) -> None:
        if choice == PRINT:
            print_in_background(app, [produced.path])
        elif choice == OPEN:
            open_document(app, produced.path)

    app.push_screen(DocumentReadyModal(produced.summary(), produced.path, load_print_settings().describe()), chosen)


def open_document(app: InjonctionsApp, path: Path) -> None:
    from ..domain.printing.printers import open_in_viewer

    try:
        open_in_viewer(path)
    except InjonctionsError as error:
        app.show_error(f"{error.message.rstrip('.')} ; le document reste enregistré : {path}.")
        return
    app.notify(f"Ouvert dans la visionneuse : {path.name}")


def _follow(app: InjonctionsApp, job: PrintJob, said: str) -> None:
    """Tell what was sent, then whether the printer took it (in the worker: it may wait)."""
    from ..domain.documents.print_out import follow

    app.call_from_thread(app.notify, said, timeout=10)
    try:
        follow(job)
    except InjonctionsError as error:
        app.call_from_thread(app.show_error, error.message)


def print_in_background(app: InjonctionsApp, paths: list[Path]) -> None:
    """Send written PDFs as one job; a failure is a dialog saying where they stay."""
    app.notify("Envoi à l'imprimante…")

    def work() -> None:
        from ..domain.documents.print_out import print_documents

        try:
            with own_connection():
                job = print_documents(paths)
        except InjonctionsError as error:
            app.call_from_thread(app.show_error, error.message)
            return
        _follow(app, job, job.describe())

    app.run_worker(work, thread=True, group="printing", description="impression")


def print_day_in_background(app: InjonctionsApp, day: dt.date) -> None:
    """The day's papers written, then sent as one job (documents.print_out.print_day_papers)."""
    app.notify("Préparation des papiers du jour…")
    today = app.today()

    def work() -> None:
        from ..domain.documents.print_out import print_day_papers

        try:
            with own_connection():
                printed = print_day_papers(day, folder=prepared_documents_dir(day.year), today=today)
        except InvalidInput as error:  # nothing to print, a place to correct: said, not a failure
            app.call_from_thread(app.notify, error.message, severity="warning", timeout=10)
            return
        except InjonctionsError as error:
            app.call_from_thread(app.show_error, error.message)
            return
        _follow(app, printed.job, printed.summary())

    app.run_worker(work, thread=True, group="printing", description="papiers du jour")
