"""Create or edit a dossier: one form, errors beside the fields, saved whole or not at all."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Checkbox, Footer, Header, Input, Select, Static

from ..domain.core.errors import InjonctionsError, NeedsConfirmation, NotHabilitated
from ..domain.dossiers.form import FIELDS, FormField, FormRejected, save, values_from
from ..domain.dossiers.measures import load_measure
from ..domain.store.professionals import current_user
from ..widgets.field import Field
from ..widgets.mode_header import ModeTitle
from .base import AppScreen
from .form_modal import ConfirmDialog


def _control(field: FormField, value: str) -> Widget:
    if field.kind == "choice":
        return Select([(text, val) for text, val in field.choices], value=value, allow_blank=False,
                      id=field.key, compact=True)
    if field.kind == "bool":
        return Checkbox("oui", value=bool(value), id=field.key, compact=True)
    return Input(value=value, id=field.key, compact=True, max_length=300,
                 placeholder="JJ/MM/AAAA" if field.kind == "date" else "")


class DossierEditScreen(AppScreen[int | None]):
    """Returns the measure id when saved, None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", id="dossier_edit.save"),
        Binding("escape", "cancel", "Annuler", id="dossier_edit.cancel"),
    ]

    def __init__(self, measure_id: int | None = None) -> None:
        super().__init__()
        self.measure_id = measure_id

    def compose(self) -> ComposeResult:
        measure = load_measure(self.measure_id) if self.measure_id else None
        values = values_from(measure)
        yield Header(icon="⚖")
        title = "Nouveau dossier" if measure is None else f"Modifier le dossier — {measure.person.full_name}"
        yield ModeTitle(title)
        with VerticalScroll(id="dossier-form"):
            for field in FIELDS:
                yield Field(field.label + (" *" if field.required else ""), _control(field, values[field.key]),
                            hint=field.hint, id=f"f-{field.key}")
            yield Static("* obligatoire. Dates au format JJ/MM/AAAA. Ctrl+S enregistre, Échap annule.",
                         classes="dialog-hint")
        yield Static("", id="form-message")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.initial_values = self.form_values()
        self.cancel_armed = False
        self.query_one("#last_name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def on_input_changed(self, event: Input.Changed) -> None:
        """An error goes away as soon as its field is corrected, not at the next Ctrl+S."""
        if event.input.id:
            for field in self.query(f"#f-{event.input.id}").results(Field):
                field.set_error(None)

    def form_values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for field in FIELDS:
            widget = self.query_one(f"#{field.key}")
            if isinstance(widget, Checkbox):
                values[field.key] = "oui" if widget.value else ""
            elif isinstance(widget, Select):
                values[field.key] = "" if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, Input):
                values[field.key] = widget.value
        return values

    def action_save(self) -> None:
        self._save(same_person_confirmed=False)

    def _save(self, *, same_person_confirmed: bool) -> None:
        for field in self.query(Field):
            field.set_error(None)
        message = self.query_one("#form-message", Static)
        try:
            measure = save(self.form_values(), self.app.today(), measure_id=self.measure_id,
                           professional=current_user(), same_person_confirmed=same_person_confirmed)
        except FormRejected as rejected:
            for key, text in rejected.errors.items():
                self.query_one(f"#f-{key}", Field).set_error(text)
            first = next(field.key for field in FIELDS if field.key in rejected.errors)
            self.query_one(f"#{first}").focus()
            message.update(rejected.message)
            return
        except NeedsConfirmation as question:
            self._ask_same_person(question)
            return
        except NotHabilitated as error:
            message.update(f"{error.message} Enregistrez votre habilitation : F5 (Registre), Entrée sur votre nom, puis h.")
            return
        except InjonctionsError as error:
            message.update(error.message)
            return
        self.notify("Dossier enregistré.")
        self.dismiss(measure.id)

    def _ask_same_person(self, question: NeedsConfirmation) -> None:
        """A namesake born the same day: one person with two measures, never two persons
        counted twice on the annual statement — but only once the user says so."""
        def answered(same: bool | None) -> None:
            if same:
                self._save(same_person_confirmed=True)
            else:
                self.query_one("#form-message", Static).update(
                    "Dossier non enregistré : vérifiez le nom et la date de naissance.")

        self.app.push_screen(ConfirmDialog("Personne déjà connue ?", question.reasons, question.question,
                                           "Même personne : enregistrer"), answered)

    def action_cancel(self) -> None:
        """A second Escape is needed to drop typed changes."""
        if self.form_values() != self.initial_values and not self.cancel_armed:
            self.cancel_armed = True
            self.query_one("#form-message", Static).update(
                "Modifications non enregistrées : Ctrl+S pour enregistrer, Échap de nouveau pour les abandonner.")
            return
        self.dismiss(None)
