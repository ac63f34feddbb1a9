"""A read-only table of records that fits the terminal it is given.

Row cursor, zebra stripes, row keys are record ids. Columns marked optional are
dropped when the terminal is narrow (80 columns) and come back when it widens, so
the essential ones are never cut off.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import DataTable

Cell = str | Text


def _plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


@dataclass(frozen=True)
class Column:
    label: str
    #: Dropped first when the table is narrower than `wide_from` cells.
    optional: bool = False


class RecordTable(DataTable):
    """DataTable configured the way every list of the app wants it."""

    DEFAULT_CLASSES = "record-table"
    DEFAULT_CSS = """
    RecordTable {
        height: 1fr;
    }
    """
    #: Below this width, optional columns are hidden.
    wide_from = 100

    def __init__(self, columns: Sequence[Column | str], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._all_columns = [c if isinstance(c, Column) else Column(c) for c in columns]
        self._records: list[tuple[str, Sequence[Cell]]] = []
        self._wide: bool | None = None
        self._hidden: frozenset[int] = frozenset()

    def _visible(self) -> list[int]:
        return [i for i, c in enumerate(self._all_columns)
                if i not in self._hidden and (self._wide or not c.optional)]

    def _rebuild(self) -> None:
        row_index = self.cursor_row
        self.clear(columns=True)
        visible = self._visible()
        # Widths computed here rather than left to DataTable's idle-time measuring,
        # which a quick second rebuild (mount, then resume) can leave at label width.
        for i in visible:
            label = self._all_columns[i].label
            width = max([cell_len(label)] + [cell_len(_plain(cells[i])) for _, cells in self._records])
            self.add_column(label, width=width)
        for key, cells in self._records:
            self.add_row(*(cells[i] for i in visible), key=key)
        if self._records:
            self.move_cursor(row=min(row_index, len(self._records) - 1))

    def on_resize(self, event: events.Resize) -> None:
        wide = event.size.width >= self.wide_from
        if wide != self._wide:
            self._wide = wide
            self._rebuild()

    def replace_rows(self, rows: Iterable[tuple[int, Sequence[Cell]]], *,
                     hidden: Iterable[int] = ()) -> int:
        """Swap every row at once, keeping the cursor near where it was.

        `hidden` lists column indexes that make no sense for these rows (the day
        column in a one-day agenda).
        """
        self._hidden = frozenset(hidden)
        self._records = [(str(key), cells) for key, cells in rows]
        if self._wide is None:  # before the first layout, the screen's width is the best guess:
            # guessing right spares a second rebuild (and measure) of every row at start-up
            self._wide = (self.size.width or self.app.size.width) >= self.wide_from
        self._rebuild()
        return len(self._records)

    def record_cells(self, index: int) -> Sequence[Cell]:
        """Every cell of a record, hidden columns included."""
        return self._records[index][1]
