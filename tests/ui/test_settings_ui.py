"""Court settings by Pilot: add a permanence, refuse a bad one, save, the agenda follows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Input, Select

from injonctions_tui.app import InjonctionsApp, StartupPlan
from injonctions_tui.domain.store import storage
from injonctions_tui.domain.store.settings import load_court
from injonctions_tui.screens.form_modal import FormModal
from injonctions_tui.screens.settings import SettingsScreen
from tests.conftest import PASSPHRASE


async def test_add_a_tuesday_permanence(configured_db_path: Path) -> None:
    database = storage.open_database(configured_db_path, PASSPHRASE)
    app = InjonctionsApp(StartupPlan(db_path=configured_db_path, database=database))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f6")
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, FormModal)
        app.screen.query_one("#weekday", Select).value = "1"
        app.screen.query_one("#hours", Input).value = "14h-12h"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "finir après" in str(app.screen.query_one("#modal-error").render())
        app.screen.query_one("#hours", Input).value = "14h-17h"
        app.screen.query_one("#slot", Input).value = "20"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert len(load_court().permanences) == 2  # not saved until Ctrl+S
        await pilot.press("ctrl+s")
        await pilot.pause()
        court = load_court()
        tuesday = court.permanences[-1]
        assert (tuesday.weekday, tuesday.start, tuesday.end, tuesday.slot_minutes) == (1, "14:00", "17:00", 20)
        await pilot.press("f2", "plus")  # Tuesday 24/11 is now a permanence day
        title = str(app.screen.query_one("#agenda-title").render())
        assert title.startswith("Mardi 24 novembre 2026 — permanence majeurs 14h-17h")
    database.close()
    assert dt.date(2026, 11, 24).weekday() == 1


async def test_signature_image_from_the_settings(configured_db_path: Path, tmp_path: Path) -> None:
    import io

    from PIL import Image

    from injonctions_tui.domain.printing.signature_image import signature_image

    picture = tmp_path / "signature.png"
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), "white").save(buffer, format="PNG")
    picture.write_bytes(buffer.getvalue())
    database = storage.open_database(configured_db_path, PASSPHRASE)
    app = InjonctionsApp(StartupPlan(db_path=configured_db_path, database=database))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f6", "i")
        assert isinstance(app.screen, FormModal)
        app.screen.query_one("#path", Input).value = str(tmp_path / "absente.png")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)  # refused in place, in French
        app.screen.query_one("#path", Input).value = str(picture)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert signature_image() == picture.read_bytes()
    database.close()


async def test_the_auto_lock_cannot_be_turned_off(configured_db_path: Path) -> None:
    """The base holds health data: 0 (never) and more than 15 minutes are refused, in French."""
    from injonctions_tui.domain.store.settings import lock_minutes

    database = storage.open_database(configured_db_path, PASSPHRASE)
    app = InjonctionsApp(StartupPlan(db_path=configured_db_path, database=database))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        for refused in ("0", "60"):
            app.screen.query_one("#lock_minutes", Input).value = refused
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "entre 1 et 15 minutes" in str(app.screen.query_one("#settings-message").render())
            assert lock_minutes() == 5
        app.screen.query_one("#lock_minutes", Input).value = "2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert lock_minutes() == 2
    database.close()
