"""The reports of one dossier: open one (Enter), write a new one (n)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from ..domain.core.dates import format_fr
from ..domain.core.errors import InjonctionsError
from ..domain.core.vocabulary import ReportKind, ReportStatus, choices, label
from ..domain.dossiers.measures import load_measure
from ..domain.reports import drafts as report_drafts
from ..widgets.mode_header import ModeTitle
from ..widgets.record_table import Column, RecordTable
from .base import AppScreen
from .form_modal import FormModal, ModalField

COLUMNS = (Column("Rédigé le"), Column("Rapport"), Column("Version"), Column("État"), Column("Adhésion", optional=True))


def open_new_report(screen: AppScreen[None], measure_id: int, kind: str, appointment_id: int | None = None) -> None:
    """Start (or resume) a draft and open the editor; a refusal is shown, not raised. The
    avis motivé is one per measure: once final, the key opens it instead of a blank one."""
    from .report_editor import ReportEditorScreen

    if kind == "avis_motive" and (opinion := report_drafts.final_opinion(measure_id)) is not None:
        screen.notify("L'avis motivé de ce dossier est déjà définitif : il s'ouvre (Ctrl+R pour une correction).")
        screen.app.push_screen(ReportEditorScreen(opinion.id))
        return
    try:
        report = report_drafts.start_draft(measure_id, kind, screen.app.today(),
                                           appointment_id=appointment_id)
    except InjonctionsError as error:
        screen.notify(error.message, severity="error", timeout=10)
        return
    screen.app.push_screen(ReportEditorScreen(report.id))


class ReportsScreen(AppScreen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Retour", id="reports.back"),
        Binding("n", "new", "Nouveau rapport", id="reports.new"),
    ]

    def __init__(self, measure_id: int) -> None:
        super().__init__()
        self.measure_id = measure_id

    def compose(self) -> ComposeResult:
        person = load_measure(self.measure_id).person
        yield Header(icon="⚖")
        yield ModeTitle(f"Rapports au magistrat — {person.full_name}", id="reports-title")
        yield RecordTable(COLUMNS, id="reports-table")
        yield Static("", id="reports-count", classes="empty-hint")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_rows()

    def on_screen_resume(self) -> None:
        self.refresh_rows()

    def refresh_rows(self) -> None:
        reports = report_drafts.reports_of(self.measure_id)
        self.query_one("#reports-table", RecordTable).replace_rows(
            (r.id, (format_fr(r.written_on), label(r.kind), str(r.version),
                    Text(label(r.status) + (" (importé sans preuve d'intégrité)" if r.provenance else ""),
                         style="yellow" if r.status == ReportStatus.BROUILLON or r.provenance else "green"),
                    label(r.adherence) if r.adherence else "—"))
            for r in reports)
        self.query_one("#reports-count", Static).update(
            f"{len(reports)} rapport(s) — Entrée : ouvrir, n : nouveau" if reports
            else "Aucun rapport. n : rédiger un avis motivé, une fiche navette, un rapport d'incident…")
        self.query_one("#reports-table", RecordTable).focus()

    @on(DataTable.RowSelected, "#reports-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        from .report_editor import ReportEditorScreen

        self.app.push_screen(ReportEditorScreen(int(str(event.row_key.value))))

    def action_new(self) -> None:
        chosen: dict[str, str] = {}

        def pick(values: dict[str, str]) -> object:
            chosen.update(values)
            return True

        def picked(result: object) -> None:
            if result is not None:
                open_new_report(self, self.measure_id, chosen["kind"])

        self.app.push_screen(FormModal("Nouveau rapport", [ModalField(
            "kind", "Type", ReportKind.FICHE_NAVETTE.value, choices=tuple(choices(ReportKind)))], pick,
            submit_label="Rédiger"), picked)
