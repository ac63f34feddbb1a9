"""The bilan screen (aggregates, charts) and the état justificatif, from the palette."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Sparkline

from injonctions_tui.domain.core import models
from injonctions_tui.screens.bilan import BilanScreen
from injonctions_tui.widgets.record_table import RecordTable
from tests.conftest import run_palette_command, wait_until
from tests.ui.conftest import demo_app


async def test_bilan_figures_charts_and_statement(demo_db, tmp_path: Path,  # noqa: F811
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INJONCTIONS_DOCUMENTS", str(tmp_path / "docs"))
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await run_palette_command(pilot, "bilan")
        assert isinstance(app.screen, BilanScreen)
        assert "Bilan d'activité 2026" in str(app.screen.query_one("#bilan-title").render())
        table = app.screen.query_one("#bilan-table", RecordTable)
        figures = {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert int(figures["Mesures reçues"]) > 0 and figures["Évaluations dans le mois"].endswith("%")
        names = {p.last_name for p in models.Person.select()}
        assert not names & {str(table.get_row_at(i)[0]) for i in range(table.row_count)}
        assert sum(app.screen.query_one("#chart-received", Sparkline).data) == int(figures["Mesures reçues"])
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        produced = sorted(p.name for p in (tmp_path / "docs" / "2026").iterdir())
        assert produced == ["etat-justificatif-2026.csv", "etat-justificatif-2026.pdf"]
        await pilot.press("left")
        assert "Bilan d'activité 2025" in str(app.screen.query_one("#bilan-title").render())


async def test_december_reminds_the_statement(tmp_path: Path) -> None:
    import datetime as dt

    from injonctions_tui.app import InjonctionsApp, StartupPlan
    from injonctions_tui.domain.demo.builder import populate_demo
    from injonctions_tui.domain.store import storage
    from tests.conftest import PASSPHRASE, at

    database = storage.create_database(tmp_path / "d.db", PASSPHRASE, kdf=storage.FAST_KDF)
    december = dt.date(2026, 12, 7)
    populate_demo(december)
    at(december)
    app = InjonctionsApp(StartupPlan(db_path=tmp_path / "d.db", database=database))
    async with app.run_test(size=(100, 30)) as pilot:
        # The agenda first, the reminders REMINDERS_DELAY (0.3 s) later.
        await wait_until(pilot, lambda: app._notifications, "les rappels")
        messages = [n.message for n in app._notifications]
        assert any("31 janvier 2027" in m for m in messages), messages
    database.close()
