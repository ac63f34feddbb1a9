"""The app shell on demo data: modes by key and palette, help, search, 80x24."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import Input

from injonctions_tui.screens.agenda import AgendaScreen
from injonctions_tui.screens.deadlines import DeadlinesScreen
from injonctions_tui.screens.dossiers import DossiersScreen
from injonctions_tui.screens.help import HelpScreen
from injonctions_tui.screens.register import RegisterScreen
from injonctions_tui.widgets.record_table import RecordTable
from tests.conftest import run_palette_command
from tests.ui.conftest import demo_app


async def test_opens_on_the_agenda_of_today_with_appointments(demo_db, tmp_path: Path) -> None:
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        title = str(app.screen.query_one("#agenda-title").render())
        assert title.startswith("Lundi 23 novembre 2026") and "mineurs" in title
        assert app.screen.query_one("#agenda-table", RecordTable).row_count >= 5
        assert "phrase secrète : demo" in app.sub_title
        await pilot.press("plus")
        assert "Mardi 24 novembre 2026" in str(app.screen.query_one("#agenda-title").render())
        await pilot.press("right")
        assert "Jeudi 26 novembre 2026" in str(app.screen.query_one("#agenda-title").render())
        await pilot.press("t")
        assert "Lundi 23 novembre 2026" in str(app.screen.query_one("#agenda-title").render())


async def test_function_keys_switch_modes(demo_db, tmp_path: Path) -> None:
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        assert isinstance(app.screen, DossiersScreen) and app.current_mode == "dossiers"
        assert app.screen.query_one("#dossiers-table", RecordTable).row_count >= 55
        await pilot.press("f4")
        assert isinstance(app.screen, DeadlinesScreen)
        assert app.screen.query_one("#deadlines-table", RecordTable).row_count >= 10
        await pilot.press("f5")
        assert isinstance(app.screen, RegisterScreen)
        assert app.screen.query_one("#register-table", RecordTable).row_count >= 5
        assert "habilité(s) à ce jour" in str(app.screen.query_one("#register-count").render())
        await pilot.press("f2")
        assert isinstance(app.screen, AgendaScreen)


async def test_dossier_search_ignores_accents_and_case(demo_db, tmp_path: Path) -> None:
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "ctrl+f")
        assert isinstance(app.focused, Input)
        table = app.screen.query_one("#dossiers-table", RecordTable)
        everyone = table.row_count
        await pilot.press(*"oeillet")
        await pilot.pause()
        assert 0 < table.row_count < everyone
        assert all("ŒILLET" in str(table.get_row_at(i)[0]) for i in range(table.row_count))
        app.screen.query_one("#dossiers-search", Input).value = "lefevre-DEMO"
        await pilot.pause()
        assert table.row_count >= 1
        assert all("LEFÈVRE-DÉMO" in str(table.get_row_at(i)[0]) for i in range(table.row_count))
        await pilot.press(*"zzzz")
        await pilot.pause()
        assert table.row_count == 0
        assert "Aucun dossier" in str(app.screen.query_one("#dossiers-count").render())


async def test_help_lists_the_keys_in_french(demo_db, tmp_path: Path) -> None:
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        keys = " ".join(f"{k} {d}" for k, d in app.screen.key_rows())
        for text in ("Agenda", "Dossiers", "Registre", "Quitter", "Lendemain", "Permanence suivante", "Palette de commandes"):
            assert text in keys
        await pilot.press("escape")
        assert isinstance(app.screen, AgendaScreen)


async def test_command_palette_is_french_and_switches_mode(demo_db, tmp_path: Path) -> None:
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        assert CommandPalette.is_open(app)
        assert app.screen.query_one(Input).placeholder.startswith("Rechercher une commande…")
        await run_palette_command(pilot, "registre")
        assert app.current_mode == "register"
