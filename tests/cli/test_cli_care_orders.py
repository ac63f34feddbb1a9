"""`injonctions etat --mesure injonction_de_soins` and `echeances --json` on the demo base
(issue 21): one sheet per JAP, the judge on every CSV row, the IS's own deadline kinds and
sources; a bad measure is one French sentence and exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from injonctions_tui import cli


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> Path:
    monkeypatch.delenv("INJONCTIONS_DB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    monkeypatch.setattr(cli.sys.stdin, "isatty", lambda: False)
    db = tmp_path / "demo.db"
    assert cli.main(["demo", "--db", str(db), "--no-tui"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", "demo")
    return db


def test_etat_per_judge_in_csv_and_pdf(demo: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "sorties"
    out.mkdir()
    base = ["etat", "--db", str(demo), "--year", "2025", "--mesure", "injonction_de_soins"]
    assert cli.main([*base, "--csv", "--out", str(out)]) == 0
    assert "feuillet(s) à faire viser par chaque juge" in capsys.readouterr().out
    (csv_file,) = out.glob("etat-justificatif-injonctions-soins-2025*.csv")
    header, *rows = csv_file.read_text(encoding="utf-8-sig").splitlines()
    assert header.startswith("Juge de l'application des peines;")
    judged = [row for row in rows if row.split(";")[3] != "Total"]
    assert judged and all(row.split(";")[0].endswith("juge de l'application des peines") for row in judged)
    assert len({row.split(";")[0] for row in judged}) == 2
    assert cli.main([*base, "--pdf", "--out", str(out)]) == 0
    capsys.readouterr()
    (pdf,) = out.glob("etat-justificatif-injonctions-soins-2025*.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert text.count("Visa du juge de l'application des peines") == 2 and "L3413" not in text
    assert cli.main(["etat", "--db", str(demo), "--year", "2025"]) == 0  # the IT's, as before
    it = capsys.readouterr().out
    assert it.startswith("État justificatif annuel — année 2025") and "injonctions de soins" not in it


def test_a_bad_measure_is_refused_in_french(demo: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["etat", "--db", str(demo), "--year", "2025", "--mesure", "obligation_de_soins"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "injonction_de_soins" in err and "Traceback" not in err


def test_echeances_json_has_the_measures_own_kinds_and_sources(demo: Path, capsys) -> None:
    assert cli.main(["echeances", "--db", str(demo), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["echeances"]
    care = [row for row in rows if row["kind"] in ("convocation_trimestrielle", "rapport_annuel_jap",
                                                   "attestation_suivi", "incident_jap", "fin_obligation")]
    assert {row["kind"] for row in care} >= {"convocation_trimestrielle", "rapport_annuel_jap"}
    assert all("seed 004" in row["source"] and "R3413" not in row["source"] for row in care)
    assert any(row["kind"] == "suivi" or "R3413" in row["source"] for row in rows)  # the IT's beside them
