"""The chain the user imports once (printing/trust.py): anchors and intermediates told apart, CRLs
accepted only from an imported authority, kept in the encrypted base, forgotten on request."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

from injonctions_tui.domain.core import clock
from injonctions_tui.domain.core.errors import InjonctionsError, InvalidInput
from injonctions_tui.domain.core.models import AuditEvent
from injonctions_tui.domain.printing import trust


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Autorité fictive (tests)")])


def _authority(common_name: str, issuer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None = None
               ) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = clock.now_utc()
    issuer_name, signer = (issuer[0].subject, issuer[1]) if issuer else (_name(common_name), key)
    certificate = (x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(issuer_name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(signer, hashes.SHA256()))
    return certificate, key


def _crl(issuer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey], hours_ago: int = 1) -> bytes:
    now = clock.now_utc()
    return (x509.CertificateRevocationListBuilder().issuer_name(issuer[0].subject)
            .last_update(now - dt.timedelta(hours=hours_ago)).next_update(now + dt.timedelta(days=7))
            .sign(issuer[1], hashes.SHA256()).public_bytes(serialization.Encoding.DER))


@pytest.fixture
def authorities(db) -> dict[str, tuple[x509.Certificate, ec.EllipticCurvePrivateKey]]:
    root = _authority("Racine fictive")
    return {"root": root, "intermediate": _authority("Intermédiaire fictive", root),
            "stranger": _authority("Autorité étrangère")}


def test_roots_become_anchors_and_the_others_intermediates(authorities, tmp_path: Path) -> None:
    bundle = tmp_path / "chaine.pem"
    bundle.write_bytes(b"".join(authorities[k][0].public_bytes(serialization.Encoding.PEM)
                                for k in ("intermediate", "root")))
    imported = trust.import_chain(bundle)
    assert (imported.anchors, imported.intermediates) == (["Racine fictive"], ["Intermédiaire fictive"])
    assert imported.summary() == ("Importé — autorité(s) de confiance : Racine fictive ; certificat(s) "
                                  "intermédiaire(s) : Intermédiaire fictive.")
    again = trust.import_chain(bundle)
    assert again.summary() == "Rien de nouveau : 2 certificat(s) déjà importé(s)."
    p7b = tmp_path / "chaine.p7b"  # the form some authorities publish
    p7b.write_bytes(pkcs7.serialize_certificates([authorities["stranger"][0]], serialization.Encoding.DER))
    assert trust.import_chain(p7b).anchors == ["Autorité étrangère"]
    material = trust.load_trust()
    assert len(material.anchors) == 2 and len(material.intermediates) == 1
    assert trust.describe_trust(clock.now_utc())[:2] == [
        "Autorités de confiance : Racine fictive, Autorité étrangère",
        "Certificats intermédiaires : Intermédiaire fictive"]
    assert AuditEvent.select().where(AuditEvent.action == "signature_chaine_importee").count() == 2


def test_a_crl_is_accepted_only_from_an_imported_authority(authorities, tmp_path: Path) -> None:
    crl = tmp_path / "ac.crl"
    crl.write_bytes(_crl(authorities["intermediate"]))
    with pytest.raises(InvalidInput, match="n'est signée par aucune autorité importée"):
        trust.import_crl(crl)
    chain = tmp_path / "ac.pem"
    chain.write_bytes(authorities["intermediate"][0].public_bytes(serialization.Encoding.PEM))
    trust.import_chain(chain)
    forged = tmp_path / "fausse.crl"  # the intermediate's name, another key
    impostor = (x509.CertificateRevocationListBuilder().issuer_name(authorities["intermediate"][0].subject)
                .last_update(clock.now_utc()).next_update(clock.now_utc() + dt.timedelta(days=1))
                .sign(authorities["stranger"][1], hashes.SHA256()))
    forged.write_bytes(impostor.public_bytes(serialization.Encoding.PEM))
    with pytest.raises(InvalidInput, match="n'est signée par aucune autorité importée"):
        trust.import_crl(forged)
    summary = trust.import_crl(crl)
    assert summary.startswith("Liste de révocation de « Intermédiaire fictive » importée : 0 certificat(s) révoqué(s)")
    older = tmp_path / "ancienne.crl"
    older.write_bytes(_crl(authorities["intermediate"], hours_ago=48))
    with pytest.raises(InvalidInput, match="celle déjà importée pour cette autorité est plus récente"):
        trust.import_crl(older)
    newer = tmp_path / "nouvelle.crl"
    newer.write_bytes(_crl(authorities["intermediate"], hours_ago=0))
    trust.import_crl(newer)
    assert trust.load_trust().crls == [newer.read_bytes()]  # replaced, not added


def test_bad_files_are_one_french_sentence(db, tmp_path: Path) -> None:
    text = tmp_path / "note.txt"
    text.write_text("pas un certificat")
    with pytest.raises(InvalidInput, match="Aucun certificat lisible dans ce fichier"):
        trust.import_chain(text)
    with pytest.raises(InvalidInput, match="n'est pas une liste de révocation"):
        trust.import_crl(text)
    with pytest.raises(InjonctionsError, match="introuvable"):
        trust.import_chain(tmp_path / "absent.pem")
    with pytest.raises(InjonctionsError, match="est un dossier"):
        trust.import_crl(tmp_path)


def test_clear_forgets_everything(authorities, tmp_path: Path) -> None:
    chain = tmp_path / "racine.pem"
    chain.write_bytes(authorities["root"][0].public_bytes(serialization.Encoding.PEM))
    trust.import_chain(chain)
    assert trust.clear_trust() and not trust.clear_trust()
    assert trust.load_trust() == trust.TrustMaterial()
    assert trust.describe_trust(clock.now_utc()) == ["Autorités de confiance : aucune",
                                                     "Certificats intermédiaires : aucun",
                                                     "Listes de révocation : aucune"]
