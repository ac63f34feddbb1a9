"""The help screen: every key active on the screen below it, in French."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from .base import AppModal

ABOUT = (
    "Injonctions thérapeutiques — outil du professionnel de santé habilité (CSAPA).\n"
    "Les données sont chiffrées sur ce poste ; rien n'est envoyé sur le réseau."
)


def keymap_hint() -> str:
    from ..paths import keymap_path

    return (f"Sans touches F : Alt+chiffre (Alt+2 = F2…) ou Ctrl+G puis un chiffre. Vos touches : "
            f"{keymap_path()} (README, « Raccourcis »).")


class HelpScreen(AppModal[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Fermer l'aide", id="help.close")]

    def __init__(self, below: Screen | None = None) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Static("Aide — touches", classes="dialog-title")
            yield Static(f"{ABOUT}\n{keymap_hint()}", id="help-about")
            yield Static(self._keys_table(), id="help-keys")
            yield Static("Échap : fermer l'aide", classes="dialog-hint")

    def _keys_table(self) -> Table:
        table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
        table.add_column("Touche")
        table.add_column("Action")
        for keys, description in self.key_rows():
            table.add_row(keys, description)
        return table

    def key_rows(self) -> list[tuple[str, str]]:
        """(keys, French description): the screen's own keys first, then the app's."""
        below = self.below
        bindings = ([b for _, b in below._bindings] if below else []) + [b for _, b in self.app._bindings]
        grouped: dict[str, list[str]] = {}
        for binding in bindings:
            if not binding.description:
                continue
            keys = grouped.setdefault(binding.description, [])
            for key in (self.app.keys_of(binding.id, binding.key) if binding.id else binding.key).split(","):
                shown = self.app.get_key_display(Binding(key, ""))
                if shown not in keys:
                    keys.append(shown)
        return [(", ".join(keys), description) for description, keys in grouped.items()]
