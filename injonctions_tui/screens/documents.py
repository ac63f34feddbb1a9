"""Producing a document from any screen: the domain's one pipeline, in a worker thread.

Rendering and signing take a moment; the worker runs `documents.produce_document` on
its own connection and posts a typed message back: the app says where the file went
(a toast), or why it was refused (a toast for what the user can mend, a dialog for a
real failure such as a full disk).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from ..domain.core.errors import InjonctionsError, InvalidInput
from ..domain.store.storage import own_connection
from ..paths import prepared_documents_dir

if TYPE_CHECKING:
    from ..app import InjonctionsApp
    from ..domain.documents.produce import ProducedDocument


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
    """Start the worker; the app is told by a message when it is done."""
    app.notify("Signature et enregistrement du PDF…" if sign else "Préparation du document…")
    today = app.today()

    def work() -> None:
        from ..domain.documents.produce import produce_document

        try:
            with own_connection():
                produced = produce_document(key, target, folder=prepared_documents_dir(today.year), sign=sign,
                                            today=today)
        except InjonctionsError as error:
            app.post_message(DocumentRefused(error.message, isinstance(error, InvalidInput)))
            return
        app.post_message(DocumentProduced(produced))

    app.run_worker(work, thread=True, group="documents", description=f"document {key}")
