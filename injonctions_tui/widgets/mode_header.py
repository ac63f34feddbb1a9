"""The line under the header that says where the user is and what the keys do."""

from __future__ import annotations

from textual.widgets import Static


class ModeTitle(Static):
    """A bold one-line title for the current view (e.g. the permanence shown)."""

    DEFAULT_CLASSES = "mode-title"
    DEFAULT_CSS = """
    ModeTitle {
        text-style: bold;
        padding: 0 1;
        background: $boost;
        height: auto;
    }
    """
