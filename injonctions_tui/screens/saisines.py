"""Saisines received and not yet convoked, most urgent first; Enter books a slot."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from ..domain.agenda import booking
from ..domain.agenda.convocations import SaisineToConvoke, saisines_to_convoke
from ..domain.core.dates import format_fr
from ..domain.core.errors import InjonctionsError
from ..domain.core.vocabulary import Public
from ..domain.store.settings import CourtSettings
from ..widgets.mode_header import ModeTitle
from ..widgets.record_table import Column, RecordTable
from .base import AppScreen

COLUMNS = (Column("Personne"), Column("N° parquet", optional=True), Column("Saisine"), Column("Évaluer avant le"),
           Column("Permanence"))


def _deadline(saisine: SaisineToConvoke) -> Text:
    if saisine.deadline is None:
        return Text("—")
    if saisine.overdue:
        return Text(f"{format_fr(saisine.deadline)} (dépassé)", style="bold red")
    return Text(f"{format_fr(saisine.deadline)} (J-{saisine.days_left})")


def _public(saisine: SaisineToConvoke) -> Text:
    text = Text(saisine.public_label)
    if saisine.minor_at_facts and saisine.adult_today:
        text.append(" (mineur aux faits)", style="magenta")
    if saisine.public_overridden:
        text.append(" (forcé)", style="yellow")
    return text


class SaisinesScreen(AppScreen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Retour", id="saisines.back"),
        Binding("enter", "convoke", "Convoquer", priority=True, id="saisines.convoke"),
        Binding("m", "convoke_other", "Autre permanence", id="saisines.override"),
        Binding("i", "import_file", "Importer (CSV)", id="saisines.import"),
    ]

    def __init__(self, court: CourtSettings) -> None:
        super().__init__()
        self.court = court

    def compose(self) -> ComposeResult:
        yield Header(icon="⚖")
        yield ModeTitle("Saisines à convoquer — évaluation dans le mois de la réception", id="saisines-title")
        yield RecordTable(COLUMNS, id="saisines-table")
        yield Static("", id="saisines-count", classes="empty-hint")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_rows()
        self.query_one("#saisines-table", RecordTable).focus()

    def today(self) -> dt.date:
        return self.app.today()

    def refresh_rows(self) -> None:
        self.saisines = saisines_to_convoke(self.today())
        self.query_one("#saisines-table", RecordTable).replace_rows(
            (r.measure_id, (r.person, r.parquet_number, format_fr(r.saisine_received_on), _deadline(r), _public(r)))
            for r in self.saisines)
        late = sum(r.overdue for r in self.saisines)
        self.query_one("#saisines-count", Static).update(
            f"{len(self.saisines)} saisine(s) à convoquer, dont {late} hors délai — Entrée : premier créneau "
            "libre sur la bonne permanence ; m : sur l'autre ; i : importer un fichier"
            if self.saisines else "Toutes les saisines reçues ont un rendez-vous. i : importer le fichier CSV "
                                  "envoyé par le parquet.")

    def _convoke(self, override: bool) -> None:
        table = self.query_one("#saisines-table", RecordTable)
        if not self.saisines:
            return
        saisine = self.saisines[min(table.cursor_row, len(self.saisines) - 1)]
        public = None
        if override:
            public = Public.MAJEURS.value if saisine.public == Public.MINEURS.value else Public.MINEURS.value
        try:
            appointment = booking.convoke(saisine.measure_id, self.today(), public_override=public,
                                          court=self.court, now=self.app.now())
        except InjonctionsError as error:
            self.notify(error.message, severity="error", timeout=8)
            return
        self.notify(f"{saisine.person} convoqué(e) le {format_fr(appointment.starts_at.date())} à "
                    f"{appointment.starts_at.strftime('%Hh%M')} — convocation imprimable depuis l'agenda (o).",
                    timeout=8)
        self.refresh_rows()

    def action_convoke(self) -> None:
        self._convoke(override=False)

    def action_convoke_other(self) -> None:
        self._convoke(override=True)

    def action_import_file(self) -> None:
        """The parquet's CSV: picker, preview, import; the new saisines then show here."""
        from .saisines_import import import_saisines_dialog

        import_saisines_dialog(self.app, lambda _: self.refresh_rows())
