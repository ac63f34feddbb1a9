"""A labelled form field whose French error appears right under it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Static


class Field(Vertical):
    """Label and control on one line, then a hint or error line when needed."""

    DEFAULT_CLASSES = "field"
    DEFAULT_CSS = """
    Field {
        height: auto;
    }

    Field .field-row {
        height: auto;
    }

    Field .field-label {
        width: 24;
        padding-right: 1;
        text-align: right;
        color: $text-muted;
    }

    Field Input, Field Select {
        width: 1fr;
        max-width: 60;
    }

    Field Input {
        background: $boost;
    }

    Field Input:focus {
        background: $primary 25%;
    }

    Field .field-hint {
        padding-left: 24;
        color: $text-muted;
        height: auto;
    }

    Field .field-hint.-empty {
        display: none;
    }

    Field .field-error {
        padding-left: 24;
        color: $error;
        height: auto;
        display: none;
    }

    Field.-invalid .field-error {
        display: block;
    }

    Field.-invalid .field-label {
        color: $error;
    }
    """

    def __init__(self, label: str, control: Widget, *, hint: str = "", id: str | None = None) -> None:
        super().__init__(id=id)
        self.label_text = label
        self.control = control
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(self.label_text, classes="field-label")
            yield self.control
        yield Static(self.hint, classes="field-hint" if self.hint else "field-hint -empty")
        yield Static("", classes="field-error")

    def relabel(self, label: str, hint: str) -> None:
        """Another label and hint for the same control (the dossier form speaks each measure's words)."""
        self.query_one(".field-label", Label).update(label)
        hint_line = self.query_one(".field-hint", Static)
        hint_line.update(hint)
        hint_line.set_class(not hint, "-empty")

    def set_error(self, message: str | None) -> None:
        """Show (or clear) the French error under the field."""
        self.query_one(".field-error", Static).update(message or "")
        self.set_class(bool(message), "-invalid")
