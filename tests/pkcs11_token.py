"""A real PKCS#11 token for tests and the benchmark: SoftHSM2 tokens, a fictional CA, signer certificates.

Everything lives in one directory (no global state): `softhsm2.conf` there points to
`tokens/` there; a process sees the tokens once SOFTHSM2_CONF names that file before
SoftHSM2 is initialised (tests/conftest.py `softhsm` does it for the test session).
Idempotent: a second call on a complete directory reuses it (re-issuing the CRL if it
is close to its nextUpdate); an incomplete or older one is rebuilt from scratch.

Dates: the certificates and the CRL are valid around every moment given (`moments`: the
app's clock of the tests AND the system clock, which pdfsig uses), so the same token
serves `pytest --today ...` and the awkward days of tests/any_day.sh.

Tokens (user PIN 123456, SO PIN 12345678, all fictional):
  CPS-TEST     key pair generated INSIDE the token (RSA 2048, id 01, label "Signature"),
               its certificate (signed by the test CA) and the CA certificate, both public;
  CPS-EXPIREE  the same layout, with a certificate that expired 30 days ago;
  CPS-PIN      a valid certificate, for wrong-PIN tests (SoftHSM keeps a COUNT_LOW flag);
  CPS-BLOCAGE  a valid certificate, for the blocked-PIN test through pin_counter_shim.c.
Files: ca.pem, ca.key.pem (test CA key, test only), crl.pem, crl.der, signer.pem,
expired.pem, manifest.json.

Usage: python tests/pkcs11_token.py DIR   (prints the paths and `export SOFTHSM2_CONF=...`)
       from tests.pkcs11_token import build_token_dir; tokens = build_token_dir(tmp_path, moments=[...])
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

SOFTHSM_LIB = "/usr/lib/softhsm/libsofthsm2.so"
FORMAT_VERSION = 4
P11_HEADER = "/usr/include/p11-kit-1/p11-kit/pkcs11.h"
NSS_HEADER = "/usr/include/nss/cert.h"
SHIMS = Path(__file__).resolve().with_name("pkcs11_shims")
INSTALL_HINT = ("apt-get install -y softhsm2 opensc poppler-utils libnss3-tools gcc libp11-kit-dev libnss3-dev "
                "(.ci/run does it when they are missing)")
USER_PIN = "123456"  # fictional test PINs
SO_PIN = "12345678"
TOKEN_LABEL = "CPS-TEST"
EXPIRED_TOKEN_LABEL = "CPS-EXPIREE"
PIN_TOKEN_LABEL = "CPS-PIN"
LOCK_TOKEN_LABEL = "CPS-BLOCAGE"
CERT_LABEL = "Signature"
CA_CERT_LABEL = "AC Santé fictive de test"
KEY_ID = b"\x01"
CA_NAME = "AC Santé fictive de test"
SIGNER_NAME = "Camille TESTARD-FICTIF"
CRL_URL = "http://crl.ac-sante-fictive.test/ac-sante-fictive.crl"  # .test never resolves
REVOKED_SERIAL = 0x0BADC0DE  # a fictional revoked certificate listed in the CRL
CRL_DAYS = 30


@dataclass(frozen=True)
class TokenDir:
    """What a test needs to use the tokens of one directory."""

    directory: str
    conf: str
    lib_path: str
    user_pin: str
    so_pin: str
    token_label: str
    expired_token_label: str
    pin_token_label: str
    lock_token_label: str
    cert_label: str
    key_id_hex: str
    ca_pem: str
    crl_pem: str
    crl_der: str
    signer_pem: str
    expired_pem: str

    @property
    def env(self) -> dict[str, str]:
        """The environment a process needs to see these tokens."""
        return {**os.environ, "SOFTHSM2_CONF": self.conf}

    def ca_certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(Path(self.ca_pem).read_bytes())

    def crl_bytes(self) -> bytes:
        return Path(self.crl_der).read_bytes()


# --------------------------------------------------------------------------- certificates

def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _window(moments: Sequence[dt.datetime]) -> tuple[dt.datetime, dt.datetime]:
    """(earliest, latest) of the moments the certificates must cover, aware, to the second."""
    aware = [m.astimezone(dt.timezone.utc).replace(microsecond=0) for m in moments]
    return min(aware), max(aware)


def _make_ca(now: dt.datetime) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name(CA_NAME, "Autorité de certification fictive (tests uniquement)")
    usage = x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                          encipher_only=False, decipher_only=False)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=3650)).not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(usage, critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return key, cert


def make_signer_certificate(public_key: rsa.RSAPublicKey, ca_key: rsa.RSAPrivateKey, ca_cert: x509.Certificate,
                            common_name: str, not_before: dt.datetime, not_after: dt.datetime) -> x509.Certificate:
    """A signature certificate like a CPS one: digitalSignature + nonRepudiation, CRL DP."""
    usage = x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                          encipher_only=False, decipher_only=False)
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Cabinet fictif de test"),
                         x509.NameAttribute(NameOID.TITLE, "Médecin (personnage fictif)"),
                         x509.NameAttribute(NameOID.GIVEN_NAME, "Camille"),
                         x509.NameAttribute(NameOID.SURNAME, "TESTARD-FICTIF"),
                         x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_cert.subject).public_key(public_key)
            .serial_number(x509.random_serial_number()).not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage, critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(CRL_URL)], relative_name=None, reasons=None,
                crl_issuer=None)]), critical=False)
            .sign(ca_key, hashes.SHA256()))


def issue_crl(ca_key: rsa.RSAPrivateKey, ca_cert: x509.Certificate, earliest: dt.datetime, latest: dt.datetime,
              days: int = CRL_DAYS) -> x509.CertificateRevocationList:
    """A CRL by the test CA, from before `earliest` to `days` days after `latest`, revoking one
    fictional serial."""
    now = latest
    revoked = (x509.RevokedCertificateBuilder().serial_number(REVOKED_SERIAL)
               .revocation_date(earliest - dt.timedelta(days=2)).build())
    ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return (x509.CertificateRevocationListBuilder().issuer_name(ca_cert.subject)
            .last_update(earliest - dt.timedelta(hours=1)).next_update(latest + dt.timedelta(days=days))
            .add_revoked_certificate(revoked)
            .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
            .sign(ca_key, hashes.SHA256()))


def _write_crl(directory: Path, crl: x509.CertificateRevocationList) -> None:
    (directory / "crl.pem").write_bytes(crl.public_bytes(serialization.Encoding.PEM))
    (directory / "crl.der").write_bytes(crl.public_bytes(serialization.Encoding.DER))


# --------------------------------------------------------------------------- token provisioning

def _provision_tokens(directory: Path) -> None:
    """Runs in a child process whose SOFTHSM2_CONF is this directory's: generates each
    key pair in its token, has the CA sign it, stores the certificates (public objects)."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass

    spec = json.loads(sys.stdin.read())
    ca_key = serialization.load_pem_private_key((directory / "ca.key.pem").read_bytes(), password=None)
    ca_cert = x509.load_pem_x509_certificate((directory / "ca.pem").read_bytes())
    earliest = dt.datetime.fromisoformat(spec["earliest"])
    latest = dt.datetime.fromisoformat(spec["latest"])
    lib = pkcs11.lib(SOFTHSM_LIB)

    def store_certificate(session: pkcs11.Session, cert: x509.Certificate, label: str, key_id: bytes) -> None:
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True, Attribute.PRIVATE: False, Attribute.LABEL: label, Attribute.ID: key_id,
            Attribute.SUBJECT: cert.subject.public_bytes(), Attribute.ISSUER: cert.issuer.public_bytes(),
            Attribute.SERIAL_NUMBER: _der_integer(cert.serial_number),
            Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER)})

    for token_spec in spec["tokens"]:
        token = lib.get_token(token_label=token_spec["label"])
        with token.open(rw=True, user_pin=spec["user_pin"]) as session:
            public, _private = session.generate_keypair(
                KeyType.RSA, 2048, id=KEY_ID, label=CERT_LABEL, store=True,
                public_template={Attribute.VERIFY: True, Attribute.ENCRYPT: False, Attribute.WRAP: False},
                private_template={Attribute.SIGN: True, Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False,
                                  Attribute.DECRYPT: False, Attribute.UNWRAP: False, Attribute.PRIVATE: True})
            public_key = rsa.RSAPublicNumbers(int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
                                              int.from_bytes(public[Attribute.MODULUS], "big")).public_key()
            if token_spec["expired"]:
                not_before, not_after = earliest - dt.timedelta(days=3 * 365), earliest - dt.timedelta(days=30)
                common_name = f"{SIGNER_NAME} (carte expirée)"
            else:
                not_before, not_after = earliest - dt.timedelta(days=1), latest + dt.timedelta(days=3 * 365)
                common_name = SIGNER_NAME
            cert = make_signer_certificate(public_key, ca_key, ca_cert, common_name, not_before, not_after)
            store_certificate(session, cert, CERT_LABEL, KEY_ID)
            if token_spec["with_ca"]:
                store_certificate(session, ca_cert, CA_CERT_LABEL, b"\xca")
            if token_spec.get("pem"):
                (directory / token_spec["pem"]).write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _der_integer(value: int) -> bytes:
    body = value.to_bytes((value.bit_length() + 8) // 8, "big")  # room for the sign bit
    return b"\x02" + _der_length(len(body)) + body


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    raw = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


# --------------------------------------------------------------------------- the directory

def _token_labels(conf: Path) -> set[str]:
    """Labels of the initialised tokens, read by softhsm2-util in a child process."""
    out = subprocess.run(["softhsm2-util", "--show-slots"], env={**os.environ, "SOFTHSM2_CONF": str(conf)},
                         capture_output=True, text=True, check=True).stdout
    return {line.split(":", 1)[1].strip() for line in out.splitlines()
            if line.strip().startswith("Label:") and line.split(":", 1)[1].strip()}


def _describe(directory: Path) -> TokenDir:
    return TokenDir(directory=str(directory), conf=str(directory / "softhsm2.conf"), lib_path=SOFTHSM_LIB,
                    user_pin=USER_PIN, so_pin=SO_PIN, token_label=TOKEN_LABEL,
                    expired_token_label=EXPIRED_TOKEN_LABEL, pin_token_label=PIN_TOKEN_LABEL,
                    lock_token_label=LOCK_TOKEN_LABEL, cert_label=CERT_LABEL, key_id_hex=KEY_ID.hex(),
                    ca_pem=str(directory / "ca.pem"), crl_pem=str(directory / "crl.pem"),
                    crl_der=str(directory / "crl.der"), signer_pem=str(directory / "signer.pem"),
                    expired_pem=str(directory / "expired.pem"))


TOKENS = [
    {"label": TOKEN_LABEL, "expired": False, "with_ca": True, "pem": "signer.pem"},
    {"label": EXPIRED_TOKEN_LABEL, "expired": True, "with_ca": True, "pem": "expired.pem"},
    {"label": PIN_TOKEN_LABEL, "expired": False, "with_ca": False, "pem": None},
    {"label": LOCK_TOKEN_LABEL, "expired": False, "with_ca": False, "pem": None},
]


def _complete(directory: Path, earliest: dt.datetime, latest: dt.datetime) -> bool:
    """The directory holds every file and token, with certificates valid over the window."""
    manifest = directory / "manifest.json"
    if not manifest.is_file():
        return False
    try:
        content = json.loads(manifest.read_text())
        if content["format"] != FORMAT_VERSION:
            return False
        covered = (dt.datetime.fromisoformat(content["earliest"]) <= earliest
                   and latest <= dt.datetime.fromisoformat(content["latest"]))
    except (ValueError, KeyError, TypeError):
        return False
    needed = ["softhsm2.conf", "ca.pem", "ca.key.pem", "crl.pem", "crl.der", "signer.pem", "expired.pem"]
    if not covered or not all((directory / name).is_file() for name in needed):
        return False
    return {t["label"] for t in TOKENS} <= _token_labels(directory / "softhsm2.conf")


def missing_tools() -> list[str]:
    """The commands and files the PKCS#11 tests need that this machine lacks."""
    needed = {"softhsm2-util": shutil.which("softhsm2-util"), SOFTHSM_LIB: Path(SOFTHSM_LIB).is_file() or None,
              "pdfsig": shutil.which("pdfsig"), "certutil": shutil.which("certutil"), "gcc": shutil.which("gcc"),
              P11_HEADER: Path(P11_HEADER).is_file() or None, NSS_HEADER: Path(NSS_HEADER).is_file() or None}
    return [name for name, found in needed.items() if not found]


def build_token_dir(directory: str | os.PathLike[str], *, moments: Sequence[dt.datetime] = (),
                    rebuild: bool = False) -> TokenDir:
    """Make (or reuse) the tokens, CA, certificates and CRL in `directory`, valid around
    every moment of `moments` and the system clock."""
    if shutil.which("softhsm2-util") is None or not Path(SOFTHSM_LIB).is_file():
        raise RuntimeError(f"SoftHSM2 is missing: {INSTALL_HINT}.")
    directory = Path(directory).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    earliest, latest = _window([dt.datetime.now(dt.timezone.utc), *moments])
    if not rebuild and _complete(directory, earliest, latest):
        crl = x509.load_der_x509_crl((directory / "crl.der").read_bytes())
        if crl.next_update_utc is None or crl.next_update_utc < latest + dt.timedelta(days=1):
            ca_key = serialization.load_pem_private_key((directory / "ca.key.pem").read_bytes(), password=None)
            _write_crl(directory, issue_crl(ca_key, x509.load_pem_x509_certificate(  # type: ignore[arg-type]
                (directory / "ca.pem").read_bytes()), earliest, latest))
        return _describe(directory)

    tokendir = directory / "tokens"
    shutil.rmtree(tokendir, ignore_errors=True)
    tokendir.mkdir()
    conf = directory / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokendir}\nobjectstore.backend = file\n"
                    "log.level = ERROR\nslots.removable = false\nslots.mechanisms = ALL\n")
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    # A wide window: around the earliest and the latest moments, by a day, so a slow suite
    # (the system clock ticks on) reuses the tokens the PKCS#11 library has loaded instead of
    # rebuilding them under it.
    earliest, latest = earliest - dt.timedelta(days=1), latest + dt.timedelta(days=1)

    ca_key, ca_cert = _make_ca(earliest)
    (directory / "ca.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    (directory / "ca.key.pem").write_bytes(ca_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    os.chmod(directory / "ca.key.pem", 0o600)
    _write_crl(directory, issue_crl(ca_key, ca_cert, earliest, latest))

    for token in TOKENS:
        # softhsm2-util takes the PINs in argv (no other non-interactive way); test PINs only.
        subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", token["label"],
                        "--pin", USER_PIN, "--so-pin", SO_PIN], env=env, check=True, capture_output=True)
    spec = {"user_pin": USER_PIN, "tokens": TOKENS, "earliest": earliest.isoformat(),
            "latest": latest.isoformat()}  # through stdin, not argv
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--provision", str(directory)], env=env,
                   input=json.dumps(spec), text=True, check=True, capture_output=True)
    described = _describe(directory)
    (directory / "manifest.json").write_text(json.dumps(
        {"format": FORMAT_VERSION, "earliest": earliest.isoformat(), "latest": latest.isoformat(),
         **asdict(described)}, indent=2, ensure_ascii=False))
    return described


# --------------------------------------------------------------------------- helpers for other tools

def build_nss_db(directory: str | os.PathLike[str], ca_pem: str | None = None) -> Path:
    """An NSS database for pdfsig -nssdir (certutil from libnss3-tools): empty, or
    trusting `ca_pem` as a CA for signatures ("CT,C,C"). Returns the directory."""
    path = Path(directory)
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{path}", "--empty-password"], check=True, capture_output=True)
    if ca_pem:
        subprocess.run(["certutil", "-A", "-d", f"sql:{path}", "-n", CA_NAME, "-t", "CT,C,C", "-i", ca_pem],
                       check=True, capture_output=True)
    return path


def build_pin_counter_shim(directory: str | os.PathLike[str], max_tries: int = 3) -> Path | None:
    """Compile pin_counter_shim.c (a PKCS#11 module in front of SoftHSM2 that blocks the
    PIN after `max_tries` wrong ones). None when gcc or the PKCS#11 header is missing."""
    source = SHIMS / "pin_counter_shim.c"
    if shutil.which("gcc") is None or not Path(P11_HEADER).is_file():
        return None
    out = Path(directory) / "libpin_counter_shim.so"
    if not out.is_file() or out.stat().st_mtime < source.stat().st_mtime:
        subprocess.run(["gcc", "-shared", "-fPIC", "-O2", "-I/usr/include/p11-kit-1", f'-DTARGET="{SOFTHSM_LIB}"',
                        f"-DMAX_TRIES={max_tries}", "-o", str(out), str(source), "-ldl", "-lpthread"],
                       check=True, capture_output=True)
    return out


def build_nss_probe(directory: str | os.PathLike[str]) -> Path | None:
    """Compile nss_verify_probe.c (LD_PRELOAD for pdfsig: prints what CERT_PKIXVerifyCert
    really returned). None when gcc or the NSS headers are missing."""
    source = SHIMS / "nss_verify_probe.c"
    if shutil.which("gcc") is None or not Path(NSS_HEADER).is_file():
        return None
    out = Path(directory) / "nss_verify_probe.so"
    if not out.is_file() or out.stat().st_mtime < source.stat().st_mtime:
        subprocess.run(["gcc", "-shared", "-fPIC", "-I/usr/include/nss", "-I/usr/include/nspr", "-o", str(out),
                        str(source), "-lnss3", "-lnspr4", "-ldl"], check=True, capture_output=True)
    return out


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "--provision":
        _provision_tokens(Path(argv[2]))
        return 0
    if len(argv) not in (2, 3) or argv[1].startswith("-"):
        print("usage: softhsm_token.py DIR [--rebuild]", file=sys.stderr)
        return 2
    described = build_token_dir(argv[1], rebuild=argv[2:] == ["--rebuild"])
    for key, value in asdict(described).items():
        print(f"{key}: {value}")
    print(f"export SOFTHSM2_CONF={described.conf}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
