"""The habilitation register (issue 6 adds eligibility, revision and exports)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ..domain.dates import format_fr
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
    MODE = "registre"
    def compose_body(self) -> ComposeResult:
        yield ModeTitle("Registre départemental des professionnels habilités", id="registre-title")
        yield RecordTable(COLUMNS, id="registre-table")
        yield Static("", id="registre-count", classes="empty-hint")

    def on_mount(self) -> None:
        rows = register_rows(self.app.today())  # type: ignore[attr-defined]
        count = self.query_one("#registre-table", RecordTable).replace_rows(
            (r.professional_id, (Text(r.name + (" (vous)" if r.is_user else ""), style="bold" if r.is_user else ""),
                                 r.profession, r.rpps_adeli, r.csapa, _status(r), format_fr(r.valid_until)))
            for r in rows)
        habilitated = sum(r.habilitated_today for r in rows)
        self.query_one("#registre-count", Static).update(
            f"{count} professionnel(s), dont {habilitated} habilité(s) à ce jour")
        self.query_one("#registre-table", RecordTable).focus()
