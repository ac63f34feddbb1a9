"""The help screen: every key active on the screen below it, in French."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from ..keymap import ALT_DIGIT_ALIASES
from .base import FRENCH_KEYS, AppModal

#: Key names as a French keyboard labels them.
KEY_NAMES = {"escape": "Échap", "enter": "Entrée", "tab": "Tab", "delete": "Suppr", "backspace": "Retour arrière",
             "left": "←", "right": "→", "up": "↑", "down": "↓", "minus": "-", "plus": "+", "home": "Origine",
             "end": "Fin", "pageup": "Page préc.", "pagedown": "Page suiv.", "space": "Espace"}
MODIFIERS = {"ctrl": "Ctrl", "shift": "Maj", "alt": "Alt", "super": "Cmd"}


def french_key(key: str) -> str:
    """« ctrl+s » -> « Ctrl+S », « shift+tab » -> « Maj+Tab », « escape » -> « Échap »."""
    *modifiers, name = key.split("+")
    shown = KEY_NAMES.get(name, name.upper() if len(name) == 1 and modifiers or name.startswith("f") and
                          name[1:].isdigit() else name)
    return "+".join([*(MODIFIERS.get(m, m) for m in modifiers), shown])

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
        shared = {b.description for b in FRENCH_KEYS}
        own = [b for _, b in below._bindings] if below else []
        bindings = ([b for b in own if b.description not in shared] + [b for _, b in self.app._bindings
                                                                       if b.description not in shared]
                    + list(FRENCH_KEYS))
        grouped: dict[str, list[str]] = {}
        for binding in bindings:
            if not binding.description:
                continue
            keys = grouped.setdefault(binding.description, [])
            for key in (self.app.keys_of(binding.id, binding.key) if binding.id else binding.key).split(","):
                shown = french_key(key)
                # Cmd+C (macOS) and the characters Option+digit types are the same keys said once.
                if shown not in keys and not key.startswith("super+") and key not in ALT_DIGIT_ALIASES.values():
                    keys.append(shown)
        return [(", ".join(keys), description) for description, keys in grouped.items()]
