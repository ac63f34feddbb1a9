"""`injonctions print … --printer` and `injonctions imprimantes` on a real CUPS server:
the PDFs are written, then sent as one job; errors are one French sentence, status 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from injonctions_tui import cli
from injonctions_tui.domain.core import models
from injonctions_tui.domain.printing.print_common import PrintJob
from injonctions_tui.domain.store import storage
from tests.cups_printer import OFFLINE_PRINTER, pages_of, printed_file


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo base (Monday 23 November 2026: two persons present at the minors' permanence)."""
    monkeypatch.setenv("INJONCTIONS_DOCUMENTS", str(tmp_path / "documents"))
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", "demo")
    monkeypatch.delenv("INJONCTIONS_DB", raising=False)
    db = tmp_path / "demo.db"
    assert cli.main(["demo", "--db", str(db), "--no-tui"]) == 0
    return db


def sent_job(out: str, printer: str, documents: tuple[Path, ...] = ()) -> PrintJob:
    """The job the command announced (« … (travail n° 12) … »)."""
    number = re.search(r"\(travail n° (\d+)\)", out).group(1)
    return PrintJob(f"{printer}-{number}", printer, 1, 0, documents)


def present_appointment(db: Path) -> int:
    database = storage.open_database(db, "demo")
    try:
        return models.Appointment.select().where(models.Appointment.status == "present").order_by(
            models.Appointment.starts_at.desc()).first().id
    finally:
        database.close()


def test_a_document_and_the_day_s_papers_go_to_the_printer(demo: Path, cups: str, capsys) -> None:
    capsys.readouterr()
    appointment = present_appointment(demo)
    assert cli.main(["print", "attestation", str(appointment), "--printer", cups, "--copies", "2",
                     "--db", str(demo)]) == 0
    out = capsys.readouterr().out
    assert "Document enregistré" in out and f"Envoyé à l'imprimante « {cups} »" in out
    assert "1 document, 1 page, 2 exemplaires." in out
    assert len(pages_of(printed_file(sent_job(out, cups)))) == 2
    # The settings choose the printer and the copies; `--printer` alone uses them.
    assert cli.main(["imprimantes", "--choose", cups, "--copies", "1", "--db", str(demo)]) == 0
    listing = capsys.readouterr().out
    assert f"{cups} : prête" in listing and "choisie dans les Paramètres" in listing
    assert f"{OFFLINE_PRINTER} : hors ligne" in listing
    assert f"Les documents partent vers : imprimante « {cups} », 1 exemplaire." in listing
    assert cli.main(["print", "jour", "--date", "2026-11-23", "--printer", "--db", str(demo)]) == 0
    out = capsys.readouterr().out
    # The demo's Monday: the feuille, the two persons present, the two convocations not sent
    # yet, and the orientation papers of the day (information sheets, the directory lists).
    assert ("Papiers du 23/11/2026 : la feuille de permanence, 2 attestations de présence, 2 convocations et "
            "4 papiers d'orientation.") in out
    assert out.count("Document enregistré") == 9 and "9 documents, 10 pages, 1 exemplaire." in out
    texts = pages_of(printed_file(sent_job(out, cups)))
    assert len(texts) == 10 and "FEUILLE DE PERMANENCE" in texts[0] and "ATTESTATION DE PR" in texts[2]  # cups-pdf re-encodes accents
    # Without --printer, the papers are only written.
    assert cli.main(["print", "jour", "--date", "2026-11-23", "--db", str(demo)]) == 0
    assert "Envoyé" not in capsys.readouterr().out


def test_printing_errors_are_one_french_sentence_and_keep_the_documents(demo: Path, cups: str, tmp_path: Path,
                                                                        capsys) -> None:
    capsys.readouterr()
    assert cli.main(["print", "jour", "--date", "2026-11-23", "--printer", OFFLINE_PRINTER, "--db", str(demo)]) == 2
    err = capsys.readouterr().err.strip()
    folder = tmp_path / "documents" / "2026"
    assert err == (f"L'imprimante « {OFFLINE_PRINTER} » est hors ligne (arrêtée) ; les 9 documents restent "
                   f"enregistrés dans {folder}.")
    assert len(list(folder.glob("*.pdf"))) == 9
    for args, message in (
            (["print", "jour", "--copies", "2"], "--copies ne vaut que pour l'impression sur papier"),
            (["print", "jour", "--printer", cups, "--copies", "0"], "entre 1 et 99"),
            (["print", "jour", "4", "--printer", cups], "ne prend ni n° ni --sign"),
            (["print", "jour", "--date", "2026-11-24"], "Rien à imprimer pour le mardi 24 novembre 2026"),
            (["print", "jour", "--out", str(tmp_path / "un-fichier.pdf")], "n'est pas un dossier"),
            (["imprimantes", "--choose", "Fantome"], "« Fantome » est introuvable")):
        assert cli.main([*args, "--db", str(demo)]) == 2, args
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err, (args, err)
