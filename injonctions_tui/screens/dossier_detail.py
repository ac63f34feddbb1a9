"""One dossier at a glance: identity, measure, orientation, timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from ..domain.core.dates import format_fr, parse_date
from ..domain.core.vocabulary import ChosenBy, Outcome, choices
from ..domain.dossiers import measures
from ..domain.dossiers.detail import DossierDetail, dossier_detail
from ..domain.dossiers.representatives import add_representative
from ..domain.store import audit
from ..domain.store.professionals import current_user
from ..widgets.mode_header import ModeTitle
from .base import AppScreen
from .documents import produce_in_background
from .form_modal import FormModal, ModalField

if TYPE_CHECKING:
    from ..domain.core.models import Measure, Orientation


def _pairs(rows: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column()
    for key, value in rows:
        table.add_row(key, value)
    return table


class DossierDetailScreen(AppScreen[None]):
    """Read-only view; editing happens in the form screen (key m)."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Retour", id="dossier.back"),
        Binding("m", "edit", "Modifier", id="dossier.edit"),
        Binding("s", "choose", "Soignant", id="dossier.orientation"),
        Binding("g", "agreement", "Accord", id="dossier.agreement"),
        Binding("x", "refusal", "Refus du soignant", show=False, id="dossier.refusal"),
        Binding("l", "representative", "Représentant", id="dossier.representative"),
        Binding("f", "reports", "Rapports", id="dossier.reports"),
        Binding("a", "attestation", "Attestation de suivi", show=False, id="dossier.attestation"),
        Binding("r", "renew", "Renouveler", id="dossier.renew"),
        Binding("c", "close", "Clôturer", id="dossier.close"),
        Binding("o", "reopen", "Rouvrir", id="dossier.reopen"),
    ]
    #: Acts that change the dossier: hidden while it is closed (only "Rouvrir" then).
    EDITING_ACTIONS = {"edit", "choose", "agreement", "refusal", "representative", "renew", "close"}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        detail = getattr(self, "detail", None)
        if detail is None:
            return True
        if action in self.EDITING_ACTIONS:
            return not detail.closed
        if action == "reopen":
            return detail.closed
        return True

    def __init__(self, measure_id: int) -> None:
        super().__init__()
        self.measure_id = measure_id

    def compose(self) -> ComposeResult:
        yield Header(icon="⚖")
        with VerticalScroll(id="dossier-body"):
            yield ModeTitle(id="dossier-title")
            yield Static(id="dossier-identity", classes="section")
            yield Static(id="dossier-measure", classes="section")
            yield Static(id="dossier-deadlines", classes="section")
            yield Static(id="dossier-orientation", classes="section")
            yield Static(id="dossier-timeline", classes="section")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        audit.record("consultation_dossier", "measure", self.measure_id)
        self.refresh_detail()

    def on_screen_resume(self) -> None:
        self.refresh_detail()

    def refresh_detail(self) -> None:
        detail = dossier_detail(self.measure_id, self.app.today())
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
        self.refresh_bindings()

    def _section(self, selector: str, title: str, body: RenderableType, extra: list[str] | None = None) -> None:
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
        return measures.load_measure(self.measure_id)

    def _after(self, message: str) -> Callable[[object], None]:
        def done(result: object) -> None:
            if result is not None:
                self.notify(message)
                self.refresh_detail()
        return done

    def action_renew(self) -> None:
        today = self.app.today()

        def renew_now(values: dict[str, str]) -> object:
            return measures.renew(self._measure(), parse_date(values["decided_on"], "Date du renouvellement"), today)

        self.app.push_screen(FormModal(
            "Renouveler la mesure", [ModalField("decided_on", "Décidé le", format_fr(today), placeholder="JJ/MM/AAAA")],
            renew_now, submit_label="Renouveler",
            intro="Prolonge la mesure de 6 mois, sans dépasser 2 ans depuis son début ; "
                  "les entretiens de suivi suivent."), self._after("Mesure renouvelée."))

    def action_close(self) -> None:
        today = self.app.today()

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

    def action_choose(self) -> None:
        today = self.app.today()

        def choose_now(values: dict[str, str]) -> object:
            return measures.choose_orientation(
                self._measure(), structure=values["structure"], doctor=values["doctor"],
                address=values["address"], chosen_on=parse_date(values["chosen_on"], "Date du choix"),
                chosen_by=values["chosen_by"], user=current_user())

        self.app.push_screen(FormModal(
            "Soignant choisi par la personne",
            [ModalField("structure", "Structure (CSAPA…)"), ModalField("doctor", "Médecin / praticien"),
             ModalField("address", "Adresse"),
             ModalField("chosen_on", "Choisi le", format_fr(today), placeholder="JJ/MM/AAAA"),
             ModalField("chosen_by", "Choisi par", choices=tuple(choices(ChosenBy)))],
            choose_now, submit_label="Enregistrer",
            intro="La personne (pour un mineur, ses représentants légaux ; pour un majeur protégé, son tuteur) "
                  "choisit dans les 10 jours ; le soignant confirme par écrit dans les 15 jours. "
                  "Vous ne pouvez pas être ce soignant."), self._after("Soignant enregistré."))

    def _pending(self) -> Orientation | None:
        orientation = measures.pending_orientation(self._measure())
        if orientation is None:
            self.notify("Aucun choix de soignant en attente d'accord (touche s pour en enregistrer un).",
                        severity="warning")
        return orientation

    def _orientation_date(self, title: str, field_label: str, act: Callable[[Orientation, dt.date], None], done: str,
                          intro: str) -> None:
        """A dated act on the pending orientation: the written agreement, or a refusal."""
        orientation = self._pending()
        if orientation is None:
            return
        today = self.app.today()

        def record(values: dict[str, str]) -> object:
            act(orientation, parse_date(values["on"], field_label))
            return True

        self.app.push_screen(FormModal(
            f"{title} — {orientation.structure}",
            [ModalField("on", field_label, format_fr(today), placeholder="JJ/MM/AAAA")], record,
            submit_label="Enregistrer", intro=intro), self._after(done))

    def action_agreement(self) -> None:
        self._orientation_date("Accord écrit", "Date de l'accord écrit", measures.record_agreement,
                               "Accord écrit enregistré.",
                               "La mesure commence à cette date si son début n'est pas déjà fixé.")

    def action_refusal(self) -> None:
        self._orientation_date("Refus", "Date du refus", measures.record_refusal, "Refus enregistré.",
                               "Un autre soignant devra être choisi (touche s).")

    def action_representative(self) -> None:
        person_id = self._measure().person_id

        def add(values: dict[str, str]) -> object:
            return add_representative(person_id, name=values["name"], relationship=values["relationship"],
                                      phone=values["phone"], address=values["address"])

        self.app.push_screen(FormModal(
            "Représentant légal", [ModalField("name", "Nom, prénom"),
                                   ModalField("relationship", "Lien", placeholder="mère, père, tuteur, ASE…"),
                                   ModalField("phone", "Téléphone"), ModalField("address", "Adresse")],
            add, submit_label="Ajouter", intro="Convoqué(e) avec le mineur ; choisit le soignant."),
            self._after("Représentant légal ajouté."))

    def action_reports(self) -> None:
        from .reports import ReportsScreen

        self.app.push_screen(ReportsScreen(self.measure_id))

    def action_attestation(self) -> None:
        """Attestation de suivi (or de fin de suivi once closed), for the person."""
        key = "attestation-fin-suivi" if self.detail.closed else "attestation-suivi"
        produce_in_background(self.app, key, self.measure_id)
