"""A smart card or token through its PKCS#11 library (CPS card, any signature token): list, sign.

Why this way:
- The certificate is read and checked (validity at the signing time, key usage) BEFORE the
  PIN is presented, so an expired card never costs a PIN try; every PDF is opened before the
  card is asked for anything.
- The PIN goes from the argument straight to C_Login: never logged, never kept on an object,
  never in a message; exceptions are raised `from None` so python-pkcs11's own (which may
  hold arguments) is not chained. The PIN is never stored: the caller asks for it each time.
- One session, one PIN entry, N documents (sign_with_token_async): a batch costs one login.
- Trust anchors are what the user configured (printing/trust.py), never the CA certificates
  found on the card: those are only embedded as the chain.
- python-pkcs11 keeps one library object per path STRING and initialises it once per
  process: the path is always made real first. SoftHSM2 (the tests' token) and some
  middlewares only see tokens created after start-up after a re-initialisation
  (`refresh_library`, done when nothing of ours is open).
- Every failure is a SignatureError subclass whose message is one French sentence.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pkcs11
from asn1crypto import crl as asn1_crl, x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from pkcs11 import Attribute, Mechanism, ObjectClass, TokenFlag
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

from . import pades
from .pades import CertificateExpired, CertificateNotUsable, DocumentToSign, SignatureError

logger = logging.getLogger(__name__)
for _name in ("pyhanko", "pyhanko_certvalidator"):  # never on the terminal of the TUI
    logging.getLogger(_name).addHandler(logging.NullHandler())


# --------------------------------------------------------------------------- errors

class TokenError(SignatureError):
    """The card or its library failed."""


class LibraryNotFound(TokenError):
    pass


class NotAPkcs11Library(TokenError):
    pass


class TokenAbsent(TokenError):
    mendable = True  # insert the card and try again


class PinRequired(TokenError):
    pass


class PinIncorrect(TokenError):
    mendable = True  # type it again

    def __init__(self, message: str, *, tries_left: int | None = None, count_low: bool = False) -> None:
        super().__init__(message)
        self.tries_left = tries_left  # 1 when the token says FINAL_TRY; None when it does not say
        self.count_low = count_low


class PinLocked(TokenError):
    pass


class CertificateNotFound(TokenError):
    pass


# --------------------------------------------------------------------------- what the card holds

@dataclass(frozen=True)
class TokenInfo:
    label: str
    serial: str
    manufacturer: str
    model: str
    login_required: bool
    pin_pad: bool  # CKF_PROTECTED_AUTHENTICATION_PATH: the PIN is typed on the reader
    pin_count_low: bool
    pin_final_try: bool
    pin_locked: bool


@dataclass(frozen=True)
class CertificateInfo:
    token: str
    label: str
    key_id: bytes
    subject: str
    common_name: str | None
    issuer: str
    issuer_common_name: str | None
    not_before: dt.datetime
    not_after: dt.datetime
    is_ca: bool
    for_signature: bool  # digitalSignature or nonRepudiation, not a CA
    has_private_key: bool | None  # None: not logged in, private keys are hidden
    sha256: str
    der: bytes = field(repr=False)

    def valid_on(self, moment: dt.datetime) -> bool:
        return self.not_before <= moment <= self.not_after

    def describe(self) -> str:
        """One French line: who, issued by whom, valid when."""
        return (f"« {self.label} » : {self.common_name or self.subject}, émis par "
                f"{self.issuer_common_name or self.issuer}, valable du {self.not_before.strftime('%d/%m/%Y')} "
                f"au {self.not_after.strftime('%d/%m/%Y')}")


# --------------------------------------------------------------------------- the library

_lock = threading.RLock()
_open_sessions: dict[str, int] = {}


def library_key(path: str | os.PathLike[str]) -> str:
    """The one spelling of a library path (python-pkcs11 caches by string)."""
    return os.path.realpath(os.path.expanduser(os.fspath(path)))


def _load(path: str | os.PathLike[str]) -> Any:
    """The initialised PKCS#11 library."""
    real = library_key(path)
    if not os.path.exists(real):
        raise LibraryNotFound(f"Bibliothèque PKCS#11 introuvable : {path} n'existe pas (vérifiez le chemin du module "
                              "de la carte).")
    if not os.path.isfile(real):
        raise NotAPkcs11Library(f"Le chemin {path} est un dossier, pas une bibliothèque PKCS#11 : indiquez le "
                                "fichier du module de la carte.")
    with _lock:
        try:
            return pkcs11.lib(real)
        except pkcs11.PKCS11Error as error:
            if str(error).startswith(("OS exception while loading", "Unknown exception while loading")):
                raise NotAPkcs11Library(f"Le fichier {path} n'est pas une bibliothèque PKCS#11 utilisable (module "
                                        "de carte à puce) : vérifiez le chemin indiqué.") from None
            raise TokenError(f"La bibliothèque PKCS#11 {path} n'a pas pu démarrer ({type(error).__name__}) : "
                             "vérifiez l'installation du module de la carte.") from None


def refresh_library(path: str | os.PathLike[str]) -> None:
    """C_Finalize + C_Initialize when no session of ours is open (tokens created since)."""
    with _lock:
        if _open_sessions.get(library_key(path)):
            return
        _load(path).reinitialize()


def _token_info(token: Any) -> TokenInfo:
    flags = token.flags
    return TokenInfo(label=token.label, serial=bytes(token.serial).decode("ascii", "replace").strip(),
                     manufacturer=token.manufacturer_id, model=token.model,
                     login_required=bool(flags & TokenFlag.LOGIN_REQUIRED),
                     pin_pad=bool(flags & TokenFlag.PROTECTED_AUTHENTICATION_PATH),
                     pin_count_low=bool(flags & TokenFlag.USER_PIN_COUNT_LOW),
                     pin_final_try=bool(flags & TokenFlag.USER_PIN_FINAL_TRY),
                     pin_locked=bool(flags & TokenFlag.USER_PIN_LOCKED))


def _tokens(lib: Any) -> list[Any]:
    result = []
    try:
        slots = lib.get_slots(token_present=True)
    except pkcs11.PKCS11Error as error:
        raise TokenError(f"Le lecteur de carte ne répond pas ({type(error).__name__}) : vérifiez qu'il est branché "
                         "puis réessayez.") from None
    for slot in slots:
        try:
            token = slot.get_token()
        except pkcs11.PKCS11Error:  # removed meanwhile, unrecognised card
            continue
        if token.flags & TokenFlag.TOKEN_INITIALIZED:  # SoftHSM always shows one empty slot
            result.append(token)
    return result


def list_tokens(path: str | os.PathLike[str], *, refresh: bool = False) -> list[TokenInfo]:
    """The cards/tokens present (initialised ones only)."""
    if refresh:
        refresh_library(path)
    return [_token_info(t) for t in _tokens(_load(path))]


def _find_token(lib: Any, token_label: str | None) -> Any:
    tokens = _tokens(lib)
    if token_label is None:
        if len(tokens) == 1:
            return tokens[0]
        if not tokens:
            raise TokenAbsent("Aucune carte détectée : insérez votre carte dans le lecteur puis réessayez.")
        raise TokenAbsent("Plusieurs cartes sont présentes : choisissez celle qui doit signer.")
    for token in tokens:
        if token.label == token_label:
            return token
    raise TokenAbsent(f"Carte « {token_label} » absente : insérez-la dans le lecteur (ou vérifiez son nom) puis "
                      "réessayez.")


def _login_error(error: Exception, token: Any) -> TokenError:
    """One French sentence for a failed C_Login, with what the token says about the tries
    left (PKCS#11 has flags only: COUNT_LOW, FINAL_TRY, LOCKED; never a number)."""
    if isinstance(error, pkcs11.PinLocked):
        return PinLocked("Code PIN bloqué après trop d'essais erronés : débloquez la carte avec son code de déblocage "
                         "(PUK) avant de signer.")
    if isinstance(error, pkcs11.PinExpired):
        return PinIncorrect("Code PIN expiré : changez-le avec l'outil de votre carte avant de signer.")
    if isinstance(error, (pkcs11.PinIncorrect, pkcs11.PinInvalid, pkcs11.PinLenRange)):
        try:
            flags = token.slot.get_token().flags  # a fresh C_GetTokenInfo
        except pkcs11.PKCS11Error:
            flags = TokenFlag(0)
        if flags & TokenFlag.USER_PIN_LOCKED:
            return PinLocked("Code PIN incorrect, et la carte est maintenant bloquée : débloquez-la avec son code de "
                             "déblocage (PUK) avant de signer.")
        if flags & TokenFlag.USER_PIN_FINAL_TRY:
            return PinIncorrect("Code PIN incorrect : attention, il ne reste plus qu'un essai avant le blocage de la "
                                "carte.", tries_left=1, count_low=True)
        if flags & TokenFlag.USER_PIN_COUNT_LOW:
            return PinIncorrect("Code PIN incorrect : la carte signale des essais erronés depuis la dernière saisie "
                                "réussie, elle se bloquera après trop d'échecs.", count_low=True)
        return PinIncorrect("Code PIN incorrect : vérifiez-le et réessayez.")
    return token_error(error)


def token_error(error: Exception) -> TokenError:
    """A card's failure during an operation, in French."""
    if isinstance(error, (pkcs11.TokenNotPresent, pkcs11.DeviceRemoved, pkcs11.SessionClosed,
                          pkcs11.SessionHandleInvalid, pkcs11.TokenNotRecognised, pkcs11.SlotIDInvalid)):
        return TokenAbsent("La carte a été retirée ou n'est plus reconnue : réinsérez-la puis réessayez.")
    return TokenError(f"La carte a refusé l'opération ({type(error).__name__}) : retirez-la, réinsérez-la puis "
                      "réessayez.")


def _explain(error: Exception) -> SignatureError | None:
    return token_error(error) if isinstance(error, pkcs11.PKCS11Error) else None


def _open(path: str, token: Any, pin: str | None) -> Any:
    """A logged-in session (C_OpenSession + C_Login, through pyHanko)."""
    if pin is None:
        if not token.flags & TokenFlag.PROTECTED_AUTHENTICATION_PATH:
            raise PinRequired(f"Code PIN requis pour signer avec la carte « {token.label} ».")
        user_pin: Any = pkcs11.PROTECTED_AUTH  # typed on the reader's keypad
    else:
        user_pin = pin
    try:
        return open_pkcs11_session(library_key(path), token_criteria=TokenCriteria(label=token.label),
                                   user_pin=user_pin)
    except pkcs11.PKCS11Error as error:
        raise _login_error(error, token) from None
    finally:
        del user_pin


# --------------------------------------------------------------------------- certificates

def _cn(name: x509.Name) -> str | None:
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else None


def certificate_info(der: bytes, *, token: str = "", label: str = "", key_id: bytes = b"",
                     has_private_key: bool | None = None) -> CertificateInfo:
    """What the user is shown of a certificate, and what signing checks."""
    cert = x509.load_der_x509_certificate(der)
    try:
        is_ca = bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        is_ca = False
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        for_signature = usage.digital_signature or usage.content_commitment
    except x509.ExtensionNotFound:
        for_signature = True
    return CertificateInfo(token=token, label=label, key_id=key_id, subject=cert.subject.rfc4514_string(),
                           common_name=_cn(cert.subject), issuer=cert.issuer.rfc4514_string(),
                           issuer_common_name=_cn(cert.issuer), not_before=cert.not_valid_before_utc,
                           not_after=cert.not_valid_after_utc, is_ca=is_ca,
                           for_signature=for_signature and not is_ca, has_private_key=has_private_key,
                           sha256=hashlib.sha256(der).hexdigest(), der=der)


def _read_certificates(session: Any, token_label: str, *, logged_in: bool) -> list[CertificateInfo]:
    key_ids: set[bytes] | None = None
    if logged_in:
        key_ids = {bytes(k[Attribute.ID]) for k in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY})}
    result = []
    for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
        try:
            der = bytes(obj[Attribute.VALUE])
            label = obj[Attribute.LABEL] or ""
        except pkcs11.PKCS11Error:
            continue
        try:
            key_id = bytes(obj[Attribute.ID])
        except pkcs11.PKCS11Error:
            key_id = b""
        try:
            result.append(certificate_info(der, token=token_label, label=label, key_id=key_id,
                                           has_private_key=None if key_ids is None else key_id in key_ids))
        except ValueError:
            continue  # not an X.509 certificate
    return result


def list_certificates(path: str | os.PathLike[str], token_label: str | None,
                      pin: str | None = None) -> list[CertificateInfo]:
    """The X.509 certificates on the card. Without `pin` they are read without logging in
    (public objects, as on CPS cards); with it, `has_private_key` is known."""
    lib = _load(path)
    token = _find_token(lib, token_label)
    if pin is None:
        try:
            with token.open() as session:
                return _read_certificates(session, token.label, logged_in=False)
        except pkcs11.PKCS11Error as error:
            raise token_error(error) from None
    session = _open(os.fspath(path), token, pin)
    try:
        return _read_certificates(session, token.label, logged_in=True)
    except pkcs11.PKCS11Error as error:
        raise token_error(error) from None
    finally:
        session.close()


def _select(certificates: list[CertificateInfo], token_label: str, cert_label: str | None,
            key_id: bytes | None) -> CertificateInfo | None:
    candidates = [c for c in certificates
                  if (cert_label is None or c.label == cert_label) and (key_id is None or c.key_id == key_id)]
    if cert_label is None and key_id is None:
        candidates = [c for c in candidates if c.for_signature]
    if len(candidates) > 1:
        raise CertificateNotFound(f"Plusieurs certificats de signature sur la carte « {token_label} » : choisissez "
                                  "lequel utiliser.")
    return candidates[0] if candidates else None


def check_usable(cert: CertificateInfo, signing_time: dt.datetime) -> None:
    """Refuse a certificate that cannot sign at `signing_time` (the app's clock)."""
    who = cert.common_name or cert.label
    if signing_time > cert.not_after:
        raise CertificateExpired(f"Le certificat de « {who} » a expiré le {cert.not_after.strftime('%d/%m/%Y')} : "
                                 "signature refusée, renouvelez votre carte.")
    if signing_time < cert.not_before:
        raise CertificateNotUsable(f"Le certificat de « {who} » n'est valable qu'à partir du "
                                   f"{cert.not_before.strftime('%d/%m/%Y')} : signature refusée.")
    if not cert.for_signature:
        raise CertificateNotUsable(f"Le certificat « {cert.label} » n'est pas un certificat de signature (usage de "
                                   "clé) : choisissez le certificat de signature de la carte.")


# --------------------------------------------------------------------------- signing

@dataclass
class _Prepared:
    session: Any
    library: str
    cert: CertificateInfo
    token_cas: list[CertificateInfo]
    raw_mechanism: bool


def _needs_raw_mechanism(token: Any, cert: CertificateInfo) -> bool:
    """Hash on the computer and sign raw when the card lacks hash-and-sign (SoftHSM2 has no
    CKM_ECDSA_SHA256; some cards only do CKM_RSA_PKCS)."""
    try:
        mechanisms = token.slot.get_mechanisms()
    except pkcs11.PKCS11Error:
        return False
    key = x509.load_der_x509_certificate(cert.der).public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return Mechanism.SHA256_RSA_PKCS not in mechanisms and Mechanism.RSA_PKCS in mechanisms
    if isinstance(key, ec.EllipticCurvePublicKey):
        return Mechanism.ECDSA_SHA256 not in mechanisms and Mechanism.ECDSA in mechanisms
    return False


def _prepare(path: str, token_label: str | None, cert_label: str | None, key_id: bytes | None,
             expected_sha256: str | None, pin: str | None, signing_time: dt.datetime) -> _Prepared:
    """Blocking: find the card and the certificate, check it, THEN log in (one PIN entry)."""
    lib = _load(path)
    token = _find_token(lib, token_label)
    try:
        with token.open() as public_session:
            certificates = _read_certificates(public_session, token.label, logged_in=False)
    except pkcs11.PKCS11Error as error:
        raise token_error(error) from None
    chosen = _select(certificates, token.label, cert_label, key_id)
    if chosen is not None:
        _check_expected(chosen, expected_sha256, token.label)
        check_usable(chosen, signing_time)  # before the PIN: an expired card costs no try
    session = _open(path, token, pin)
    try:
        if chosen is None:  # some tokens only show their certificates after login
            certificates = _read_certificates(session, token.label, logged_in=True)
            chosen = _select(certificates, token.label, cert_label, key_id)
            if chosen is None:
                what = f"« {cert_label} »" if cert_label else "de signature"
                raise CertificateNotFound(f"Aucun certificat {what} sur la carte « {token.label} ».")
            _check_expected(chosen, expected_sha256, token.label)
            check_usable(chosen, signing_time)
        if not any(True for _ in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY,
                                                      Attribute.ID: chosen.key_id})):
            raise CertificateNotFound(f"La clé privée du certificat « {chosen.label} » est absente de la carte "
                                      f"« {token.label} » : ce certificat ne peut pas signer.")
        raw = _needs_raw_mechanism(token, chosen)
    except BaseException:
        session.close()
        raise
    key = library_key(path)
    with _lock:
        _open_sessions[key] = _open_sessions.get(key, 0) + 1
    return _Prepared(session, key, chosen, [c for c in certificates if c.is_ca], raw)


def _check_expected(cert: CertificateInfo, expected_sha256: str | None, token_label: str) -> None:
    if expected_sha256 is not None and cert.sha256 != expected_sha256:
        raise CertificateNotFound(f"La carte « {token_label} » ne porte plus le certificat choisi (carte renouvelée ?) : "
                                  "choisissez-le de nouveau dans les paramètres de signature.")


def _release(prepared: _Prepared) -> None:
    try:
        prepared.session.close()
    except pkcs11.PKCS11Error:
        pass
    with _lock:
        _open_sessions[prepared.library] = max(0, _open_sessions.get(prepared.library, 1) - 1)


async def sign_with_token_async(documents: Sequence[DocumentToSign], *, library: str, token_label: str | None,
                                cert_label: str | None, key_id: bytes | None, pin: str | None,
                                signing_time: dt.datetime, expected_sha256: str | None = None,
                                extra_certs: Sequence[asn1_x509.Certificate] = (),
                                anchors: Sequence[asn1_x509.Certificate] = (),
                                crls: Sequence[asn1_crl.CertificateList] = (),
                                on_progress: Callable[[int, int], None] | None = None) -> list[bytes]:
    """Every document signed with ONE session and ONE PIN entry (pades.sign_documents).

    The CMS carries the signer's certificate and its chain, from the CA certificates found on
    the card and `extra_certs` (what the user imported); validation data is embedded when
    `anchors` validate that chain offline (pades.validation_context)."""
    writers = pades.open_documents(documents)  # every PDF is readable before the PIN is used
    loop = asyncio.get_running_loop()
    prepared = await loop.run_in_executor(None, _prepare, library, token_label, cert_label, key_id,
                                          expected_sha256, pin, signing_time)
    del pin
    try:
        on_card = [asn1_x509.Certificate.load(c.der) for c in prepared.token_cas]
        chain = pades.chain_of(asn1_x509.Certificate.load(prepared.cert.der), on_card + list(extra_certs))
        # The certificate is pulled by pyHanko (label + id) rather than passed as signing_cert:
        # a given signing_cert is registered again and the CMS would carry it twice.
        signer = PKCS11Signer(prepared.session, cert_label=prepared.cert.label or None, cert_id=prepared.cert.key_id,
                              key_id=prepared.cert.key_id, ca_chain=chain, other_certs_to_pull=(),
                              use_raw_mechanism=prepared.raw_mechanism)
        try:
            await signer.ensure_objects_loaded()
        except pkcs11.PKCS11Error as error:
            raise token_error(error) from None
        if signer.signing_cert.dump() != prepared.cert.der:
            raise CertificateNotFound(f"Le certificat « {prepared.cert.label} » est ambigu sur la carte : "
                                      "choisissez-le de nouveau dans les paramètres de signature.")
        context = await pades.validation_context(signer.signing_cert, chain, anchors, crls, signing_time)
        outputs = await pades.sign_documents(documents, writers, signer, signing_time=signing_time,
                                             signer_name=prepared.cert.common_name, context=context,
                                             explain=_explain, on_progress=on_progress)
    finally:
        await loop.run_in_executor(None, _release, prepared)
    logger.info("%d document(s) signed with a card (certificate %s)", len(outputs), prepared.cert.sha256[:16])
    return outputs


__all__ = ["CertificateInfo", "CertificateNotFound", "LibraryNotFound", "NotAPkcs11Library", "PinIncorrect",
           "PinLocked", "PinRequired", "TokenAbsent", "TokenError", "TokenInfo", "certificate_info", "check_usable",
           "library_key", "list_certificates", "list_tokens", "refresh_library", "sign_with_token_async",
           "token_error"]
