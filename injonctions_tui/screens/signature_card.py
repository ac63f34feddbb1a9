"""Choosing the card that signs (CPS or any PKCS#11 token): its library, then a certificate read from it.

The card is read in a worker thread (a reader can take seconds to answer); nothing is
asked of the card but its public certificates, so no PIN here: the PIN is asked at every
signature (screens/documents.py). python-pkcs11 and pyHanko load only when the card is read.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Input, Static

from ..domain.core.errors import InjonctionsError
from ..domain.printing.signer_choice import describe_signer, forget_pkcs11_choice, own_identity_line, pkcs11_choice
from ..widgets.field import Field
from ..widgets.record_table import Column, RecordTable
from .base import AppModal

if TYPE_CHECKING:
    from ..domain.printing.pkcs11 import CertificateInfo, TokenInfo

COLUMNS = (Column("Carte"), Column("Libellé"), Column("Titulaire"), Column("Émetteur"), Column("Valable du"),
           Column("au"))
#: Where the CPS card's middleware (Cryptolib CPS, ANS) puts its PKCS#11 library.
CPS_LIBRARIES = {"win32": r"C:\Windows\System32\cps3_pkcs11_w64.dll",
                 "darwin": "/usr/local/lib/libcps3_pkcs11_osx.dylib"}
CPS_LIBRARY_LINUX = "/usr/local/galss/libcps3_pkcs11_lux.so"


def default_library() -> str:
    """The card library already chosen, else Cryptolib CPS's usual place on this system."""
    choice = pkcs11_choice()
    return choice.library if choice is not None else CPS_LIBRARIES.get(sys.platform, CPS_LIBRARY_LINUX)


class SignatureCardModal(AppModal[str | None]):
    """Dismisses with a French sentence saying what signs from now on, None if closed."""

    BINDINGS = [
        Binding("escape", "cancel", "Fermer", id="card.cancel"),
        Binding("ctrl+r", "read", "Lire la carte", id="card.read"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[tuple[TokenInfo, list[CertificateInfo]]] = []
        self.rows: list[tuple[TokenInfo, CertificateInfo]] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form-modal card-modal"):
            yield Static("Signature par carte (CPS ou autre carte PKCS#11)", classes="dialog-title")
            yield Static(describe_signer(), id="card-current", classes="step-intro")
            yield Field("Bibliothèque", Input(default_library(), id="library", compact=True, max_length=500),
                        hint="Le module PKCS#11 du lecteur (Cryptolib CPS). Entrée ou Ctrl+R : lire la carte.")
            yield RecordTable(COLUMNS, id="card-certificates")
            yield Static("", id="modal-error")
            with Horizontal(classes="modal-buttons"):
                yield Button("Certificat de l'application", id="own")
                yield Button("Fermer", id="cancel")
                yield Button("Lire la carte", variant="primary", id="read")

    def on_mount(self) -> None:
        self.query_one("#library", Input).focus()

    def on_input_submitted(self) -> None:
        self.action_read()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        {"read": self.action_read, "own": self.action_own, "cancel": self.action_cancel}[str(event.button.id)]()

    def action_read(self) -> None:
        library = self.query_one("#library", Input).value.strip()
        if not library:
            self.query_one("#modal-error", Static).update("Indiquez le chemin de la bibliothèque PKCS#11 du lecteur.")
            return
        self.query_one("#modal-error", Static).update("Lecture de la carte…")
        self.read_card(library)

    @work(thread=True, exclusive=True, group="card")
    def read_card(self, library: str) -> None:
        from ..domain.printing.signer_choice import read_cards

        try:
            cards = read_cards(library)
        except InjonctionsError as error:
            self.app.call_from_thread(self.query_one("#modal-error", Static).update, error.message)
            return
        self.app.call_from_thread(self.show_cards, cards)

    def show_cards(self, cards: list[tuple[TokenInfo, list[CertificateInfo]]]) -> None:
        self.cards = cards
        self.rows = [(token, cert) for token, certificates in cards for cert in certificates if cert.for_signature]
        table = self.query_one("#card-certificates", RecordTable)
        table.replace_rows((index, (token.label, cert.label, cert.common_name or cert.subject,
                                    cert.issuer_common_name or cert.issuer, cert.not_before.strftime("%d/%m/%Y"),
                                    cert.not_after.strftime("%d/%m/%Y")))
                           for index, (token, cert) in enumerate(self.rows))
        message = ("Choisissez le certificat de signature (Entrée)." if self.rows else
                   "Aucun certificat de signature lisible sur la carte.")
        self.query_one("#modal-error", Static).update(message)
        if self.rows:
            table.focus()

    @on(DataTable.RowSelected, "#card-certificates")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        from ..domain.printing.signer_choice import choose_certificate

        token, certificate = self.rows[int(str(event.row_key.value))]
        library = self.query_one("#library", Input).value.strip()
        try:
            choice = choose_certificate(library, token, certificate, self.app.now().astimezone(dt.timezone.utc))
        except InjonctionsError as error:
            self.query_one("#modal-error", Static).update(error.message)
            return
        self.dismiss(f"Signature par la {choice.describe()} ; le code PIN sera demandé à chaque signature.")

    def action_own(self) -> None:
        forget_pkcs11_choice()
        self.dismiss(f"Signature avec le {own_identity_line()}.")

    def action_cancel(self) -> None:
        self.dismiss(None)
