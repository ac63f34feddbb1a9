"""The habilitation register: who may act, until when, what is missing (issue 6)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ..domain.core.dates import format_fr
from ..domain.core.errors import InjonctionsError
from ..domain.core.vocabulary import Profession, choices
from ..domain.register.entries import add_professional
from ..domain.register.export import register_csv, register_filename
from ..domain.register.rows import RegisterRow, register_rows
from ..domain.store.storage import own_connection
from ..paths import prepared_documents_dir
from ..widgets.mode_header import ModeTitle
from ..widgets.record_table import Column, RecordTable
from .base import ModeScreen
from .form_modal import FormModal, ModalField

COLUMNS = (Column("Professionnel"), Column("Profession", optional=True), Column("CSAPA", optional=True),
           Column("Habilitation"), Column("Valide jusqu'au"), Column("Dossier"), Column("Suivis", optional=True),
           Column("Liste coordonnateurs (IS)", optional=True))


def _status(row: RegisterRow) -> Text:
    if row.habilitated_today and row.expires_soon:
        return Text(f"{row.status} (expire bientôt)", style="bold yellow")
    if row.habilitated_today:
        return Text(row.status, style="green")
    return Text(row.state or row.status, style="red")  # the domain says "expirée", "suspendu"…


def _listing(row: RegisterRow) -> Text:
    """The procureur's list of médecins coordonnateurs (injonction de soins), beside the habilitation."""
    if row.listed_today:
        return Text(f"inscrit(e) jusqu'au {format_fr(row.listing_until)}", style="green")
    return Text(row.listing or "—", style="yellow" if row.listing else "dim")


def _file(row: RegisterRow) -> Text:
    return Text("complet", style="green") if row.file_complete else Text(
        f"à voir : {len(row.missing)}", style="yellow")


class RegisterScreen(ModeScreen):
    MODE = "register"
    BINDINGS = [
        Binding("n", "add", "Nouveau professionnel", id="register.add"),
        Binding("x", "extract", "Extrait PDF + CSV", id="register.extract"),
    ]

    def compose_body(self) -> ComposeResult:
        yield ModeTitle("Registre départemental des professionnels habilités", id="register-title")
        yield RecordTable(COLUMNS, id="register-table")
        yield Static("", id="register-count", classes="empty-hint")

    def on_mount(self) -> None:
        self.refresh_rows()

    def on_screen_resume(self) -> None:
        self.refresh_rows()

    def refresh_rows(self) -> None:
        rows = register_rows(self.app.today())
        count = self.query_one("#register-table", RecordTable).replace_rows(
            (r.professional_id, (Text(r.name + (" (vous)" if r.is_user else ""), style="bold" if r.is_user else ""),
                                 r.profession, r.csapa, _status(r), format_fr(r.valid_until), _file(r),
                                 str(r.caseload_persons), _listing(r)))
            for r in rows)
        habilitated = sum(r.habilitated_today for r in rows)
        self.query_one("#register-count", Static).update(
            f"{count} professionnel(s), dont {habilitated} habilité(s) à ce jour — Entrée : fiche, critères, "
            "habilitation")
        self.query_one("#register-table", RecordTable).focus()

    @on(DataTable.RowSelected, "#register-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        from .professional import ProfessionalScreen

        self.app.push_screen(ProfessionalScreen(int(str(event.row_key.value))))

    def action_add(self) -> None:
        def add(values: dict[str, str]) -> object:
            return add_professional(last_name=values["last_name"], first_name=values["first_name"],
                                    profession=values["profession"], rpps_adeli=values["rpps_adeli"] or None,
                                    csapa_name=values["csapa_name"] or None, departments=values["departments"] or None)

        def added(result: object) -> None:
            if result is not None:
                self.notify("Professionnel ajouté comme candidat : complétez son dossier (Entrée).")
                self.refresh_rows()

        self.app.push_screen(FormModal("Nouveau professionnel", [
            ModalField("last_name", "Nom"), ModalField("first_name", "Prénom"),
            ModalField("profession", "Profession", choices=tuple(choices(Profession))),
            ModalField("rpps_adeli", "RPPS / ADELI"), ModalField("csapa_name", "CSAPA employeur"),
            ModalField("departments", "Département(s)", "92")], add, submit_label="Ajouter"), added)

    def action_extract(self) -> None:
        self.notify("Extrait du registre en préparation…")
        self.write_extract()

    @work(thread=True, exclusive=True, group="register")
    def write_extract(self) -> None:
        """The PDF through the one document pipeline, the CSV beside it (same day, same name)."""
        from ..domain.documents.produce import produce_document
        from ..domain.printing.saving import save_file

        today = self.app.today()
        try:
            with own_connection():
                folder = prepared_documents_dir(today.year)
                produced = produce_document("registre", None, folder=folder, today=today)
                csv = save_file(register_csv(today).encode("utf-8"), folder, register_filename(today, ".csv"),
                                suffix=".csv")
        except InjonctionsError as error:
            self.app.call_from_thread(self.notify, error.message, severity="error", timeout=10)
            return
        self.app.call_from_thread(self.notify, f"Extrait du registre : {produced.path}\n{csv}", timeout=10)
