"""The agenda's acts that open a dialog or write a document (kept apart so the
agenda screen itself stays a list and its keys)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..domain.agenda.days import AgendaRow
from ..domain.core.vocabulary import label
from ..domain.store.settings import CourtSettings
from .base import ModeScreen
from .documents import produce_in_background

if TYPE_CHECKING:  # the walk-in dialog's answer; screens never query the models
    from ..domain.core.models import Appointment


class AgendaActions(ModeScreen):
    """The base of AgendaScreen: its acts, on the row `selected()` of the day `day`."""

    court: CourtSettings
    day: dt.date

    def selected(self) -> AgendaRow | None:
        raise NotImplementedError

    def refresh_day(self) -> None:
        raise NotImplementedError

    def today(self) -> dt.date:
        return self.app.today()

    def save_document(self, kind: str, target: object) -> None:
        """The PDF is produced off the UI thread (documents.produce_in_background)."""
        produce_in_background(self.app, kind, target)

    def action_attestation(self) -> None:
        row = self.selected()
        if row is not None:
            if row.status_value != "present":
                self.notify("L'attestation de présence suppose que la personne soit marquée présente (touche p).",
                            severity="warning")
                return
            self.save_document("attestation", row.appointment_id)

    def action_convocation(self) -> None:
        row = self.selected()
        if row is not None:
            self.save_document("convocation", row.appointment_id)

    def action_day_sheet(self) -> None:
        self.save_document("permanence", self.day)

    def action_convocations_to_send(self) -> None:
        """« Convocations à envoyer »: every convocation booked and never printed, one PDF."""
        self.save_document("convocations", self.today())

    def action_book_next(self) -> None:
        from .booking_dialog import open_booking

        row = self.selected()
        if row is not None:
            today = self.today()
            open_booking(self, row.measure_id, row.person, self.court,
                         now=self.app.now() if self.day == today else None, done=self.refresh_day)

    def action_walk_in(self) -> None:
        from .walk_in import WalkInDialog

        today = self.today()

        def added(appointment: Appointment | None) -> None:
            if appointment is None:
                return
            self.day = today
            self.refresh_day()
            self.focus_appointment(appointment.id)
            self.notify(f"Accueil sans rendez-vous : {label(appointment.kind)} à {appointment.starts_at:%Hh%M}.")

        self.app.push_screen(WalkInDialog(self.court, today, self.app.now()), added)

    def focus_appointment(self, appointment_id: int) -> None:
        raise NotImplementedError

    def action_write_report(self) -> None:
        """After the interview: the avis motivé (evaluation), the fiche navette (follow-up),
        or the incident report (an absence, to send without delay)."""
        from ..domain.reports.drafts import report_kind_after
        from .reports import open_new_report

        row = self.selected()
        if row is None:
            return
        kind = report_kind_after(row.kind_value, row.status_value)
        if kind is None:
            self.notify("Marquez d'abord la personne présente (p) ou absente (a).", severity="warning")
            return
        open_new_report(self, row.measure_id, kind, appointment_id=row.appointment_id)

    def action_saisines(self) -> None:
        from .saisines import SaisinesScreen

        self.app.push_screen(SaisinesScreen(self.court))
