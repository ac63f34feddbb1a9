"""A modal for real errors: the French message and one button."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Static

from .base import AppModal


class ErrorScreen(AppModal[None]):
    BINDINGS = [Binding("escape,enter", "dismiss", "Fermer", id="error.close")]

    def __init__(self, message: str, title: str = "Erreur") -> None:
        super().__init__()
        self.message = message
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="error-box", classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.message, id="error-message")
            yield Button("Fermer", variant="primary", id="error-close")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss()
