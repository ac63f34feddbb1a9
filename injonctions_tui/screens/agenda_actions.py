"""The agenda's acts that open a dialog or write a document (kept apart so the
agenda screen itself stays a list and its keys)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..domain.agenda import booking
from ..domain.core.dates import format_fr, format_long_fr, parse_date, parse_time
from ..domain.core.errors import InvalidInput
from ..domain.core.models import database
from ..domain.store import audit
from ..paths import prepared_documents_dir
from .form_modal import FormModal, ModalField


class AgendaActions:
    """Mixed into AgendaScreen: everything here uses `selected()`, `today()`, `court`."""

    def render_and_save(self, kind: str, target: object) -> Path:
        """Runs in a worker thread: its own connection, closed afterwards. ReportLab is
        imported here, on first print, not on the start-up path (benchmark: 85 ms)."""
        from ..domain.documents.catalogue import DOCUMENT_KINDS
        from ..domain.printing.saving import save_pdf

        try:
            document = DOCUMENT_KINDS[kind].build(target, today=self.today(), court=self.court)  # type: ignore[attr-defined]
            folder = prepared_documents_dir(self.today().year)  # type: ignore[attr-defined]
            path = save_pdf(document.data, folder, document.filename)
            audit.record("impression", "appointment" if isinstance(target, int) else None,
                         target if isinstance(target, int) else None, f"document={kind}")
            return path
        finally:
            database.close()

    def action_attestation(self) -> None:
        row = self.selected()  # type: ignore[attr-defined]
        if row is not None:
            if row.status_value != "present":
                self.notify("L'attestation de présence suppose que la personne soit marquée présente (touche p).",  # type: ignore[attr-defined]
                            severity="warning")
                return
            self.save_document("attestation", row.appointment_id)  # type: ignore[attr-defined]

    def action_convocation(self) -> None:
        row = self.selected()  # type: ignore[attr-defined]
        if row is not None:
            self.save_document("convocation", row.appointment_id)  # type: ignore[attr-defined]

    def action_day_sheet(self) -> None:
        self.save_document("permanence", self.day)  # type: ignore[attr-defined]

    def action_book_next(self) -> None:
        row = self.selected()  # type: ignore[attr-defined]
        if row is None:
            return
        today = self.today()  # type: ignore[attr-defined]
        try:
            proposal = booking.propose_next(row.measure_id, today, court=self.court,  # type: ignore[attr-defined]
                                            now=self.app.now() if self.day == today else None)  # type: ignore[attr-defined]
        except InvalidInput as error:
            self.notify(error.message, severity="warning", timeout=8)  # type: ignore[attr-defined]
            return

        def book_now(values: dict[str, str]) -> object:
            day = parse_date(values["day"], "Date")
            moment = dt.datetime.combine(day, parse_time(values["time"]))
            return booking.book(row.measure_id, proposal.kind, moment, place=values["place"].strip(),
                                today=today, court=self.court)  # type: ignore[attr-defined]

        def booked(result: object) -> None:
            if result is not None:
                self.notify(f"{row.person} : {proposal.kind_label.lower()} prévu(e).")  # type: ignore[attr-defined]
                self.refresh_day()  # type: ignore[attr-defined]

        self.app.push_screen(FormModal(  # type: ignore[attr-defined]
            f"Prochain rendez-vous — {row.person}",
            [ModalField("day", "Date", format_fr(proposal.starts_at.date())),
             ModalField("time", "Heure", proposal.starts_at.strftime("%Hh%M")),
             ModalField("place", "Lieu", proposal.place)],
            book_now, submit_label="Réserver",
            intro=f"{proposal.kind_label} — proposé le {format_long_fr(proposal.starts_at.date())} à "
                  f"{proposal.starts_at.strftime('%Hh%M')}. {proposal.note}"), booked)

    def action_walk_in(self) -> None:
        today = self.today()  # type: ignore[attr-defined]

        def add(values: dict[str, str]) -> object:
            return booking.add_walk_in(last_name=values["last_name"], first_name=values["first_name"],
                                       birth_date=values["birth_date"], parquet_number=values["parquet"] or None,
                                       today=today, court=self.court, now=self.app.now())  # type: ignore[attr-defined]

        def added(result: object) -> None:
            if result is not None:
                self.day = today  # type: ignore[attr-defined]
                self.notify("Personne ajoutée à la permanence ; complétez son dossier plus tard (F3).")  # type: ignore[attr-defined]
                self.refresh_day()  # type: ignore[attr-defined]

        self.app.push_screen(FormModal(  # type: ignore[attr-defined]
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

        row = self.selected()  # type: ignore[attr-defined]
        if row is None:
            return
        kind = report_kind_after(row.kind_value, row.status_value)
        if kind is None:
            self.notify("Marquez d'abord la personne présente (p) ou absente (a).", severity="warning")  # type: ignore[attr-defined]
            return
        open_new_report(self, row.measure_id, kind, appointment_id=row.appointment_id)  # type: ignore[arg-type]

    def action_referrals(self) -> None:
        from .referrals import ReferralsScreen

        self.app.push_screen(ReferralsScreen(self.court))  # type: ignore[attr-defined]
