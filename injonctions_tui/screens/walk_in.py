"""The walk-in dialog: find the person's dossier as you type; a new dossier only if none.

Typing a name, a parquet number or a birth date lists the open dossiers that match
(`dossiers.identity.walk_in_candidates`); Entrée (or ↓) goes to the list, Entrée on a
dossier records the unplanned interview on it (`agenda.walk_ins.walk_in_on`: the
evaluation, the follow-up due, or a supplementary one). When the person has no
dossier, the fields below create one (`add_walk_in`), filled from what was searched.
A parquet number another dossier has puts that dossier first in the list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from ..domain.agenda.walk_ins import add_walk_in, walk_in_on
from ..domain.core.dates import format_fr
from ..domain.core.errors import InjonctionsError, NeedsConfirmation
from ..domain.dossiers.identity import Candidate, ParquetAlreadyKnown, parquet_key, walk_in_candidates
from ..domain.store.settings import CourtSettings
from ..widgets.field import Field
from .base import AppModal
from .form_modal import ConfirmDialog

NEW_FIELDS = (("last_name", "Nom", ""), ("first_name", "Prénom", ""),
              ("birth_date", "Date de naissance", "JJ/MM/AAAA"), ("parquet", "N° de parquet", "si la personne l'a"))


def _option(candidate: Candidate) -> Option:
    row = candidate.row
    born = f"né(e) le {format_fr(row.birth_date)}" if row.birth_date else "date de naissance inconnue"
    number = row.parquet_number or "n° à compléter"
    return Option(f"{row.person} — {born} — {number} — {row.status.lower()}", id=str(row.measure_id))


def split_search(text: str) -> dict[str, str]:
    """What was searched, as the new person's fields: a date, a number, or « NOM Prénom »."""
    words = text.split()
    if not words:
        return {}
    if len(words) == 1 and "/" in text and text.replace("/", "").isdigit():
        return {"birth_date": text.strip()}
    if len(words) == 1 and sum(c.isdigit() for c in text) >= 5 and parquet_key(text):
        return {"parquet": text.strip()}
    return {"last_name": words[0].upper(), "first_name": " ".join(words[1:])}


class WalkInDialog(AppModal[Any]):
    """Dismisses with the appointment recorded, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Annuler", id="walk_in.cancel"),
        Binding("ctrl+s", "create", "Nouvelle personne", id="walk_in.create"),
    ]

    def __init__(self, court: CourtSettings, today: dt.date, now: dt.datetime) -> None:
        super().__init__()
        self.court, self.today, self.now = court, today, now
        self.candidates: list[Candidate] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form-modal walk-in"):
            yield Static("Personne sans rendez-vous", classes="dialog-title")
            yield Field("Rechercher", Input(placeholder="nom, n° de parquet ou JJ/MM/AAAA", id="walk-search",
                                            compact=True, max_length=100))
            yield OptionList(id="walk-candidates", compact=True)
            yield Static("Tapez pour chercher un dossier ouvert ; Entrée : le dossier en surbrillance.",
                         id="walk-hint", classes="dialog-hint")
            yield Static("Sans dossier : nouvelle personne (évaluation initiale)", classes="step-intro")
            for key, label, placeholder in NEW_FIELDS:
                yield Field(label, Input(placeholder=placeholder, id=key, compact=True, max_length=120),
                            id=f"f-{key}")
            yield Static("", id="modal-error")
            with Horizontal(classes="modal-buttons"):
                yield Button("Annuler", id="cancel")
                yield Button("Nouvelle personne", variant="primary", id="create")

    def on_mount(self) -> None:
        self.query_one("#walk-candidates", OptionList).display = False
        self.query_one("#walk-search", Input).focus()

    # --- searching ---------------------------------------------------------------------
    @on(Input.Changed, "#walk-search")
    def _search(self, event: Input.Changed) -> None:
        self.show_candidates(walk_in_candidates(event.value))

    def show_candidates(self, candidates: list[Candidate]) -> None:
        self.candidates = candidates
        options = self.query_one("#walk-candidates", OptionList)
        options.clear_options()
        options.add_options([_option(c) for c in candidates])
        options.display = bool(candidates)
        if candidates:
            options.highlighted = 0
        search = self.query_one("#walk-search", Input).value.strip()
        hint = (f"{len(candidates)} dossier(s) ouvert(s) : Entrée ou ↓ pour choisir." if candidates else
                "Aucun dossier ouvert ne correspond : Entrée pour créer la personne ci-dessous." if search else
                "Tapez pour chercher un dossier ouvert ; Entrée : le dossier en surbrillance.")
        self.query_one("#walk-hint", Static).update(hint)

    @on(Input.Submitted, "#walk-search")
    def _go_to_list(self, event: Input.Submitted) -> None:
        """Entrée: to the dossiers found, or (none) to the new person's fields, filled in."""
        event.stop()
        if self.candidates:
            self.query_one("#walk-candidates", OptionList).focus()
            return
        for key, value in split_search(event.value).items():
            self.query_one(f"#{key}", Input).value = value
        empty = [key for key, _, _ in NEW_FIELDS if not self.query_one(f"#{key}", Input).value]
        self.query_one(f"#{empty[0] if empty else 'last_name'}", Input).focus()

    def on_key(self, event: Any) -> None:
        if event.key == "down" and self.focused is self.query_one("#walk-search") and self.candidates:
            event.stop()
            self.query_one("#walk-candidates", OptionList).focus()

    # --- recording -------------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#walk-candidates")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.record_on(int(event.option.id or 0))

    def record_on(self, measure_id: int, confirmed: bool = False) -> None:
        try:
            appointment = walk_in_on(measure_id, today=self.today, court=self.court, now=self.now,
                                     confirmed=confirmed)
        except NeedsConfirmation as question:
            self._ask(question, lambda: self.record_on(measure_id, confirmed=True))
            return
        except InjonctionsError as error:
            self.query_one("#modal-error", Static).update(error.message)
            return
        self.dismiss(appointment)

    @on(Input.Submitted, "#last_name, #first_name, #birth_date, #parquet")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_create()

    def action_create(self, confirmed: bool = False) -> None:
        values = {key: self.query_one(f"#{key}", Input).value for key, _, _ in NEW_FIELDS}
        try:
            appointment = add_walk_in(last_name=values["last_name"], first_name=values["first_name"],
                                      birth_date=values["birth_date"], parquet_number=values["parquet"] or None,
                                      today=self.today, court=self.court, now=self.now, confirmed=confirmed)
        except NeedsConfirmation as question:
            self._ask(question, lambda: self.action_create(confirmed=True))
            return
        except ParquetAlreadyKnown as known:
            self.query_one("#modal-error", Static).update(known.message)
            self.query_one("#walk-search", Input).value = values["parquet"]
            self.query_one("#walk-candidates", OptionList).focus()
            return
        except InjonctionsError as error:
            self._show_error(error.message)
            return
        self.dismiss(appointment)

    def _show_error(self, message: str) -> None:
        """The error under the form, the focus on the field it is about."""
        self.query_one("#modal-error", Static).update(message)
        for key, label, _ in NEW_FIELDS:
            if message.startswith(f"{label} "):
                self.query_one(f"#{key}", Input).focus()
                break

    @on(Input.Changed, "#last_name, #first_name, #birth_date, #parquet")
    def _corrected(self) -> None:
        self.query_one("#modal-error", Static).update("")

    def _ask(self, question: NeedsConfirmation, then: Any) -> None:
        def answered(confirmed: bool | None) -> None:
            if confirmed:
                then()

        self.app.push_screen(ConfirmDialog("Personne sans rendez-vous", question.reasons, question.question,
                                           "Accueillir quand même"), answered)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_create() if event.button.id == "create" else self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)
