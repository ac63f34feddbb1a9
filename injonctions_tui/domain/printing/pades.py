"""PAdES signing of PDFs with any pyHanko signer: the key kept in the base or a card (PKCS#11).

Why this way:
- One loop for every kind of key (signing.py for the key kept in the base, pkcs11.py for a
  card): the same stamp, field names, signing time, chain and validation data whatever signs.
- The signing time is the app's clock (pyHanko would read the system clock): the stamp, the
  /M date and the audit trail agree.
- The CMS carries the signer's certificate and the chain (from the card, the PKCS#12, or the
  intermediates the user imported once). When the trust anchors the user configured validate
  that chain offline (with their CRLs), the certificates and CRLs used are embedded as well
  (DSS, in an incremental update after the signature: PAdES B-LT without a time-stamp, no
  time-stamping authority is reachable offline). Otherwise the signature is PAdES B-B and a
  verifier needs the anchors itself (README, "What a verifier sees").
- A certificate revoked by an imported CRL, expired or not yet valid at the signing time is
  refused before anything is signed. A CRL past its next update does not block signing in a
  court without network (soft-fail): the verifier judges it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias, cast

from asn1crypto import crl as asn1_crl, pem as asn1_pem, x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.stamp import BaseStampStyle
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (ExpiredError, InsufficientRevinfoError, NotYetValidError, PathBuildingError,
                                          PathValidationError, RevokedError, ValidationError)

from ..core.errors import InjonctionsError

FIELD_NAME = "Signature"
DIGEST = "sha256"
CertificateLike: TypeAlias = x509.Certificate | asn1_x509.Certificate | bytes
CrlLike: TypeAlias = x509.CertificateRevocationList | asn1_crl.CertificateList | bytes


# --------------------------------------------------------------------------- errors

class SignatureError(InjonctionsError):
    """The document could not be signed: `.message` is one French sentence. In a batch,
    `completed` holds the documents signed before the failure (in order)."""

    def __init__(self, message: str, *, completed: Sequence[bytes] = ()) -> None:
        super().__init__(message)
        self.completed: list[bytes] = list(completed)


class CertificateExpired(SignatureError):
    pass


class CertificateNotUsable(SignatureError):
    pass


class ValidationDataError(SignatureError):
    pass


class DocumentError(SignatureError):
    pass


# --------------------------------------------------------------------------- what to sign

@dataclass(frozen=True)
class VisibleStamp:
    """Where the visible signature goes, and how it looks (stamp.stamp_style)."""

    page: int
    box: tuple[float, float, float, float]
    style: BaseStampStyle


@dataclass(frozen=True)
class DocumentToSign:
    data: bytes
    reason: str
    location: str
    name: str = "document"  # for messages
    stamp: VisibleStamp | None = None  # None: an invisible signature


class ClockedPdfSigner(signers.PdfSigner):
    """pyHanko dates the signature (/M) from the system clock; the app's clock decides."""

    def __init__(self, *args: Any, signing_time: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._signing_time
        return session


# --------------------------------------------------------------------------- certificates and CRLs

def asn1_certificates(values: Iterable[CertificateLike]) -> list[asn1_x509.Certificate]:
    """Certificates as pyHanko wants them; a bytes item may be DER or PEM (several in one file)."""
    result = []
    for value in values:
        if isinstance(value, asn1_x509.Certificate):
            result.append(value)
        elif isinstance(value, x509.Certificate):
            result.append(asn1_x509.Certificate.load(value.public_bytes(serialization.Encoding.DER)))
        elif asn1_pem.detect(bytes(value)):
            result += [asn1_x509.Certificate.load(der) for _, _, der in asn1_pem.unarmor(bytes(value), True)]
        else:
            result.append(asn1_x509.Certificate.load(bytes(value)))
    return result


def asn1_crls(values: Iterable[CrlLike]) -> list[asn1_crl.CertificateList]:
    result = []
    for value in values:
        if isinstance(value, asn1_crl.CertificateList):
            result.append(value)
        elif isinstance(value, x509.CertificateRevocationList):
            result.append(asn1_crl.CertificateList.load(value.public_bytes(serialization.Encoding.DER)))
        elif asn1_pem.detect(bytes(value)):
            result += [asn1_crl.CertificateList.load(der) for _, _, der in asn1_pem.unarmor(bytes(value), True)]
        else:
            result.append(asn1_crl.CertificateList.load(bytes(value)))
    return result


def chain_of(certificate: asn1_x509.Certificate,
             candidates: Sequence[asn1_x509.Certificate]) -> list[asn1_x509.Certificate]:
    """The certificates of `candidates` above `certificate` (issuer, its issuer...), in
    order: what a signature embeds, without the unrelated authorities the user imported."""
    chain: list[asn1_x509.Certificate] = []
    seen = {certificate.dump()}
    current = certificate
    while current.issuer != current.subject:
        issuer = next((c for c in candidates if c.subject == current.issuer and c.dump() not in seen), None)
        if issuer is None:
            break
        chain.append(issuer)
        seen.add(issuer.dump())
        current = issuer
    return chain


def common_name(certificate: asn1_x509.Certificate) -> str | None:
    value = certificate.subject.native.get("common_name")
    if isinstance(value, list):
        value = value[-1]
    return str(value) if value is not None else None


def signer_key_usage(certificate: asn1_x509.Certificate) -> set[str]:
    """What pyHanko checks when it validates the signer: non-repudiation if the certificate
    has it (a CPS signature certificate does), else digital signature."""
    usage = certificate.key_usage_value
    names = set(usage.native) if usage is not None else set()
    return {"non_repudiation"} if "non_repudiation" in names else {"digital_signature"}


def _chain_refusal(error: Exception) -> SignatureError | None:
    """A French sentence for a chain that must not sign; None when it is only not trusted."""
    if isinstance(error, RevokedError):
        return ValidationDataError("Signature refusée : le certificat est révoqué selon la liste de révocation (CRL) "
                                   "importée.")
    if isinstance(error, ExpiredError):
        return CertificateExpired("Signature refusée : un certificat de la chaîne de certification a expiré.")
    if isinstance(error, NotYetValidError):
        return CertificateNotUsable("Signature refusée : un certificat de la chaîne n'est pas encore valable.")
    return None


async def validation_context(certificate: asn1_x509.Certificate, chain: Sequence[asn1_x509.Certificate],
                             anchors: Sequence[asn1_x509.Certificate], crls: Sequence[asn1_crl.CertificateList],
                             moment: dt.datetime) -> ValidationContext | None:
    """The context to embed validation data with, when the configured anchors validate the
    signer's chain offline at `moment`; None when they do not (the signature is then B-B).
    Raises when the certificate must not sign (revoked, expired)."""
    if not anchors:
        return None
    # retroactive_revinfo: a CRL issued after the signing time (imported this morning for a
    # report dated yesterday) still counts.
    context = ValidationContext(trust_roots=list(anchors), other_certs=list(chain), crls=list(crls),
                                allow_fetching=False, moment=moment, retroactive_revinfo=True)
    validator = CertificateValidator(certificate, intermediate_certs=list(chain), validation_context=context)
    try:
        await validator.async_validate_usage(set())
    except PathBuildingError:
        return None  # not under the configured anchors
    except ValidationError as error:  # a path that does not validate, a self-signed certificate...
        refusal = _chain_refusal(error)
        if refusal is not None:
            raise refusal from None
        return None  # e.g. revocation data insufficient: signed without validation data
    return context


# --------------------------------------------------------------------------- signing

def open_documents(documents: Sequence[DocumentToSign]) -> list[IncrementalPdfFileWriter]:
    """Every PDF opened for an incremental update BEFORE a card is asked for anything."""
    writers = []
    for document in documents:
        try:
            writers.append(IncrementalPdfFileWriter(io.BytesIO(document.data), strict=False))
        except (PdfError, ValueError, KeyError, TypeError):
            raise DocumentError(f"Signature impossible : « {document.name} » n'est pas un PDF lisible.") from None
    return writers


def _free_field_name(writer: IncrementalPdfFileWriter) -> str:
    """"Signature", or "Signature 2"... when the PDF is already signed (a counter-signature)."""
    taken = {name for name, _, _ in fields.enumerate_sig_fields(writer.prev, filled_status=True)}
    name, number = FIELD_NAME, 1
    while name in taken:
        number += 1
        name = f"{FIELD_NAME} {number}"
    return name


def _signing_error(error: SigningError, document: DocumentToSign) -> Exception:
    """pyHanko wraps the real cause; the certificate's problems get their French sentence,
    anything else (a card's failure) goes back to the caller as it came."""
    cause = error.__cause__
    refusal = _chain_refusal(cause) if isinstance(cause, Exception) else None
    if refusal is not None:
        return refusal
    if isinstance(cause, PathBuildingError):
        return ValidationDataError("Le certificat ne remonte à aucune autorité de confiance importée : importez la "
                                   "chaîne de certification puis réessayez.")
    if isinstance(cause, (InsufficientRevinfoError, PathValidationError)):
        return ValidationDataError("La liste de révocation (CRL) importée ne permet pas de valider le certificat : "
                                   "importez-en une à jour puis réessayez.")
    if isinstance(cause, Exception):
        return cause
    return DocumentError(f"Signature de « {document.name} » impossible ({type(error).__name__}).")


async def sign_documents(documents: Sequence[DocumentToSign], writers: Sequence[IncrementalPdfFileWriter],
                         signer: signers.Signer, *, signing_time: dt.datetime, signer_name: str | None,
                         context: ValidationContext | None,
                         explain: Callable[[Exception], SignatureError | None] = lambda error: None,
                         on_progress: Callable[[int, int], None] | None = None) -> list[bytes]:
    """Each document signed in turn by `signer` (PAdES, SHA-256); `writers` come from
    open_documents(). A failure is a SignatureError (`explain` turns the signer's own errors,
    a card's, into one) whose `completed` holds what was signed before it."""
    if signing_time.tzinfo is None:
        raise ValueError("signing_time must be timezone-aware")
    certificate = signer.signing_cert
    usage = signer_key_usage(certificate) if certificate is not None else {"non_repudiation"}
    outputs: list[bytes] = []
    try:
        for index, (document, writer) in enumerate(zip(documents, writers, strict=True)):
            field_name = _free_field_name(writer)
            meta = signers.PdfSignatureMetadata(
                field_name=field_name, reason=document.reason, location=document.location, name=signer_name,
                md_algorithm=DIGEST, subfilter=fields.SigSeedSubFilter.PADES, embed_validation_info=context is not None,
                validation_context=context, signer_key_usage=usage)
            if document.stamp is not None:
                # pyHanko annotates the box as ints; it takes PDF coordinates, which are floats.
                box = cast("tuple[int, int, int, int]", document.stamp.box)
                spec = fields.SigFieldSpec(field_name, on_page=document.stamp.page, box=box)
                style: BaseStampStyle | None = document.stamp.style
            else:
                spec, style = fields.SigFieldSpec(field_name), None
            pdf_signer = ClockedPdfSigner(meta, signer, stamp_style=style, new_field_spec=spec,
                                          signing_time=signing_time)
            try:
                output = await pdf_signer.async_sign_pdf(writer)
            except SignatureError:
                raise
            except Exception as error:  # noqa: BLE001 - explained below, or raised as it came
                cause = _signing_error(error, document) if isinstance(error, SigningError) else error
                explained = cause if isinstance(cause, SignatureError) else explain(cause)
                if explained is None:
                    raise
                raise explained from None
            outputs.append(output.getvalue())
            if on_progress is not None:
                on_progress(index + 1, len(documents))
    except SignatureError as error:
        error.completed = list(outputs)
        raise
    return outputs


__all__ = ["CertificateExpired", "CertificateNotUsable", "ClockedPdfSigner", "DocumentError", "DocumentToSign",
           "SignatureError", "ValidationDataError", "VisibleStamp", "asn1_certificates", "asn1_crls", "chain_of", "common_name",
           "open_documents", "sign_documents", "signer_key_usage", "validation_context"]
