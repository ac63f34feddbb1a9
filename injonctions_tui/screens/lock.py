"""The lock screen: opaque, nothing personal, the passphrase brings the user back
exactly where they were (the screens below keep their unsaved input)."""

from __future__ import annotations

import asyncio
import hmac
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.widgets import Input, Static

from ..domain.core.errors import InjonctionsError
from ..domain.store import audit, storage
from .base import AppModal
from .unlock import FAILURE_DELAYS


class LockScreen(AppModal[None]):
    """Dismissed only by the right passphrase; failures slow down and are logged."""

    BINDINGS = [Binding("ctrl+q", "app.quit", "Quitter", id="lock.quit")]

    def __init__(self, db_path: Path, key_digest: bytes) -> None:
        super().__init__()
        self.db_path = db_path
        self.key_digest = key_digest
        self.failures = 0

    def compose(self) -> ComposeResult:
        with Center():
            with Vertical(id="lock-box", classes="dialog"):
                yield Static("Session verrouillée", classes="dialog-title")
                yield Static("Saisissez votre phrase secrète pour reprendre où vous en étiez.")
                yield Input(password=True, placeholder="Phrase secrète", id="lock-passphrase")
                yield Static("", id="lock-message")

    def on_mount(self) -> None:
        self.query_one("#lock-passphrase", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value:
            event.input.disabled = True
            self.check(event.value)

    @work(exclusive=True, group="lock")
    async def check(self, passphrase: str) -> None:
        field = self.query_one("#lock-passphrase", Input)
        message = self.query_one("#lock-message", Static)
        try:
            key = await asyncio.to_thread(storage.derive_key_for, self.db_path, passphrase)
            right = hmac.compare_digest(storage.key_digest(key), self.key_digest)
        except InjonctionsError:
            right = False
        if right:
            audit.record("deverrouillage", details=f"echecs={self.failures}")
            self.dismiss()
            return
        self.failures += 1
        audit.record("echec_deverrouillage", details=f"essai={self.failures}")
        delay = FAILURE_DELAYS[min(self.failures, len(FAILURE_DELAYS) - 1)]
        message.update("Phrase secrète incorrecte." + (f" Nouvel essai possible dans {delay} s." if delay else ""))
        field.value = ""
        await asyncio.sleep(delay)
        field.disabled = False
        field.focus()
