"""The help screen: every key active on the screen below it, in French."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

ABOUT = (
    "Injonctions thérapeutiques — outil du professionnel de santé habilité (CSAPA).\n"
    "Les données sont chiffrées sur ce poste ; rien n'est envoyé sur le réseau."
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Fermer l'aide", id="help.close")]

    def __init__(self, below: Screen | None = None) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Static("Aide — touches", classes="dialog-title")
            yield Static(ABOUT, id="help-about")
            yield Static(self._keys_table(), id="help-keys")
            yield Static("Échap : fermer l'aide", classes="dialog-hint")

    def _keys_table(self) -> Table:
        table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
        table.add_column("Touche")
        table.add_column("Action")
        below = self.below
        seen: set[str] = set()
        bindings = [b for _, b in self.app._bindings] + ([b for _, b in below._bindings] if below else [])
        bindings.append(Binding("ctrl+p", "", "Palette de commandes"))
        for binding in bindings:
            if not binding.description or binding.key in seen:
                continue
            seen.add(binding.key)
            keys = ", ".join(self.app.get_key_display(Binding(k, "")) for k in binding.key.split(","))
            table.add_row(keys, binding.description)
        return table
