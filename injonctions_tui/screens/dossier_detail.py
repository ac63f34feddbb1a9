"""One dossier at a glance: identity, measure, orientation, timeline."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from ..domain.dates import format_fr
from ..domain.dossier_detail import DossierDetail, dossier_detail


def _pairs(rows: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column()
    for key, value in rows:
        table.add_row(key, value)
    return table


class DossierDetailScreen(Screen):
    """Read-only view; editing happens in the form screen (key m)."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Retour", id="dossier.back"),
        Binding("m", "edit", "Modifier", id="dossier.edit"),
    ]

    def __init__(self, measure_id: int) -> None:
        super().__init__()
        self.measure_id = measure_id

    def compose(self) -> ComposeResult:
        yield Header(icon="⚖")
        with VerticalScroll(id="dossier-body"):
            yield Static(id="dossier-title", classes="mode-title")
            yield Static(id="dossier-identity", classes="section")
            yield Static(id="dossier-measure", classes="section")
            yield Static(id="dossier-orientation", classes="section")
            yield Static(id="dossier-timeline", classes="section")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_detail()

    def on_screen_resume(self) -> None:
        self.refresh_detail()

    def refresh_detail(self) -> None:
        detail = dossier_detail(self.measure_id, self.app.today())  # type: ignore[attr-defined]
        self.detail = detail
        title = Text(detail.title, style="bold")
        if detail.closed:
            title.append("  — clôturé (lecture seule)", style="yellow")
        self.query_one("#dossier-title", Static).update(title)
        self._section("#dossier-identity", "Identité", _pairs(detail.identity), detail.representatives)
        self._section("#dossier-measure", "Mesure", _pairs(detail.measure))
        orientation = _pairs(detail.orientation) if detail.orientation else Text("Aucun soignant choisi.", style="dim")
        self._section("#dossier-orientation", "Orientation", orientation)
        self._section("#dossier-timeline", "Chronologie", self._timeline(detail))

    def _section(self, selector: str, title: str, body, extra: list[str] | None = None) -> None:
        widget = self.query_one(selector, Static)
        widget.border_title = title
        if extra:
            grid = Table.grid()
            grid.add_row(body)
            grid.add_row(Text("Représentants légaux : " + " ; ".join(extra)))
            body = grid
        widget.update(body)

    def _timeline(self, detail: DossierDetail) -> Table:
        table = Table(box=None, show_header=True, header_style="bold", padding=(0, 1), expand=True)
        table.add_column("Date", no_wrap=True)
        table.add_column("Heure", no_wrap=True)
        table.add_column("Événement")
        table.add_column("Détail", ratio=1)
        for event in detail.timeline:
            table.add_row(format_fr(event.on), event.time, event.what, event.detail)
        return table

    def action_edit(self) -> None:
        if self.detail.closed:
            self.notify("Dossier clôturé : rouvrez-le pour le modifier.", severity="warning")
            return
        from .dossier_edit import DossierEditScreen

        self.app.push_screen(DossierEditScreen(self.measure_id))
