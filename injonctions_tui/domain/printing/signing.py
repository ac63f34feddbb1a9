"""Digital signature of the documents (PAdES, pyHanko) by whatever signs: the card or the key kept here.

Why this way:
- The professional's card (PKCS#11, chosen in signer_choice.py) signs when one is chosen:
  the PIN is asked at every signature and handed straight to the card (pkcs11.py).
- Otherwise the key kept in the encrypted database signs: a self-signed certificate is
  made for the professional at first use (or their PKCS#12 imported); the private key is
  kept as PKCS#8 in the `signing_identity` table, protected by SQLCipher like every other
  secret here, never written to a file, and left out of the JSON export.
- Either way the same PAdES signature (pades.py): the app's clock as signing time, the
  chain embedded (the card's, the PKCS#12's and the intermediates imported in trust.py),
  validation data when the imported anchors validate it offline, and the visible stamp
  (stamp.py, French, embedded DejaVu font) naming the certificate's subject, in the room the
  document left for the signature.
- A batch (sign_pdfs) asks the card for one PIN entry for all its documents.
- pyHanko's synchronous API runs its own event loop, which fails inside Textual's:
  the real work is `sign_pdfs_async`; the sync wrappers refuse to run inside a running
  loop (the UI calls them from a thread worker).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

from asn1crypto import keys as asn1_keys, x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from ..core import clock
from ..core.errors import InvalidInput
from ..core.models import SigningIdentity, database
from ..core.vocabulary import label
from ..store import audit
from ..store.professionals import check_habilitated, current_user, require_user
from . import pades
from .pades import DocumentError, DocumentToSign, VisibleStamp
from .signer_choice import Pkcs11Choice, forget_pkcs11_choice, pkcs11_choice
from .stamp import signature_box, stamp_style
from .trust import load_trust

# pyHanko logs validation details; with no handler they would reach stderr and the terminal UI.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

SELF_SIGNED, PKCS12 = "autosigne", "pkcs12"
CERTIFICATE_YEARS = 3
T = TypeVar("T")


# --------------------------------------------------------------------------- identity

def _now() -> dt.datetime:
    return clock.now()


def current_identity() -> SigningIdentity | None:
    """The identity in use (not retired), if any."""
    return (SigningIdentity.select().where(SigningIdentity.retired_at.is_null())
            .order_by(SigningIdentity.id.desc()).first())


def _store(source: str, certificate: x509.Certificate, key: Any, extra: list[x509.Certificate]) -> SigningIdentity:
    """Retire the identity in use (its key is erased, its certificate kept for old PDFs) and
    store the new one."""
    der = certificate.public_bytes(serialization.Encoding.DER)
    pkcs8 = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    chain = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in extra) or None
    (SigningIdentity.update(retired_at=_now(), private_key=None)
     .where(SigningIdentity.retired_at.is_null()).execute())
    user = current_user()
    return SigningIdentity.create(professional=user, source=source, subject=certificate.subject.rfc4514_string(),
                                  fingerprint=hashlib.sha256(der).hexdigest(), certificate=der,
                                  extra_certificates=chain, private_key=pkcs8)


def _usable(identity: SigningIdentity, on: dt.datetime) -> bool:
    if not identity.private_key:
        return False
    certificate = x509.load_der_x509_certificate(bytes(identity.certificate))
    return certificate.not_valid_before_utc <= on.astimezone(dt.timezone.utc) <= certificate.not_valid_after_utc


def ensure_signing_identity() -> SigningIdentity:
    """The identity in use; at first use (or once its certificate has expired) a new
    self-signed certificate for the professional: CN = their name, O = their CSAPA."""
    with database.atomic():
        identity = current_identity()
        now = clock.now_utc()
        if identity is not None and _usable(identity, now):
            return identity
        user = require_user()
        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
        name = x509.Name([
            x509.NameAttribute(NameOID.COMMON_NAME, user.full_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, user.csapa_name or "CSAPA"),
            x509.NameAttribute(NameOID.TITLE, f"{label(user.profession)}, professionnel(le) de santé habilité(e)"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
        ])
        usage = x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                              data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                              encipher_only=False, decipher_only=False)
        certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                       .public_key(key.public_key()).serial_number(x509.random_serial_number())
                       .not_valid_before(now - dt.timedelta(minutes=5))
                       .not_valid_after(now + dt.timedelta(days=365 * CERTIFICATE_YEARS))
                       .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                       .add_extension(usage, critical=True)
                       .sign(key, hashes.SHA256()))
        identity = _store(SELF_SIGNED, certificate, key, [])
        audit.record("signature_identite_creee", "signing_identity", identity.id,
                     f"empreinte={identity.fingerprint[:16]}")
        return identity


def import_pkcs12(path: Path, password: str | None) -> SigningIdentity:
    """Use the professional's own certificate (a .p12/.pfx file) from now on."""
    try:
        data = Path(path).expanduser().read_bytes()
    except OSError as error:
        from ..store.storage_errors import describe_os_error

        raise InvalidInput(f"Impossible de lire {path} : {describe_os_error(error)}.") from None
    try:
        key, certificate, extra = pkcs12.load_key_and_certificates(data, password.encode() if password else None)
    except (ValueError, TypeError):
        raise InvalidInput("Certificat non importé : mot de passe incorrect, ou ce fichier n'est pas un "
                           "certificat PKCS#12 (.p12, .pfx).") from None
    if key is None or certificate is None:
        raise InvalidInput("Certificat non importé : le fichier ne contient pas à la fois la clé privée et le "
                           "certificat.")
    if certificate.not_valid_after_utc < clock.now_utc():
        raise InvalidInput(f"Certificat non importé : il a expiré le "
                           f"{certificate.not_valid_after_utc.strftime('%d/%m/%Y')}.")
    with database.atomic():
        identity = _store(PKCS12, certificate, key, list(extra or []))
        forget_pkcs11_choice()  # imported to be used: it signs from now on, not the card
        audit.record("signature_identite_importee", "signing_identity", identity.id,
                     f"empreinte={identity.fingerprint[:16]}")
        return identity


def _extra_certificates(identity: SigningIdentity) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(bytes(identity.extra_certificates)) if identity.extra_certificates else []


def stored_certificates() -> list[bytes]:
    """Every certificate of an identity kept here, retired ones included (DER): verification
    trusts them, so PDFs signed before a change of certificate still verify."""
    result = []
    for identity in SigningIdentity.select():
        result.append(bytes(identity.certificate))
        result += [c.public_bytes(serialization.Encoding.DER) for c in _extra_certificates(identity)]
    return result


# --------------------------------------------------------------------------- signing

def _refuse_inside_loop(name: str) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(f"{name}() ne peut pas être appelée depuis une boucle asyncio en cours (l'interface) : "
                       f"utilisez {name}_async(), ou appelez {name}() depuis un thread (worker).")


def run_sync(name: str, coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run, refused inside a running loop (the UI's): a worker thread calls it."""
    try:
        _refuse_inside_loop(name)
    except RuntimeError:
        coroutine.close()
        raise
    return asyncio.run(coroutine)


def _stamped(document: DocumentToSign, signer: str, moment: dt.datetime) -> DocumentToSign:
    """The document with its visible stamp, where it left room for the signature."""
    try:
        placement = signature_box(document.data)
    except (PdfError, ValueError, KeyError, TypeError):
        raise DocumentError(f"Signature impossible : « {document.name} » n'est pas un PDF lisible.") from None
    if placement is None:
        return document
    style = stamp_style(signer, moment.astimezone(), document.reason, document.location)
    return dataclasses.replace(document, stamp=VisibleStamp(placement[0], placement[1], style))


async def _sign_with_card(choice: Pkcs11Choice, documents: Sequence[DocumentToSign], pin: str | None,
                          moment: dt.datetime, on_progress: Callable[[int, int], None] | None) -> list[bytes]:
    from .pkcs11 import sign_with_token_async  # python-pkcs11, only when a card signs

    material = load_trust()
    stamped = [_stamped(d, choice.common_name or choice.subject, moment) for d in documents]
    outputs = await sign_with_token_async(
        stamped, library=choice.library, token_label=choice.token, cert_label=choice.certificate_label or None,
        key_id=bytes.fromhex(choice.key_id), expected_sha256=choice.sha256, pin=pin, signing_time=moment,
        extra_certs=pades.asn1_certificates(material.intermediates + material.anchors),
        anchors=pades.asn1_certificates(material.anchors), crls=pades.asn1_crls(material.crls),
        on_progress=on_progress)
    for _ in outputs:
        audit.record("document_signe", "setting", None, f"carte empreinte={choice.sha256[:16]}")
    return outputs


async def _sign_with_stored_key(documents: Sequence[DocumentToSign], moment: dt.datetime, fallback_name: str,
                                on_progress: Callable[[int, int], None] | None) -> list[bytes]:
    identity = ensure_signing_identity()
    assert identity.private_key is not None  # ensure_signing_identity returns a usable identity
    certificate = asn1_x509.Certificate.load(bytes(identity.certificate))
    material = load_trust()
    chain = pades.chain_of(certificate, pades.asn1_certificates(
        [*_extra_certificates(identity), *material.intermediates, *material.anchors]))
    signer = signers.SimpleSigner(signing_cert=certificate,
                                  signing_key=asn1_keys.PrivateKeyInfo.load(bytes(identity.private_key)),
                                  cert_registry=SimpleCertificateStore.from_certs([certificate, *chain]))
    name = pades.common_name(certificate) or fallback_name
    stamped = [_stamped(d, name, moment) for d in documents]
    writers = pades.open_documents(stamped)
    context = await pades.validation_context(certificate, chain, pades.asn1_certificates(material.anchors),
                                             pades.asn1_crls(material.crls), moment)
    outputs = await pades.sign_documents(stamped, writers, signer, signing_time=moment, signer_name=name,
                                         context=context, on_progress=on_progress)
    for _ in outputs:
        audit.record("document_signe", "signing_identity", identity.id, f"empreinte={identity.fingerprint[:16]}")
    return outputs


async def sign_pdfs_async(documents: Sequence[DocumentToSign], *, on: dt.date | None = None, pin: str | None = None,
                          on_progress: Callable[[int, int], None] | None = None) -> list[bytes]:
    """The PDFs with a PAdES signature by the professional (refused without a current
    habilitation on `on`, default today), by the card chosen (`pin` presented once for all)
    or else the key kept here. A failure is a pades.SignatureError (its `completed`: the
    documents signed before it) or an InvalidInput."""
    user = require_user()
    check_habilitated(user, on or clock.today())
    moment = clock.now_utc()
    choice = pkcs11_choice()
    if choice is not None:
        return await _sign_with_card(choice, documents, pin, moment, on_progress)
    return await _sign_with_stored_key(documents, moment, user.full_name, on_progress)


def sign_pdfs(documents: Sequence[DocumentToSign], *, on: dt.date | None = None, pin: str | None = None,
              on_progress: Callable[[int, int], None] | None = None) -> list[bytes]:
    """Synchronous `sign_pdfs_async`, for the CLI or a thread worker (never inside a loop)."""
    return run_sync("sign_pdfs", sign_pdfs_async(documents, on=on, pin=pin, on_progress=on_progress))


async def sign_pdf_async(data: bytes, *, reason: str, location: str, on: dt.date | None = None,
                         pin: str | None = None) -> bytes:
    """One PDF (see sign_pdfs_async); the stamp goes where the document left room."""
    return (await sign_pdfs_async([DocumentToSign(data, reason, location)], on=on, pin=pin))[0]


def sign_pdf(data: bytes, *, reason: str, location: str, on: dt.date | None = None, pin: str | None = None) -> bytes:
    """Synchronous `sign_pdf_async`, for the CLI or a thread worker (never inside a loop)."""
    return run_sync("sign_pdf", sign_pdf_async(data, reason=reason, location=location, on=on, pin=pin))


__all__ = ["current_identity", "ensure_signing_identity", "import_pkcs12", "run_sync", "sign_pdf",
           "sign_pdf_async", "sign_pdfs", "sign_pdfs_async", "stored_certificates"]
