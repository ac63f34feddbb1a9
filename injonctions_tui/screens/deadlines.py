"""Échéances: every pending legal deadline, overdue first; Enter opens the dossier."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ..domain.core.dates import format_fr
from ..domain.deadlines.listing import deadline_rows
from ..widgets.mode_header import ModeTitle
from ..widgets.record_table import Column, RecordTable
from .base import ModeScreen

COLUMNS = (Column("Échéance"), Column("Délai"), Column("Personne"), Column("N° parquet", optional=True),
           Column("À faire", wrap=True))


class DeadlinesScreen(ModeScreen):
    MODE = "deadlines"
    BINDINGS = [Binding("r", "toggle_overdue", "Retards seuls", id="deadlines.overdue")]

    def compose_body(self) -> ComposeResult:
        yield ModeTitle("Échéances légales — les plus urgentes d'abord", id="deadlines-title")
        yield RecordTable(COLUMNS, id="deadlines-table")
        yield Static("", id="deadlines-count", classes="empty-hint")

    def on_mount(self) -> None:
        self.overdue_only = False
        self.refresh_rows()
        self.query_one("#deadlines-table", RecordTable).focus()

    def on_screen_resume(self) -> None:
        self.refresh_rows()

    def refresh_rows(self) -> None:
        today = self.app.today()
        rows = deadline_rows(today, overdue_only=self.overdue_only)
        self.query_one("#deadlines-table", RecordTable).replace_rows(
            (index, (format_fr(r.due_on), Text(r.when, style="bold red" if r.overdue else ""),
                     r.person, r.parquet_number, r.label))
            for index, r in enumerate(rows))
        self.rows = rows
        late = sum(r.overdue for r in rows)
        scope = "en retard" if self.overdue_only else "en attente"
        self.query_one("#deadlines-count", Static).update(
            f"{len(rows)} échéance(s) {scope}, dont {late} en retard — Entrée : ouvrir le dossier"
            if rows else "Aucune échéance en attente.")

    @on(DataTable.RowSelected, "#deadlines-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        from .dossier_detail import DossierDetailScreen

        self.app.push_screen(DossierDetailScreen(self.rows[int(str(event.row_key.value))].measure_id))

    def action_toggle_overdue(self) -> None:
        self.overdue_only = not self.overdue_only
        self.refresh_rows()
