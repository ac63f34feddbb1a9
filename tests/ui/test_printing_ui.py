"""Paper from the app, on a real CUPS server: a written document offered to print or open,
the day's papers as one job (Ctrl+B or the palette), the printer chosen in Paramètres,
failures in a dialog that says where the documents stay."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from textual.widgets import Input, Select

from injonctions_tui.domain.printing.print_common import PrintJob
from injonctions_tui.domain.printing.print_settings import PrintSettings, load_print_settings, save_print_settings
from injonctions_tui.screens.agenda import AgendaScreen
from injonctions_tui.screens.document_ready import DocumentReadyModal
from injonctions_tui.screens.error import ErrorScreen
from injonctions_tui.screens.form_modal import FormModal
from injonctions_tui.screens.settings import SettingsScreen
from injonctions_tui.widgets.record_table import RecordTable
from tests.conftest import run_palette_command, wait_until
from tests.cups_printer import OFFLINE_PRINTER, REJECT_PRINTER, pages_of, printed_file
from tests.ui.conftest import demo_app


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "documents"
    monkeypatch.setenv("INJONCTIONS_DOCUMENTS", str(folder))
    return folder


def _messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def _sent(app, printer: str) -> PrintJob | None:
    """The job the app announced (« … (travail n° 12) … »), once it did."""
    for message in _messages(app):
        found = re.search(r"\(travail n° (\d+)\)", message)
        if found and printer in message:
            return PrintJob(f"{printer}-{found.group(1)}", printer, 1, 0, ())
    return None


async def _attestation(app, pilot) -> None:
    """« i » on the first person present: the attestation is written, then offered."""
    assert isinstance(app.screen, AgendaScreen)
    present = next(i for i, row in enumerate(app.screen.rows) if row.status_value == "present")
    app.screen.query_one("#agenda-table", RecordTable).move_cursor(row=present)
    await pilot.press("i")
    await wait_until(pilot, lambda: isinstance(app.screen, DocumentReadyModal), "l'offre d'imprimer")


async def test_a_written_document_is_printed_with_enter(demo_db, tmp_path: Path, documents: Path, cups: str) -> None:
    save_print_settings(PrintSettings(cups, 2))
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _attestation(app, pilot)
        (written,) = documents.rglob("attestation-presence-*.pdf")
        assert app.screen.summary == f"Document enregistré : {written}"
        assert f"imprimante « {cups} », 2 exemplaires" in str(app.screen.query_one(".dialog-hint").render())
        await pilot.press("enter")
        await wait_until(pilot, lambda: _sent(app, cups), "l'envoi à l'imprimante")
        assert isinstance(app.screen, AgendaScreen)
        assert any("1 document, 1 page, 2 exemplaires." in m for m in _messages(app))
        texts = pages_of(printed_file(_sent(app, cups)))
        assert len(texts) == 2 and all("ATTESTATION DE PR" in text for text in texts)
    assert len(list(documents.rglob("attestation-presence-*.pdf"))) == 1


async def test_o_opens_the_document_in_the_system_viewer(demo_db, tmp_path: Path, documents: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "ouvert.txt"
    (bin_dir / "xdg-open").write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{record}"\n')
    (bin_dir / "xdg-open").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _attestation(app, pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: any(m.startswith("Ouvert dans la visionneuse") for m in _messages(app)),
                         "l'ouverture")
        deadline = time.monotonic() + 30
        while not (record.exists() and record.read_text()) and time.monotonic() < deadline:
            await pilot.pause(0.02)
    (written,) = documents.rglob("attestation-presence-*.pdf")
    assert record.read_text() == str(written)


async def test_a_printer_that_fails_says_so_and_keeps_the_document(demo_db, tmp_path: Path, documents: Path,
                                                                   cups: str) -> None:
    save_print_settings(PrintSettings(OFFLINE_PRINTER))
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _attestation(app, pilot)
        await pilot.click("#document-print")
        await wait_until(pilot, lambda: isinstance(app.screen, ErrorScreen), "l'erreur")
        (written,) = documents.rglob("attestation-presence-*.pdf")
        assert app.screen.message == (f"L'imprimante « {OFFLINE_PRINTER} » est hors ligne (arrêtée) ; le document "
                                      f"reste enregistré : {written}.")


async def test_the_day_s_papers_as_one_job_from_the_agenda(demo_db, tmp_path: Path, documents: Path,
                                                           cups: str) -> None:
    save_print_settings(PrintSettings(cups, 1))
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+b")
        await wait_until(pilot, lambda: isinstance(app.screen, FormModal), "la confirmation")
        intro = str(app.screen.query_one(".step-intro").render())
        assert intro.startswith("Lundi 23 novembre 2026 : la feuille de permanence, 2 attestations de présence, "
                                "2 convocations et 4 papiers d'orientation, "
                                f"en un seul envoi vers l'imprimante « {cups} », 1 exemplaire.")
        await pilot.press("enter")
        await wait_until(pilot, lambda: _sent(app, cups), "l'envoi des papiers du jour")
        texts = pages_of(printed_file(_sent(app, cups)))
        assert len(texts) == 10 and "FEUILLE DE PERMANENCE" in texts[0]
        assert len(list(documents.rglob("*.pdf"))) == 9
        # From the palette too; a day without anything says so.
        await pilot.press("plus")  # Tuesday: no permanence
        await run_palette_command(pilot, "papiers du jour")
        await wait_until(pilot, lambda: any(m.startswith("Rien à imprimer pour le mardi 24 novembre 2026")
                                            for m in _messages(app)), "rien à imprimer")


async def test_the_printer_and_the_copies_are_chosen_in_the_settings(demo_db, tmp_path: Path, cups: str) -> None:
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(110, 34)) as pilot:
        await pilot.press("f6")
        assert isinstance(app.screen, SettingsScreen)
        assert "imprimante par défaut du poste, 1 exemplaire" in str(app.screen.query_one("#settings-printer").render())
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, FormModal), "le choix de l'imprimante")
        select = app.screen.query_one("#printer", Select)
        offered = [value for _, value in select._options]
        assert cups in offered and REJECT_PRINTER in offered and offered[0] == "-"
        select.value = REJECT_PRINTER
        app.screen.query_one("#copies", Input).value = "100"
        await pilot.press("ctrl+s")
        assert "Exemplaires : un nombre entre 1 et 99." in str(app.screen.query_one("#modal-error").render())
        app.screen.query_one("#copies", Input).value = "3"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen), "l'enregistrement")
        assert load_print_settings() == PrintSettings(REJECT_PRINTER, 3)
        assert f"imprimante « {REJECT_PRINTER} », 3 exemplaires" in str(
            app.screen.query_one("#settings-printer").render())
