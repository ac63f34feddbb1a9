"""A read-only table of records that fits the terminal it is given.

Row cursor, zebra stripes, row keys are record ids. Columns marked optional are
dropped when the terminal is narrow (80 columns) and come back when it widens, so
the essential ones are never cut off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import DataTable

Cell = str | Text


def _plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def _wrap(cell: Cell, width: int) -> Cell:
    """The cell's text on lines of at most `width` cells, cut between words."""
    import textwrap

    lines = textwrap.wrap(_plain(cell), width=width) or [""]
    if isinstance(cell, Text):
        wrapped = Text("\n".join(lines), style=cell.style)
        return wrapped
    return "\n".join(lines)


@dataclass(frozen=True)
class Column:
    label: str
    #: Dropped first when the table is narrower than `wide_from` cells.
    optional: bool = False
    #: A shorter wording of a cell when the table is narrow (« Évaluation initiale » -> « Évaluation »),
    #: so the columns that tell two persons apart (a parquet number) keep their room.
    narrow: Callable[[str], str] | None = None
    #: Takes the width the other columns leave and wraps its text on several lines
    #: rather than cutting it (« À faire » in the échéances: the act must be read whole).
    wrap: bool = False


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
        records = [(key, [self._shown(i, cells[i]) for i in visible]) for key, cells in self._records]
        widths = [max([cell_len(self._all_columns[i].label)] + [cell_len(_plain(cells[position]))
                                                                for _, cells in records])
                  for position, i in enumerate(visible)]
        wrapped = [position for position, i in enumerate(visible) if self._all_columns[i].wrap]
        if wrapped:
            position = wrapped[0]
            room = self._width() - sum(w for p, w in enumerate(widths) if p != position) - 2 * len(widths) - 2
            if room < widths[position]:
                widths[position] = max(room, cell_len(self._all_columns[visible[position]].label), 12)
                records = [(key, [*cells[:position], _wrap(cells[position], widths[position]),
                                  *cells[position + 1:]]) for key, cells in records]
        self._built_width = self._width()
        for position, i in enumerate(visible):
            self.add_column(self._all_columns[i].label, width=widths[position])
        for key, cells in records:
            height = max(_plain(cell).count("\n") + 1 for cell in cells) if wrapped else 1
            self.add_row(*cells, key=key, height=height)
        if self._records:
            self.move_cursor(row=min(row_index, len(self._records) - 1))

    def _shown(self, index: int, cell: Cell) -> Cell:
        narrow = self._all_columns[index].narrow
        if narrow is None or self._wide or not isinstance(cell, str):
            return cell
        return narrow(cell)

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def on_resize(self, event: events.Resize) -> None:
        wide = event.size.width >= self.wide_from
        wraps = any(c.wrap for c in self._all_columns)
        if wide != self._wide or (wraps and event.size.width != getattr(self, "_built_width", None)):
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

    def highlighted_key(self) -> int | None:
        """The record id under the cursor, or None when the table is empty."""
        if not self._records or self.cursor_row < 0:
            return None
        return int(self._records[min(self.cursor_row, len(self._records) - 1)][0])
