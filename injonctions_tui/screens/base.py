"""What every mode screen shares: header, body, footer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header

from ..widgets.mode_bar import ModeBar


class ModeScreen(Screen):
    """A screen reachable with the mode keys (F2-F5); subclasses fill the body."""

    #: The key of this screen in App.MODES, highlighted in the mode bar.
    MODE = ""

    def compose(self) -> ComposeResult:
        yield Header(icon="⚖")
        yield ModeBar(self.MODE)
        yield from self.compose_body()
        # The palette (Ctrl+P) is listed in the help (F1): at 80 columns the
        # footer keeps its room for the keys of the screen.
        yield Footer(compact=True, show_command_palette=False)

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError
