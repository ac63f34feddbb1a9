"""Bilan d'activité (aggregates only) and the annual état justificatif for the ARS."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Sparkline, Static

from ..domain.core.errors import InjonctionsError
from ..domain.statements.activity import ActivityReport, activity_report, columns, csv_value, value_of
from ..domain.statements.outputs import bilan_command, etat_command
from ..domain.store import audit
from ..domain.store.storage import own_connection
from ..domain.store.storage_errors import describe_os_error
from ..paths import prepared_documents_dir
from ..widgets.mode_header import ModeTitle
from ..widgets.record_table import Column, RecordTable
from .base import AppScreen

COLUMNS = (Column("Indicateur"), Column("Valeur"))


def _shown(report: ActivityReport, key: str) -> str:
    """The figure as read on screen: '80,0 %', '22,0 j', '—' when not computable."""
    text = csv_value(value_of(report.total, key), key)
    if not text:
        return "—"
    if key.endswith("_share"):
        return f"{text} %"
    if key.endswith("_days"):
        return f"{text} j"
    return text


class BilanScreen(AppScreen[None]):
    """One civil year at a time (←/→); prints the bilan and the état justificatif."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Retour", id="bilan.back"),
        Binding("left", "year(-1)", "Année préc.", priority=True, id="bilan.previous_year"),
        Binding("right", "year(1)", "Année suiv.", priority=True, id="bilan.next_year"),
        Binding("b", "print_bilan", "Bilan PDF", id="bilan.pdf"),
        Binding("e", "print_statement", "État ARS (PDF + CSV)", id="bilan.statement"),
    ]

    def compose(self) -> ComposeResult:
        yield Header(icon="⚖")
        yield ModeTitle("", id="bilan-title")
        with Horizontal(id="bilan-body"):
            yield RecordTable(COLUMNS, id="bilan-table")
            with Vertical(id="bilan-charts"):
                yield Static("Mesures reçues par mois", classes="chart-title")
                yield Sparkline([], id="chart-received")
                yield Static("Entretiens de suivi honorés par mois", classes="chart-title")
                yield Sparkline([], id="chart-followups")
                yield Static("", id="bilan-months", classes="empty-hint")
        yield Static("", id="bilan-message", classes="empty-hint")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        today = self.app.today()
        # In January the year to declare is the one that just ended.
        self.year = today.year - 1 if today.month == 1 else today.year
        self.refresh_report()
        self.query_one("#bilan-table", RecordTable).focus()

    def period(self) -> tuple[dt.date, dt.date]:
        today = self.app.today()
        return dt.date(self.year, 1, 1), min(dt.date(self.year, 12, 31), today)

    def refresh_report(self) -> None:
        start, end = self.period()
        report: ActivityReport = activity_report(start, end, today=self.app.today())
        self.query_one("#bilan-title", ModeTitle).update(
            f"Bilan d'activité {self.year} — du {start:%d/%m/%Y} au {end:%d/%m/%Y} (chiffres agrégés, sans noms)")
        self.query_one("#bilan-table", RecordTable).replace_rows(
            (index, (header, _shown(report, key)))
            for index, (key, header) in enumerate(columns()))
        self.query_one("#chart-received", Sparkline).data = [m.figures.received for m in report.months]
        self.query_one("#chart-followups", Sparkline).data = [m.figures.followups_kept for m in report.months]
        months = report.months
        self.query_one("#bilan-months", Static).update(
            f"{months[0].month:%m/%Y} → {months[-1].month:%m/%Y}" if months else "")

    def action_year(self, step: int) -> None:
        today = self.app.today()
        self.year = max(2000, min(today.year, self.year + step))
        self.refresh_report()

    def action_print_bilan(self) -> None:
        start, end = self.period()
        self.export("bilan", lambda folder, today: [bilan_command(start, end, "pdf", folder, today),
                                                    bilan_command(start, end, "csv", folder, today)])

    def action_print_statement(self) -> None:
        year = self.year
        self.export("etat", lambda folder, today: [etat_command(year, "pdf", folder, today),
                                                   etat_command(year, "csv", folder, today)])

    @work(thread=True, exclusive=True, group="bilan")
    def export(self, what: str, produce) -> None:  # type: ignore[no-untyped-def]
        """PDFs with charts take a moment: rendered off the UI thread, own connection."""
        today = self.app.today()
        try:
            with own_connection():
                folder: Path = prepared_documents_dir(self.year)
                messages = produce(folder, today)
                audit.record("bilan_activite" if what == "bilan" else "etat_annuel", details=f"annee={self.year}")
        except (InjonctionsError, OSError) as error:
            text = error.message if isinstance(error, InjonctionsError) else describe_os_error(error)
            self.app.call_from_thread(self.notify, text, severity="error", timeout=8)
            return
        self.app.call_from_thread(self.notify, "\n".join(str(m) for m in messages), timeout=10)
