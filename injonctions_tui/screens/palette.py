"""The command palette, in French: Textual writes « No matches found » in its own code.

Textual is pinned exactly (pyproject): the method below mirrors its
`CommandPalette._start_no_matches_countdown` with the French sentence, and a test opens
the palette, types a search with no match and reads the list, so an upgrade that
changes that code is caught.
"""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from .base import FRENCH_SCREEN_BINDINGS

NO_MATCHES = "Aucune commande ne correspond"
PLACEHOLDER = "Rechercher une commande… (ex. : convocations, sans rendez-vous, feuille)"


class FrenchCommandPalette(CommandPalette):
    """Textual's palette with its English sentences in French (its keys' names too)."""

    BINDINGS = [
        *FRENCH_SCREEN_BINDINGS,
        Binding("ctrl+end,shift+end", "command_list('last')", "Dernière commande", show=False),
        Binding("ctrl+home,shift+home", "command_list('first')", "Première commande", show=False),
        Binding("down", "cursor_down", "Commande suivante", show=False),
        Binding("escape", "escape", "Fermer la palette", show=True),
        Binding("pagedown", "command_list('page_down')", "Page suivante", show=False),
        Binding("pageup", "command_list('page_up')", "Page précédente", show=False),
        Binding("up", "command_list('cursor_up')", "Commande précédente", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(placeholder=PLACEHOLDER, id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(NO_MATCHES, style="not bold")), disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
