"""The dossier list: search as you type, filters, Enter opens, Ctrl+N creates.

Typing a letter or a digit anywhere in the list goes to the search (issue 16), and one
Entrée opens the highlighted dossier, from the search field as from the list.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static

from ..domain.core.dates import format_fr
from ..domain.core.vocabulary import MeasureStatus, Public, choices
from ..domain.dossiers.listing import DUE_FILTERS, MAX_SEARCH, DossierFilters, dossier_rows, magistrats
from ..widgets.record_table import Column, RecordTable
from .base import ModeScreen

COLUMNS = (Column("Personne"), Column("Né(e) le", optional=True), Column("N° parquet"), Column("Public"),
           Column("Statut"), Column("Saisine"), Column("Magistrat référent", optional=True))


class DossiersScreen(ModeScreen):
    MODE = "dossiers"
    BINDINGS = [
        Binding("ctrl+f", "focus_search", "Rechercher", id="dossiers.search"),
        Binding("ctrl+n", "new", "Nouveau dossier", id="dossiers.new"),
        Binding("enter", "open", "Ouvrir", show=False, id="dossiers.open"),
        Binding("ctrl+r", "clear_filters", "Tout afficher", id="dossiers.clear"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder="Rechercher : nom ou n° de parquet, accents facultatifs (Ctrl+F)",
                    id="dossiers-search", max_length=MAX_SEARCH, compact=True, select_on_focus=False)
        with Horizontal(id="dossiers-filters"):
            yield Select(choices(MeasureStatus), prompt="Tous statuts", id="filter-status", compact=True)
            yield Select(choices(Public), prompt="Tous publics", id="filter-public", compact=True)
            yield Select([(label, key) for key, (label, _) in DUE_FILTERS.items()], prompt="Toutes échéances",
                         id="filter-due", compact=True)
            yield Select([], prompt="Tous magistrats", id="filter-magistrat", compact=True)
        yield RecordTable(COLUMNS, id="dossiers-table")
        yield Static("", id="dossiers-count", classes="empty-hint")

    def on_mount(self) -> None:
        self.query_one("#filter-magistrat", Select).set_options((m, m) for m in magistrats())
        self.refresh_rows()
        self.query_one("#dossiers-table", RecordTable).focus()

    def on_screen_resume(self) -> None:
        self.refresh_rows()

    def filters(self) -> DossierFilters:
        def value(selector: str) -> str | None:
            chosen = self.query_one(selector, Select).value
            return None if chosen is Select.NULL else str(chosen)

        return DossierFilters(search=self.query_one("#dossiers-search", Input).value,
                              status=value("#filter-status"), public=value("#filter-public"),
                              magistrat=value("#filter-magistrat"), due=value("#filter-due"),
                              today=self.app.today())

    @on(Input.Changed, "#dossiers-search")
    @on(Select.Changed)
    def _filters_changed(self) -> None:
        self.refresh_rows()

    @on(Input.Submitted, "#dossiers-search")
    def _open_from_search(self) -> None:
        self.action_open()

    @on(DataTable.RowSelected, "#dossiers-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.open_dossier(int(str(event.row_key.value)))

    def action_open(self) -> None:
        """The highlighted dossier (the first one found, right after a search)."""
        key = self.query_one("#dossiers-table", RecordTable).highlighted_key()
        if key is None:
            self.notify("Aucun dossier ne correspond : Ctrl+N pour en créer un.", severity="warning")
            return
        self.open_dossier(key)

    def open_dossier(self, measure_id: int) -> None:
        from .dossier_detail import DossierDetailScreen

        self.app.push_screen(DossierDetailScreen(measure_id))

    def on_key(self, event: events.Key) -> None:
        """A letter or digit typed on the list is the start of a search."""
        search = self.query_one("#dossiers-search", Input)
        if (self.focused is self.query_one("#dossiers-table") and event.character and event.is_printable
                and (event.character.isalnum() or event.character in "/-")):
            event.stop()
            event.prevent_default()
            search.value = search.value + event.character
            search.cursor_position = len(search.value)
            search.focus()

    def refresh_rows(self) -> None:
        rows, total = dossier_rows(filters=self.filters())
        count = self.query_one("#dossiers-table", RecordTable).replace_rows(
            (r.measure_id, (r.person, format_fr(r.birth_date), r.parquet_number, r.public, r.status,
                            format_fr(r.saisine_received_on), r.magistrat_referent))
            for r in rows)
        if not count:
            text = "Aucun dossier ne correspond à la recherche."
        elif total > count:
            text = f"{count} dossiers affichés sur {total} : affinez la recherche."
        else:
            text = f"{total} dossier(s) — tapez pour chercher, Entrée : ouvrir, Ctrl+N : nouveau"
        self.query_one("#dossiers-count", Static).update(text)

    def action_focus_search(self) -> None:
        self.query_one("#dossiers-search", Input).focus()

    def action_clear_filters(self) -> None:
        self.query_one("#dossiers-search", Input).value = ""
        for select in self.query("#dossiers-filters Select").results(Select):
            select.clear()
        self.refresh_rows()

    def action_new(self) -> None:
        from .dossier_detail import DossierDetailScreen
        from .dossier_edit import DossierEditScreen

        def opened(measure_id: int | None) -> None:
            if measure_id is not None:
                self.app.push_screen(DossierDetailScreen(measure_id))

        self.app.push_screen(DossierEditScreen(None), opened)


