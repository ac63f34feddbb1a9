"""One dossier at a glance: identity, measure, orientation, timeline."""

from __future__ import annotations

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
from ..domain.core.vocabulary import Outcome, choices
from ..domain.dossiers import measures
from ..domain.dossiers.detail import DossierDetail, dossier_detail
from ..domain.dossiers.representatives import add_representative
from ..domain.store import audit
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
        Binding("g", "answer", "Réponse", tooltip="Réponse du soignant choisi (accord ou refus)", id="dossier.answer"),
        Binding("l", "representative", "Représentant", id="dossier.representative"),
        Binding("f", "reports", "Rapports", id="dossier.reports"),
        Binding("a", "attestation", "Attestation de suivi", show=False, id="dossier.attestation"),
        Binding("p", "book_next", "Prochain RDV", tooltip="Réserver le prochain entretien et imprimer la convocation",
                id="dossier.book_next"),
        Binding("v", "convocation", "Convocation", tooltip="Imprimer la convocation du prochain rendez-vous",
                id="dossier.convocation"),
        Binding("r", "renew", "Renouveler", id="dossier.renew"),
        Binding("c", "close", "Clôturer", id="dossier.close"),
        Binding("o", "reopen", "Rouvrir", id="dossier.reopen"),
        Binding("d", "papers", "Papiers", tooltip="Formulaire de choix, lettre au soignant, fiche d'information, "
                                                  "liste des structures", id="dossier.papers"),
    ]
    #: Acts that change the dossier: hidden while it is closed (only "Rouvrir" then).
    EDITING_ACTIONS = {"edit", "choose", "answer", "representative", "renew", "close", "book_next"}

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

    def document_written(self) -> None:
        self.refresh_detail()  # the timeline lists what was printed

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

    def action_book_next(self) -> None:
        from ..domain.store.settings import load_court
        from .booking_dialog import open_booking

        open_booking(self, self.measure_id, self.detail.title.split(" — ")[0], load_court(), now=self.app.now(),
                     done=self.refresh_detail)

    def action_convocation(self) -> None:
        """The convocation of the next appointment still expected."""
        if self.detail.next_appointment_id is None:
            self.notify("Aucun rendez-vous à venir : réservez-en un (p).", severity="warning")
            return
        produce_in_background(self.app, "convocation", self.detail.next_appointment_id)

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
        """The choice of the doctor, from the directory (R3413-11, R3413-12); then its papers."""
        from .orientation import OrientationModal

        def chosen(orientation_id: int | None) -> None:
            if orientation_id is None:
                return
            self.notify("Soignant enregistré : imprimez le formulaire de choix à signer et la lettre au soignant.")
            self.refresh_detail()
            self.action_papers()

        self.app.push_screen(OrientationModal(self.measure_id, dict(self.detail.identity)["Nom, prénom"]), chosen)

    def action_papers(self) -> None:
        from ..domain.orientation.choice import choice_defaults
        from .orientation import PapersModal

        public, _ = choice_defaults(self.measure_id, self.app.today())
        self.app.push_screen(PapersModal(self.measure_id, public.value))

    def _pending(self) -> Orientation | None:
        orientation = measures.pending_orientation(self._measure())
        if orientation is None:
            self.notify("Aucun choix de soignant en attente d'accord (touche s pour en enregistrer un).",
                        severity="warning")
        return orientation

    def action_answer(self) -> None:
        """The acceptance form came back (R3413-12): one step, dated the day it was received; a
        refusal opens a new choice at once."""
        orientation = self._pending()
        if orientation is None:
            return
        today = self.app.today()

        def record(values: dict[str, str]) -> object:
            accepted = values["answer"] == "accepte"
            choose_by = measures.record_answer(orientation, accepted=accepted,
                                               on=parse_date(values["on"], "Réponse reçue le"))
            return (values["answer"], choose_by)

        def done(result: object) -> None:
            if not isinstance(result, tuple):
                return
            answer, choose_by = result
            self.refresh_detail()
            if answer == "accepte":
                self.notify("Accord du soignant enregistré : la prise en charge est en place.")
                return
            self.notify("Refus enregistré : choisissez un autre soignant"
                        + (f" avant le {format_fr(choose_by)}." if choose_by else "."), severity="warning")
            self.action_choose()

        self.app.push_screen(FormModal(
            f"Réponse du soignant — {orientation.structure}",
            [ModalField("answer", "Réponse", choices=(("Accepte la prise en charge", "accepte"),
                                                       ("Refuse la prise en charge", "refuse"))),
             ModalField("on", "Réponse reçue le", format_fr(today), placeholder="JJ/MM/AAAA")],
            record, submit_label="Enregistrer",
            intro=f"Choisi le {format_fr(orientation.chosen_on)}. Le formulaire d'accord revient signé : un refus "
                  "ouvre aussitôt un nouveau choix."), done)

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
