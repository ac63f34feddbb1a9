"""Changing the passphrase from the app, with its strength estimated in French while typing.

The change itself is the store's (`rekey.change_passphrase`: crash-safe, the seals
re-keyed); it runs in a worker thread, after this thread's connection is closed (it holds
the old key), and the app goes on with the base reopened under the new key.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.widgets import Input, Static

from ..domain.core.errors import InjonctionsError
from ..domain.store.passphrase import base_context, strength_label, weakness
from ..domain.store.rekey import change_passphrase
from ..domain.store.storage import own_connection
from .form_modal import FormModal, ModalField


class PassphraseModal(FormModal):
    """Current passphrase, the new one twice; dismisses with the reopened base."""

    def __init__(self) -> None:
        super().__init__("Changer la phrase secrète", [
            ModalField("current", "Phrase actuelle", password=True),
            ModalField("new", "Nouvelle phrase", password=True),
            ModalField("again", "Confirmation", password=True)], self._check, submit_label="Changer",
            intro="Les sauvegardes déjà faites gardent l'ancienne phrase secrète.")
        self.context: list[str] = []

    def on_mount(self) -> None:
        super().on_mount()
        self.context = base_context()  # the court, the CSAPA, the name: tried first by an attacker
        self.query_one("#modal-error", Static).update("")

    @on(Input.Changed, "#new")
    def _strength(self, event: Input.Changed) -> None:
        self.query_one("#modal-error", Static).update(
            f"Solidité : {strength_label(event.value, self.context)}" if event.value else "")

    def _check(self, values: dict[str, str]) -> None:
        reason = weakness(values["new"], self.context)
        if reason:
            raise InjonctionsError(reason)
        if values["again"] != values["new"]:
            raise InjonctionsError("Les deux saisies de la nouvelle phrase secrète ne sont pas identiques.")

    def action_submit(self, confirmed: bool = False) -> None:
        values = self.values()
        try:
            self._check(values)
        except InjonctionsError as error:
            self.query_one("#modal-error", Static).update(error.message)
            return
        self.query_one("#modal-error", Static).update("Changement en cours…")
        database = self.app.database
        if database is not None:
            database.close()  # this thread's connection holds the old key
        self._change(values["current"], values["new"])

    @work(thread=True, exclusive=True, group="passphrase")
    def _change(self, current: str, new: str) -> None:
        try:
            with own_connection():
                reopened: Any = change_passphrase(self.app.plan.db_path, current, new)
        except InjonctionsError as error:
            self.app.call_from_thread(self.query_one("#modal-error", Static).update, error.message)
            return
        self.app.call_from_thread(self.dismiss, reopened)
