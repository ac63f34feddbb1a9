"""The certification chain the user imports once: trust anchors, intermediates, CRLs.

Why this way:
- A card's certificate is trusted only through an authority the user chose to trust: the
  root certificates imported here (never the CA certificates found on the card, nor in a
  PDF). Verification (`injonctions verify`) reports the chain against them.
- Intermediates are embedded in every signature (with the card's own), so a verifier can
  build the chain without a network; a CRL imported here is embedded as validation data
  when the anchors validate the signer (pades.validation_context).
- Kept in the encrypted base (Setting "signature_chain", PEM in JSON): public material, but
  the choice of what to trust must not be changed by someone who can only write files.
- A CRL is accepted only when signed by a certificate imported here (or by the card's
  authority once imported): a CRL nobody can check would prove nothing.
- cryptography only, no pyHanko: the settings screen and `injonctions signature` read it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

from ..core.errors import InvalidInput
from ..core.files import read_limited
from ..core.models import Setting, database
from ..store import audit

CHAIN_KEY = "signature_chain"
MAX_FILE = 5 * 1024 * 1024


@dataclass
class TrustMaterial:
    """What signing embeds and verification trusts (DER bytes)."""

    anchors: list[bytes] = field(default_factory=list)
    intermediates: list[bytes] = field(default_factory=list)
    crls: list[bytes] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps({"anchors": [_pem(d) for d in self.anchors],
                           "intermediates": [_pem(d) for d in self.intermediates],
                           "crls": [_crl_pem(d) for d in self.crls]}, sort_keys=True)

    def certificates(self) -> list[x509.Certificate]:
        return [x509.load_der_x509_certificate(d) for d in self.anchors + self.intermediates]


def _pem(der: bytes) -> str:
    return x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM).decode("ascii")


def _der(pem: str) -> bytes:
    return x509.load_pem_x509_certificate(pem.encode("ascii")).public_bytes(serialization.Encoding.DER)


def _crl_pem(der: bytes) -> str:
    return x509.load_der_x509_crl(der).public_bytes(serialization.Encoding.PEM).decode("ascii")


def load_trust() -> TrustMaterial:
    """What the user imported (empty at first)."""
    row = Setting.get_or_none(Setting.key == CHAIN_KEY)
    if row is None:
        return TrustMaterial()
    try:
        payload = json.loads(row.value)
        return TrustMaterial(
            anchors=[_der(p) for p in payload["anchors"]], intermediates=[_der(p) for p in payload["intermediates"]],
            crls=[x509.load_pem_x509_crl(p.encode()).public_bytes(serialization.Encoding.DER)
                  for p in payload["crls"]])
    except (ValueError, TypeError, KeyError, AttributeError):
        raise InvalidInput("La chaîne de certification enregistrée est illisible : réimportez-la "
                           "(injonctions signature clear-chain, puis import-chain).") from None


def _save(material: TrustMaterial) -> None:
    Setting.replace(key=CHAIN_KEY, value=material.to_json()).execute()


def _name(certificate: x509.Certificate) -> str:
    values = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(values[0].value) if values else certificate.subject.rfc4514_string()


def _is_root(certificate: x509.Certificate) -> bool:
    """A self-issued CA certificate: an anchor when the user imports it."""
    try:
        is_ca = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    if not is_ca or certificate.subject != certificate.issuer:
        return False
    try:
        certificate.verify_directly_issued_by(certificate)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _read_certificates(data: bytes) -> list[x509.Certificate]:
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        pass
    try:  # a PKCS#7 bundle (.p7b), as some authorities publish their chain
        from cryptography.hazmat.primitives.serialization import pkcs7

        loader = pkcs7.load_pem_pkcs7_certificates if b"-----BEGIN" in data else pkcs7.load_der_pkcs7_certificates
        return loader(data)
    except ValueError:
        raise InvalidInput("Aucun certificat lisible dans ce fichier (PEM, DER ou PKCS#7 attendu).") from None


@dataclass(frozen=True)
class ImportedChain:
    anchors: list[str]  # names of the new trust anchors
    intermediates: list[str]
    already: int  # certificates already known

    def summary(self) -> str:
        parts = []
        if self.anchors:
            parts.append(f"autorité(s) de confiance : {', '.join(self.anchors)}")
        if self.intermediates:
            parts.append(f"certificat(s) intermédiaire(s) : {', '.join(self.intermediates)}")
        if not parts:
            return f"Rien de nouveau : {self.already} certificat(s) déjà importé(s)."
        return "Importé — " + " ; ".join(parts) + "."


def import_chain(path: Path) -> ImportedChain:
    """Import certificates: self-signed authorities become trust anchors, the others are
    intermediates embedded in every signature."""
    data = read_limited(Path(path).expanduser(), MAX_FILE, is_dir_message=f"{path} est un dossier.",
                        too_big_message=f"{path} dépasse 5 Mo : ce n'est pas un fichier de certificats.")
    certificates = _read_certificates(data)
    with database.atomic():
        material = load_trust()
        known = {hashlib.sha256(d).digest() for d in material.anchors + material.intermediates}
        anchors, intermediates, already = [], [], 0
        for certificate in certificates:
            der = certificate.public_bytes(serialization.Encoding.DER)
            if hashlib.sha256(der).digest() in known:
                already += 1
                continue
            known.add(hashlib.sha256(der).digest())
            if _is_root(certificate):
                material.anchors.append(der)
                anchors.append(_name(certificate))
            else:
                material.intermediates.append(der)
                intermediates.append(_name(certificate))
        _save(material)
        if anchors or intermediates:
            audit.record("signature_chaine_importee", "setting",
                         details=f"ancres={len(anchors)} intermediaires={len(intermediates)}")
    return ImportedChain(anchors, intermediates, already)


def import_crl(path: Path, *, extra_issuers: Sequence[bytes] = ()) -> str:
    """Import a CRL signed by an imported certificate (or one of `extra_issuers`, the card's
    authority); it replaces an older CRL of the same authority. Returns a French summary."""
    data = read_limited(Path(path).expanduser(), MAX_FILE, is_dir_message=f"{path} est un dossier.",
                        too_big_message=f"{path} dépasse 5 Mo : ce n'est pas une liste de révocation.")
    try:
        crl = x509.load_pem_x509_crl(data) if b"-----BEGIN" in data else x509.load_der_x509_crl(data)
    except ValueError:
        raise InvalidInput("Ce fichier n'est pas une liste de révocation (CRL, PEM ou DER).") from None
    with database.atomic():
        material = load_trust()
        issuers = material.certificates() + [x509.load_der_x509_certificate(d) for d in extra_issuers]
        issuer = next((c for c in issuers if c.subject == crl.issuer and _signed_by(crl, c)), None)
        if issuer is None:
            raise InvalidInput("Liste de révocation refusée : elle n'est signée par aucune autorité importée "
                               "(importez d'abord la chaîne avec « injonctions signature import-chain »).")
        kept = [d for d in material.crls if x509.load_der_x509_crl(d).issuer != crl.issuer]
        older = [x509.load_der_x509_crl(d) for d in material.crls if d not in kept]
        if any(o.last_update_utc > crl.last_update_utc for o in older):
            raise InvalidInput("Liste de révocation refusée : celle déjà importée pour cette autorité est plus "
                               "récente.")
        material.crls = kept + [crl.public_bytes(serialization.Encoding.DER)]
        _save(material)
        audit.record("signature_crl_importee", "setting", details=f"revoques={len(crl)}")
    until = crl.next_update_utc.strftime("%d/%m/%Y") if crl.next_update_utc else "sans date"
    return (f"Liste de révocation de « {_name(issuer)} » importée : {len(crl)} certificat(s) révoqué(s), "
            f"émise le {crl.last_update_utc.strftime('%d/%m/%Y')}, prochaine mise à jour le {until}.")


def _signed_by(crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
    try:
        return crl.is_signature_valid(issuer.public_key())  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def clear_trust() -> bool:
    """Forget every imported certificate and CRL (True if there was something)."""
    removed = Setting.delete().where(Setting.key == CHAIN_KEY).execute()
    if removed:
        audit.record("signature_chaine_effacee", "setting")
    return bool(removed)


def describe_trust(now: dt.datetime) -> list[str]:
    """French lines for `injonctions signature` and the settings screen."""
    material = load_trust()
    lines = []
    for title, items, none in (("Autorités de confiance", material.anchors, "aucune"),
                               ("Certificats intermédiaires", material.intermediates, "aucun")):
        names = [_name(x509.load_der_x509_certificate(d)) for d in items]
        lines.append(f"{title} : {', '.join(names) if names else none}")
    for der in material.crls:
        crl = x509.load_der_x509_crl(der)
        issuer = [attribute.value for attribute in crl.issuer.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
                  if isinstance(attribute.value, str)]
        stale = crl.next_update_utc is not None and crl.next_update_utc < now
        until = crl.next_update_utc.strftime("%d/%m/%Y") if crl.next_update_utc else "sans date"
        lines.append(f"Liste de révocation de « {issuer[0] if issuer else crl.issuer.rfc4514_string()} » : "
                     f"{len(crl)} révoqué(s), à mettre à jour le {until}{' (PÉRIMÉE)' if stale else ''}")
    if not material.crls:
        lines.append("Listes de révocation : aucune")
    return lines


__all__ = ["ImportedChain", "TrustMaterial", "clear_trust", "describe_trust", "import_chain", "import_crl",
           "load_trust"]
