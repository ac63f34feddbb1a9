"""The `injonctions` command: passphrase rules, exit statuses, French messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from injonctions_tui import cli
from injonctions_tui.domain.store import storage
from tests.conftest import PASSPHRASE, child_environment

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No real user data dir, no inherited passphrase or database."""
    monkeypatch.delenv("INJONCTIONS_PASSPHRASE", raising=False)
    monkeypatch.delenv("INJONCTIONS_DB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    monkeypatch.setattr(cli.sys.stdin, "isatty", lambda: False)


def _passfile(tmp_path: Path, value: str = PASSPHRASE) -> str:
    path = tmp_path / "phrase.txt"
    path.write_text(value + "\n", encoding="utf-8")
    return str(path)


def test_init_creates_an_encrypted_database_then_refuses_to_overwrite(tmp_path: Path, capsys) -> None:
    db = tmp_path / "base.db"
    assert cli.main(["init", "--db", str(db), "--passphrase-file", _passfile(tmp_path)]) == 0
    assert storage.is_encrypted_file(db)
    assert "Base chiffrée créée" in capsys.readouterr().out
    assert cli.main(["--db", str(db), "init", "--passphrase-file", _passfile(tmp_path)]) == 2
    assert "existe déjà" in capsys.readouterr().err


def test_init_refuses_weak_and_empty_passphrases(tmp_path: Path, capsys, monkeypatch) -> None:
    db = tmp_path / "base.db"
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", "court")
    assert cli.main(["init", "--db", str(db)]) == 2
    assert "au moins 12 caractères" in capsys.readouterr().err
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", "")
    assert cli.main(["init", "--db", str(db)]) == 2
    assert "vide" in capsys.readouterr().err
    assert not db.exists() and not storage.kdf_path(db).exists()


def test_default_location_is_the_user_data_dir_and_env_overrides(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", PASSPHRASE)
    assert cli.main(["init"]) == 0
    assert (tmp_path / "home/.local/share/injonctions-tui/injonctions.db").exists()
    monkeypatch.setenv("INJONCTIONS_DB", str(tmp_path / "autre.db"))
    assert cli.main(["init"]) == 0
    assert (tmp_path / "autre.db").exists()


def test_no_passphrase_without_a_terminal_is_a_clear_error(tmp_path: Path, capsys) -> None:
    assert cli.main(["export", "--db", str(tmp_path / "x.db"), "--out", "-"]) == 2
    assert "INJONCTIONS_PASSPHRASE" in capsys.readouterr().err


def test_unreadable_passphrase_file(tmp_path: Path, capsys) -> None:
    assert cli.main(["export", "--out", "-", "--db", str(tmp_path / "x.db"), "--passphrase-file", str(tmp_path / "absent")]) == 2
    assert "Impossible de lire le fichier de phrase secrète" in capsys.readouterr().err


def test_missing_database_is_explained(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", PASSPHRASE)
    assert cli.main(["export", "--db", str(tmp_path / "absente.db"), "--out", "-"]) == 2
    assert "Aucune base" in capsys.readouterr().err


def test_usage_errors_are_in_french_with_status_2(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["frobnicate"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "choix invalide" in err and "utilisation" in err


def test_wrong_passphrase_in_a_real_process(tmp_path: Path) -> None:
    """Exit status 2, one French line, no traceback, nothing written."""
    db = tmp_path / "base.db"
    env = child_environment(INJONCTIONS_PASSPHRASE=PASSPHRASE, HOME=str(tmp_path))
    subprocess.run([sys.executable, "-m", "injonctions_tui", "init", "--db", str(db)],
                   env=env, check=True, capture_output=True, cwd=ROOT, timeout=120)
    before = db.read_bytes()
    env["INJONCTIONS_PASSPHRASE"] = "une autre phrase fausse"
    result = subprocess.run([sys.executable, "-m", "injonctions_tui", "export", "--db", str(db), "--out", "-"],
                            env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 2
    assert "Phrase secrète incorrecte" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert db.read_bytes() == before
    # The lock file is init's (no personal data); the failed export wrote nothing but the count
    # of refused attempts (a number and a time, issue 15).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base.db", "base.db.echecs", "base.db.kdf", "base.db.lock"]
    assert b"Tournesol" not in (tmp_path / "base.db.echecs").read_bytes()


def test_demo_no_tui_then_export_and_nothing_leaks(tmp_path: Path, monkeypatch, capsys) -> None:
    """The demo database is encrypted; no demo name lands in any other file."""
    db = tmp_path / "demo" / "demo.db"
    assert cli.main(["demo", "--db", str(db), "--no-tui"]) == 0
    assert "phrase secrète : demo" in capsys.readouterr().out
    assert storage.is_encrypted_file(db)
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", "demo")
    out = tmp_path / "export" / "tout.json"
    out.parent.mkdir()
    assert cli.main(["export", "--db", str(db), "--out", str(out)]) == 0
    payload = json.loads(out.read_text(encoding="utf-8"))
    names = {p["last_name"] for p in payload["persons"]}
    assert len(payload["persons"]) >= 55 and payload["schema_version"] >= 2
    for path in tmp_path.rglob("*"):
        if path.is_file() and path != out:
            content = path.read_bytes()
            leaked = [n for n in names if n.encode() in content]
            assert not leaked, f"{path.name} contient {leaked[:3]}"


def test_export_to_stdout_is_json(tmp_path: Path, monkeypatch, capsys) -> None:
    db = tmp_path / "demo.db"
    assert cli.main(["demo", "--db", str(db), "--no-tui"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", "demo")
    assert cli.main(["export", "--db", str(db), "--format", "json"]) == 2  # not to the terminal by default
    assert "--out -" in capsys.readouterr().err
    assert cli.main(["export", "--db", str(db), "--format", "json", "--out", "-"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert {"professionals", "persons", "measures", "appointments", "reports"} <= payload.keys()


def test_import_json_round_trip_through_the_cli(tmp_path: Path, monkeypatch, capsys) -> None:
    source = tmp_path / "demo.db"
    assert cli.main(["demo", "--db", str(source), "--no-tui"]) == 0
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", "demo")
    first = tmp_path / "1.json"
    assert cli.main(["export", "--db", str(source), "--out", str(first)]) == 0
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", PASSPHRASE)
    target = tmp_path / "cible.db"
    assert cli.main(["init", "--db", str(target)]) == 0
    source_key = tmp_path / "phrase-demo.txt"
    source_key.write_text("demo\n")
    assert cli.main(["import", "json", str(first), "--db", str(target), "--source-passphrase-file",
                     str(source_key)]) == 0
    assert "Preuves d'intégrité vérifiées" in capsys.readouterr().out
    second = tmp_path / "2.json"
    assert cli.main(["export", "--db", str(target), "--out", str(second)]) == 0

    def strip(path: Path) -> dict:
        """Each base seals with its own key: the MACs differ, nothing else (issue 15)."""
        payload = json.loads(path.read_text(encoding="utf-8"))
        for report in payload["reports"]:
            report.pop("integrity_mac")
        return {k: v for k, v in payload.items() if k not in {"exported_at", "audit_events", "integrity"}}

    assert strip(first) == strip(second)
    assert cli.main(["import", "json", str(first), "--db", str(target)]) == 2  # not empty any more
    assert "base neuve" in capsys.readouterr().err


def test_import_saisines_reports_bad_rows_and_imports_nothing(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", PASSPHRASE)
    db = tmp_path / "base.db"
    assert cli.main(["init", "--db", str(db)]) == 0
    csv_path = tmp_path / "saisines.csv"
    header = "numero_parquet;nom;prenom;date_naissance;date_faits;date_decision;date_saisine;magistrat_referent;autorite\n"
    csv_path.write_text(header
                        + "26001000001;TOURNESOL;Tryphon;01/02/1990;01/09/2026;01/10/2026;05/10/2026;Mme DÉMO;procureur\n"
                        + "26001000002;HADDOCK;Archibald;31/02/1990;;;05/10/2026;;\n", encoding="utf-8")
    assert cli.main(["import", "saisines", str(csv_path), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "ligne 3" in err and "rien n'a été importé" in err
    csv_path.write_text(header + "26001000001;TOURNESOL;Tryphon;01/02/1990;01/09/2026;01/10/2026;05/10/2026;Mme DÉMO;procureur\n",
                        encoding="utf-8")
    assert cli.main(["import", "saisines", str(csv_path), "--db", str(db), "--apercu"]) == 0
    out = capsys.readouterr().out
    assert "« numero_parquet » → numéro de parquet" in out and "Aperçu seulement : rien n'a été importé." in out
    assert cli.main(["import", "saisines", str(csv_path), "--db", str(db)]) == 0
    assert "1 saisine(s) importée(s)" in capsys.readouterr().out
    assert cli.main(["import", "saisines", str(csv_path), "--db", str(db)]) == 0
    assert ("Ignorée, ligne 2 : 26001000001 déjà connu : dossier n° 1 (TOURNESOL Tryphon)"
            in capsys.readouterr().out)
    csv_path.write_text("N° parquet;NOM;Prénom;Né(e) le;Reçue le;Téléphone\n"
                        "26001000002;HADDOCK;Archibald;01/02/1990;05/10/2026;06 00 00 00 00\n", encoding="utf-8")
    assert cli.main(["import", "saisines", str(csv_path), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    for line in ("« Né(e) le » → date de naissance", "« Téléphone » → ignorée",
                 "magistrat référent : colonne absente (restera vide)", "1 saisine(s) importée(s)."):
        assert line in out, line
    assert cli.main(["import", "json", str(csv_path), "--db", str(db), "--apercu"]) == 2
    assert "--apercu vaut pour les saisines" in capsys.readouterr().err


def test_agenda_echeances_and_audit_commands(tmp_path: Path, monkeypatch, capsys) -> None:
    db = tmp_path / "demo.db"
    assert cli.main(["demo", "--db", str(db), "--no-tui"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", "demo")
    assert cli.main(["agenda", "--db", str(db), "--json", "--week"]) == 0
    week = json.loads(capsys.readouterr().out)
    assert week["week"] is True and len(week["days"]) >= 5
    assert cli.main(["echeances", "--db", str(db), "--json"]) == 0
    deadlines = json.loads(capsys.readouterr().out)["echeances"]
    assert deadlines and all(set(d) >= {"due_on", "label", "person", "overdue"} for d in deadlines)
    assert cli.main(["agenda", "--db", str(db), "--date", "31/02/2026"]) == 2
    assert "n'existe pas" in capsys.readouterr().err
    assert cli.main(["audit", "--db", str(db), "--json"]) == 0
    actions = {e["action"] for e in json.loads(capsys.readouterr().out)}
    assert {"consultation_agenda", "consultation_echeances"} <= actions


def test_etat_and_bilan_commands(tmp_path: Path, monkeypatch, capsys) -> None:
    db = tmp_path / "demo.db"
    assert cli.main(["demo", "--db", str(db), "--no-tui"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", "demo")
    assert cli.main(["etat", "--db", str(db), "--year", "2026"]) == 0
    assert "État justificatif annuel — année 2026" in capsys.readouterr().out
    assert cli.main(["etat", "--db", str(db), "--year", "2026", "--pdf"]) == 2
    assert "--out" in capsys.readouterr().err
    out = tmp_path / "sorties"
    out.mkdir()
    assert cli.main(["etat", "--db", str(db), "--year", "2026", "--csv", "--out", str(out)]) == 0
    first, header = (out / "etat-justificatif-2026.csv").read_text(encoding="utf-8-sig").splitlines()[:2]
    assert first.startswith("PROVISOIRE") and header.startswith("N°;")  # 2026 is not over
    assert "enregistré" in capsys.readouterr().out
    assert cli.main(["bilan", "--db", str(db), "--from", "2026-01-01", "--to", "2026-06-30", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["total"]["received"] >= 0
    assert cli.main(["bilan", "--db", str(db), "--from", "2026-06-30", "--to", "2026-01-01"]) == 2
    assert "précède" in capsys.readouterr().err


def test_backup_and_restore_commands(tmp_path: Path, monkeypatch, capsys) -> None:
    db = tmp_path / "demo.db"
    assert cli.main(["demo", "--db", str(db), "--no-tui"]) == 0
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", "demo")
    out = tmp_path / "sauvegardes"
    out.mkdir()
    assert cli.main(["backup", "--db", str(db), "--out", str(out)]) == 0
    (copy,) = out.glob("*.db")
    assert storage.is_encrypted_file(copy) and copy.with_name(copy.name + ".kdf").exists()
    assert "Sauvegarde chiffrée" in capsys.readouterr().out
    assert cli.main(["restore", str(copy), "--db", str(db)]) == 0
    assert "Base restaurée" in capsys.readouterr().out
    assert cli.main(["restore", str(tmp_path / "absente.db"), "--db", str(db)]) == 2
    assert cli.main(["passphrase", "--db", str(db)]) == 2  # a new passphrase is typed, never scripted
    assert "clavier" in capsys.readouterr().err


def test_print_verify_and_secret_check(tmp_path: Path, monkeypatch, capsys) -> None:
    from injonctions_tui.domain.core import models

    db = tmp_path / "demo.db"
    assert cli.main(["demo", "--db", str(db), "--no-tui"]) == 0
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", "demo")
    database = storage.open_database(db, "demo")
    report_id = models.Report.select().where(models.Report.status == "final",
                                             models.Report.kind == "fiche_navette").first().id
    database.close()
    out = tmp_path / "sorties"
    out.mkdir()
    capsys.readouterr()
    assert cli.main(["print", "fiche-navette", str(report_id), "--sign", "--out", str(out), "--db", str(db)]) == 0
    (pdf,) = out.glob("fiche-navette-*.pdf")
    assert cli.main(["verify", str(pdf), "--db", str(db)]) == 0
    capsys.readouterr()
    tampered = tmp_path / "modifie.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 3] ^= 0x01
    tampered.write_bytes(bytes(data))
    assert cli.main(["verify", str(tampered), "--db", str(db)]) == 1
    assert cli.main(["print", "permanence", "--date", "2026-11-23", "--out", str(out), "--db", str(db)]) == 0
    assert cli.main(["print", "inconnu", "1", "--db", str(db)]) == 2
    note = tmp_path / "note.txt"
    note.write_text("Il vient à chaque rendez-vous.\nIl est sous méthadone.\n", encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["secret-check", str(note)]) == 1
    assert "ligne 2 : « méthadone »" in capsys.readouterr().out
    note.write_text("Il vient à chaque rendez-vous.\n", encoding="utf-8")
    assert cli.main(["secret-check", str(note)]) == 0


def test_the_passphrase_variable_is_removed_once_read_and_core_dumps_are_off(tmp_path: Path, monkeypatch) -> None:
    import resource

    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", PASSPHRASE)
    assert cli.real_main(["init", "--db", str(tmp_path / "b.db")]) == 0
    assert "INJONCTIONS_PASSPHRASE" not in os.environ
    assert resource.getrlimit(resource.RLIMIT_CORE) == (0, 0)
    status = Path("/proc/self/status")
    if status.exists():  # Linux: PR_SET_DUMPABLE 0 (reads back through prctl(PR_GET_DUMPABLE))
        import ctypes

        assert ctypes.CDLL(None).prctl(3, 0, 0, 0, 0) == 0


def test_refused_passphrases_wait_longer_each_time_and_are_recorded(configured_db_path: Path, monkeypatch,
                                                                    capsys) -> None:
    from injonctions_tui.domain.store import attempts

    waits: list[float] = []
    monkeypatch.setattr(attempts.time, "sleep", waits.append)
    db = str(configured_db_path)
    for _ in range(3):
        monkeypatch.setenv("INJONCTIONS_PASSPHRASE", "une phrase qui n'est pas la bonne")
        assert cli.main(["agenda", "--db", db]) == 2
    assert waits == [1, 2, 4]
    assert "réponse retardée de 4 s" in capsys.readouterr().err
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", PASSPHRASE)
    assert cli.main(["audit", "--db", db, "--json"]) == 0
    events = json.loads(capsys.readouterr().out)
    assert any(e["action"] == "echec_deverrouillage" and "essais refusés avant ouverture=3" in e["details"]
               for e in events)
    assert not attempts.path_of(configured_db_path).exists()


def test_bad_files_are_said_in_french_never_in_the_system_s_english(configured_db_path: Path, tmp_path: Path,
                                                                     monkeypatch, capsys) -> None:
    """Missing files, folders, wrong encodings, an endless standard input (issue 15, point 8)."""
    import io

    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("numéro;nom\n".encode("cp1252"))
    cases = [["import", "saisines", str(tmp_path / "absent.csv")], ["import", "saisines", str(tmp_path)],
             ["import", "saisines", str(latin1)], ["import", "json", str(tmp_path / "absent.json")],
             ["import", "json", str(tmp_path)], ["import", "json", str(latin1)], ["verify", str(tmp_path)],
             ["secret-check", str(latin1)], ["secret-check", str(tmp_path / "absent.txt")],
             ["export", "--out", str(tmp_path / "absent" / "x.json")], ["backup", "--out", str(tmp_path / "a" / "b.db")]]
    for command in cases:
        monkeypatch.setenv("INJONCTIONS_PASSPHRASE", PASSPHRASE)
        assert cli.main([*command, "--db", str(configured_db_path)]) == 2, command
        err = capsys.readouterr().err
        for english in ("No such file", "Is a directory", "codec", "No space", "Errno", "Permission denied"):
            assert english not in err, (command, err)
        assert err.strip(), command
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"a" * (10 * 1024 * 1024 + 1))))
    assert cli.main(["secret-check", "-"]) == 2
    assert "dépasse 10 Mo" in capsys.readouterr().err


def test_import_saisines_while_the_app_is_open_points_to_the_app(tmp_path: Path, monkeypatch, capsys) -> None:
    """The open app holds the base: the command is refused, and says where the import is."""
    import signal

    from tests.domain.store.test_instance_lock import _other_program

    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", PASSPHRASE)
    db = tmp_path / "base.db"
    assert cli.main(["init", "--db", str(db)]) == 0
    csv_path = tmp_path / "saisines.csv"
    csv_path.write_text("N° parquet;Nom;Prénom;Date de naissance;Date de saisine\n", encoding="utf-8")
    app = _other_program(db, keep=True)
    try:
        assert app.stdout.readline().strip() == "verrou pris"
        assert cli.main(["import", "saisines", str(csv_path), "--db", str(db)]) == 2
        err = capsys.readouterr().err
        assert "La base est déjà ouverte" in err and "Ctrl+P, « Importer des saisines »" in err
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait(timeout=60)
