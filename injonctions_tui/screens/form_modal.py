"""A small modal form: a few fields, one action, the French error shown in place.

Used for the quick acts that do not deserve a full screen: book, renew, close, reopen
a dossier, a permanence. The caller passes a function that does the work and raises
`InjonctionsError` (its message is shown, the modal stays open).

Every dialog behaves the same way (issue 16): Enter submits from any field (Tab moves
between fields), Ctrl+S too, Échap cancels. After a failed submit the focus goes to
the field the error is about, and the error goes away as soon as that field is
corrected. When the domain asks first (`NeedsConfirmation`: a booking outside the
court's permanence...), a second dialog says why and the act is done only once
confirmed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select, Static

from ..domain.core.errors import InjonctionsError, InvalidInput, NeedsConfirmation
from ..widgets.field import Field
from .base import AppModal

#: A form's action: the values typed, and whether the user confirmed what was asked.
Action = Callable[[dict[str, str]], Any]
ConfirmedAction = Callable[[dict[str, str], bool], Any]


@dataclass(frozen=True)
class ModalField:
    key: str
    label: str
    value: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # a Select when given
    placeholder: str = ""
    password: bool = False
    #: A checkbox ("oui" when ticked, "" otherwise); `label` is written beside it.
    checkbox: bool = False
    #: Checks the field alone (raises InvalidInput): its error clears once it passes.
    check: Callable[[str], object] | None = None


class ConfirmDialog(AppModal[bool]):
    """« Réserver quand même ? »: the reasons, then Annuler (focused) or the act."""

    BINDINGS = [Binding("escape", "cancel", "Annuler", id="confirm.cancel")]

    def __init__(self, title: str, reasons: tuple[str, ...], question: str, confirm_label: str) -> None:
        super().__init__()
        self.title_text, self.reasons, self.question, self.confirm_label = title, reasons, question, confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form-modal"):
            yield Static(self.title_text, classes="dialog-title")
            for reason in self.reasons:
                yield Static(f"• {reason}", classes="confirm-reason")
            yield Static(self.question, classes="step-intro")
            with Horizontal(classes="modal-buttons"):
                yield Button("Annuler", id="cancel")
                yield Button(self.confirm_label, variant="warning", id="confirm")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")

    def action_cancel(self) -> None:
        self.dismiss(False)


def _ignoring_confirmation(action: Action | None) -> ConfirmedAction:
    """An `action` that never asks: called the same way as one that may."""
    if action is None:
        raise TypeError("FormModal needs exactly one of action and confirmed_action")
    return lambda values, _confirmed: action(values)


class FormModal(AppModal[Any]):
    """Dismisses with whatever `action` returned once it succeeds, None if cancelled.

    `action(values)` does the act; when it may raise NeedsConfirmation, pass
    `confirmed_action(values, confirmed)` instead: it is called again with True once the
    user has confirmed.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Annuler", id="modal.cancel"),
        Binding("ctrl+s", "submit", "Valider", id="modal.submit"),
    ]

    def __init__(self, title: str, fields: list[ModalField], action: Action | None = None,
                 *, submit_label: str = "Valider", intro: str = "",
                 confirmed_action: ConfirmedAction | None = None) -> None:
        super().__init__()
        if (action is None) == (confirmed_action is None):
            raise TypeError("FormModal needs exactly one of action and confirmed_action")
        self.title_text = title
        self.fields = fields
        self.act: ConfirmedAction = confirmed_action or _ignoring_confirmation(action)
        self.submit_label = submit_label
        self.intro = intro
        #: The field the current error is about (None: the error is about the whole form).
        self.error_field: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form-modal"):
            yield Static(self.title_text, classes="dialog-title")
            if self.intro:
                yield Static(self.intro, classes="step-intro")
            for field in self.fields:
                yield Field("" if field.checkbox else field.label, self._control(field), id=f"f-{field.key}")
            yield Static("", id="modal-error")
            yield Static("Entrée : valider · Tab : champ suivant · Échap : annuler", classes="dialog-hint")
            with Horizontal(classes="modal-buttons"):
                yield Button("Annuler", id="cancel")
                yield Button(self.submit_label, variant="primary", id="submit")

    @staticmethod
    def _control(field: ModalField) -> Widget:
        if field.checkbox:
            return Checkbox(field.label, value=bool(field.value), id=field.key, compact=True)
        if field.choices:
            return Select(list(field.choices), value=field.value or field.choices[0][1],
                          allow_blank=False, id=field.key, compact=True)
        return Input(value=field.value, placeholder=field.placeholder, id=field.key,
                     compact=True, max_length=300, password=field.password)

    def on_mount(self) -> None:
        inputs = self.query(Input)
        (inputs.first() if inputs else self.query_one("#submit")).focus()

    def values(self) -> dict[str, str]:
        values = {}
        for field in self.fields:
            widget = self.query_one(f"#{field.key}")
            if isinstance(widget, Checkbox):
                values[field.key] = "oui" if widget.value else ""
            elif isinstance(widget, Select):
                values[field.key] = str(widget.value)
            elif isinstance(widget, Input):
                values[field.key] = widget.value
        return values

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_submit() if event.button.id == "submit" else self.action_cancel()

    def action_submit(self, confirmed: bool = False) -> None:
        values = self.values()
        try:
            result = self.act(values, confirmed)
        except NeedsConfirmation as question:
            self._ask(question)
            return
        except InjonctionsError as error:
            self._show_error(error.message)
            return
        self.dismiss(result if result is not None else True)

    def _ask(self, question: NeedsConfirmation) -> None:
        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.action_submit(confirmed=True)

        self.app.push_screen(ConfirmDialog(self.title_text, question.reasons, question.question,
                                           f"{self.submit_label} quand même"), answered)

    def _field_of(self, message: str) -> ModalField | None:
        """The field an error is about: domain errors start with the field's label."""
        for field in self.fields:
            if field.label and message.startswith((f"{field.label} :", f"{field.label} ")):
                return field
        return None

    def _show_error(self, message: str) -> None:
        self.query_one("#modal-error", Static).update(message)
        field = self._field_of(message)
        self.error_field = field.key if field else None
        if field is not None:
            self.query_one(f"#f-{field.key}", Field).set_class(True, "-invalid")
            self.query_one(f"#{field.key}").focus()

    def _clear_error(self) -> None:
        self.query_one("#modal-error", Static).update("")
        if self.error_field is not None:
            self.query_one(f"#f-{self.error_field}", Field).set_class(False, "-invalid")
        self.error_field = None

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _corrected(self, event: Input.Changed | Select.Changed | Checkbox.Changed) -> None:
        """The error goes as soon as its field is corrected (any change when the field
        has no check of its own; a form-wide error stays until the next submit)."""
        key = event.control.id
        if self.error_field is None or key != self.error_field:
            return
        field = next(f for f in self.fields if f.key == key)
        if field.check is not None:
            try:
                field.check(str(getattr(event, "value", "")))
            except InvalidInput:
                return
        self._clear_error()

    def action_cancel(self) -> None:
        self.dismiss(None)
