"""Digital signature of the documents (PAdES, pyHanko), and its verification.

Why this way:
- The key never leaves the encrypted database: a self-signed certificate is made for the
  professional at first use (or their PKCS#12 imported); the private key is kept as
  PKCS#8 in the `signing_identity` table, protected by SQLCipher like every other
  secret here, never written to a file, and left out of the JSON export.
- pyHanko's synchronous API runs its own event loop, which fails inside Textual's:
  the real work is `sign_pdf_async` / `verify_signature_async`; the sync wrappers
  refuse to run inside a running loop (the UI calls them from a thread worker).
- A self-signed certificate is trusted explicitly: verification trusts the certificates
  stored here, and says so; a PDF changed after signing is reported as modified.
- The stamp (printing/stamp.py) is in French, in the embedded DejaVu font, placed in
  the room the document left for the signature.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import logging
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from asn1crypto import keys as asn1_keys, x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import KeyUsageConstraints, SignatureCoverageLevel, async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from ..core import clock
from ..core.errors import InvalidInput
from ..core.models import SigningIdentity, database
from ..core.vocabulary import label
from ..store import audit
from ..store.professionals import check_habilitated, current_user, require_user
from .stamp import signature_box, stamp_style

# pyHanko logs validation details; with no handler they would reach stderr and the terminal UI.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

SELF_SIGNED, PKCS12 = "autosigne", "pkcs12"
CERTIFICATE_YEARS = 3
FIELD_NAME = "Signature"
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
        raise InvalidInput(f"Impossible de lire {path} : {error.strerror or error}.") from None
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
        audit.record("signature_identite_importee", "signing_identity", identity.id,
                     f"empreinte={identity.fingerprint[:16]}")
        return identity


def _trusted_certificates() -> list[asn1_x509.Certificate]:
    """Every certificate stored here, retired ones included (old PDFs still verify)."""
    result = []
    for identity in SigningIdentity.select():
        result.append(asn1_x509.Certificate.load(bytes(identity.certificate)))
        if identity.extra_certificates:
            for cert in x509.load_pem_x509_certificates(bytes(identity.extra_certificates)):
                result.append(asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)))
    return result


# --------------------------------------------------------------------------- signing

class _ClockedPdfSigner(signers.PdfSigner):
    """pyHanko dates the signature from the system clock; the document's stamp and
    the audit trail use the app's clock: one time for both."""

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = clock.now_utc()
        return session


def _refuse_inside_loop(name: str) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(f"{name}() ne peut pas être appelée depuis une boucle asyncio en cours (l'interface) : "
                       f"utilisez {name}_async(), ou appelez {name}() depuis un thread (worker).")


def _run(name: str, coroutine: Coroutine[Any, Any, T]) -> T:
    try:
        _refuse_inside_loop(name)
    except RuntimeError:
        coroutine.close()
        raise
    return asyncio.run(coroutine)


async def sign_pdf_async(data: bytes, *, reason: str, location: str, on: dt.date | None = None) -> bytes:
    """The PDF with a PAdES signature by the professional (refused without a current
    habilitation on `on`, default today). The stamp goes where the document left room."""
    user = require_user()
    check_habilitated(user, on or clock.today())
    identity = ensure_signing_identity()
    certificate = asn1_x509.Certificate.load(bytes(identity.certificate))
    chain = [certificate]
    if identity.extra_certificates:
        chain += [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
                  for c in x509.load_pem_x509_certificates(bytes(identity.extra_certificates))]
    signer = signers.SimpleSigner(signing_cert=certificate,
                                  signing_key=asn1_keys.PrivateKeyInfo.load(bytes(identity.private_key)),
                                  cert_registry=SimpleCertificateStore.from_certs(chain))
    try:
        placement = signature_box(data)
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
    except PdfError:
        raise InvalidInput("Signature impossible : ce fichier n'est pas un PDF lisible.") from None
    now = clock.now().astimezone()
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, reason=reason, location=location,
                                        name=user.full_name, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES)
    spec = fields.SigFieldSpec(FIELD_NAME, on_page=placement[0], box=placement[1]) if placement else \
        fields.SigFieldSpec(FIELD_NAME)
    stamp = stamp_style(user.full_name, now, reason, location) if placement else None
    pdf_signer = _ClockedPdfSigner(meta, signer, stamp_style=stamp, new_field_spec=spec)
    output = await pdf_signer.async_sign_pdf(writer)
    audit.record("document_signe", "signing_identity", identity.id, f"empreinte={identity.fingerprint[:16]}")
    return output.getvalue()


def sign_pdf(data: bytes, *, reason: str, location: str, on: dt.date | None = None) -> bytes:
    """Synchronous `sign_pdf_async`, for the CLI or a thread worker (never inside a loop)."""
    return _run("sign_pdf", sign_pdf_async(data, reason=reason, location=location, on=on))


# --------------------------------------------------------------------------- verification

@dataclass(frozen=True)
class SignatureStatus:
    """What `injonctions verify` and the app say about a signed PDF."""

    signed: bool
    intact: bool = False  # the signed bytes are unchanged and the signature is sound
    trusted: bool = False  # signed by a certificate stored in this installation
    whole_file: bool = False  # nothing was added after the signature
    signer_name: str | None = None
    signing_time: dt.datetime | None = None
    message: str = ""

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted and self.whole_file


def _common_name(status: Any) -> str | None:
    for rdn in status.signing_cert.subject.chosen:
        for attribute in rdn:
            if attribute["type"].native == "common_name":
                return str(attribute["value"].native)
    return None


def _verdict(intact: bool, trusted: bool, whole: bool, name: str | None, when: dt.datetime | None) -> str:
    signed_by = f"signé par {name or 'un signataire inconnu'}" + (
        f" le {when.astimezone().strftime('%d/%m/%Y à %Hh%M')}" if when else "")
    if not intact:
        return f"Document MODIFIÉ après sa signature ({signed_by}) : la signature ne correspond plus au contenu."
    if not whole:
        return f"Document {signed_by}, mais des ajouts ont été faits après la signature : vérifiez leur origine."
    if not trusted:
        return (f"Signature intacte ({signed_by}), mais le certificat n'est pas celui de cette installation : "
                "son auteur ne peut pas être confirmé ici.")
    return f"Signature valide : document {signed_by}, non modifié depuis."


async def verify_signature_async(data: bytes) -> SignatureStatus:
    """Check every signature of the PDF; the status of the first problem, else the last."""
    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError):
        return SignatureStatus(False, message="Fichier illisible : ce n'est pas un PDF valide, ou il a été "
                                              "endommagé ou modifié.")
    if not signatures:
        return SignatureStatus(False, message="Ce PDF ne porte aucune signature électronique.")
    context = ValidationContext(trust_roots=_trusted_certificates(), allow_fetching=False,
                                moment=clock.now_utc())
    usage = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
    result: SignatureStatus | None = None
    for embedded in signatures:
        try:
            status = await async_validate_pdf_signature(embedded, signer_validation_context=context,
                                                        key_usage_settings=usage)
            intact, trusted = bool(status.intact and status.valid), bool(status.trusted)
            whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
            name, when = _common_name(status), status.signer_reported_dt
        except Exception:  # noqa: BLE001 — a damaged signature must be reported, not crash the check
            intact = trusted = whole = False
            name, when = None, None
        result = SignatureStatus(True, intact, trusted, whole, name, when, _verdict(intact, trusted, whole, name, when))
        if not result.valid:
            return result
    return result  # type: ignore[return-value]


def verify_signature(data: bytes) -> SignatureStatus:
    """Synchronous `verify_signature_async` (never inside a running loop)."""
    return _run("verify_signature", verify_signature_async(data))


__all__ = ["SignatureStatus", "current_identity", "ensure_signing_identity", "import_pkcs12",
           "sign_pdf", "sign_pdf_async", "verify_signature", "verify_signature_async"]
