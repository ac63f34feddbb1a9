"""The professional's card signs (SoftHSM2 token chosen in the base): PAdES with the chain, the signing
time of the app's clock, the stamp naming the certificate's subject, validation data when the imported
authority validates it; verified by pyHanko (verification.py) and by poppler's pdfsig."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText

from injonctions_tui.domain.core import clock
from injonctions_tui.domain.core.models import AuditEvent, Setting
from injonctions_tui.domain.printing import signing
from injonctions_tui.domain.printing.pades import ValidationDataError
from injonctions_tui.domain.printing.pkcs11 import CertificateNotFound, PinIncorrect
from injonctions_tui.domain.printing.signer_choice import (PKCS11_KEY, describe_signer, forget_pkcs11_choice,
                                                           pin_needed, pkcs11_choice)
from injonctions_tui.domain.printing.trust import clear_trust, import_chain
from injonctions_tui.domain.printing.verification import verify_signature
from injonctions_tui.domain.reports import drafts as rd
from injonctions_tui.domain.reports.drafts import get_report
from injonctions_tui.domain.reports.report_pdf import report_pdf
from tests import pkcs11_token
from tests.conftest import TODAY
from tests.factories.reports import make_dossier
from tests.factories.signature import choose_test_card
from tests.pkcs11_token import TokenDir

REASON = "Fiche navette — secret professionnel"


@pytest.fixture
def pdf(db) -> bytes:
    dossier = make_dossier()
    report = rd.start_draft(dossier.measure.id, "fiche_navette", TODAY)
    rd.save_draft(report.id, adherence="effective", proposal="poursuite", observations="Suivi régulier.")
    rd.finalise(report.id, today=TODAY, confirm_flagged=False)
    return report_pdf(get_report(report.id), today=TODAY)


def cms_certificates(signed: bytes, index: int = 0) -> list[str]:
    content = PdfFileReader(io.BytesIO(signed)).embedded_signatures[index].signed_data
    return sorted(c.chosen.subject.native["common_name"] for c in content["certificates"])


def test_a_report_signed_by_the_card(pdf: bytes, softhsm: TokenDir, monkeypatch: pytest.MonkeyPatch) -> None:
    choice = choose_test_card(softhsm)
    assert pin_needed() == choice and pkcs11_choice() == choice
    assert describe_signer().startswith("Signature par la carte « CPS-TEST », certificat « Signature » de Camille "
                                        "TESTARD-FICTIF, émis par AC Santé fictive de test")
    stamped: list[str] = []
    real_style = signing.stamp_style
    monkeypatch.setattr(signing, "stamp_style", lambda signer, *rest: stamped.append(signer) or real_style(signer, *rest))
    signed = signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY, pin=softhsm.user_pin)
    assert signed.startswith(pdf) and len(signed) > len(pdf)  # incremental updates only
    assert stamped == ["Camille TESTARD-FICTIF"]  # the stamp names the certificate's subject, not the user

    report = verify_signature(signed)
    assert report.valid, report.lines()
    assert report.validation_data_embedded
    (signature,) = report.signatures
    assert (signature.signer, signature.issuer) == ("Camille TESTARD-FICTIF", "AC Santé fictive de test")
    assert abs(signature.signing_time - clock.now_utc()) < dt.timedelta(seconds=5)  # the app's clock
    assert signature.chain_status == "valide jusqu'à l'autorité de confiance « AC Santé fictive de test »"
    # The signature signs revision 2; the validation data (DSS) is revision 3.
    assert (signature.revision, signature.total_revisions) == (2, 3) and not signature.covers_whole_document
    assert "seules des données de validation ont été ajoutées" in signature.coverage_note
    lines = report.lines()
    assert lines[:2] == ["Document signé (1 signature) : toutes les signatures sont valides.",
                         "Signature « Signature » : VALIDE"]
    assert "  Émetteur du certificat : AC Santé fictive de test" in lines
    assert "  Modifié après la signature : non" in lines

    # The chain (signer + authority, from the card) in the CMS; the CRL in the DSS.
    assert cms_certificates(signed) == ["AC Santé fictive de test", "Camille TESTARD-FICTIF"]
    reader = PdfFileReader(io.BytesIO(signed))
    dss = reader.root["/DSS"]
    assert len(dss["/CRLs"]) == 1 and len(dss["/Certs"]) >= 2
    sig = reader.embedded_signatures[0]
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached" and sig.sig_object["/Name"] == "Camille TESTARD-FICTIF"
    attrs = {a["type"].native for a in sig.signer_info["signed_attrs"]}
    assert "signing_certificate_v2" in attrs and "signing_time" not in attrs  # PAdES: the time is /M
    widgets = [a.get_object() for page in PdfReader(io.BytesIO(signed)).pages for a in page.get("/Annots", [])]
    assert len(widgets) == 1 and widgets[0]["/FT"] == "/Sig" and widgets[0]["/AP"]  # the visible stamp
    events = [e.details for e in AuditEvent.select().where(AuditEvent.action == "document_signe")]
    assert events == [f"carte empreinte={choice.sha256[:16]}"]
    # The PIN is nowhere in the base: the choice says where the card is, never its code.
    assert all(softhsm.user_pin not in row.value for row in Setting.select())
    assert all(softhsm.user_pin not in e.details for e in AuditEvent.select())


def test_without_the_authority_imported(pdf: bytes, softhsm: TokenDir) -> None:
    """PAdES B-B: the card's chain is in the CMS, but nothing is trusted by itself."""
    choose_test_card(softhsm, chain=False)
    signed = signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY, pin=softhsm.user_pin)
    assert "/DSS" not in PdfFileReader(io.BytesIO(signed)).root  # no validation data
    assert cms_certificates(signed) == ["AC Santé fictive de test", "Camille TESTARD-FICTIF"]
    report = verify_signature(signed)
    (signature,) = report.signatures
    assert signature.intact and not signature.trusted and not report.valid and signature.covers_whole_document
    assert "ne remonte à aucune autorité de confiance importée" in signature.chain_status
    assert report.lines()[-1].endswith(" : non")
    import_chain(Path(softhsm.ca_pem))  # the user imports the authority: the same PDF now verifies
    assert verify_signature(signed).valid


def test_a_change_after_signing_is_detected(pdf: bytes, softhsm: TokenDir) -> None:
    choose_test_card(softhsm)
    signed = signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY, pin=softhsm.user_pin)
    tampered = bytearray(signed)
    tampered[signed.index(b"ReportLab")] ^= 0x01  # inside the signed byte range
    report = verify_signature(bytes(tampered))
    assert not report.valid and not report.signatures[0].intact
    assert "ALTÉRÉ" in report.signatures[0].message

    writer = PdfWriter(io.BytesIO(signed), incremental=True)
    writer.add_metadata({"/Subject": "ajout après signature"})
    appended = io.BytesIO()
    writer.write(appended)
    (signature,) = verify_signature(appended.getvalue()).signatures
    assert signature.intact and signature.modified_after and not signature.valid
    assert (signature.revision, signature.total_revisions) == (2, 4)
    assert "les métadonnées du document (titre, sujet, auteur…) ont été MODIFIÉES" in signature.coverage_note

    writer = PdfWriter(io.BytesIO(signed), incremental=True)  # content added to the page
    writer.add_annotation(0, FreeText(text="ajout", rect=(50, 50, 200, 100)))
    appended = io.BytesIO()
    writer.write(appended)
    (signature,) = verify_signature(appended.getvalue()).signatures
    assert signature.intact and signature.modified_after
    assert "le document a été MODIFIÉ après la signature" in signature.coverage_note


def test_a_counter_signature_reports_each_revision(pdf: bytes, softhsm: TokenDir) -> None:
    choose_test_card(softhsm)
    first = signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY, pin=softhsm.user_pin)
    signing.ensure_signing_identity()
    forget_pkcs11_choice()  # the app's own certificate signs second
    second = signing.sign_pdf(first, reason="Contre-signature", location="Nanterre", on=TODAY)
    assert [s.field_name for s in PdfFileReader(io.BytesIO(second)).embedded_signatures] == ["Signature",
                                                                                          "Signature 2"]
    report = verify_signature(second)
    assert report.valid, report.lines()
    card, own = report.signatures
    assert card.coverage_note == "couvre la révision 2 sur 4 ; seules d'autres signatures ont été ajoutées après elle"
    assert own.covers_whole_document and own.coverage_note == "couvre tout le document (révision 4 sur 4)"
    assert own.signer == "Léon PRUNELLE" and "certificat de cette installation" in own.chain_status


def test_imported_intermediates_are_embedded(pdf: bytes, softhsm: TokenDir) -> None:
    """CPS-PIN carries no authority certificate: the chain comes from what the user imported."""
    choose_test_card(softhsm, softhsm.pin_token_label, chain=False)
    alone = signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY, pin=softhsm.user_pin)
    assert cms_certificates(alone) == ["Camille TESTARD-FICTIF"]
    choose_test_card(softhsm, softhsm.pin_token_label, chain=True)
    chained = signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY, pin=softhsm.user_pin)
    assert cms_certificates(chained) == ["AC Santé fictive de test", "Camille TESTARD-FICTIF"]
    assert verify_signature(chained).valid
    clear_trust()
    assert not verify_signature(chained).valid  # trust is what the user configured, not what the PDF carries


def _crl(tokens: TokenDir, *, revoke: int | None, next_update: dt.datetime) -> bytes:
    ca_key = serialization.load_pem_private_key(Path(tokens.directory, "ca.key.pem").read_bytes(), password=None)
    ca = tokens.ca_certificate()
    now = clock.now_utc()
    builder = (x509.CertificateRevocationListBuilder().issuer_name(ca.subject)
               .last_update(now - dt.timedelta(hours=1)).next_update(next_update))
    if revoke is not None:
        builder = builder.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(revoke)
                                                  .revocation_date(now - dt.timedelta(minutes=30)).build())
    return builder.sign(ca_key, ca.signature_hash_algorithm).public_bytes(serialization.Encoding.PEM)  # type: ignore


def test_a_revoked_certificate_is_refused_and_reported(pdf: bytes, softhsm: TokenDir, tmp_path: Path) -> None:
    choose_test_card(softhsm)
    before = signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY, pin=softhsm.user_pin)
    serial = x509.load_pem_x509_certificate(Path(softhsm.signer_pem).read_bytes()).serial_number
    revoked = tmp_path / "revoque.crl"
    revoked.write_bytes(_crl(softhsm, revoke=serial, next_update=clock.now_utc() + dt.timedelta(days=7)))
    from injonctions_tui.domain.printing.trust import import_crl

    import_crl(revoked)
    with pytest.raises(ValidationDataError) as refused:
        signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY, pin=softhsm.user_pin)
    assert refused.value.message == ("Signature refusée : le certificat est révoqué selon la liste de révocation "
                                     "(CRL) importée.")
    (signature,) = verify_signature(before).signatures
    assert not signature.trusted and "RÉVOQUÉ" in signature.chain_status


def test_a_stale_crl_does_not_block_signing_offline(pdf: bytes, softhsm: TokenDir, tmp_path: Path) -> None:
    choose_test_card(softhsm)
    stale = tmp_path / "perimee.crl"
    stale.write_bytes(_crl(softhsm, revoke=None, next_update=clock.now_utc() - dt.timedelta(minutes=10)))
    from injonctions_tui.domain.printing.trust import describe_trust, import_crl

    import_crl(stale)
    assert describe_trust(clock.now_utc())[-1].endswith("(PÉRIMÉE)")
    signed = signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY, pin=softhsm.user_pin)
    assert verify_signature(signed).signatures[0].intact


def test_a_renewed_card_is_noticed_and_nothing_is_signed(pdf: bytes, softhsm: TokenDir) -> None:
    choose_test_card(softhsm)
    row = Setting.get(Setting.key == PKCS11_KEY)
    row.value = row.value.replace(pkcs11_choice().sha256, "0" * 64)
    row.save()
    with pytest.raises(CertificateNotFound, match="ne porte plus le certificat choisi"):
        signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY, pin=softhsm.user_pin)
    assert AuditEvent.select().where(AuditEvent.action == "document_signe").count() == 0


def test_the_app_certificate_and_pkcs12_stay_as_fallbacks(pdf: bytes, softhsm: TokenDir, tmp_path: Path) -> None:
    choose_test_card(softhsm)
    with pytest.raises(PinIncorrect):
        signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY, pin="999999")
    signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY, pin=softhsm.user_pin)  # resets the count
    assert forget_pkcs11_choice() and pkcs11_choice() is None and pin_needed() is None
    own = signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY)  # no PIN: the key kept here
    assert verify_signature(own).signatures[0].signer == "Léon PRUNELLE"
    assert describe_signer() == ("Signature avec le certificat autosigné de l'application : Léon PRUNELLE, CSAPA "
                                "Les Tilleuls (fictif).")
    choose_test_card(softhsm)
    from tests.domain.printing.test_signing import _pkcs12

    p12 = tmp_path / "certificat.p12"
    p12.write_bytes(_pkcs12(b"mot de passe fictif"))
    signing.import_pkcs12(p12, "mot de passe fictif")  # imported to be used: the card no longer signs
    assert pkcs11_choice() is None
    assert describe_signer().startswith("Signature avec le certificat importé (PKCS#12) : ")


# --------------------------------------------------------------------------- pdfsig (poppler + NSS)

def pdfsig(path: Path, nssdb: Path, probe: Path | None = None) -> tuple[str, str]:
    env = {**os.environ}
    if probe is not None:
        env["LD_PRELOAD"] = str(probe)
    result = subprocess.run(["pdfsig", "-nssdir", f"sql:{nssdb}", "-no-ocsp", str(path)], capture_output=True,
                            text=True, env=env, timeout=60)
    return result.stdout, result.stderr


def test_pdfsig_with_and_without_the_authority_trusted(pdf: bytes, softhsm: TokenDir, tmp_path: Path) -> None:
    choose_test_card(softhsm)
    path = tmp_path / "signe.pdf"
    path.write_bytes(signing.sign_pdf(pdf, reason=REASON, location="Nanterre", on=TODAY, pin=softhsm.user_pin))
    untrusted = pkcs11_token.build_nss_db(tmp_path / "nss-vide")
    trusted = pkcs11_token.build_nss_db(tmp_path / "nss-ac", softhsm.ca_pem)

    out, _ = pdfsig(path, untrusted)
    assert "Signer Certificate Common Name: Camille TESTARD-FICTIF" in out
    assert "Signature Type: ETSI.CAdES.detached" in out
    assert "Signature Validation: Signature is Valid." in out
    assert "Not total document signed" in out  # the validation data revision after the signature
    assert "Certificate Validation: Certificate issuer isn't Trusted." in out

    out, _ = pdfsig(path, trusted)
    assert "Signature Validation: Signature is Valid." in out
    line = next(line for line in out.splitlines() if "Certificate Validation:" in line)
    # poppler 22.12 (Debian 12) prints NSS's stale error after a SUCCESSFUL chain check (see
    # tests/pkcs11_shims/nss_verify_probe.c); a fixed poppler prints "Certificate is Trusted."
    assert line.strip() in ("- Certificate Validation: Certificate is Trusted.",
                            "- Certificate Validation: Unknown issue with Certificate or corrupted data.")
    probe = pkcs11_token.build_nss_probe(tmp_path)
    if probe is None:
        pytest.fail(f"gcc or the NSS headers are missing: {pkcs11_token.INSTALL_HINT}.", pytrace=False)
    _, err = pdfsig(path, trusted, probe)
    assert "[nss-probe] CERT_PKIXVerifyCert=SECSuccess" in err  # NSS does trust the chain
    _, err = pdfsig(path, untrusted, probe)
    assert "CERT_PKIXVerifyCert=SECFailure PORT_GetError=SEC_ERROR_UNTRUSTED_ISSUER" in err

    tampered = bytearray(path.read_bytes())
    tampered[tampered.index(b"ReportLab")] ^= 0x01
    path.write_bytes(bytes(tampered))
    out, _ = pdfsig(path, trusted)
    assert "Signature Validation: Digest Mismatch." in out
