"""A TextArea that highlights, as you type, what must not go to the court.

The secrecy guard (domain/reports/secrecy.py) scans on every edit, re-analysing only the
sentence that changed; each flagged term is painted in the text and a typed message
carries the flags to the screen, which lists them with their reason and what to write
instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea
from textual.widgets.text_area import TextAreaTheme

from ..domain.reports.secrecy import Flag, Lexicon, scan

HIGHLIGHT = "secret"
THEME = TextAreaTheme(name="injonctions-secret",
                      syntax_styles={HIGHLIGHT: Style(color="white", bgcolor="#8b0000", bold=True, underline=True)})


class SecrecyTextArea(TextArea):
    """Observations typed by the professional, with the flagged terms painted red.

    Ctrl+A selects the whole text, as in every word processor (Textual's default moves to
    the line start); the help (F1) lists the editing keys in French (`HELP_KEYS`).
    """

    BINDINGS = [
        Binding("ctrl+a", "select_all", "Tout sélectionner", show=False),
        Binding("f7", "select_all", "Tout sélectionner", show=False),
        Binding("ctrl+z", "undo", "Annuler la frappe", show=False),
        Binding("ctrl+y", "redo", "Rétablir", show=False),
        Binding("ctrl+x", "cut", "Couper", show=False),
        Binding("ctrl+c", "copy", "Copier", show=False),
        Binding("ctrl+v", "paste", "Coller", show=False),
    ]
    #: What the help shows for this field: (keys, what they do).
    HELP_KEYS = (
        ("Ctrl+A", "Tout sélectionner"), ("Ctrl+C / Ctrl+X / Ctrl+V", "Copier / couper / coller"),
        ("Ctrl+Z / Ctrl+Y", "Annuler / rétablir la frappe"), ("Maj+flèches", "Sélectionner"),
        ("Ctrl+← / Ctrl+→", "Mot précédent / suivant"), ("Origine / Fin", "Début / fin de la ligne"),
        ("Ctrl+W / Ctrl+K", "Effacer le mot précédent / la fin de la ligne"),
        ("Tab", "Quitter le texte (champ suivant)"),
    )

    @dataclass
    class FlagsChanged(Message):
        area: SecrecyTextArea
        flags: list[Flag]

    def __init__(self, text: str, lexicon: Lexicon, *, id: str | None = None) -> None:
        self.lexicon = lexicon
        self.flags: list[Flag] = []
        super().__init__(text, id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        self.register_theme(THEME)
        self.theme = THEME.name

    def _build_highlight_map(self) -> None:
        """Replaces the syntax highlighting (none for prose) with the secrecy flags."""
        self._line_cache.clear()
        highlights = self._highlights
        highlights.clear()
        text = self.text
        self.flags = scan(text, self.lexicon)
        if self.flags:
            starts, offset = [], 0
            for line in text.split("\n"):
                starts.append(offset)
                offset += len(line) + 1
            lines = text.split("\n")
            for flag in self.flags:
                self._paint(flag.start, flag.end, starts, lines)
        self.post_message(self.FlagsChanged(self, list(self.flags)))

    def _paint(self, start: int, end: int, starts: list[int], lines: list[str]) -> None:
        """Highlights are per line, in UTF-8 byte columns."""
        for row, line_start in enumerate(starts):
            line_end = line_start + len(lines[row])
            if end <= line_start or start > line_end:
                continue
            first, last = max(start, line_start) - line_start, min(end, line_end) - line_start
            prefix = lines[row][:first].encode("utf-8")
            span = lines[row][first:last].encode("utf-8")
            self._highlights[row].append((len(prefix), len(prefix) + len(span), HIGHLIGHT))
