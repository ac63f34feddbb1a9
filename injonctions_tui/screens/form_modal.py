"""A small modal form: a few fields, one action, the French error shown in place.

Used for the quick acts that do not deserve a full screen: renew, close, reopen a
dossier, a walk-in at the permanence. The caller passes a function that does the
work and raises `InjonctionsError` (its message is shown, the modal stays open).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Select, Static

from ..domain.core.errors import InjonctionsError
from ..widgets.field import Field
from .base import AppModal


@dataclass(frozen=True)
class ModalField:
    key: str
    label: str
    value: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # a Select when given
    placeholder: str = ""
    password: bool = False


class FormModal(AppModal[Any]):
    """Dismisses with whatever `action` returned once it succeeds, None if cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Annuler", id="modal.cancel"),
        Binding("ctrl+s", "submit", "Valider", id="modal.submit"),
    ]

    def __init__(self, title: str, fields: list[ModalField], action: Callable[[dict[str, str]], Any],
                 *, submit_label: str = "Valider", intro: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.action = action
        self.submit_label = submit_label
        self.intro = intro

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form-modal"):
            yield Static(self.title_text, classes="dialog-title")
            if self.intro:
                yield Static(self.intro, classes="step-intro")
            for field in self.fields:
                control: Select[str] | Input
                if field.choices:
                    control = Select(list(field.choices), value=field.value or field.choices[0][1],
                                     allow_blank=False, id=field.key, compact=True)
                else:
                    control = Input(value=field.value, placeholder=field.placeholder, id=field.key,
                                    compact=True, max_length=300, password=field.password)
                yield Field(field.label, control, id=f"f-{field.key}")
            yield Static("", id="modal-error")
            with Horizontal(classes="modal-buttons"):
                yield Button("Annuler", id="cancel")
                yield Button(self.submit_label, variant="primary", id="submit")

    def on_mount(self) -> None:
        self.query(Input).first().focus() if self.query(Input) else self.query_one("#submit").focus()

    def values(self) -> dict[str, str]:
        values = {}
        for field in self.fields:
            if field.choices:
                values[field.key] = str(self.query_one(f"#{field.key}", Select).value)
            else:
                values[field.key] = self.query_one(f"#{field.key}", Input).value
        return values

    def on_input_submitted(self) -> None:
        inputs = list(self.query(Input))
        if self.focused is inputs[-1]:
            self.action_submit()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_submit() if event.button.id == "submit" else self.action_cancel()

    def action_submit(self) -> None:
        try:
            result = self.action(self.values())
        except InjonctionsError as error:
            self.query_one("#modal-error", Static).update(error.message)
            return
        self.dismiss(result if result is not None else True)

    def action_cancel(self) -> None:
        self.dismiss(None)
