"""The audit trail: who did what, when, on which record (read-only)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from ..domain.store.journal import journal_rows
from ..widgets.mode_header import ModeTitle
from ..widgets.record_table import Column, RecordTable
from .base import AppScreen

COLUMNS = (Column("Date"), Column("Action"), Column("Dossier / objet"), Column("Par", optional=True),
           Column("Détails", optional=True))


class JournalScreen(AppScreen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Retour", id="journal.back")]

    def compose(self) -> ComposeResult:
        yield Header(icon="⚖")
        yield ModeTitle("Journal des accès et des modifications (le plus récent d'abord)", id="journal-title")
        yield RecordTable(COLUMNS, id="journal-table")
        yield Static("", id="journal-count", classes="empty-hint")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        rows = journal_rows()
        self.query_one("#journal-table", RecordTable).replace_rows(
            (index, (f"{r.at:%d/%m/%Y %H:%M}", r.label, f"{r.entity} {r.entity_id}" if r.entity_id else r.entity,
                     r.actor, r.details))
            for index, r in enumerate(rows))
        self.query_one("#journal-count", Static).update(
            f"{len(rows)} événement(s) affiché(s). Le journal ne peut pas être modifié depuis l'application.")
        self.query_one("#journal-table", RecordTable).focus()
