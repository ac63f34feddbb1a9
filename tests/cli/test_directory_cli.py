"""`injonctions annuaire`: import the CSAPA's file (all or nothing, exit 2 and French on a bad or
hostile file, in a real child process too), list, print the list handed to the person."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from injonctions_tui import cli
from tests.conftest import PASSPHRASE, child_environment

ROOT = Path(__file__).resolve().parents[2]
GOOD = ("Nom de la structure;Type;Adresse;Code postal;Ville;Tél.;Messagerie sécurisée;Public;Notes\n"
        "CSAPA Le Rivage (fictif);CSAPA;2 rue de l'Onde;92000;Nanterre;01 00 00 00 21;"
        "rivage@exemple-mssante.invalid;tous;Sans RDV le mardi\n"
        "CJC L'Envol (fictive);CJC;9 rue du Vent;92000;Nanterre;;;mineurs;\n")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("INJONCTIONS_DB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(cli.sys.stdin, "isatty", lambda: False)


def _csv(tmp_path: Path, text: str | bytes, name: str = "annuaire.csv") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252") if isinstance(text, str) else text)
    return str(path)


def test_import_list_and_print(configured_db_path: Path, tmp_path: Path, capsys) -> None:
    db = ["--db", str(configured_db_path)]
    assert cli.main(["annuaire", "importer", _csv(tmp_path, GOOD), *db]) == 0
    assert capsys.readouterr().out == ("2 structure(s) ajoutée(s) à l'annuaire (fichier lu en Windows-1252).\n")
    assert cli.main(["annuaire", "importer", _csv(tmp_path, GOOD), *db]) == 0
    out = capsys.readouterr().out
    assert "0 structure(s) ajoutée(s) ; 2 déjà présente(s)" in out.replace(" à l'annuaire", "")
    assert "Déjà présente, laissée telle quelle : CJC L'Envol (fictive)" in out
    assert cli.main(["annuaire", "liste", "--public", "majeurs", "--json", *db]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(e["nom"], e["adresse"], e["public"]) for e in listed] == [
        ("CSAPA Le Rivage (fictif)", "2 rue de l'Onde, 92000 Nanterre", "tous")]
    assert cli.main(["annuaire", "imprimer", "--public", "mineurs", "--out", str(tmp_path / "liste.pdf"), *db]) == 0
    assert "Document enregistré" in capsys.readouterr().out
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "liste.pdf").pages)
    assert "CJC L'Envol (fictive)" in text and "01 00 00 00 21" not in text
    assert cli.main(["print", "annuaire", "--out", str(tmp_path / "tout.pdf"), *db]) == 0
    assert (tmp_path / "tout.pdf").exists()


def test_a_bad_file_is_refused_with_its_lines_and_nothing_imported(configured_db_path: Path, tmp_path: Path,
                                                                   capsys) -> None:
    bad = "Nom;Type;Public\nCSAPA Bon (fictif);csapa;\n;csapa;\nCSAPA X (fictif);csapa;anciens\n"
    assert cli.main(["annuaire", "importer", _csv(tmp_path, bad), "--db", str(configured_db_path)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "Import refusé : 2 ligne(s) en erreur (lignes 3, 4), rien n'a été importé."
    assert "  - ligne 3 : nom : champ obligatoire" in err and "  - ligne 4 : public « anciens » inconnu" in err
    assert cli.main(["annuaire", "liste", "--db", str(configured_db_path)]) == 0
    assert capsys.readouterr().out == "Annuaire vide.\n"


@pytest.mark.parametrize(("content", "expected"), [
    (b"x" * (2 * 1024 * 1024 + 1), "dépasse 2 Mo"),
    (bytes(range(256)) * 4, "n'est pas un tableau CSV : il contient des données binaires"),
    (b"Nom;Type\nCSAPA \x81;csapa\n", "ni UTF-8 ni Windows-1252"),
], ids=["huge", "binary", "encoding"])
def test_a_hostile_file_gets_a_french_sentence_and_exit_2(configured_db_path: Path, tmp_path: Path,
                                                          content: bytes, expected: str) -> None:
    path = _csv(tmp_path, content)
    result = subprocess.run([sys.executable, "-m", "injonctions_tui", "annuaire", "importer", path,
                             "--db", str(configured_db_path)],
                            env=child_environment(INJONCTIONS_PASSPHRASE=PASSPHRASE), capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr and "Traceback" not in result.stderr and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1  # one sentence


def test_usage_errors_are_french(configured_db_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["annuaire", "--db", str(configured_db_path)])
    assert exited.value.code == 2 and "arguments obligatoires manquants" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["annuaire", "liste", "--public", "enfants"])
    assert "choix invalide" in capsys.readouterr().err
