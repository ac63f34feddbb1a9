"""The card layer (printing/pkcs11.py) on a REAL PKCS#11 token (SoftHSM2): reading, one login per
batch, and every failure a person meets (wrong PIN, blocked PIN, no card, expired card, bad library)."""

from __future__ import annotations

import _ssl
import asyncio
import datetime as dt
import io
import logging
import re
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
from cryptography import x509
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from injonctions_tui.domain.core import clock
from injonctions_tui.domain.printing import pkcs11 as p11
from injonctions_tui.domain.printing.pades import CertificateExpired, DocumentError, DocumentToSign, asn1_certificates
from injonctions_tui.domain.printing.verification import verify_pdf_async
from tests import pkcs11_token
from tests.conftest import child_environment
from tests.pkcs11_token import TokenDir

ROOT = Path(__file__).resolve().parents[3]
REASON = "Fiche navette — secret professionnel"


def plain_pdf(number: int = 1) -> bytes:
    """A small PDF made here (the card layer signs any PDF)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    canvas.drawString(72, 780, f"Rapport fictif n° {number}")
    canvas.drawString(72, 760, "Ligne 3 : observations de suivi (texte de test).")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def sign(tokens: TokenDir, documents: list[DocumentToSign], **options: object) -> list[bytes]:
    arguments: dict[str, object] = {"library": tokens.lib_path, "token_label": tokens.token_label,
                                    "cert_label": tokens.cert_label, "key_id": None, "pin": tokens.user_pin,
                                    "signing_time": clock.now_utc()}
    arguments.update(options)
    return asyncio.run(p11.sign_with_token_async(documents, **arguments))  # type: ignore[arg-type]


def one_sentence(message: str) -> bool:
    return ("\n" not in message and message.endswith(".") and message[0].isupper()
            and re.search(r"[.!?] [A-ZÀ-Ý]", message) is None)


def labels(tokens: TokenDir, library: str | None = None) -> dict[str, p11.TokenInfo]:
    return {t.label: t for t in p11.list_tokens(library or tokens.lib_path)}


# --------------------------------------------------------------------------- reading the card

def test_list_tokens_shows_the_initialised_tokens(softhsm: TokenDir) -> None:
    found = labels(softhsm)
    assert set(found) == {"CPS-TEST", "CPS-EXPIREE", "CPS-PIN", "CPS-BLOCAGE"}  # not SoftHSM's empty slot
    card = found["CPS-TEST"]
    assert card.login_required and not card.pin_pad and not card.pin_locked
    assert card.manufacturer == "SoftHSM project" and card.serial


def test_certificates_are_read_without_the_pin(softhsm: TokenDir) -> None:
    certificates = {c.label: c for c in p11.list_certificates(softhsm.lib_path, softhsm.token_label)}
    signer = certificates["Signature"]
    assert signer.common_name == "Camille TESTARD-FICTIF" and signer.issuer_common_name == "AC Santé fictive de test"
    assert signer.key_id == b"\x01" and signer.for_signature and not signer.is_ca
    assert signer.valid_on(clock.now_utc())
    assert signer.has_private_key is None  # private keys are invisible before login
    assert certificates["AC Santé fictive de test"].is_ca
    assert signer.describe().startswith("« Signature » : Camille TESTARD-FICTIF, émis par AC Santé fictive de test")
    with_pin = {c.label: c for c in p11.list_certificates(softhsm.lib_path, softhsm.token_label, softhsm.user_pin)}
    assert with_pin["Signature"].has_private_key is True
    assert with_pin["AC Santé fictive de test"].has_private_key is False


def test_the_token_directory_is_reused(softhsm: TokenDir) -> None:
    before = Path(softhsm.signer_pem).read_bytes()
    again = pkcs11_token.build_token_dir(softhsm.directory, moments=[clock.now_utc()])
    assert again == softhsm and Path(softhsm.signer_pem).read_bytes() == before
    assert len(p11.list_tokens(softhsm.lib_path, refresh=True)) == 4


# --------------------------------------------------------------------------- one PIN entry for a batch

def test_a_batch_of_30_uses_one_session_and_one_pin_entry(softhsm: TokenDir, monkeypatch: pytest.MonkeyPatch) -> None:
    logins: list[str] = []
    real_open = p11.open_pkcs11_session

    def counting_open(*args: object, **kwargs: object) -> object:
        logins.append("login")
        return real_open(*args, **kwargs)

    monkeypatch.setattr(p11, "open_pkcs11_session", counting_open)
    documents = [DocumentToSign(plain_pdf(i), REASON, "Nanterre", name=f"rapport-{i}.pdf") for i in range(30)]
    progress: list[tuple[int, int]] = []
    ca = Path(softhsm.ca_pem).read_bytes()
    signed = sign(softhsm, documents, anchors=asn1_certificates([ca]),
                  on_progress=lambda done, total: progress.append((done, total)))
    assert logins == ["login"] and len(signed) == 30 and progress[-1] == (30, 30)
    for document, data in zip(documents, signed):
        assert data.startswith(document.data)  # an incremental update
        report = asyncio.run(verify_pdf_async(data, [ca]))
        assert report.valid, report.lines()


def test_a_batch_checks_every_pdf_before_asking_the_card(softhsm: TokenDir) -> None:
    documents = [DocumentToSign(plain_pdf(), REASON, "Nanterre", name="bon.pdf"),
                 DocumentToSign(b"%PDF-1.7 tronque", REASON, "Nanterre", name="abime.pdf")]
    with pytest.raises(DocumentError) as error:
        sign(softhsm, documents, pin="000000")
    assert error.value.message == "Signature impossible : « abime.pdf » n'est pas un PDF lisible."
    assert not labels(softhsm)["CPS-TEST"].pin_count_low  # the wrong PIN was never presented


# --------------------------------------------------------------------------- errors

def test_wrong_pin_says_what_the_token_says(softhsm: TokenDir) -> None:
    with pytest.raises(p11.PinIncorrect) as error:
        sign(softhsm, [DocumentToSign(plain_pdf(), REASON, "Nanterre")], token_label=softhsm.pin_token_label,
             pin="999999")
    # SoftHSM2 sets CKF_USER_PIN_COUNT_LOW after a failure (never FINAL_TRY nor LOCKED).
    assert error.value.count_low and error.value.tries_left is None and error.value.mendable
    assert error.value.message == ("Code PIN incorrect : la carte signale des essais erronés depuis la dernière "
                                   "saisie réussie, elle se bloquera après trop d'échecs.")
    assert one_sentence(error.value.message)
    assert labels(softhsm)["CPS-PIN"].pin_count_low
    sign(softhsm, [DocumentToSign(plain_pdf(), REASON, "Nanterre")], token_label=softhsm.pin_token_label)
    assert not labels(softhsm)["CPS-PIN"].pin_count_low  # the right PIN resets the count


@pytest.fixture(scope="session")
def pin_counter_lib(softhsm: TokenDir, tmp_path_factory: pytest.TempPathFactory) -> str:
    """pin_counter_shim.c compiled: a PKCS#11 module in front of SoftHSM2 that counts wrong
    PINs like a CPS card (3 tries, then blocked); SoftHSM2 alone never blocks a PIN."""
    shim = pkcs11_token.build_pin_counter_shim(tmp_path_factory.mktemp("shim"), max_tries=3)
    if shim is None:
        pytest.fail(f"gcc or p11-kit's pkcs11.h is missing: {pkcs11_token.INSTALL_HINT}.", pytrace=False)
    return str(shim)


def test_pin_blocked_after_too_many_tries(softhsm: TokenDir, pin_counter_lib: str) -> None:
    def attempt(pin: str) -> list[bytes]:
        return sign(softhsm, [DocumentToSign(plain_pdf(), REASON, "Nanterre")], library=pin_counter_lib,
                    token_label=softhsm.lock_token_label, pin=pin)

    with pytest.raises(p11.PinIncorrect) as first:
        attempt("111111")
    assert first.value.count_low and first.value.tries_left is None
    with pytest.raises(p11.PinIncorrect) as second:
        attempt("222222")
    assert second.value.tries_left == 1
    assert second.value.message == ("Code PIN incorrect : attention, il ne reste plus qu'un essai avant le blocage "
                                    "de la carte.")
    with pytest.raises(p11.PinLocked) as third:
        attempt("333333")
    assert third.value.message == ("Code PIN incorrect, et la carte est maintenant bloquée : débloquez-la avec son "
                                   "code de déblocage (PUK) avant de signer.")
    with pytest.raises(p11.PinLocked) as fourth:  # CKR_PIN_LOCKED, even with the right PIN
        attempt(softhsm.user_pin)
    assert fourth.value.message == ("Code PIN bloqué après trop d'essais erronés : débloquez la carte avec son code "
                                    "de déblocage (PUK) avant de signer.")
    assert labels(softhsm, pin_counter_lib)[softhsm.lock_token_label].pin_locked
    for error in (first, second, third, fourth):
        assert one_sentence(error.value.message)


def test_card_absent_or_wrongly_named(softhsm: TokenDir) -> None:
    document = DocumentToSign(plain_pdf(), REASON, "Nanterre")
    with pytest.raises(p11.TokenAbsent) as error:
        sign(softhsm, [document], token_label="CPS-ABSENTE")
    assert error.value.message == ("Carte « CPS-ABSENTE » absente : insérez-la dans le lecteur (ou vérifiez son nom) "
                                   "puis réessayez.")
    with pytest.raises(p11.TokenAbsent, match="Plusieurs cartes"):
        sign(softhsm, [document], token_label=None)
    with pytest.raises(p11.CertificateNotFound) as missing:
        sign(softhsm, [document], cert_label="Authentification")
    assert missing.value.message == "Aucun certificat « Authentification » sur la carte « CPS-TEST »."
    with pytest.raises(p11.CertificateNotFound, match="ne porte plus le certificat choisi"):
        sign(softhsm, [document], expected_sha256="0" * 64)  # a renewed card is not used silently


def test_no_card_in_the_reader(tmp_path: Path) -> None:
    """A reader with no card: SoftHSM2 with an empty token folder, in a child process
    (SoftHSM2 is initialised once per process, with the session's configuration)."""
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    code = ("import asyncio, datetime as dt\n"
            "from injonctions_tui.domain.printing import pkcs11 as p11\n"
            "from injonctions_tui.domain.printing.pades import DocumentToSign\n"
            f"lib = {pkcs11_token.SOFTHSM_LIB!r}\n"
            "print(p11.list_tokens(lib))\n"
            "for label in (None, 'CPS-TEST'):\n"
            "    try:\n"
            "        asyncio.run(p11.sign_with_token_async([DocumentToSign(b'', 'r', 'l')], library=lib,\n"
            "            token_label=label, cert_label=None, key_id=None, pin='123456',\n"
            "            signing_time=dt.datetime.now(dt.timezone.utc)))\n"
            "    except Exception as error:\n"
            "        print(type(error).__name__, error.message)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env=child_environment(SOFTHSM2_CONF=str(conf)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "[]",
        "DocumentError Signature impossible : « document » n'est pas un PDF lisible.",
        "DocumentError Signature impossible : « document » n'est pas un PDF lisible."]
    code = code.replace("DocumentToSign(b''", "DocumentToSign(open(__import__('sys').argv[1], 'rb').read()")
    (tmp_path / "rapport.pdf").write_bytes(plain_pdf())
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "rapport.pdf")], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env=child_environment(SOFTHSM2_CONF=str(conf)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "[]",
        "TokenAbsent Aucune carte détectée : insérez votre carte dans le lecteur puis réessayez.",
        "TokenAbsent Carte « CPS-TEST » absente : insérez-la dans le lecteur (ou vérifiez son nom) puis réessayez."]


def test_an_expired_certificate_is_refused_before_the_pin(softhsm: TokenDir) -> None:
    # A wrong PIN on purpose: the refusal comes first, no PIN try is spent.
    with pytest.raises(CertificateExpired) as error:
        sign(softhsm, [DocumentToSign(plain_pdf(), REASON, "Nanterre")], token_label=softhsm.expired_token_label,
             pin="000000")
    expired = x509.load_pem_x509_certificate(Path(softhsm.expired_pem).read_bytes()).not_valid_after_utc
    assert error.value.message == (f"Le certificat de « Camille TESTARD-FICTIF (carte expirée) » a expiré le "
                                   f"{expired.strftime('%d/%m/%Y')} : signature refusée, renouvelez votre carte.")
    assert not labels(softhsm)["CPS-EXPIREE"].pin_count_low
    # The app's clock decides: a signing time before the expiry is accepted.
    (signed,) = sign(softhsm, [DocumentToSign(plain_pdf(), REASON, "Nanterre")],
                     token_label=softhsm.expired_token_label, signing_time=expired - dt.timedelta(days=1))
    report = asyncio.run(verify_pdf_async(signed, [Path(softhsm.ca_pem).read_bytes()],
                                          moment=expired - dt.timedelta(hours=1)))
    assert report.valid, report.lines()


@pytest.mark.parametrize("case", ["missing", "shared-object", "text", "directory"])
def test_library_errors(softhsm: TokenDir, tmp_path: Path, case: str) -> None:
    text_file = tmp_path / "libcps.so"
    text_file.write_text("ceci n'est pas une bibliothèque\n")
    path, expected = {
        "missing": ("/opt/cps/absent/libcps3_pkcs11_lux.so", p11.LibraryNotFound),
        "shared-object": (_ssl.__file__, p11.NotAPkcs11Library),  # a real library, not a PKCS#11 one
        "text": (str(text_file), p11.NotAPkcs11Library),
        "directory": (str(tmp_path), p11.NotAPkcs11Library),
    }[case]
    with pytest.raises(expected) as error:
        sign(softhsm, [DocumentToSign(plain_pdf(), REASON, "Nanterre")], library=path)
    assert one_sentence(error.value.message), error.value.message
    with pytest.raises(expected):
        p11.list_tokens(path)
    if case == "missing":
        assert error.value.message == ("Bibliothèque PKCS#11 introuvable : /opt/cps/absent/libcps3_pkcs11_lux.so "
                                       "n'existe pas (vérifiez le chemin du module de la carte).")
    if case in ("shared-object", "text"):
        assert error.value.message == (f"Le fichier {path} n'est pas une bibliothèque PKCS#11 utilisable (module de "
                                       "carte à puce) : vérifiez le chemin indiqué.")


def test_a_pin_is_required(softhsm: TokenDir) -> None:
    with pytest.raises(p11.PinRequired) as error:
        sign(softhsm, [DocumentToSign(plain_pdf(), REASON, "Nanterre")], pin=None)
    assert error.value.message == "Code PIN requis pour signer avec la carte « CPS-TEST »."


def test_the_pin_is_never_logged_nor_in_errors(softhsm: TokenDir, caplog: pytest.LogCaptureFixture) -> None:
    secret = "975310"  # a wrong PIN that cannot appear by chance
    caplog.set_level(logging.DEBUG)
    for name in ("pyhanko", "pyhanko_certvalidator", "injonctions_tui"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    with pytest.raises(p11.PinIncorrect) as error:
        sign(softhsm, [DocumentToSign(plain_pdf(), REASON, "Nanterre")], token_label=softhsm.pin_token_label,
             pin=secret)
    formatted = "".join(traceback.format_exception(error.value))
    assert secret not in formatted and secret not in error.value.message
    assert error.value.__suppress_context__  # raised "from None": python-pkcs11's exception is not shown
    sign(softhsm, [DocumentToSign(plain_pdf(), REASON, "Nanterre")], token_label=softhsm.pin_token_label)
    assert caplog.records and secret not in caplog.text and softhsm.user_pin not in caplog.text
