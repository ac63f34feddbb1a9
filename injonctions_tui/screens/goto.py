"""« Aller à » (Ctrl+G): every mode and the help, reachable on any keyboard.

For keyboards where F2-F6 need Fn and terminals where Alt+digit does not reach the app:
Ctrl+G, then the mode's digit (as its F key) or its initial, or the arrows and Entrée.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..keymap import MODES
from .base import AppModal

HELP = "help"
#: What each mode answers to here: the digit of its F key, and its initial.
CHOICES: tuple[tuple[str, str, str], ...] = (
    *((mode, f"{index}{title[0].lower()}".replace("é", "e"), title) for index, (mode, _, _, title) in
      enumerate(MODES, start=2)),
    (HELP, "1?", "Aide"),
)


class GotoModal(AppModal[str | None]):
    """Dismisses with a mode of App.MODES, "help", or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Fermer", id="goto.close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="goto-box"):
            yield Static("Aller à", classes="dialog-title")
            yield OptionList(*(Option(f"{keys[0]}  {keys[1] if keys[1] != '?' else '?'}   {title}", id=mode)
                               for mode, keys, title in CHOICES), id="goto-list")
            yield Static("Un chiffre ou une initiale, ou ↑/↓ puis Entrée ; Échap : rester ici.",
                         classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_key(self, event: events.Key) -> None:
        typed = (event.character or "").lower().replace("é", "e")
        chosen = next((mode for mode, keys, _ in CHOICES if typed and typed in keys), None)
        if chosen is not None:
            event.stop()
            self.dismiss(chosen)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
