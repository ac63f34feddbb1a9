"""`injonctions signature …`, `print --sign --pin-file` and `verify` with a real PKCS#11 token (SoftHSM2):
the card chosen and kept in the base, the PIN from a file (never argv), errors one French sentence and
exit status 2, nothing lost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from injonctions_tui import cli
from injonctions_tui.domain.reports import drafts as rd
from tests.conftest import PASSPHRASE, TODAY, child_environment
from tests.factories.reports import make_dossier
from tests.pkcs11_token import TokenDir

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No real user data dir, the passphrase from the environment, no terminal."""
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("INJONCTIONS_DB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(cli.sys.stdin, "isatty", lambda: False)


@pytest.fixture
def base(db, db_path: Path) -> tuple[Path, list[int]]:
    """A base with two final fiches navette (fictional), closed for the CLI to open."""
    dossier = make_dossier()
    reports = []
    for _ in range(2):
        report = rd.start_draft(dossier.measure.id, "fiche_navette", TODAY)
        rd.save_draft(report.id, adherence="effective", proposal="poursuite", observations="Présent, engagé.")
        reports.append(rd.finalise(report.id, today=TODAY, confirm_flagged=False).id)
    db.close()
    return db_path, reports


def pin_file(tmp_path: Path, pin: str) -> str:
    path = tmp_path / "pin.txt"
    path.write_text(pin + "\n", encoding="utf-8")
    path.chmod(0o600)
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_choose_the_card_import_its_chain_and_go_back(base, softhsm: TokenDir, capsys, tmp_path: Path) -> None:
    db = str(base[0])
    code, out, _ = run(capsys, "signature", "--db", db)
    assert code == 0 and out.startswith("Signature avec le certificat autosigné de l'application")
    assert "Autorités de confiance : aucune" in out

    code, out, err = run(capsys, "signature", "pkcs11", "--lib", softhsm.lib_path, "--db", db)
    assert code == 2  # four cards, each with a signature certificate: the user must say which
    assert "Carte « CPS-PIN » (SoftHSM project, SoftHSM v2) :" in out
    assert err == "Plusieurs certificats de signature : choisissez la carte (--token) et le certificat " \
                  "(--cert-label).\n"

    code, out, err = run(capsys, "signature", "pkcs11", "--lib", softhsm.lib_path, "--token", "CPS-TEST", "--db", db)
    assert code == 0, err
    assert ("  - « Signature » : Camille TESTARD-FICTIF, émis par AC Santé fictive de test, valable du "
            in out) and "[signature]" in out and "[autorité]" in out
    assert "Signature par la carte « CPS-TEST », certificat « Signature » de Camille TESTARD-FICTIF" in out
    assert "Aucune autorité de confiance importée" in out

    code, out, _ = run(capsys, "signature", "import-chain", softhsm.ca_pem, "--db", db)
    assert code == 0 and out.startswith("Importé — autorité(s) de confiance : AC Santé fictive de test.")
    code, out, _ = run(capsys, "signature", "import-crl", softhsm.crl_der, "--db", db)
    assert code == 0 and out.startswith("Liste de révocation de « AC Santé fictive de test » importée")
    code, out, _ = run(capsys, "signature", "--db", db)
    assert out.splitlines()[0].startswith("Signature par la carte « CPS-TEST »")
    assert f"bibliothèque {softhsm.lib_path}." in out and "Autorités de confiance : AC Santé fictive de test" in out

    code, _, err = run(capsys, "signature", "import-crl", softhsm.ca_pem, "--db", db)
    assert code == 2 and err == "Ce fichier n'est pas une liste de révocation (CRL, PEM ou DER).\n"
    code, _, err = run(capsys, "signature", "pkcs11", "--lib", "/opt/absent/libcps3_pkcs11_lux.so", "--db", db)
    assert code == 2 and err.startswith("Bibliothèque PKCS#11 introuvable") and err.count("\n") == 1

    code, out, err = run(capsys, "signature", "pkcs11", "--lib", softhsm.lib_path, "--token", "CPS-PIN", "--pin-file",
                         pin_file(tmp_path, softhsm.user_pin), "--db", db)  # logged in: private keys seen
    assert code == 0 and "Signature par la carte « CPS-PIN »" in out, err
    code, _, err = run(capsys, "signature", "pkcs11", "--lib", softhsm.lib_path, "--token", "CPS-PIN", "--pin-file",
                       pin_file(tmp_path, "999999"), "--db", db)
    assert code == 2 and err.startswith("Code PIN incorrect") and err.count("\n") == 1
    assert run(capsys, "signature", "pkcs11", "--lib", softhsm.lib_path, "--token", "CPS-PIN", "--pin-file",
               pin_file(tmp_path, softhsm.user_pin), "--db", db)[0] == 0  # the right PIN resets the count

    code, out, _ = run(capsys, "signature", "self", "--db", db)
    assert code == 0 and out.startswith("Signature avec le certificat autosigné de l'application")


def test_print_sign_with_a_pin_file_then_verify(base, softhsm: TokenDir, capsys, tmp_path: Path) -> None:
    db, reports = str(base[0]), base[1]
    out_dir = tmp_path / "sorties"
    out_dir.mkdir()
    assert run(capsys, "signature", "pkcs11", "--lib", softhsm.lib_path, "--token", "CPS-TEST", "--db", db)[0] == 0
    assert run(capsys, "signature", "import-chain", softhsm.ca_pem, "--db", db)[0] == 0

    code, _, err = run(capsys, "print", "fiche-navette", str(reports[0]), "--sign", "--out", str(out_dir), "--db", db)
    assert code == 2 and err == ("Code PIN de la carte requis : utilisez --pin-file FICHIER (jamais le code lui-même "
                                 "sur la ligne de commande).\n")
    assert list(out_dir.iterdir()) == []

    code, out, err = run(capsys, "print", "fiche-navette", *map(str, reports), "--sign", "--pin-file",
                         pin_file(tmp_path, softhsm.user_pin), "--out", str(out_dir), "--db", db)
    assert code == 0, err
    assert out.count("PDF signé enregistré") == 2  # a batch: one PIN entry for both
    first = sorted(out_dir.glob("fiche-navette-*.pdf"))[0]
    code, out, _ = run(capsys, "verify", str(first), "--db", db)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Document signé (1 signature) : toutes les signatures sont valides."
    assert "  Signataire : Camille TESTARD-FICTIF (" in out and "  Émetteur du certificat : AC Santé fictive de test" \
        in lines
    assert ("  Chaîne de certification : valide jusqu'à l'autorité de confiance « AC Santé fictive de test »"
            in lines)
    assert ("  Révision : couvre la révision 2 sur 3 ; seules des données de validation ont été ajoutées après la "
            "signature") in lines
    assert "  Modifié après la signature : non" in lines

    tampered = tmp_path / "modifie.pdf"
    data = bytearray(first.read_bytes())
    data[data.index(b"ReportLab")] ^= 0x01
    tampered.write_bytes(bytes(data))
    code, out, _ = run(capsys, "verify", str(tampered), "--db", db)
    assert code == 1 and "  Contenu signé : ALTÉRÉ, la signature ne correspond plus" in out

    code, _, err = run(capsys, "print", "fiche-navette", str(reports[0]), "--sign", "--pin-file",
                       pin_file(tmp_path, "999999"), "--out", str(out_dir), "--db", db)
    assert code == 2 and err.count("\n") == 1 and err.startswith("Code PIN incorrect")
    (kept,) = out_dir.glob("NON-SIGNE-*.pdf")
    assert f"le PDF non signé est gardé comme brouillon : {kept}." in err


def test_no_card_in_a_real_process(base, softhsm: TokenDir, tmp_path: Path, capsys) -> None:
    """The card chosen, then taken out of the reader: a real `injonctions` process says so in one
    French sentence, exit status 2, no traceback; the PIN comes from a file, never argv."""
    db, reports = str(base[0]), base[1]
    assert run(capsys, "signature", "pkcs11", "--lib", softhsm.lib_path, "--token", "CPS-TEST", "--db", db)[0] == 0
    empty = tmp_path / "lecteur-vide"
    (empty / "tokens").mkdir(parents=True)
    conf = empty / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {empty / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    out_dir = tmp_path / "sorties"
    out_dir.mkdir()
    result = subprocess.run([sys.executable, "-m", "injonctions_tui", "print", "fiche-navette", str(reports[0]),
                             "--sign", "--pin-file", pin_file(tmp_path, softhsm.user_pin), "--out", str(out_dir),
                             "--db", db], env=child_environment(SOFTHSM2_CONF=str(conf)), capture_output=True,
                            text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr and result.stdout == ""
    (kept,) = out_dir.iterdir()
    assert result.stderr == ("Carte « CPS-TEST » absente : insérez-la dans le lecteur (ou vérifiez son nom) puis "
                             f"réessayez ; le PDF non signé est gardé comme brouillon : {kept}.\n")
    assert kept.name.startswith("NON-SIGNE-fiche-navette")


def test_the_help_names_the_commands(capsys) -> None:
    with pytest.raises(SystemExit):
        cli.main(["signature", "--help"])
    out = capsys.readouterr().out
    for action in ("pkcs11", "self", "import-chain", "import-crl", "clear-chain"):
        assert action in out
