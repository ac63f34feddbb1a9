"""One dossier at a glance: identity, measure, orientation, timeline."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from collections.abc import Callable

from ..domain import measures
from ..domain.dates import format_fr, parse_date
from ..domain.models import Measure
from ..domain.vocabulary import Outcome, choices
from .form_modal import FormModal, ModalField
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
        Binding("r", "renew", "Renouveler", id="dossier.renew"),
        Binding("c", "close", "Clôturer", id="dossier.close"),
        Binding("o", "reopen", "Rouvrir", id="dossier.reopen"),
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
            yield Static(id="dossier-deadlines", classes="section")
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
        deadlines = Table.grid(padding=(0, 2))
        for due_on, what, late in detail.deadlines:
            deadlines.add_row(format_fr(due_on), Text(what, style="bold red" if late else ""))
        self._section("#dossier-deadlines", "Échéances",
                      deadlines if detail.deadlines else Text("Aucune échéance en attente.", style="dim"))
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

    def _measure(self) -> Measure:
        return Measure.get_by_id(self.measure_id)

    def _after(self, message: str) -> Callable[[object], None]:
        def done(result: object) -> None:
            if result is not None:
                self.notify(message)
                self.refresh_detail()
        return done

    def action_renew(self) -> None:
        today = self.app.today()  # type: ignore[attr-defined]

        def renew_now(values: dict[str, str]) -> object:
            return measures.renew(self._measure(), parse_date(values["decided_on"], "Date du renouvellement"))

        self.app.push_screen(FormModal(
            "Renouveler la mesure", [ModalField("decided_on", "Décidé le", format_fr(today), placeholder="JJ/MM/AAAA")],
            renew_now, submit_label="Renouveler",
            intro="Prolonge la mesure de 6 mois, sans dépasser 2 ans depuis son début ; "
                  "les entretiens de suivi suivent."), self._after("Mesure renouvelée."))

    def action_close(self) -> None:
        today = self.app.today()  # type: ignore[attr-defined]

        def close_now(values: dict[str, str]) -> object:
            measures.close(self._measure(), values["outcome"], parse_date(values["on"], "Date de la décision"), today)
            return True

        self.app.push_screen(FormModal(
            "Clôturer le dossier", [ModalField("outcome", "Décision du magistrat", choices=tuple(choices(Outcome))),
                                    ModalField("on", "Date de la décision", format_fr(today), placeholder="JJ/MM/AAAA")],
            close_now, submit_label="Clôturer",
            intro="Le dossier passera en lecture seule (il pourra être rouvert, avec un motif)."),
            self._after("Dossier clôturé."))

    def action_reopen(self) -> None:
        def reopen_now(values: dict[str, str]) -> object:
            return measures.reopen(self._measure(), values["reason"])

        self.app.push_screen(FormModal(
            "Rouvrir le dossier", [ModalField("reason", "Motif", placeholder="ex. décision du parquet du …")],
            reopen_now, submit_label="Rouvrir", intro="La réouverture est tracée dans le journal."),
            self._after("Dossier rouvert."))
