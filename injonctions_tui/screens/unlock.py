"""The unlock screen: the passphrase, and nothing personal on display."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.widgets import Button, Footer, Input, Static

from ..domain.core.errors import InjonctionsError
from ..domain.store import storage
from .base import AppScreen

#: Seconds to wait after the n-th consecutive failure (a brake on guessing).
FAILURE_DELAYS = (0, 1, 2, 4, 8, 15)


class UnlockScreen(AppScreen[None]):
    """Asks for the passphrase; the key derivation runs in a thread worker."""

    BINDINGS = [Binding("ctrl+q", "app.quit", "Quitter", id="unlock.quit")]

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path
        self.failures = 0

    def compose(self) -> ComposeResult:
        with Center():
            with Vertical(id="unlock-box", classes="dialog"):
                yield Static("Injonctions thérapeutiques", classes="dialog-title")
                yield Static("Base chiffrée. Saisissez votre phrase secrète pour l'ouvrir.")
                yield Input(password=True, placeholder="Phrase secrète", id="passphrase")
                yield Static("", id="unlock-message")
                yield Button("Déverrouiller", variant="primary", id="unlock")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.attempt(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.attempt(self.query_one("#passphrase", Input).value)

    def attempt(self, passphrase: str) -> None:
        message = self.query_one("#unlock-message", Static)
        if not passphrase:
            message.update("La phrase secrète ne peut pas être vide.")
            return
        message.update("Vérification…")
        self.query_one("#passphrase", Input).disabled = True
        self.unlock(passphrase)

    @work(exclusive=True, group="unlock")
    async def unlock(self, passphrase: str) -> None:
        """Derive in a thread (slow on purpose), open on the UI thread (instant)."""
        field = self.query_one("#passphrase", Input)
        message = self.query_one("#unlock-message", Static)
        try:
            key = await asyncio.to_thread(storage.derive_key_for, self.db_path, passphrase)
            # quick_check deferred: the app runs it in a worker once the agenda is shown.
            database = storage.open_with_key(self.db_path, key, defer_integrity_check=True)
        except InjonctionsError as error:
            self.failures += 1
            delay = FAILURE_DELAYS[min(self.failures, len(FAILURE_DELAYS) - 1)]
            suffix = f" Nouvel essai possible dans {delay} s." if delay else ""
            message.update(f"{error.message}{suffix}")
            field.value = ""
            await asyncio.sleep(delay)
            field.disabled = False
            field.focus()
            return
        self.app.database_ready(database, self.failures)
