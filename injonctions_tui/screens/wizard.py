"""First-run wizard: passphrase, the professional's identity, their habilitation, the court.

Nothing is written until the last step is validated: the database, the user, their
habilitation and the court settings are created together, so the first document printed
carries the habilitation and the CSAPA's phone. A database created by `injonctions init`
(so without identity) starts at the identity step.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, ContentSwitcher, Footer, Input, Select, Static

from ..domain.core.dates import WEEKDAYS_FR
from ..domain.core.errors import InjonctionsError, InvalidInput
from ..domain.core.validation import parse_phone
from ..domain.core.vocabulary import Civility, Profession, Public, choices
from ..domain.store import storage
from ..domain.store.passphrase import strength_label, weakness
from ..domain.store.professionals import HabilitationDecision, habilitation_from_text
from ..domain.store.settings import CourtSettings, Permanence, first_configuration, permanence_from_text
from ..widgets.field import Field
from .base import AppScreen

if TYPE_CHECKING:
    from peewee import Database

STEP_TITLES = {
    "step-passphrase": "1. Phrase secrète",
    "step-identity": "2. Votre identité",
    "step-habilitation": "3. Votre habilitation par l'ARS",
    "step-court": "4. Le tribunal et ses permanences",
}
#: The habilitation's fields: the argument of habilitation_from_text -> the input's id.
HABILITATION_INPUTS = {"reference": "hab_reference", "decision_on": "hab_decision_on",
                       "list_year": "hab_list_year", "valid_until": "hab_valid_until"}
WEEKDAY_CHOICES = [(name.capitalize(), str(i)) for i, name in enumerate(WEEKDAYS_FR[:5])]


def _input(id: str, value: str = "", *, password: bool = False, placeholder: str = "") -> Input:
    return Input(value=value, password=password, placeholder=placeholder, id=id, compact=True, max_length=300)


class FieldError(InvalidInput):
    """A refused value, and the field (its id) where the message goes."""

    def __init__(self, field_id: str, message: str) -> None:
        super().__init__(message)
        self.field_id = field_id


class WizardScreen(AppScreen[None]):
    """Four short steps, each validated before the next; errors beside fields."""

    BINDINGS = [
        Binding("ctrl+q", "app.quit", "Quitter", id="wizard.quit"),
        Binding("ctrl+n", "next", "Suivant", id="wizard.next"),
        Binding("ctrl+b", "previous", "Précédent", id="wizard.previous"),
    ]

    def __init__(self, db_path: Path, database: Database | None,
                 kdf: storage.KdfParams | None = None) -> None:
        super().__init__()
        self.db_path = db_path
        self.kdf = kdf or storage.KdfParams()
        self.database = database
        self.steps = list(STEP_TITLES) if database is None else list(STEP_TITLES)[1:]
        self.step_index = 0

    def compose(self) -> ComposeResult:
        court = CourtSettings()
        minors, adults = court.permanences
        with Vertical(id="wizard"):
            yield Static("Bienvenue — première mise en route", classes="dialog-title")
            yield Static("", id="wizard-step")
            with ContentSwitcher(initial=self.steps[0], id="wizard-steps"):
                with VerticalScroll(id="step-passphrase"):
                    yield Static("Elle chiffre toutes les données de ce poste. Sans elle, rien ne peut "
                                 "être relu : il n'existe aucun moyen de la retrouver.", classes="step-intro")
                    yield Field("Phrase secrète", _input("passphrase", password=True), id="f-passphrase",
                                hint="Au moins 12 caractères ; une courte phrase de quelques mots convient.")
                    yield Field("Confirmation", _input("passphrase2", password=True), id="f-passphrase2")
                with VerticalScroll(id="step-identity"):
                    yield Field("Civilité", Select(choices(Civility), prompt="Choisir…", id="civility", compact=True),
                                id="f-civility", hint="Pour accorder les documents : « Je soussignée … habilitée »")
                    yield Field("Nom", _input("last_name"), id="f-last_name")
                    yield Field("Prénom", _input("first_name"), id="f-first_name")
                    yield Field("Profession", Select(choices(Profession), prompt="Choisir…", id="profession",
                                                     compact=True), id="f-profession")
                    yield Field("RPPS / ADELI", _input("rpps_adeli", placeholder="facultatif"), id="f-rpps_adeli")
                    yield Field("CSAPA employeur", _input("csapa_name"), id="f-csapa_name")
                    yield Field("Adresse du CSAPA", _input("csapa_address"), id="f-csapa_address")
                    yield Field("Téléphone du CSAPA", _input("csapa_phone", placeholder="01 23 45 67 89"),
                                id="f-csapa_phone", hint="Sur chaque document ; la convocation dit de l'appeler "
                                                         "pour s'excuser.")
                with VerticalScroll(id="step-habilitation"):
                    yield Static("Recopiez la décision du directeur général de l'ARS : elle figure sur chaque "
                                 "document. Pas encore de décision ? Laissez vide ; à saisir plus tard dans le "
                                 "registre (F5), un rappel le dira à chaque démarrage.", classes="step-intro")
                    year = self.app.today().year
                    yield Field("N° de la décision", _input("hab_reference", placeholder="ex. ARS-IDF-2026-042"),
                                id="f-hab_reference")
                    yield Field("Date de la décision", _input("hab_decision_on", placeholder="JJ/MM/AAAA"),
                                id="f-hab_decision_on")
                    yield Field("Année de la liste", _input("hab_list_year", str(year)), id="f-hab_list_year",
                                hint="La liste départementale est révisée chaque année.")
                    yield Field("Valable jusqu'au", _input("hab_valid_until", placeholder=f"vide : 31/12/{year}"),
                                id="f-hab_valid_until")
                with VerticalScroll(id="step-court"):
                    yield Field("Tribunal", _input("tribunal", court.tribunal), id="f-tribunal")
                    yield Field("Parquet", _input("parquet", court.parquet), id="f-parquet")
                    yield Field("Lieu des permanences", _input("place", minors.place), id="f-place")
                    yield from self._permanence_fields("minors", "Mineurs", minors)
                    yield from self._permanence_fields("adults", "Majeurs", adults)
                    yield Field("Créneau (minutes)", _input("slot", str(minors.slot_minutes)), id="f-slot")
            yield Static("", id="wizard-error")
            with Horizontal(id="wizard-buttons"):
                yield Button("Précédent", id="previous")
                yield Button("Suivant", variant="primary", id="next")
        yield Footer()

    def _permanence_fields(self, key: str, title: str, permanence: Permanence) -> ComposeResult:
        yield Field(f"{title} : jour", Select(WEEKDAY_CHOICES, value=str(permanence.weekday), allow_blank=False,
                                              id=f"{key}_day", compact=True), id=f"f-{key}_day")
        yield Field(f"{title} : horaires", _input(f"{key}_hours", f"{permanence.start}-{permanence.end}"),
                    id=f"f-{key}_hours", hint="Format 09:00-13:00")

    def on_mount(self) -> None:
        self._show_step()

    def _show_step(self) -> None:
        step = self.steps[self.step_index]
        self.query_one(ContentSwitcher).current = step
        self.query_one("#wizard-step", Static).update(
            f"{STEP_TITLES[step]}  (étape {self.step_index + 1} sur {len(self.steps)})")
        self.query_one("#previous", Button).disabled = self.step_index == 0
        last = self.step_index == len(self.steps) - 1
        self.query_one("#next", Button).label = ("Créer la base" if self.database is None else "Enregistrer") if last else "Suivant"
        first_input = self.query_one(f"#{step}").query(Input).first()
        first_input.focus()

    def _value(self, id: str) -> str:
        return self.query_one(f"#{id}", Input).value

    @on(Input.Changed, "#passphrase")
    def _strength(self, event: Input.Changed) -> None:
        field = self.query_one("#f-passphrase", Field)
        field.query_one(".field-hint", Static).update(
            f"Solidité : {strength_label(event.value)}" if event.value else field.hint)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "next":
            self.action_next()
        elif event.button.id == "previous":
            self.action_previous()

    def action_previous(self) -> None:
        if self.step_index > 0:
            self.step_index -= 1
            self._show_step()

    def action_next(self) -> None:
        step = self.steps[self.step_index]
        if not self._validate(step):
            return
        if self.step_index < len(self.steps) - 1:
            self.step_index += 1
            self._show_step()
        else:
            self.finish()

    def _validate(self, step: str) -> bool:
        for field in self.query_one(f"#{step}").query(Field):
            field.set_error(None)
        errors: dict[str, str] = {}
        if step == "step-passphrase":
            reason = weakness(self._value("passphrase"))
            if reason:
                errors["f-passphrase"] = reason
            elif self._value("passphrase2") != self._value("passphrase"):
                errors["f-passphrase2"] = "Les deux saisies ne sont pas identiques."
        elif step == "step-identity":
            for key in ("last_name", "first_name", "csapa_name", "csapa_address"):
                if not self._value(key).strip():
                    errors[f"f-{key}"] = "Champ obligatoire."
            if self.query_one("#profession", Select).value is Select.NULL:
                errors["f-profession"] = "Choisissez une profession."
            number = self._value("rpps_adeli").replace(" ", "")
            if number and (not number.isdigit() or len(number) not in (9, 11)):
                errors["f-rpps_adeli"] = "11 chiffres pour le RPPS, 9 pour ADELI (ou laisser vide)."
            try:
                if not parse_phone(self._value("csapa_phone"), "Téléphone du CSAPA"):
                    errors["f-csapa_phone"] = "Champ obligatoire : la personne convoquée doit pouvoir appeler."
            except InvalidInput as error:
                errors["f-csapa_phone"] = error.message
        elif step == "step-habilitation":
            try:
                self._habilitation()
            except InvalidInput as error:
                errors[f"f-{HABILITATION_INPUTS[getattr(error, 'field', 'reference')]}"] = error.message
        else:
            try:
                self._court()
            except InvalidInput as error:
                errors[error.field_id if isinstance(error, FieldError) else "f-tribunal"] = error.message
        for field_id, message in errors.items():
            self.query_one(f"#{field_id}", Field).set_error(message)
        return not errors

    def _habilitation(self) -> HabilitationDecision | None:
        """The ARS decision typed in its step, None if left empty (InvalidInput names its field)."""
        return habilitation_from_text(**{key: self._value(id) for key, id in HABILITATION_INPUTS.items()})

    def _court(self) -> CourtSettings:
        """The court settings typed in the last step, or InvalidInput with its field."""
        def fail(field_id: str, message: str) -> InvalidInput:
            return FieldError(field_id, message)

        for key in ("tribunal", "parquet", "place"):
            if not self._value(key).strip():
                raise fail(f"f-{key}", "Champ obligatoire.")
        slot = self._value("slot").strip()
        if not slot.isdigit() or not 5 <= int(slot) <= 240:
            raise fail("f-slot", "Un nombre de minutes entre 5 et 240.")
        permanences = []
        for key, public in (("minors", Public.MINEURS), ("adults", Public.MAJEURS)):
            try:
                permanence = permanence_from_text(str(self.query_one(f"#{key}_day", Select).value),
                                                  self._value(f"{key}_hours"), public.value, self._value("place"), slot)
            except InvalidInput as error:
                raise fail(f"f-{key}_hours", error.message) from None
            permanences.append(permanence)
        return CourtSettings(tribunal=self._value("tribunal").strip(), parquet=self._value("parquet").strip(),
                             permanences=permanences)

    @work(exclusive=True, group="wizard")
    async def finish(self) -> None:
        """Create everything at once; the key derivation runs in a thread."""
        button = self.query_one("#next", Button)
        button.disabled = True
        error_line = self.query_one("#wizard-error", Static)
        error_line.update("Création de la base chiffrée…" if self.database is None else "")
        context = [self._value(key) for key in ("last_name", "first_name", "csapa_name", "csapa_address",
                                                "tribunal", "parquet", "place")]
        if self.database is None and (reason := weakness(self._value("passphrase"), context)):
            self.step_index = 0  # the identity and the court are what an attacker tries first
            self._show_step()
            self.query_one("#f-passphrase", Field).set_error(reason)
            button.disabled = False
            error_line.update("")
            return
        try:
            database = self.database
            if database is None:
                created: Database = await asyncio.to_thread(
                    storage.create_database, self.db_path, self._value("passphrase"), kdf=self.kdf)
                database = self.database = created  # created: a retry must not create it again
            civility = self.query_one("#civility", Select).value
            first_configuration(self._court(), habilitation=self._habilitation(),
                                civility=None if civility is Select.NULL else str(civility),
                                last_name=self._value("last_name"),
                                first_name=self._value("first_name"),
                                profession=str(self.query_one("#profession", Select).value),
                                rpps_adeli=self._value("rpps_adeli"), csapa_name=self._value("csapa_name"),
                                csapa_address=self._value("csapa_address"), phone=self._value("csapa_phone"))
        except InjonctionsError as error:
            error_line.update(error.message)
            button.disabled = False
        else:
            self.app.pop_screen()
            self.app.database_ready(database)
