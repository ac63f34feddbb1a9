"""Importing the parquet's saisines from the app, by Pilot: picker, preview, confirm."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Static

from injonctions_tui.app import InjonctionsApp, StartupPlan
from injonctions_tui.domain.core.models import AuditEvent, Measure
from injonctions_tui.domain.store import storage
from injonctions_tui.domain.store.settings import load_court
from injonctions_tui.screens import saisines_import
from injonctions_tui.screens.saisines import SaisinesScreen
from injonctions_tui.screens.saisines_import import SaisinesFilePicker, SaisinesPreviewModal
from tests.conftest import PASSPHRASE, run_palette_command, wait_until

HEADER = "N° parquet;NOM;Prénom(s);Né(e) le;Date de saisine;Magistrat référent;Téléphone"
GOOD = ("26/900/00001;FICTIF;Ange;14/05/1990;02/11/2026;Mme JUGE-FICTIVE;06 00 00 00 00",
        "26/900/00002;EXEMPLE;Zoé;21/03/2010;05/11/2026;;")


def _csv(folder: Path, name: str, *lines: str) -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _text(app: InjonctionsApp, selector: str) -> str:
    """What a Static shows, as plain text (a Rich table included)."""
    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO())
    console.print(app.screen.query_one(selector, Static).content)
    return console.export_text()


async def _choose(pilot, path: Path) -> None:
    """In the file picker: type the file's path, Enter; then wait for the preview's answer."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, SaisinesFilePicker), "le sélecteur de fichier")
    field = app.screen.query_one(Input)
    field.value = str(path)
    field.focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, SaisinesPreviewModal) and not app.screen.busy,
                     "l'aperçu du fichier")


@pytest.fixture
def app(configured_db_path: Path):
    database = storage.open_database(configured_db_path, PASSPHRASE)
    application = InjonctionsApp(StartupPlan(db_path=configured_db_path, database=database))
    yield application
    database.close()


async def test_import_from_the_saisines_screen_shows_the_preview_then_imports(
        app: InjonctionsApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[bool] = []
    real = saisines_import.preview_saisines

    def in_a_worker(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(saisines_import, "preview_saisines", in_a_worker)
    path = _csv(tmp_path, "saisines.csv", HEADER, *GOOD)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(SaisinesScreen(load_court()))
        await pilot.pause()
        await pilot.press("i")
        await _choose(pilot, path)
        assert threads == [False]  # read in a worker thread: the screen never waits for the file
        assert "2 nouvelle(s) saisine(s) à importer." in _text(app, "#saisines-import-summary")
        rows = _text(app, "#saisines-import-rows")
        assert "FICTIF Ange" in rows and "26/900/00002" in rows
        columns = _text(app, "#saisines-import-columns")
        assert "« Né(e) le » → date de naissance" in columns and "« Téléphone » → ignorée" in columns
        assert Measure.select().count() == 0  # the preview wrote nothing
        assert not app.screen.query_one("#import", Button).disabled
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SaisinesScreen), "le retour aux saisines")
        await pilot.pause()
        assert "2 saisine(s) à convoquer" in _text(app, "#saisines-count")
    assert [m.parquet_number for m in Measure.select().order_by(Measure.id)] == ["26/900/00001", "26/900/00002"]
    assert Measure.get(Measure.parquet_number == "26/900/00001").magistrat_referent == "Mme JUGE-FICTIVE"
    assert AuditEvent.select().where(AuditEvent.action == "import_saisine").count() == 2


async def test_a_file_with_errors_shows_each_line_and_cannot_be_imported(app: InjonctionsApp, tmp_path: Path) -> None:
    path = _csv(tmp_path, "erreurs.csv", HEADER, GOOD[0], "26/900/00003;;Bruno;31/02/1990;02/11/2026;;")
    async with app.run_test(size=(80, 24)) as pilot:
        await run_palette_command(pilot, "importer des saisines")
        await _choose(pilot, path)
        assert "1 ligne(s) en erreur" in _text(app, "#saisines-import-summary")
        problems = _text(app, "#saisines-import-problems")
        assert "ligne 3 : nom manquant" in problems and "ligne 3 : date de naissance : « 31/02/1990 »" in problems
        assert app.screen.query_one("#import", Button).disabled
        await pilot.press("ctrl+s")  # refused: all or nothing
        await pilot.pause()
        assert isinstance(app.screen, SaisinesPreviewModal)
        await pilot.press("ctrl+o")  # another file: the picker again, then the corrected one
        await _choose(pilot, _csv(tmp_path, "corrige.csv", HEADER, GOOD[0]))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SaisinesScreen), "les saisines à convoquer")
    assert Measure.select().count() == 1


async def test_known_numbers_are_listed_with_their_dossier(app: InjonctionsApp, tmp_path: Path) -> None:
    from injonctions_tui.domain.dossiers.saisines import import_saisines
    from tests.conftest import TODAY

    first = import_saisines(_csv(tmp_path, "avant.csv", HEADER, GOOD[0]), today=TODAY)
    path = _csv(tmp_path, "renvoi.csv", HEADER, *GOOD)
    async with app.run_test(size=(120, 40)) as pilot:
        await run_palette_command(pilot, "importer des saisines")
        await _choose(pilot, path)
        known = _text(app, "#saisines-import-known")
        assert f"ligne 2 : 26/900/00001 déjà connu : dossier n° {first.measure_ids[0]} (FICTIF Ange)" in known
        assert "1 nouvelle(s) saisine(s) à importer, 1 déjà connue(s) ignorée(s)." in _text(
            app, "#saisines-import-summary")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SaisinesScreen), "les saisines à convoquer")
    assert Measure.select().count() == 2


@pytest.mark.parametrize(("hostile", "said"), [("the base", "est la base de données chiffrée"),
                                              ("a folder", "est un dossier"),
                                              ("binary", "n'est pas un fichier texte")])
async def test_a_hostile_file_gets_one_french_sentence_and_nothing_is_written(
        app: InjonctionsApp, configured_db_path: Path, tmp_path: Path, hostile: str, said: str) -> None:
    target = {"the base": configured_db_path, "a folder": tmp_path, "binary": tmp_path / "image.csv"}[hostile]
    if hostile == "binary":
        target.write_bytes(bytes(range(256)) * 8)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(SaisinesScreen(load_court()))
        await pilot.pause()
        app.push_screen(SaisinesPreviewModal(target))  # as the picker returns it (it opens a folder itself)
        await wait_until(pilot, lambda: isinstance(app.screen, SaisinesPreviewModal) and not app.screen.busy,
                         "la lecture")
        summary = _text(app, "#saisines-import-summary")
        assert said in summary and "Traceback" not in summary
        assert app.screen.query_one("#import", Button).disabled
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SaisinesScreen)
    assert Measure.select().count() == 0
