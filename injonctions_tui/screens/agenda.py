"""The agenda: a permanence day (or a week) and what to do between two interviews.

Keys act on the selected appointment: p/a/e mark présent/absent/excusé (the cursor
then moves to the next person), i prints the attestation de présence, r books the next
appointment the cadence asks for (and prints its convocation), o prints the
convocation, w opens the report of the interview; n welcomes a walk-in (their dossier
found as you type); c opens the saisines to convoke; l prints the convocations to send;
f prints the feuille de permanence. ←/→ jump between permanence days, -/+ between days.
Every key is also in the command palette (Ctrl+P).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from ..domain.agenda import booking
from ..domain.agenda.convocations import count_convocations_to_send, holiday_conflicts
from ..domain.agenda.days import AgendaRow, DayView, day_view, next_permanence_day, opening_day, week_view
from ..domain.core.dates import WEEKDAYS_FR, format_fr
from ..domain.core.errors import InjonctionsError
from ..domain.store.settings import load_court
from ..widgets.mode_header import ModeTitle
from ..widgets.record_table import Column, RecordTable
from .agenda_actions import AgendaActions

#: Below 100 columns, the interview's kind is abbreviated so the parquet number keeps its
#: room: two persons of the same name must never look identical (issue 16).
SHORT_KINDS = {"Évaluation initiale": "Évaluation", "Suivi semestriel": "Semestriel",
               "Entretien supplémentaire": "Supplém."}
COLUMNS = (Column("Jour"), Column("Heure"), Column("Personne"), Column("N° parquet"),
           Column("Entretien", narrow=lambda kind: SHORT_KINDS.get(kind, kind)), Column("Statut"),
           Column("Repères"))
MARK_KEYS = {"present": "présent", "absent": "absent", "excuse": "excusé"}


def markers(row: AgendaRow) -> Text:
    """The short flags a professional scans the list for."""
    text = Text()
    flags = [("mineur", "bold magenta", row.minor_at_facts and not row.adult_today),
             ("mineur aux faits", "bold magenta", row.minor_at_facts and row.adult_today),
             ("nouveau", "bold cyan", row.new_referral), ("sans RDV", "yellow", row.walk_in),
             ("retard", "bold red", row.overdue and not row.catch_up),
             ("rattrapage", "yellow", row.overdue and row.catch_up),
             ("férié : à déplacer", "bold red", row.holiday_conflict)]
    for word, style, shown in flags:
        if shown:
            text.append(("" if not text else " ") + word, style=style)
    return text


def _day_label(row: AgendaRow) -> str:
    """'lun. 23/11' for the week view."""
    if row.starts_at is None:
        return ""
    return f"{WEEKDAYS_FR[row.starts_at.weekday()][:3]}. {row.starts_at.strftime('%d/%m')}"


class AgendaScreen(AgendaActions):
    """Opens on today, or the next permanence day."""

    MODE = "agenda"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "jump(-1)", "Permanence précédente", show=False, priority=True,
                id="agenda.previous_permanence"),
        Binding("right", "jump(1)", "Permanence suivante", show=False, priority=True, id="agenda.next_permanence"),
        Binding("minus", "shift_day(-1)", "Veille", show=False, id="agenda.previous_day"),
        Binding("plus", "shift_day(1)", "Lendemain", show=False, id="agenda.next_day"),
        Binding("t", "today", "Aujourd'hui", show=False, id="agenda.today"),
        Binding("v", "toggle_week", "Vue semaine / jour", show=False, id="agenda.week"),
        Binding("p", "mark('present')", "Présent", id="agenda.present"),
        Binding("a", "mark('absent')", "Absent", id="agenda.absent"),
        Binding("e", "mark('excuse')", "Excusé", id="agenda.excused"),
        Binding("n", "walk_in", "Sans RDV", tooltip="Accueillir une personne sans rendez-vous", id="agenda.walk_in"),
        Binding("r", "book_next", "RDV suivant", tooltip="Réserver le prochain entretien et imprimer la convocation",
                id="agenda.book_next"),
        Binding("i", "attestation", "Attestation", tooltip="Imprimer l'attestation de présence",
                id="agenda.attestation"),
        Binding("o", "convocation", "Convocation", tooltip="Imprimer la convocation du rendez-vous",
                id="agenda.convocation"),
        Binding("w", "write_report", "Rapport", tooltip="Rédiger le rapport de l'entretien", id="agenda.report"),
        Binding("c", "saisines", "Saisines", tooltip="Saisines à convoquer", id="agenda.saisines"),
        Binding("l", "convocations_to_send", "À envoyer", tooltip="Imprimer les convocations à envoyer",
                id="agenda.convocations_to_send"),
        Binding("f", "day_sheet", "Feuille", tooltip="Imprimer la feuille de permanence", id="agenda.day_sheet"),
    ]

    def compose_body(self) -> ComposeResult:
        yield ModeTitle("", id="agenda-title")
        yield RecordTable(COLUMNS, id="agenda-table")
        yield Static("", id="agenda-row-detail", classes="row-detail")
        yield Static("", id="agenda-empty", classes="empty-hint")

    def on_mount(self) -> None:
        self.court = load_court()
        self.week = False
        self.day = opening_day(self.court, self.today())
        self.refresh_day()
        #: The resumes that follow the mount show what was just computed (cold start).
        self.fresh = True
        self.query_one("#agenda-table", RecordTable).focus()

    def on_screen_resume(self) -> None:
        if getattr(self, "fresh", False):
            self.call_after_refresh(setattr, self, "fresh", False)
        elif hasattr(self, "court"):
            self.court = load_court()  # the settings may have changed meanwhile (F6)
            self.refresh_day()

    def document_written(self) -> None:
        self.refresh_day()  # a convocation printed leaves the « à envoyer » count

    def refresh_day(self) -> None:
        today = self.today()
        if self.week:
            monday = self.day - dt.timedelta(days=self.day.weekday())
            views = week_view(self.court, monday, today)
            heading = f"Semaine du {format_fr(monday)} au {format_fr(monday + dt.timedelta(days=6))}"
        else:
            views = [day_view(self.court, self.day, today)]
            heading = views[0].heading
        closed = [v for v in views if v.closed]
        title = Text(heading, style="bold")
        if not self.week and closed:
            title.append(f" — FERMÉ ({closed[0].holiday_name})", style="bold red")
        self.query_one("#agenda-title", ModeTitle).update(title)
        self.rows = [row for view in views for row in view.rows]
        table = self.query_one("#agenda-table", RecordTable)
        table.replace_rows(
            [(row.appointment_id, (_day_label(row), row.time, row.person, row.parquet_number, row.kind,
                                   row.status, markers(row))) for row in self.rows],
            hidden=() if self.week else (0,))
        self.query_one("#agenda-empty", Static).update(self._summary(views))

    def _summary(self, views: list[DayView]) -> str:
        count = len(self.rows)
        to_send = count_convocations_to_send(self.today())
        letters = f"  {to_send} convocation(s) à envoyer (l)." if to_send else ""
        if not count:
            return ("Aucun rendez-vous. ←/→ : autre permanence, v : semaine, n : sans rendez-vous, c : saisines."
                    + letters)
        kept = sum(r.status_value == "present" for r in self.rows)
        text = f"{count} rendez-vous, {kept} présent(s). ←/→ : autre permanence, v : semaine.{letters}"
        conflicts = [c for v in views if v.closed for c in holiday_conflicts(self.court, v.date, v.date)]
        if conflicts and conflicts[0].proposed_at:
            text += (f"  Jour férié : {len(conflicts)} rendez-vous à déplacer ; prochaine permanence "
                     f"ouverte le {format_fr(conflicts[0].proposed_at.date())} (touche r).")
        return text

    @on(DataTable.RowHighlighted, "#agenda-table")
    def _describe(self, event: DataTable.RowHighlighted) -> None:
        """What the markers mean for the highlighted person, in words."""
        index = event.cursor_row
        row = self.rows[index] if 0 <= index < len(self.rows) else None
        text = ""
        if row is not None and row.overdue:
            prefix = "En rattrapage" if row.catch_up else "En retard"
            text = f"{row.person} — {prefix} : {row.overdue_reason}"
        detail = self.query_one("#agenda-row-detail", Static)
        detail.update(text)
        detail.display = bool(text)

    def selected(self) -> AgendaRow | None:
        table = self.query_one("#agenda-table", RecordTable)
        if not self.rows or table.cursor_row < 0:
            self.notify("Aucun rendez-vous sélectionné.", severity="warning")
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    def action_jump(self, direction: int) -> None:
        self.day = (self.day + dt.timedelta(weeks=direction)) if self.week else \
            next_permanence_day(self.court, self.day, direction)
        self.refresh_day()

    def action_shift_day(self, days: int) -> None:
        self.day += dt.timedelta(days=days)
        self.refresh_day()

    def action_today(self) -> None:
        self.day = self.today()
        self.refresh_day()

    def action_toggle_week(self) -> None:
        self.week = not self.week
        self.refresh_day()

    def action_mark(self, status: str) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            booking.mark(row.appointment_id, status, self.today())
        except InjonctionsError as error:
            self.notify(error.message, severity="error")
            return
        self.notify(f"{row.person} : {MARK_KEYS[status]}.")
        table = self.query_one("#agenda-table", RecordTable)
        following = table.cursor_row + 1
        self.refresh_day()
        if following < len(self.rows):  # on to the next person in the queue
            table.move_cursor(row=following)

    def focus_appointment(self, appointment_id: int) -> None:
        """Put the cursor on an appointment of the list (a walk-in just added)."""
        for index, row in enumerate(self.rows):
            if row.appointment_id == appointment_id:
                self.query_one("#agenda-table", RecordTable).move_cursor(row=index)
                return
