"""After a document is written: where it went, and print it, open it, or leave it there.

Enter prints on the printer chosen in Paramètres (with its number of copies), o opens the
PDF in the system's viewer, Échap closes: the file is already saved either way.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from .base import AppModal

#: What the dialog dismisses with.
PRINT, OPEN = "imprimer", "ouvrir"


class DocumentReadyModal(AppModal[str | None]):
    BINDINGS = [
        Binding("i", "choose('imprimer')", "Imprimer", id="document.print"),
        Binding("o", "choose('ouvrir')", "Ouvrir", id="document.open"),
        Binding("escape", "choose('')", "Fermer", id="document.close"),
    ]

    def __init__(self, summary: str, path: Path, printer: str) -> None:
        super().__init__()
        self.summary = summary
        self.path = path
        self.printer = printer

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="document-ready"):
            yield Static("Document prêt", classes="dialog-title")
            yield Static(self.summary, id="document-summary")
            yield Static(f"Imprimer : {self.printer} (Paramètres, touche p). Ouvrir : la visionneuse PDF du poste.",
                         classes="dialog-hint")
            with Horizontal(classes="modal-buttons"):
                yield Button("Fermer", id="document-close", compact=True)
                yield Button("Ouvrir (o)", id="document-open", compact=True)
                yield Button("Imprimer (i)", variant="primary", id="document-print", compact=True)

    def on_mount(self) -> None:
        self.query_one("#document-print", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_choose({"document-print": PRINT, "document-open": OPEN}.get(event.button.id or "", ""))

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)
