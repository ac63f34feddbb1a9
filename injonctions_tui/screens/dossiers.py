"""The dossier list with search as you type (issue 4 adds detail and edition)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from ..domain.dates import format_fr
from ..domain.dossiers import MAX_SEARCH, dossier_rows
from ..widgets.record_table import Column, RecordTable
from .base import ModeScreen

COLUMNS = (Column("Personne"), Column("Né(e) le", optional=True), Column("N° parquet"), Column("Public"),
           Column("Statut"), Column("Saisine"), Column("Magistrat référent", optional=True))


class DossiersScreen(ModeScreen):
    BINDINGS = [Binding("ctrl+f", "focus_search", "Rechercher", id="dossiers.search")]

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder="Rechercher : nom ou n° de parquet, accents facultatifs (Ctrl+F)",
                    id="dossiers-search", max_length=MAX_SEARCH, compact=True)
        yield RecordTable(COLUMNS, id="dossiers-table")
        yield Static("", id="dossiers-count", classes="empty-hint")

    def on_mount(self) -> None:
        self.refresh_rows("")
        self.query_one("#dossiers-table", RecordTable).focus()

    @on(Input.Changed, "#dossiers-search")
    def _search(self, event: Input.Changed) -> None:
        self.refresh_rows(event.value)

    @on(Input.Submitted, "#dossiers-search")
    def _to_table(self, event: Input.Submitted) -> None:
        self.query_one("#dossiers-table", RecordTable).focus()

    def refresh_rows(self, search: str) -> None:
        rows = dossier_rows(search)
        count = self.query_one("#dossiers-table", RecordTable).replace_rows(
            (r.measure_id, (r.person, format_fr(r.birth_date), r.parquet_number, r.public, r.status,
                            format_fr(r.saisine_received_on), r.magistrat_referent))
            for r in rows)
        self.query_one("#dossiers-count", Static).update(
            f"{count} dossier(s)" if count else "Aucun dossier ne correspond à la recherche.")

    def action_focus_search(self) -> None:
        self.query_one("#dossiers-search", Input).focus()
