"""One professional of the register: identity, status, eligibility checklist, caseload,
conflicts of interest, history; and the acts of the register (issue 6)."""

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
from ..domain.core.errors import InvalidInput
from ..domain.core.vocabulary import (ConflictCategory, EvidenceItem, HabilitationStatus, ListingStatus, RemovalGround,
                                      choices, label)
from ..domain.dossiers.conflicts import declarations, declare_conflict
from ..domain.register.caseload import caseload_of
from ..domain.register.coordinator import listing_checklist, listing_view, set_listing, set_practice_since
from ..domain.register.eligibility import STATE_LABELS, ItemState, checklist, record_evidence
from ..domain.register.history import history
from ..domain.register.status import set_status, status_view
from ..domain.store.professionals import get_professional
from ..widgets.mode_header import ModeTitle
from .base import AppScreen
from .form_modal import FormModal, ModalField

if TYPE_CHECKING:
    from ..domain.core.models import Professional

STATE_STYLES = {ItemState.MET: "green", ItemState.MISSING: "bold red", ItemState.STALE: "yellow",
                ItemState.UNMET: "bold red"}


def _date(values: dict[str, str], key: str, label_text: str) -> dt.date | None:
    return parse_date(values[key], label_text) if values.get(key, "").strip() else None


class ProfessionalScreen(AppScreen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Retour", id="professional.back"),
        Binding("p", "evidence", "Pièce", id="professional.evidence"),
        Binding("h", "habilitate", "Habiliter", id="professional.habilitate"),
        Binding("s", "suspend", "Suspendre", id="professional.suspend"),
        Binding("r", "radiate", "Radier", id="professional.radiate"),
        Binding("w", "withdraw", "Retrait", id="professional.withdraw"),
        Binding("c", "conflict", "Conflit d'intérêts", id="professional.conflict"),
        Binding("l", "listing", "Liste coordonnateurs", tooltip="Décision du procureur sur la liste des médecins "
                "coordonnateurs (injonction de soins)", id="professional.listing"),
        Binding("e", "practice", "Exercice", show=False, tooltip="Psychiatre ou spécialiste depuis (liste des "
                "médecins coordonnateurs)", id="professional.practice"),
    ]

    def __init__(self, professional_id: int) -> None:
        super().__init__()
        self.professional_id = professional_id

    def compose(self) -> ComposeResult:
        yield Header(icon="⚖")
        with VerticalScroll(id="professional-body"):
            yield ModeTitle(id="professional-title")
            for section in ("identity", "checklist", "listing", "conflicts", "history"):
                yield Static(id=f"professional-{section}", classes="section")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_view()

    def professional(self) -> Professional:
        return get_professional(self.professional_id)

    def today(self) -> dt.date:
        return self.app.today()

    def refresh_view(self) -> None:
        professional, today = self.professional(), self.today()
        view = status_view(professional, today)
        title = Text(f"{professional.full_name} — {label(professional.profession)}", style="bold")
        title.append(f"  {view.label}", style="green" if view.habilitated else "bold red")
        if view.valid_until:
            title.append(f" jusqu'au {format_fr(view.valid_until)}")
        self.query_one("#professional-title", Static).update(title)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        for key, value in (("RPPS / ADELI", professional.rpps_adeli or "—"),
                           ("Inscription à l'ordre", format_fr(professional.order_registered_on) or "—"),
                           ("CSAPA", professional.csapa_name or "—"),
                           ("Départements", professional.departments or "—"),
                           ("Personnes suivies", caseload_of(professional).text or "0")):
            grid.add_row(key, value)
        self._section("identity", "Identité et statut", grid)
        items = Table.grid(padding=(0, 2))
        for item in checklist(professional, today).items:
            items.add_row(Text(item.label, style="bold"), Text(STATE_LABELS[item.state], style=STATE_STYLES[item.state]))
            items.add_row("", Text(item.explanation, style="dim"))
        self._section("checklist", "Critères et pièces du dossier", items)
        self._section("listing", "Médecin coordonnateur (injonction de soins) — liste du procureur",
                      self._listing(professional, today))
        conflicts = declarations(professional)
        self._section("conflicts", "Personnes à ne pas suivre (conflits d'intérêts)", Text(
            "\n".join(f"{d.last_name or ''} {d.first_name or ''} — {label(d.category)} — déclaré le "
                      f"{format_fr(d.declared_on)}" for d in conflicts) or "Aucune déclaration.", style=""))
        lines = history(professional, limit=12)
        self._section("history", "Historique du registre", Text(
            "\n".join(f"{r.at:%d/%m/%Y %H:%M}  {r.actor} — {r.action} {r.details}" for r in lines) or "—"))

    @staticmethod
    def _listing(professional: Professional, today: dt.date) -> Table:
        """The procureur's list, beside the ARS habilitation: its own state, criteria and file."""
        view = listing_view(professional, today)
        items = Table.grid(padding=(0, 2))
        items.add_row(Text("Inscription", style="bold"), Text(view.text if view.recorded else
                                                              "Aucune décision (touche l pour en enregistrer une)",
                                                              style="green" if view.listed else "yellow"))
        for item in listing_checklist(professional, today).items:
            items.add_row(Text(item.label, style="bold"), Text(STATE_LABELS[item.state], style=STATE_STYLES[item.state]))
            items.add_row("", Text(item.explanation, style="dim"))
        return items

    def _section(self, name: str, title: str, body: RenderableType) -> None:
        widget = self.query_one(f"#professional-{name}", Static)
        widget.border_title = title
        widget.update(body)

    def _act(self, title: str, fields: list[ModalField], act: Callable[[dict[str, str]], object], done: str,
             intro: str = "") -> None:
        def finished(result: object) -> None:
            if result is not None:
                self.notify(done)
                self.refresh_view()

        self.app.push_screen(FormModal(title, fields, act, submit_label="Enregistrer", intro=intro), finished)

    def action_evidence(self) -> None:
        def record(values: dict[str, str]) -> object:
            return record_evidence(self.professional(), values["item"], _date(values, "on", "Date de la pièce"),
                                   values["reference"] or None)

        self._act("Pièce justificative", [
            ModalField("item", "Pièce", choices=tuple(choices(EvidenceItem))),
            ModalField("on", "Date de la pièce", placeholder="JJ/MM/AAAA"),
            ModalField("reference", "Référence", placeholder="facultatif")], record, "Pièce enregistrée.",
            "Un extrait B2 ou une attestation de non-sanction vaut 12 mois.")

    def action_habilitate(self) -> None:
        today = self.today()

        def habilitate(values: dict[str, str]) -> object:
            year = values["list_year"].strip()
            if year and not year.isdigit():
                raise InvalidInput("Liste de l'année : un nombre (ex. 2026).")
            return set_status(self.professional(), HabilitationStatus.HABILITE.value,
                              on=_date(values, "on", "Décision du"), reason=None,
                              decision_reference=values["reference"] or None,
                              valid_until=_date(values, "valid_until", "Valable jusqu'au"),
                              list_year=int(year) if year else None,
                              override_reason=values["override"].strip() or None)

        self._act("Habilitation par le DG de l'ARS", [
            ModalField("on", "Décision du", placeholder="JJ/MM/AAAA"),
            ModalField("reference", "Référence de l'arrêté"),
            ModalField("list_year", "Liste de l'année", str(today.year)),
            ModalField("valid_until", "Valable jusqu'au", placeholder="vide : 31/12 de l'année de la liste"),
            ModalField("override", "Dérogation motivée", placeholder="seulement si un critère n'est pas rempli")],
            habilitate, "Habilitation enregistrée.",
            "Refusée si un critère ou une pièce manque, sauf dérogation motivée (elle est enregistrée).")

    def _removal(self, status: str, title: str, grounds: bool) -> None:
        def remove(values: dict[str, str]) -> object:
            return set_status(self.professional(), status, on=_date(values, "on", "Date"),
                              reason=values["reason"] or None, ground=values.get("ground") or None)

        fields = [ModalField("on", "Date", format_fr(self.today())), ModalField("reason", "Motif")]
        if grounds:
            fields.append(ModalField("ground", "Fondement", choices=tuple(choices(RemovalGround))[:2]))
        self._act(title, fields, remove, f"{title} : enregistré.")

    def action_suspend(self) -> None:
        self._removal(HabilitationStatus.SUSPENDU.value, "Suspension", grounds=False)

    def action_radiate(self) -> None:
        self._removal(HabilitationStatus.RADIE.value, "Radiation", grounds=True)

    def action_withdraw(self) -> None:
        self._removal(HabilitationStatus.RETIRE.value, "Retrait à sa demande", grounds=False)

    def action_conflict(self) -> None:
        def declare(values: dict[str, str]) -> object:
            return declare_conflict(self.professional(), category=values["category"], declared_on=self.today(),
                                    last_name=values["last_name"], first_name=values["first_name"] or None,
                                    birth_date=_date(values, "birth_date", "Date de naissance"))

        self._act("Conflit d'intérêts", [
            ModalField("last_name", "Nom"), ModalField("first_name", "Prénom"),
            ModalField("birth_date", "Date de naissance", placeholder="JJ/MM/AAAA (recommandée)"),
            ModalField("category", "Lien", choices=tuple(choices(ConflictCategory)))], declare,
            "Déclaration enregistrée.", "Un dossier ne pourra pas être confié à ce professionnel pour cette personne.")

    def action_listing(self) -> None:
        def decide(values: dict[str, str]) -> object:
            return set_listing(self.professional(), values["status"], on=_date(values, "on", "Décision du"),
                               tribunal=values["tribunal"], reference=values["reference"] or None,
                               valid_until=_date(values, "valid_until", "Valable jusqu'au"),
                               reason=values["reason"] or None, override_reason=values["override"] or None)

        self._act("Liste des médecins coordonnateurs (procureur de la République)", [
            ModalField("status", "Décision", choices=tuple(choices(ListingStatus))),
            ModalField("on", "Décision du", format_fr(self.today()), placeholder="JJ/MM/AAAA"),
            ModalField("tribunal", "Tribunal", placeholder="ex. TJ de Lyon"),
            ModalField("reference", "Référence", placeholder="facultatif"),
            ModalField("valid_until", "Valable jusqu'au", placeholder="vide : 3 ans après la décision"),
            ModalField("reason", "Motif", placeholder="obligatoire pour une radiation"),
            ModalField("override", "Dérogation motivée", placeholder="seulement si un critère n'est pas rempli")],
            decide, "Décision enregistrée au registre.",
            "Liste établie tous les 3 ans (CSP L3711-1). L'inscription est refusée si un critère ou une pièce "
            "manque, sauf dérogation motivée (elle est enregistrée).")

    def action_practice(self) -> None:
        professional = self.professional()

        def record(values: dict[str, str]) -> object:
            return set_practice_since(self.professional(),
                                      psychiatrist_since=_date(values, "psychiatrist", "Psychiatre depuis le"),
                                      specialist_since=_date(values, "specialist", "Spécialiste depuis le"),
                                      today=self.today())

        self._act("Exercice (liste des médecins coordonnateurs)", [
            ModalField("psychiatrist", "Psychiatre depuis le", format_fr(professional.psychiatrist_since),
                       placeholder="JJ/MM/AAAA"),
            ModalField("specialist", "Spécialiste depuis le", format_fr(professional.specialist_since),
                       placeholder="JJ/MM/AAAA")], record, "Exercice enregistré.",
            "Critère 2 : psychiatre depuis au moins 3 ans, ou spécialiste depuis au moins 5 ans (ou formation "
            "attestée : pièce du dossier).")
