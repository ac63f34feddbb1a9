"""The agenda: the appointments of a permanence day (issue 3 makes it complete)."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ..domain.agenda import AgendaRow, day_rows, opening_day, permanences_on
from ..domain.dates import format_long_fr
from ..domain.settings import load_court
from ..widgets.mode_header import ModeTitle
from ..widgets.record_table import Column, RecordTable
from .base import ModeScreen

COLUMNS = (Column("Heure"), Column("Personne"), Column("N° parquet", optional=True), Column("Entretien"),
           Column("Statut"), Column("Repères"))


def _markers(row: AgendaRow) -> Text:
    text = Text()
    if row.minor_at_facts:
        text.append("mineur ", style="bold magenta")
    if row.new_referral:
        text.append("nouveau ", style="bold cyan")
    if row.walk_in:
        text.append("sans RDV ", style="yellow")
    return Text(text.plain.rstrip(), spans=text.spans)


def _hour(hhmm: str) -> str:
    """'09:00' -> '9h', '12:30' -> '12h30', as French court notices write it."""
    hours, minutes = hhmm.split(":")
    return f"{int(hours)}h{minutes if minutes != '00' else ''}"


class AgendaScreen(ModeScreen):
    """One day at a time; opens on today or the next permanence day."""

    BINDINGS = [
        Binding("p", "shift_day(-1)", "Veille", id="agenda.previous_day"),
        Binding("s", "shift_day(1)", "Lendemain", id="agenda.next_day"),
        Binding("a", "today", "Aujourd'hui", id="agenda.today"),
    ]

    def compose_body(self) -> ComposeResult:
        yield ModeTitle("", id="agenda-title")
        yield RecordTable(COLUMNS, id="agenda-table")
        yield Static("", id="agenda-empty", classes="empty-hint")

    def on_mount(self) -> None:
        self.court = load_court()
        self.day = opening_day(self.court, self.app.today())  # type: ignore[attr-defined]
        self.refresh_day()

    def refresh_day(self) -> None:
        permanences = permanences_on(self.court, self.day)
        heading = format_long_fr(self.day).capitalize()
        if permanences:
            heading += " — permanence " + ", ".join(
                f"{'mineurs' if p.public == 'mineurs' else 'majeurs'} {_hour(p.start)}-{_hour(p.end)}"
                for p in permanences) + f" — {permanences[0].place}"
        else:
            heading += " — pas de permanence au tribunal"
        self.query_one("#agenda-title", ModeTitle).update(heading)
        rows = day_rows(self.day)
        table = self.query_one("#agenda-table", RecordTable)
        count = table.replace_rows(
            (row.appointment_id, (row.time, row.person, row.parquet_number, row.kind, row.status, _markers(row)))
            for row in rows)
        self.query_one("#agenda-empty", Static).update(
            f"{count} rendez-vous" if count else "Aucun rendez-vous ce jour.")

    def action_shift_day(self, days: int) -> None:
        self.day += dt.timedelta(days=days)
        self.refresh_day()

    def action_today(self) -> None:
        self.day = self.app.today()  # type: ignore[attr-defined]
        self.refresh_day()
