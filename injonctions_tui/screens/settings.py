"""Court settings: the tribunal, the parquet and the weekly permanences; what signs the documents.

Every court sets its own days, hours, place, public and slot length (issue 3); the
wizard filled the Nanterre defaults, this screen changes them later. The signature: the
app's certificate, an imported PKCS#12 (k) or the professional's card (c, PKCS#11).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from ..domain.core.dates import WEEKDAYS_FR
from ..domain.core.errors import InjonctionsError, InvalidInput
from ..domain.core.vocabulary import Civility, Public, choices, label
from ..domain.printing.signer_choice import describe_signer
from ..domain.store.professionals import current_user, set_civility
from ..domain.store.settings import (MAX_LOCK_MINUTES, MIN_LOCK_MINUTES, Permanence, load_court, lock_minutes,
                                     parse_lead_days, permanence_from_text, save_court_and_lock)
from ..widgets.field import Field
from ..widgets.mode_header import ModeTitle
from ..widgets.record_table import Column, RecordTable
from .base import ModeScreen
from .form_modal import FormModal, ModalField

COLUMNS = (Column("Jour"), Column("Horaires"), Column("Public"), Column("Lieu"), Column("Créneau"))
WEEKDAY_CHOICES = tuple((name.capitalize(), str(i)) for i, name in enumerate(WEEKDAYS_FR))


#: The printer choice that means « the computer's default printer ».
SYSTEM_DEFAULT = "-"


def _printing_line() -> str:
    from ..domain.printing.print_settings import load_print_settings

    return f"Impression : {load_print_settings().describe()} (p : changer)."


class SettingsScreen(ModeScreen):
    MODE = "settings"
    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", id="settings.save"),
        Binding("ctrl+n", "add", "Ajouter une permanence", id="settings.add"),
        Binding("delete", "remove", "Supprimer", id="settings.remove"),
        Binding("j", "journal", "Journal", id="settings.journal"),
        Binding("i", "signature_image", "Image de signature", id="settings.signature_image"),
        Binding("k", "certificate", "Certificat", id="settings.certificate"),
        Binding("u", "civility", "Civilité", id="settings.civility"),
        Binding("c", "card", "Carte de signature", id="settings.card"),
        Binding("p", "printer", "Imprimante", id="settings.printer"),
    ]

    def compose_body(self) -> ComposeResult:
        self.court = load_court()
        with Vertical(id="settings-body"):
            yield Field("Tribunal", Input(self.court.tribunal, id="tribunal", compact=True, max_length=200))
            yield Field("Parquet", Input(self.court.parquet, id="parquet", compact=True, max_length=200))
            yield Field("Adresse", Input(self.court.address, id="address", compact=True, max_length=300))
            yield Field("Verrouillage (min)", Input(str(lock_minutes()), id="lock_minutes", compact=True, max_length=3),
                        hint=f"Écran verrouillé après ce temps sans activité ({MIN_LOCK_MINUTES} à "
                             f"{MAX_LOCK_MINUTES} min, toujours actif). Ctrl+L : tout de suite.")
            yield Field("Convocation (jours)",
                        Input(str(self.court.convocation_lead_days), id="lead_days", compact=True, max_length=3),
                        hint="Délai minimal avant un rendez-vous proposé : le courrier doit arriver à temps.")
            yield ModeTitle("Permanences hebdomadaires — Entrée : modifier, Ctrl+N : ajouter, Suppr : supprimer")
            yield RecordTable(COLUMNS, id="permanences-table")
            yield Static("", id="settings-message", classes="empty-hint")
            yield Static(describe_signer(), id="settings-signature", classes="empty-hint")
            yield Static(_printing_line(), id="settings-printer", classes="empty-hint")

    def on_mount(self) -> None:
        self.permanences = list(self.court.permanences)
        self.refresh_rows()
        self.query_one("#permanences-table", RecordTable).focus()

    def refresh_rows(self) -> None:
        self.query_one("#permanences-table", RecordTable).replace_rows(
            (i, (WEEKDAYS_FR[p.weekday].capitalize(), f"{p.start}-{p.end}", label(p.public), p.place,
                 f"{p.slot_minutes} min"))
            for i, p in enumerate(self.permanences))

    def _edit(self, index: int | None) -> None:
        current = self.permanences[index] if index is not None else Permanence(
            3, "09:00", "13:00", Public.MAJEURS.value, self.court.tribunal)

        def apply(values: dict[str, str]) -> object:
            permanence = permanence_from_text(values["weekday"], values["hours"], values["public"],
                                              values["place"], values["slot"])
            if index is None:
                self.permanences.append(permanence)
            else:
                self.permanences[index] = permanence
            return True

        def done(result: object) -> None:
            if result is not None:
                self.refresh_rows()
                self.query_one("#settings-message", Static).update(
                    "Modifié : Ctrl+S pour enregistrer les paramètres.")

        self.app.push_screen(FormModal(
            "Permanence", [ModalField("weekday", "Jour", str(current.weekday), choices=WEEKDAY_CHOICES),
                           ModalField("hours", "Horaires", f"{current.start}-{current.end}", placeholder="09:00-13:00"),
                           ModalField("public", "Public", current.public, choices=tuple(choices(Public))),
                           ModalField("place", "Lieu", current.place),
                           ModalField("slot", "Créneau (minutes)", str(current.slot_minutes))],
            apply, submit_label="Appliquer"), done)

    @on(DataTable.RowSelected, "#permanences-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self._edit(int(str(event.row_key.value)))

    def action_add(self) -> None:
        self._edit(None)

    def action_remove(self) -> None:
        table = self.query_one("#permanences-table", RecordTable)
        if self.permanences and table.cursor_row >= 0:
            removed = self.permanences.pop(min(table.cursor_row, len(self.permanences) - 1))
            self.refresh_rows()
            self.query_one("#settings-message", Static).update(
                f"Permanence du {WEEKDAYS_FR[removed.weekday]} retirée : Ctrl+S pour enregistrer. Les "
                "rendez-vous déjà pris restent dans l'agenda.")

    def action_save(self) -> None:
        values = {key: self.query_one(f"#{key}", Input).value.strip() for key in ("tribunal", "parquet", "address")}
        message = self.query_one("#settings-message", Static)
        try:
            if not values["tribunal"] or not values["parquet"]:
                raise InvalidInput("Le tribunal et le parquet sont obligatoires.")
            if not self.permanences:
                raise InvalidInput("Indiquez au moins une permanence.")
            minutes = self.query_one("#lock_minutes", Input).value.strip()
            if not minutes.isdigit():
                raise InvalidInput(f"Verrouillage automatique : un nombre de minutes, de {MIN_LOCK_MINUTES} à "
                                   f"{MAX_LOCK_MINUTES}.")
            lead_days = parse_lead_days(self.query_one("#lead_days", Input).value)
            court = dataclasses.replace(self.court, **values, permanences=list(self.permanences),
                                        convocation_lead_days=lead_days)
            save_court_and_lock(court, int(minutes))
        except InjonctionsError as error:
            message.update(error.message)
            return
        self.court = court
        message.update("Paramètres enregistrés.")
        self.notify("Paramètres du tribunal enregistrés.")

    def action_civility(self) -> None:
        """« Je soussignée … habilitée » or « Je soussigné … habilité » on every document."""
        user = current_user()
        if user is None:
            return

        def apply(values: dict[str, str]) -> object:
            set_civility(user, values["civility"])
            return True

        self.app.push_screen(FormModal(
            "Civilité sur les documents",
            [ModalField("civility", "Civilité", user.civility or Civility.NEUTRE.value, choices=tuple(choices(Civility)))],
            apply, submit_label="Enregistrer", intro="Accorde « Je soussigné(e) » et « habilité(e) » sur chaque "
                                                     "document imprimé à partir de maintenant."),
            lambda result: self.notify("Civilité enregistrée.") if result is not None else None)

    def action_journal(self) -> None:
        from .journal import JournalScreen

        self.app.push_screen(JournalScreen())

    def action_signature_image(self) -> None:
        """The scanned handwritten signature printed on every document (kept in the base)."""
        from ..domain.printing.signature_image import clear_signature_image, set_signature_image

        def apply(values: dict[str, str]) -> object:
            path = values["path"].strip()
            if not path:
                clear_signature_image()
                return "Image de signature retirée."
            set_signature_image(Path(path).expanduser())
            return "Image de signature enregistrée dans la base chiffrée (le fichier d'origine peut être effacé)."

        self.app.push_screen(FormModal(
            "Image de la signature", [ModalField("path", "Fichier PNG ou JPEG", placeholder="vide : retirer l'image")],
            apply, submit_label="Enregistrer", intro="Placée dans le bloc de signature de chaque document."),
            lambda message: self.notify(str(message)) if message else None)

    def action_certificate(self) -> None:
        """A PKCS#12 certificate for the digital signature (else a self-signed one is made)."""
        from ..domain.printing.signing import import_pkcs12

        def apply(values: dict[str, str]) -> object:
            identity = import_pkcs12(Path(values["path"].strip()).expanduser(), values["password"] or None)
            self.query_one("#settings-signature", Static).update(describe_signer())
            return f"Certificat importé : {identity.subject}"

        self.app.push_screen(FormModal(
            "Certificat de signature (PKCS#12)",
            [ModalField("path", "Fichier .p12 / .pfx"), ModalField("password", "Mot de passe", password=True)],
            apply, submit_label="Importer",
            intro="La clé est conservée dans la base chiffrée ; les PDF définitifs seront signés avec ce certificat."),
            lambda message: self.notify(str(message), timeout=8) if message else None)

    def action_card(self) -> None:
        """The professional's card (CPS or any PKCS#11 token) signs from now on, or the app's certificate again."""
        from .signature_card import SignatureCardModal

        def done(message: str | None) -> None:
            if message:
                self.query_one("#settings-signature", Static).update(describe_signer())
                self.notify(message, timeout=8)

        self.app.push_screen(SignatureCardModal(), done)

    def action_printer(self) -> None:
        """The printer the documents go to and the copies: the printers are listed in a worker
        (on Windows, asking WMI takes a second), then the dialog opens."""

        def work() -> None:
            from ..domain.printing.printers import list_printers

            try:
                printers, problem = list_printers(), ""
            except InjonctionsError as error:
                printers, problem = [], error.message
            self.app.call_from_thread(self._printer_dialog, [p.name for p in printers], problem)

        self.run_worker(work, thread=True, group="printers", description="imprimantes")

    def _printer_dialog(self, names: list[str], problem: str) -> None:
        from ..domain.printing.print_settings import (PrintSettings, load_print_settings, parse_copies,
                                                      save_print_settings)

        current = load_print_settings()
        if current.printer and current.printer not in names:
            names.append(current.printer)  # kept, even when this computer does not know it (now)
        choices = (("Imprimante par défaut du poste", SYSTEM_DEFAULT), *((name, name) for name in names))

        def apply(values: dict[str, str]) -> object:
            printer = None if values["printer"] == SYSTEM_DEFAULT else values["printer"]
            save_print_settings(PrintSettings(printer, parse_copies(values["copies"])))
            self.query_one("#settings-printer", Static).update(_printing_line())
            return "Imprimante enregistrée."

        intro = "Où partent les documents quand vous choisissez « Imprimer » (et Ctrl+B, les papiers du jour)."
        self.app.push_screen(FormModal(
            "Impression", [ModalField("printer", "Imprimante", current.printer or SYSTEM_DEFAULT, choices=choices),
                           ModalField("copies", "Exemplaires", str(current.copies))],
            apply, submit_label="Enregistrer", intro=f"{intro} {problem}".strip()),
            lambda message: self.notify(str(message)) if message else None)
