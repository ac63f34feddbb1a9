"""The agenda's acts that open a dialog or write a document (kept apart so the
agenda screen itself stays a list and its keys)."""

from __future__ import annotations

import datetime as dt

from ..domain.agenda import booking
from ..domain.agenda.days import AgendaRow
from ..domain.core.dates import format_fr, format_long_fr, parse_date, parse_time
from ..domain.core.errors import InvalidInput
from ..domain.store.settings import CourtSettings
from .base import ModeScreen
from .documents import produce_in_background
from .form_modal import FormModal, ModalField


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

    def action_book_next(self) -> None:
        row = self.selected()
        if row is None:
            return
        today = self.today()
        try:
            proposal = booking.propose_next(row.measure_id, today, court=self.court,
                                            now=self.app.now() if self.day == today else None)
        except InvalidInput as error:
            self.notify(error.message, severity="warning", timeout=8)
            return

        def book_now(values: dict[str, str]) -> object:
            day = parse_date(values["day"], "Date")
            moment = dt.datetime.combine(day, parse_time(values["time"]))
            return booking.book(row.measure_id, proposal.kind, moment, place=values["place"].strip(),
                                today=today, court=self.court)

        def booked(result: object) -> None:
            if result is not None:
                self.notify(f"{row.person} : {proposal.kind_label.lower()} prévu(e).")
                self.refresh_day()

        self.app.push_screen(FormModal(
            f"Prochain rendez-vous — {row.person}",
            [ModalField("day", "Date", format_fr(proposal.starts_at.date())),
             ModalField("time", "Heure", proposal.starts_at.strftime("%Hh%M")),
             ModalField("place", "Lieu", proposal.place)],
            book_now, submit_label="Réserver",
            intro=f"{proposal.kind_label} — proposé le {format_long_fr(proposal.starts_at.date())} à "
                  f"{proposal.starts_at.strftime('%Hh%M')}. {proposal.note}"), booked)

    def action_walk_in(self) -> None:
        today = self.today()

        def add(values: dict[str, str]) -> object:
            return booking.add_walk_in(last_name=values["last_name"], first_name=values["first_name"],
                                       birth_date=values["birth_date"], parquet_number=values["parquet"] or None,
                                       today=today, court=self.court, now=self.app.now())

        def added(result: object) -> None:
            if result is not None:
                self.day = today
                self.notify("Personne ajoutée à la permanence ; complétez son dossier plus tard (F3).")
                self.refresh_day()

        self.app.push_screen(FormModal(
            "Personne sans rendez-vous",
            [ModalField("last_name", "Nom"), ModalField("first_name", "Prénom"),
             ModalField("birth_date", "Date de naissance", placeholder="JJ/MM/AAAA"),
             ModalField("parquet", "N° de parquet", placeholder="si la personne l'a")],
            add, submit_label="Ajouter", intro="Évaluation initiale sur la permanence du jour."), added)

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
