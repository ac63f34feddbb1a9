"""The help screen: every key active on the screen below it, in French."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from .base import FRENCH_SCREEN_BINDINGS, AppModal

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
            field_keys = self.field_keys()
            if field_keys:
                yield Static("Dans le champ de texte", classes="dialog-title")
                yield Static(self._table(field_keys), id="help-field-keys")
            yield Static("Échap : fermer l'aide", classes="dialog-hint")

    def _keys_table(self) -> Table:
        return self._table(self.key_rows())

    @staticmethod
    def _table(rows: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> Table:
        table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
        table.add_column("Touche")
        table.add_column("Action")
        for keys, description in rows:
            table.add_row(keys, description)
        return table

    def field_keys(self) -> tuple[tuple[str, str], ...]:
        """The editing keys of the text field that had the focus (the report's observations)."""
        focused = self.below.focused if self.below is not None else None
        return tuple(getattr(focused, "HELP_KEYS", ()))

    def key_rows(self) -> list[tuple[str, str]]:
        """(keys, French description): the screen's own keys first, then the app's, then
        the moves every screen shares (Tab, copy)."""
        below = self.below
        shared = {b.description for b in FRENCH_SCREEN_BINDINGS}
        own = [b for _, b in below._bindings] if below else []
        bindings = ([b for b in own if b.description not in shared] + [b for _, b in self.app._bindings
                                                                       if b.description not in shared]
                    + list(FRENCH_SCREEN_BINDINGS))
        grouped: dict[str, list[str]] = {}
        for binding in bindings:
            if not binding.description:
                continue
            keys = grouped.setdefault(binding.description, [])
            keys += [shown for shown in self.app.french_keys(binding) if shown not in keys]
        return [(", ".join(keys), description) for description, keys in grouped.items()]
