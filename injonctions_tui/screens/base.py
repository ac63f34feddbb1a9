"""What every screen shares: the typed app, and the mode screens' header, body, footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header

from ..keymap import GOTO_KEYS, HELP_KEYS, MODES, shown_keys
from ..widgets.mode_bar import Entry, ModeBar

if TYPE_CHECKING:
    from ..app import InjonctionsApp

ResultType = TypeVar("ResultType")


#: Textual's own screen keys, re-declared so the help and the palette say them in French.
FRENCH_KEYS: tuple[Binding, ...] = (
    Binding("tab", "app.focus_next", "Zone suivante", show=False),
    Binding("shift+tab", "app.focus_previous", "Zone précédente", show=False),
    Binding("ctrl+c,super+c", "screen.copy_text", "Copier la sélection", show=False),
)
FRENCH_SCREEN_BINDINGS: list[BindingType] = list(FRENCH_KEYS)


class AppScreen(Screen[ResultType]):
    """A screen of this app: `self.app` is typed, so screens reach the clock, the plan and
    the helpers of InjonctionsApp without casts of their own."""

    BINDINGS: ClassVar[list[BindingType]] = FRENCH_SCREEN_BINDINGS

    @property
    def app(self) -> InjonctionsApp:  # type: ignore[override]
        return cast("InjonctionsApp", super().app)

    def document_written(self) -> None:
        """A document was just written (documents.produce_in_background): a screen that lists
        what was printed (the dossier's timeline) shows it at once."""


class AppModal(ModalScreen[ResultType]):
    """A dialog of this app (typed `self.app`, like AppScreen)."""

    BINDINGS: ClassVar[list[BindingType]] = FRENCH_SCREEN_BINDINGS

    @property
    def app(self) -> InjonctionsApp:  # type: ignore[override]
        return cast("InjonctionsApp", super().app)


def mode_bar_entries(app: InjonctionsApp) -> tuple[list[Entry], list[Entry]]:
    """The modes, the help and « Aller à » with the keys the user's keymap leaves them."""
    modes: list[Entry] = [(mode, tuple(shown_keys(app.keys_of(binding_id, keys))), title)
                          for mode, binding_id, keys, title in MODES]
    extras: list[Entry] = [("help", tuple(shown_keys(app.keys_of("app.help", HELP_KEYS))), "Aide"),
                           ("goto", tuple(shown_keys(app.keys_of("app.goto", GOTO_KEYS))), "Aller à")]
    return modes, extras


class ModeScreen(AppScreen[None]):
    """A screen reachable with the mode keys; subclasses fill the body."""

    #: The key of this screen in App.MODES, highlighted in the mode bar.
    MODE = ""

    def compose(self) -> ComposeResult:
        yield Header(icon="⚖")
        yield ModeBar(self.MODE, *mode_bar_entries(self.app))
        yield from self.compose_body()
        # The palette (Ctrl+P) is listed in the help (F1): at 80 columns the
        # footer keeps its room for the keys of the screen.
        yield Footer(compact=True, show_command_palette=False)

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError
