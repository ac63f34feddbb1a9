"""A read-only table of records: row cursor, zebra stripes, row keys are ids."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.widgets import DataTable


class RecordTable(DataTable):
    """DataTable configured the way every list of the app wants it."""

    DEFAULT_CLASSES = "record-table"

    def __init__(self, columns: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._column_labels = list(columns)

    def on_mount(self) -> None:
        self.add_columns(*self._column_labels)

    def replace_rows(self, rows: Iterable[tuple[int, Sequence[str | Text]]]) -> int:
        """Swap every row at once, keeping the cursor near where it was."""
        row_index = self.cursor_row
        self.clear()
        count = 0
        for key, cells in rows:
            self.add_row(*cells, key=str(key))
            count += 1
        if count:
            self.move_cursor(row=min(row_index, count - 1))
        return count
