"""What a signed PDF proves, in French: signer, issuer, chain, changes, which revision each signature covers.

Why this way:
- Trust is what this installation configured: the authorities the user imported
  (trust.py) and the certificates of its own identities (signing.stored_certificates,
  retired ones included, so older PDFs still verify). Never a certificate found in the PDF
  or on a card by itself.
- Offline only: the CRLs imported here plus the certificates and CRLs embedded in the PDF
  (its DSS); nothing is fetched.
- A PDF is made of revisions: each signature signs one of them. What was added after it
  is reported: validation data only (harmless, pyHanko's DSS), or a real change (content,
  annotations, form fields, or the document's metadata, which pyHanko's difference
  analysis ignores and is compared here).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import KeyUsageConstraints, SignatureCoverageLevel, async_validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError
from pyhanko_certvalidator import ValidationContext

from ..core import clock
from .pades import CertificateLike, CrlLike, asn1_certificates, asn1_crls, common_name
from .signing import run_sync, stored_certificates
from .trust import load_trust


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    signer: str | None  # the certificate's common name
    signer_subject: str
    issuer: str | None
    signing_time: dt.datetime | None
    intact: bool  # the signed bytes are unchanged and the signature is cryptographically sound
    trusted: bool  # the chain reaches a configured anchor, nothing revoked or expired
    chain_status: str
    revision: int  # 1-based revision this signature signs
    total_revisions: int
    covers_whole_document: bool
    modified_after: bool  # changed after signing (validation data alone does not count)
    coverage_note: str
    message: str  # one French line

    @property
    def valid(self) -> bool:
        return self.intact and self.trusted and not self.modified_after

    def lines(self) -> list[str]:
        """The detailed French report of `injonctions verify`."""
        if self.signer_subject == "":
            return [self.message]
        when = self.signing_time.astimezone().strftime("%d/%m/%Y à %Hh%M") if self.signing_time else "non indiquée"
        verdict = "VALIDE" if self.valid else "NON VALIDE"
        return [f"Signature « {self.field_name} » : {verdict}",
                f"  Signataire : {self.signer or 'inconnu'} ({self.signer_subject})",
                f"  Émetteur du certificat : {self.issuer or 'inconnu'}",
                f"  Date de signature : {when}",
                f"  Contenu signé : {'intact' if self.intact else 'ALTÉRÉ, la signature ne correspond plus'}",
                f"  Chaîne de certification : {self.chain_status}",
                f"  Révision : {self.coverage_note}",
                f"  Modifié après la signature : {'OUI' if self.modified_after else 'non'}"]


@dataclass(frozen=True)
class VerificationReport:
    signed: bool
    signatures: tuple[SignatureReport, ...]
    validation_data_embedded: bool  # a DSS with certificates or CRLs is in the file
    message: str  # the one-line French summary

    @property
    def valid(self) -> bool:
        return self.signed and all(s.valid for s in self.signatures)

    @property
    def first_problem(self) -> SignatureReport | None:
        return next((s for s in self.signatures if not s.valid), None)

    def lines(self) -> list[str]:
        result = [self.message]
        for signature in self.signatures:
            result += signature.lines()
        if self.signed:
            result.append("Données de validation jointes au PDF (certificats, listes de révocation) : "
                          + ("oui" if self.validation_data_embedded else "non"))
        return result


def _chain_status(status: Any, own: set[bytes]) -> tuple[bool, str]:
    from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate

    if status.revocation_details is not None:
        details = status.revocation_details
        who = "un certificat d'autorité de la chaîne" if details.ca_revoked else "le certificat du signataire"
        return False, f"{who} est RÉVOQUÉ depuis le {details.revocation_date.strftime('%d/%m/%Y')}"
    if status.trusted:
        anchor = status.validation_path.trust_anchor
        if status.signing_cert.dump() in own:
            return True, "certificat de cette installation (reconnu ici seulement, sans autorité de certification)"
        value = anchor.authority.name.native.get("common_name")
        name = value[-1] if isinstance(value, list) else value
        return True, f"valide jusqu'à l'autorité de confiance « {name or 'importée'} »"
    texts = {
        AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
            "ne remonte à aucune autorité de confiance importée (injonctions signature import-chain)",
        AdESIndeterminate.OUT_OF_BOUNDS_NO_POE: "le certificat du signataire a expiré",
        AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED: "le certificat du signataire a expiré",
        AdESIndeterminate.EXPIRED: "le certificat du signataire a expiré",
        AdESIndeterminate.NOT_YET_VALID: "le certificat du signataire n'était pas encore valable",
        AdESFailure.NOT_YET_VALID: "le certificat du signataire n'était pas encore valable",
        AdESIndeterminate.REVOKED_NO_POE: "le certificat du signataire est RÉVOQUÉ",
        AdESFailure.REVOKED: "le certificat du signataire est RÉVOQUÉ",
        AdESIndeterminate.REVOKED_CA_NO_POE: "un certificat d'autorité de la chaîne est RÉVOQUÉ",
        AdESIndeterminate.TRY_LATER: "les informations de révocation manquent ou sont périmées",
        AdESIndeterminate.REVOCATION_OUT_OF_BOUNDS_NO_POE: "les informations de révocation sont périmées",
    }
    indication = status.trust_problem_indic
    return False, texts.get(indication, f"non valide ({getattr(indication, 'name', indication)})")


_WRITER_INFO_KEYS = {"/ModDate", "/Producer"}  # pyHanko's DSS update rewrites these two


def _info_at(reader: PdfFileReader, revision: int) -> dict[str, str]:
    resolver = reader.get_historical_resolver(revision)
    info = resolver.trailer_view.raw_get("/Info") if "/Info" in resolver.trailer_view else None
    if info is None:
        return {}
    if hasattr(info, "reference"):
        info = resolver(info.reference)
    return {str(k): str(v) for k, v in info.items() if k not in _WRITER_INFO_KEYS}


def _info_changed_after(reader: PdfFileReader, signed_revision: int) -> bool:
    """pyHanko's difference analysis ignores the document information (title, subject,
    author...): a change there is reported here."""
    try:
        return _info_at(reader, signed_revision) != _info_at(reader, reader.xrefs.total_revisions - 1)
    except (PdfError, KeyError, ValueError, TypeError, AttributeError):
        return True


def _coverage(status: Any, revision: int, total: int, info_changed: bool,
              later_signatures: set[str]) -> tuple[bool, bool, str]:
    """(covers the whole document, modified after signing, French note). A signature added
    later (a counter-signature) is form filling for pyHanko: allowed, and said as such."""
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True, False, f"couvre tout le document (révision {revision} sur {total})"
    level = status.modification_level
    where = f"couvre la révision {revision} sur {total}"
    diff = status.diff_result
    fields = getattr(diff, "changed_form_fields", None)
    if level == ModificationLevel.FORM_FILLING and fields is not None and set(fields) <= later_signatures \
            and not info_changed:
        return False, False, f"{where} ; seules d'autres signatures ont été ajoutées après elle"
    harmless = level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
    if harmless and info_changed:
        return False, True, (f"{where} ; les métadonnées du document (titre, sujet, auteur…) ont été MODIFIÉES "
                             "après la signature")
    if harmless:
        return False, False, f"{where} ; seules des données de validation ont été ajoutées après la signature"
    if level == ModificationLevel.FORM_FILLING:
        return False, True, f"{where} ; des champs de formulaire ont été remplis après la signature"
    if level == ModificationLevel.ANNOTATIONS:
        return False, True, f"{where} ; des annotations ont été ajoutées après la signature"
    return False, True, f"{where} ; le document a été MODIFIÉ après la signature"


def _unreadable(field_name: str, revision: int, total: int, error: Exception) -> SignatureReport:
    return SignatureReport(field_name, None, "", None, None, False, False, "non vérifiable", revision, total, False,
                           True, "signature illisible",
                           f"Signature « {field_name} » illisible ou endommagée ({type(error).__name__}).")


async def verify_pdf_async(data: bytes, trust_roots: Iterable[CertificateLike], crls: Iterable[CrlLike] = (), *,
                           moment: dt.datetime | None = None,
                           own: Iterable[CertificateLike] = ()) -> VerificationReport:
    """Every signature of the PDF against `trust_roots` (and `own`, this installation's
    certificates), offline: `crls` plus what the PDF embeds."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_regular_signatures
        total = reader.xrefs.total_revisions
    except (PdfError, ValueError, KeyError, TypeError):
        return VerificationReport(False, (), False, "Fichier illisible : ce n'est pas un PDF valide, ou il a été "
                                                    "endommagé.")
    if not signatures:
        return VerificationReport(False, (), False, "Ce PDF ne porte aucune signature électronique.")
    own_certificates = asn1_certificates(own)
    options: dict[str, Any] = {"trust_roots": asn1_certificates(trust_roots) + own_certificates,
                               "crls": asn1_crls(crls), "allow_fetching": False, "retroactive_revinfo": True,
                               "moment": moment or clock.now_utc()}
    try:
        dss = DocumentSecurityStore.read_dss(reader)
        embedded = bool(dss.crls or dss.certs)
        context = dss.as_validation_context(options)
    except NoDSSFoundError:
        embedded = False
        context = ValidationContext(**options)
    usage = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
    own_ders = {c.dump() for c in own_certificates}
    reports = []
    for number, embedded_sig in enumerate(signatures):
        revision = embedded_sig.signed_revision + 1
        later = {s.field_name for s in signatures[number + 1:]}
        field_name = embedded_sig.field_name
        try:
            status = await async_validate_pdf_signature(embedded_sig, signer_validation_context=context,
                                                        key_usage_settings=usage)
        except Exception as error:  # noqa: BLE001 - a broken signature is reported, not raised
            reports.append(_unreadable(field_name, revision, total, error))
            continue
        certificate = status.signing_cert
        signer, issuer = common_name(certificate), _issuer_name(certificate)
        when = status.signer_reported_dt or embedded_sig.self_reported_timestamp
        intact = bool(status.intact and status.valid)
        trusted, chain = _chain_status(status, own_ders)
        whole, modified, note = _coverage(status, revision, total,
                                          _info_changed_after(reader, embedded_sig.signed_revision), later)
        signed_by = f"signée par {signer or 'un signataire inconnu'} (émetteur : {issuer or 'inconnu'})"
        if when is not None:
            signed_by += f" le {when.astimezone().strftime('%d/%m/%Y à %Hh%M')}"
        if not intact:
            message = f"Signature « {field_name} » {signed_by} : le contenu signé a été ALTÉRÉ, elle ne correspond plus."
        else:
            verdict = "valide" if trusted and not modified else "NON VALIDE"
            message = f"Signature « {field_name} » {verdict}, {signed_by} ; chaîne : {chain} ; {note}."
        reports.append(SignatureReport(field_name, signer, certificate.subject.human_friendly, issuer, when, intact,
                                       trusted, chain, revision, total, whole, modified or not intact, note, message))
    count = len(reports)
    ok = all(r.valid for r in reports)
    summary = (f"Document signé ({count} signature{'s' if count > 1 else ''}) : "
               + ("toutes les signatures sont valides." if ok else "au moins une signature n'est PAS valide."))
    return VerificationReport(True, tuple(reports), embedded, summary)


def _issuer_name(certificate: Any) -> str | None:
    value = certificate.issuer.native.get("common_name")
    if isinstance(value, list):
        value = value[-1]
    return str(value) if value is not None else None


async def verify_signature_async(data: bytes) -> VerificationReport:
    """The PDF checked against what this installation trusts (imported anchors, its own
    certificates) and the CRLs imported here."""
    material = load_trust()
    return await verify_pdf_async(data, material.anchors, material.crls, own=stored_certificates())


def verify_signature(data: bytes) -> VerificationReport:
    """Synchronous `verify_signature_async` (never inside a running loop)."""
    return run_sync("verify_signature", verify_signature_async(data))


__all__ = ["SignatureReport", "VerificationReport", "verify_pdf_async", "verify_signature", "verify_signature_async"]
