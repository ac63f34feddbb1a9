"""The habilitation register (issue 6 adds eligibility, revision and exports)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ..domain.dates import format_fr, parse_date
from ..domain.errors import InvalidInput
from ..domain.professionals import current_user, record_habilitation
from .form_modal import FormModal, ModalField
from ..domain.register import RegisterRow, register_rows
from ..widgets.mode_header import ModeTitle
from ..widgets.record_table import Column, RecordTable
from .base import ModeScreen

COLUMNS = (Column("Professionnel"), Column("Profession", optional=True), Column("RPPS/ADELI", optional=True),
           Column("CSAPA", optional=True), Column("Habilitation"), Column("Valide jusqu'au"))


def _status(row: RegisterRow) -> Text:
    if row.habilitated_today and row.expires_soon:
        return Text(f"{row.status} (expire bientôt)", style="bold yellow")
    if row.habilitated_today:
        return Text(row.status, style="green")
    return Text(row.status if row.status != "Habilité" else "Habilitation expirée", style="red")


class RegistreScreen(ModeScreen):
    BINDINGS = [Binding("h", "my_habilitation", "Mon habilitation", id="registre.habilitation")]

    MODE = "registre"
    def compose_body(self) -> ComposeResult:
        yield ModeTitle("Registre départemental des professionnels habilités", id="registre-title")
        yield RecordTable(COLUMNS, id="registre-table")
        yield Static("", id="registre-count", classes="empty-hint")

    def on_mount(self) -> None:
        self.refresh_rows()

    def refresh_rows(self) -> None:
        rows = register_rows(self.app.today())  # type: ignore[attr-defined]
        count = self.query_one("#registre-table", RecordTable).replace_rows(
            (r.professional_id, (Text(r.name + (" (vous)" if r.is_user else ""), style="bold" if r.is_user else ""),
                                 r.profession, r.rpps_adeli, r.csapa, _status(r), format_fr(r.valid_until)))
            for r in rows)
        habilitated = sum(r.habilitated_today for r in rows)
        self.query_one("#registre-count", Static).update(
            f"{count} professionnel(s), dont {habilitated} habilité(s) à ce jour")
        self.query_one("#registre-table", RecordTable).focus()

    def action_my_habilitation(self) -> None:
        """Record the DG ARS decision that habilitates the user (issue 6 extends the register)."""
        user = current_user()
        today = self.app.today()  # type: ignore[attr-defined]

        def record(values: dict[str, str]) -> object:
            year = values["list_year"].strip()
            if year and not year.isdigit():
                raise InvalidInput("Année de la liste : un nombre (ex. 2026).")
            return record_habilitation(user, decision_on=parse_date(values["decision_on"], "Décision du"),
                                       reference=values["reference"],
                                       valid_until=parse_date(values["valid_until"], "Valable jusqu'au"),
                                       list_year=int(year) if year else None)

        def recorded(result: object) -> None:
            if result is not None:
                self.notify("Habilitation enregistrée.")
                self.refresh_rows()

        self.app.push_screen(FormModal(
            f"Habilitation de {user.full_name}",
            [ModalField("decision_on", "Décision du", placeholder="JJ/MM/AAAA"),
             ModalField("reference", "Référence", placeholder="n° de l'arrêté du DG de l'ARS"),
             ModalField("list_year", "Liste de l'année", str(today.year)),
             ModalField("valid_until", "Valable jusqu'au", f"31/12/{today.year}", placeholder="JJ/MM/AAAA")],
            record, submit_label="Enregistrer",
            intro="Telle qu'inscrite sur la décision du directeur général de l'ARS (liste départementale "
                  "révisée chaque année). Sans habilitation en cours, aucun dossier ne peut vous être confié."),
            recorded)
