"""Digital signature (PAdES, pyHanko): real signatures on real report PDFs."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pypdf import PdfReader, PdfWriter

from injonctions_tui.domain.core import clock
from injonctions_tui.domain.core.errors import InvalidInput, NotHabilitated
from injonctions_tui.domain.core.models import AuditEvent, SigningIdentity
from injonctions_tui.domain.printing import signing
from injonctions_tui.domain.printing.verification import verify_signature, verify_signature_async
from injonctions_tui.domain.reports import drafts as rd
from injonctions_tui.domain.reports.drafts import get_report
from injonctions_tui.domain.reports.report_pdf import report_pdf
from tests.conftest import TODAY
from tests.factories.reports import HABILITATION_UNTIL, make_dossier

REASON = "Fiche navette — N° de parquet 26/111/00001"


@pytest.fixture
def pdf(db) -> bytes:
    dossier = make_dossier()
    report = rd.start_draft(dossier.measure.id, "fiche_navette", TODAY)
    rd.save_draft(report.id, adherence="effective", proposal="poursuite", observations="Suivi régulier.")
    rd.finalise(report.id, today=TODAY, confirm_flagged=False)
    return report_pdf(get_report(report.id), today=TODAY)


def test_a_signed_report_verifies(pdf: bytes) -> None:
    signed = signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY)
    assert signed.startswith(pdf[:1024]) and len(signed) > len(pdf)  # an incremental update
    report = verify_signature(signed)
    (status,) = report.signatures
    assert report.valid and status.intact and status.trusted and status.covers_whole_document
    assert status.signer == "Léon PRUNELLE" and status.issuer == "Léon PRUNELLE"  # self-signed
    assert abs(status.signing_time - clock.now_utc()) < dt.timedelta(seconds=5)  # the app's clock
    assert "certificat de cette installation" in status.chain_status
    assert report.message == "Document signé (1 signature) : toutes les signatures sont valides."
    assert status.message.startswith("Signature « Signature » valide, signée par Léon PRUNELLE")
    assert "couvre tout le document (révision 2 sur 2)" in status.message
    reader = PdfReader(io.BytesIO(signed))
    widgets = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]
    assert len(widgets) == 1 and widgets[0]["/FT"] == "/Sig"
    assert reader.pages[-1].get("/Annots")  # the stamp sits in the signature room, last page
    assert b"Helvetica" not in signed and b"Courier" not in signed  # stamp in embedded DejaVu
    assert AuditEvent.select().where(AuditEvent.action == "document_signe").count() == 1


def test_any_change_after_signing_is_detected(pdf: bytes) -> None:
    signed = signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY)
    tampered = bytearray(signed)
    tampered[signed.index(b"ReportLab")] ^= 0x01  # one byte inside the signed range
    report = verify_signature(bytes(tampered))
    assert report.signed and not report.valid and not report.signatures[0].intact
    assert "le contenu signé a été ALTÉRÉ" in report.signatures[0].message

    writer = PdfWriter(io.BytesIO(signed), incremental=True)  # an addition after signing
    writer.add_metadata({"/Subject": "ajout"})
    appended = io.BytesIO()
    writer.write(appended)
    (later,) = verify_signature(appended.getvalue()).signatures
    assert later.intact and not later.covers_whole_document and later.modified_after and not later.valid
    assert "révision 2 sur 3" in later.coverage_note and "métadonnées" in later.coverage_note

    assert not verify_signature(pdf).signed
    assert "illisible" in verify_signature(b"pas un PDF").message


def test_the_key_is_only_inside_the_encrypted_database(pdf: bytes, db_path: Path) -> None:
    signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY)
    identity = signing.current_identity()
    key = serialization.load_der_private_key(bytes(identity.private_key), password=None)
    modulus = key.private_numbers().public_numbers.n.to_bytes(384, "big")  # RSA 3072
    prime = key.private_numbers().p.to_bytes(192, "big")
    files = [p for p in db_path.parent.iterdir() if p.is_file()]
    assert files and not list(db_path.parent.glob("*.pem")) and not list(db_path.parent.glob("*.key"))
    for path in files:
        content = path.read_bytes()
        for secret in (bytes(identity.private_key)[-64:], prime, modulus[:64]):
            assert secret not in content, path.name
    assert signing.ensure_signing_identity().id == identity.id  # made once, at first use


def test_signing_requires_a_current_habilitation(pdf: bytes) -> None:
    with pytest.raises(NotHabilitated, match="expirée"):
        signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=HABILITATION_UNTIL + dt.timedelta(days=1))
    assert SigningIdentity.select().count() == 0


async def test_inside_a_running_loop_use_the_async_api(pdf: bytes) -> None:
    with pytest.raises(RuntimeError, match="sign_pdf_async"):
        signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY)
    with pytest.raises(RuntimeError, match="verify_signature_async"):
        verify_signature(pdf)
    signed = await signing.sign_pdf_async(pdf, reason=REASON, location="Nanterre", on=TODAY)
    assert (await verify_signature_async(signed)).valid
    # The UI's way for the sync API: a worker thread.
    assert (await asyncio.to_thread(verify_signature, signed)).valid


def _pkcs12(password: bytes) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Léon PRUNELLE"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Autorité fictive de test")])
    now = clock.now_utc()
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
                   .not_valid_after(now + dt.timedelta(days=365))
                   .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False),
                                  critical=True)
                   .sign(key, hashes.SHA256()))
    return pkcs12.serialize_key_and_certificates(b"test", key, certificate, None,
                                                 serialization.BestAvailableEncryption(password))


def test_a_pkcs12_certificate_replaces_the_self_signed_one(pdf: bytes, tmp_path: Path) -> None:
    before = signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY)
    p12 = tmp_path / "certificat.p12"
    p12.write_bytes(_pkcs12(b"mot de passe fictif"))
    with pytest.raises(InvalidInput, match="mot de passe incorrect"):
        signing.import_pkcs12(p12, "erroné")
    with pytest.raises(InvalidInput, match="Impossible de lire"):
        signing.import_pkcs12(tmp_path / "absent.p12", "x")
    imported = signing.import_pkcs12(p12, "mot de passe fictif")
    assert signing.current_identity().id == imported.id and imported.source == "pkcs12"
    retired = SigningIdentity.get(SigningIdentity.source == "autosigne")
    assert retired.retired_at is not None and retired.private_key is None  # key erased, certificate kept
    after = signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY)
    assert verify_signature(after).valid
    assert verify_signature(before).valid  # older PDFs still verify



def test_the_stamp_never_cuts_the_reason() -> None:
    """« Motif » is written whole, on two lines if it must (DOMAIN.md: nothing printed is false
    or partial); a very long reason is set smaller, never cut."""
    import datetime as dt
    import io

    from pypdf import PdfReader

    from injonctions_tui.domain.printing.stamp import stamp_pdf

    for reason in ("Extrait du registre des habilitations — secret professionnel",
                   "Rapport de fin de mesure — secret professionnel " * 2):
        data = stamp_pdf("Léon PRUNELLE", dt.datetime(2026, 11, 23, 10, 0), reason, "Tribunal judiciaire de Nanterre")
        text = " ".join((PdfReader(io.BytesIO(data)).pages[0].extract_text() or "").split())
        assert f"Motif : {' '.join(reason.split())}" in text and "…" not in text
