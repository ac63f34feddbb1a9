"""Which certificate signs: the professional's card through PKCS#11, or the key kept in the base.

Why this way:
- The choice of a card is kept in the encrypted base (Setting "signature_pkcs11"): where the
  card's library is, which token, which certificate (label, key id, SHA-256 — a renewed card
  is noticed, not silently used) and what the user was shown of it. Never the PIN: it is
  asked at every signature (the TUI's PIN dialog, the CLI's --pin-file or keyboard).
- Without a card chosen, the identity kept in the base signs (signing.py: self-signed, or
  an imported PKCS#12): those stay the fallbacks.
- Reading the choice needs neither pyHanko nor python-pkcs11: the screens ask on the UI
  thread whether a PIN is needed. Reading a card (read_card) loads them, on demand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.errors import InvalidInput
from ..core.models import Setting, SigningIdentity
from ..store import audit

if TYPE_CHECKING:
    from .pkcs11 import CertificateInfo, TokenInfo

PKCS11_KEY = "signature_pkcs11"


@dataclass(frozen=True)
class Pkcs11Choice:
    """The card's certificate that signs (what the user chose, as the card showed it)."""

    library: str
    token: str
    certificate_label: str
    key_id: str  # hex
    sha256: str
    subject: str
    common_name: str | None
    issuer: str
    issuer_common_name: str | None
    not_before: str  # ISO 8601, UTC
    not_after: str
    pin_pad: bool = False  # the PIN is typed on the reader's keypad, not asked by the app

    @property
    def expires(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.not_after)

    def describe(self) -> str:
        """One French line for the settings screen, the CLI and the PIN dialog."""
        return (f"carte « {self.token} », certificat « {self.certificate_label} » de "
                f"{self.common_name or self.subject}, émis par {self.issuer_common_name or self.issuer}, valable "
                f"jusqu'au {self.expires.strftime('%d/%m/%Y')}")


def pkcs11_choice() -> Pkcs11Choice | None:
    """The card chosen to sign, if any."""
    row = Setting.get_or_none(Setting.key == PKCS11_KEY)
    if row is None:
        return None
    try:
        return Pkcs11Choice(**json.loads(row.value))
    except (ValueError, TypeError):
        raise InvalidInput("Le choix de la carte de signature enregistré est illisible : choisissez-la de nouveau "
                           "(injonctions signature pkcs11).") from None


def pin_needed() -> Pkcs11Choice | None:
    """The card that will sign, when the app must ask its PIN (not typed on the reader)."""
    choice = pkcs11_choice()
    return choice if choice is not None and not choice.pin_pad else None


def forget_pkcs11_choice() -> bool:
    """Sign with the key kept in the base again (True if a card was chosen)."""
    removed = Setting.delete().where(Setting.key == PKCS11_KEY).execute()
    if removed:
        audit.record("signature_carte_abandonnee", "setting")
    return bool(removed)


def own_identity_line() -> str:
    """The identity kept in the base, in French (no pyHanko: the model only)."""
    identity = (SigningIdentity.select().where(SigningIdentity.retired_at.is_null())
                .order_by(SigningIdentity.id.desc()).first())
    if identity is None:
        return "certificat autosigné de l'application (créé à la première signature)"
    from cryptography import x509

    kind = "certificat importé (PKCS#12)" if identity.source == "pkcs12" else "certificat autosigné de l'application"
    certificate = x509.load_der_x509_certificate(bytes(identity.certificate))
    names = [str(a.value) for oid in (x509.NameOID.COMMON_NAME, x509.NameOID.ORGANIZATION_NAME)
             for a in certificate.subject.get_attributes_for_oid(oid)]
    return f"{kind} : {', '.join(names) or identity.subject}"


def describe_signer() -> str:
    """What signs now, in French (said, never raised: the settings screen shows it)."""
    try:
        choice = pkcs11_choice()
    except InvalidInput as error:
        return error.message
    if choice is not None:
        return f"Signature par la {choice.describe()} — bibliothèque {choice.library}."
    return f"Signature avec le {own_identity_line()}."


# --------------------------------------------------------------------------- choosing a card

def read_cards(library: str, token_label: str | None = None,
               pin: str | None = None) -> list[tuple[TokenInfo, list[CertificateInfo]]]:
    """Each card present (or the one named) with its certificates, read from the card
    without logging in, unless `pin` is given (then one card only). Loads python-pkcs11."""
    from . import pkcs11

    tokens = pkcs11.list_tokens(library, refresh=True)
    if token_label is not None:
        tokens = [t for t in tokens if t.label == token_label]
        if not tokens:
            raise pkcs11.TokenAbsent(f"Carte « {token_label} » absente : insérez-la dans le lecteur (ou vérifiez son "
                                     "nom) puis réessayez.")
    if not tokens:
        raise pkcs11.TokenAbsent("Aucune carte détectée : insérez votre carte dans le lecteur puis réessayez.")
    if pin is not None and len(tokens) > 1:
        raise InvalidInput("Plusieurs cartes sont présentes : indiquez celle dont le code PIN est donné.")
    return [(token, pkcs11.list_certificates(library, token.label, pin)) for token in tokens]


def pick_certificate(cards: list[tuple[TokenInfo, list[CertificateInfo]]],
                     label: str | None) -> tuple[TokenInfo, CertificateInfo]:
    """The certificate to sign with: the one labelled `label`, else the only signature
    certificate of the cards read."""
    if label is not None:
        found = [(t, c) for t, certificates in cards for c in certificates if c.label == label]
        if not found:
            raise InvalidInput(f"Aucun certificat « {label} » sur la carte.")
        if len(found) > 1:
            raise InvalidInput(f"Plusieurs certificats « {label} » : indiquez la carte (--token).")
        return found[0]
    usable = [(t, c) for t, certificates in cards for c in certificates
              if c.for_signature and c.has_private_key is not False]
    if len(usable) == 1:
        return usable[0]
    if not usable:
        raise InvalidInput("Aucun certificat de signature lisible sur la carte sans code PIN : donnez le code PIN "
                           "(--pin-file) pour lire les certificats protégés.")
    raise InvalidInput("Plusieurs certificats de signature : choisissez la carte (--token) et le certificat "
                       "(--cert-label).")


def choose_certificate(library: str, token: TokenInfo, certificate: CertificateInfo,
                       now: dt.datetime) -> Pkcs11Choice:
    """Keep this card's certificate as the one that signs (refused if it cannot sign now)."""
    from .pkcs11 import check_usable

    check_usable(certificate, now)
    # As given (absolute): a middleware update that moves a symbolic link is followed.
    choice = Pkcs11Choice(library=os.path.abspath(os.path.expanduser(library)), token=token.label, certificate_label=certificate.label,
                          key_id=certificate.key_id.hex(), sha256=certificate.sha256, subject=certificate.subject,
                          common_name=certificate.common_name, issuer=certificate.issuer,
                          issuer_common_name=certificate.issuer_common_name,
                          not_before=certificate.not_before.isoformat(), not_after=certificate.not_after.isoformat(),
                          pin_pad=token.pin_pad)
    Setting.replace(key=PKCS11_KEY, value=json.dumps(dataclasses.asdict(choice), ensure_ascii=False)).execute()
    audit.record("signature_carte_choisie", "setting", details=f"empreinte={certificate.sha256[:16]}")
    return choice


__all__ = ["Pkcs11Choice", "choose_certificate", "describe_signer", "forget_pkcs11_choice", "own_identity_line",
           "pick_certificate", "pin_needed", "pkcs11_choice", "read_cards"]
