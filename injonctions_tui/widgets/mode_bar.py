"""The row of modes under the header, like tabs: where am I, how do I go elsewhere."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

#: (mode, its keys as shown — "F2", "Alt+2" —, title) in the order shown; the keys are the app's bindings.
Entry = tuple[str, tuple[str, ...], str]

DEFAULT_ENTRIES: tuple[Entry, ...] = (
    ("agenda", ("F2",), "Agenda"),
    ("dossiers", ("F3",), "Dossiers"),
    ("deadlines", ("F4",), "Échéances"),
    ("register", ("F5",), "Registre"),
    ("settings", ("F6",), "Paramètres"),
)


class ModeBar(Static):
    """Highlights the current mode and says the keys to reach the others (and the help, and
    « Aller à »): every key when the terminal is wide enough, the first of each otherwise."""

    DEFAULT_CLASSES = "mode-bar"
    DEFAULT_CSS = """
    ModeBar {
        height: 1;
        background: $panel;
        color: $text;
    }
    """

    def __init__(self, current: str, entries: Sequence[Entry] = DEFAULT_ENTRIES,
                 extras: Sequence[Entry] = (("help", ("F1",), "Aide"),)) -> None:
        super().__init__()
        self.current = current
        self.entries = tuple(entries)
        #: After the modes: the help, « Aller à »… (never highlighted), dropped from the first when narrow.
        self.extras = tuple(extras)

    def _line(self, every_key: bool, extras: Sequence[Entry], gap: str) -> Text:
        text = Text()
        for mode, keys, title in (*self.entries, *extras):
            current = mode == self.current
            shown = "/".join(keys) if every_key else keys[0]
            text.append(f" {shown} ", style="bold " + ("reverse" if current else "dim"))
            text.append(f"{title}", style="bold reverse" if current else "")
            text.append(gap)
        text.rstrip()
        return text

    def render(self) -> Text:
        width = self.size.width or 80
        candidates = [self._line(every, self.extras[start:], gap)
                      for every in (True, False) for start in range(len(self.extras) + 1) for gap in ("  ", " ")]
        return next((line for line in candidates if line.cell_len <= width), candidates[-1])
