"""Dossiers by Pilot: create, see errors, edit, search, open."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from injonctions_tui.app import InjonctionsApp, StartupPlan
from injonctions_tui.domain import models, storage
from injonctions_tui.screens.dossier_detail import DossierDetailScreen
from injonctions_tui.screens.dossier_edit import DossierEditScreen
from injonctions_tui.screens.dossiers import DossiersScreen
from injonctions_tui.widgets.field import Field
from injonctions_tui.widgets.record_table import RecordTable

from .conftest import PASSPHRASE, TODAY


def _open_app(configured_db_path: Path) -> InjonctionsApp:
    database = storage.open_database(configured_db_path, PASSPHRASE)
    return InjonctionsApp(StartupPlan(db_path=configured_db_path, database=database), today=lambda: TODAY)


def _type(app: InjonctionsApp, **values: str) -> None:
    for key, value in values.items():
        app.screen.query_one(f"#{key}", Input).value = value


async def test_create_a_dossier_then_edit_it(configured_db_path: Path) -> None:
    app = _open_app(configured_db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f3", "n")
        assert isinstance(app.screen, DossierEditScreen)
        await pilot.press(*"Castafiore")
        _type(app, first_name="Bianca", birth_date="31/02/1990", parquet_number="26 100 000777",
              saisine_received_on="20/11/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DossierEditScreen)  # refused: the date does not exist
        assert app.screen.query_one("#f-birth_date", Field).has_class("-invalid")
        assert models.Measure.select().count() == 0
        _type(app, birth_date="28/02/1990")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DossierDetailScreen)
        measure = models.Measure.get()
        assert (measure.person.last_name, measure.parquet_number) == ("Castafiore", "26100000777")
        await pilot.press("m")
        assert isinstance(app.screen, DossierEditScreen)
        _type(app, magistrat_referent="M. le substitut Hercule DÉMO")
        await pilot.press("escape")  # changes typed: the first Escape only warns
        assert isinstance(app.screen, DossierEditScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DossierDetailScreen)
        assert models.Measure.get().magistrat_referent == "M. le substitut Hercule DÉMO"
        await pilot.press("escape")
        assert isinstance(app.screen, DossiersScreen)
        table = app.screen.query_one("#dossiers-table", RecordTable)
        assert table.row_count == 1
        await pilot.press("ctrl+f", *"castafi")
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DossierDetailScreen)
    app.database.close()
