"""The row of modes under the header, like tabs: where am I, how do I go elsewhere."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

#: (mode, key, title) in the order shown; the keys are the app's bindings.
MODES: tuple[tuple[str, str, str], ...] = (
    ("agenda", "F2", "Agenda"),
    ("dossiers", "F3", "Dossiers"),
    ("deadlines", "F4", "Échéances"),
    ("register", "F5", "Registre"),
    ("settings", "F6", "Paramètres"),
)


class ModeBar(Static):
    """Highlights the current mode; the footer keeps its room for the screen's keys."""

    DEFAULT_CLASSES = "mode-bar"
    DEFAULT_CSS = """
    ModeBar {
        height: 1;
        background: $panel;
        color: $text;
    }
    """

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def render(self) -> Text:
        text = Text()
        for mode, key, title in MODES:
            style = "bold reverse" if mode == self.current else ""
            text.append(f" {key} ", style="bold " + ("reverse" if mode == self.current else "dim"))
            text.append(f"{title} ", style=style)
            text.append(" ")
        text.append(" F1 ", style="bold dim")
        text.append("Aide")
        return text
