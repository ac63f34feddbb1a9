"""The start-up reminders: once per session, never over a dialog's buttons; the auto-lock
delay brought back into bounds and said once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Button
from textual.widgets._toast import Toast

from injonctions_tui.app import InjonctionsApp, StartupPlan
from injonctions_tui.domain.core.models import Setting
from injonctions_tui.domain.store import storage
from injonctions_tui.domain.store.settings import LOCK_MINUTES_KEY, lock_minutes
from injonctions_tui.screens.form_modal import FormModal
from tests.conftest import PASSPHRASE, wait_until


def _titles(app: InjonctionsApp) -> list[str]:
    return [notification.title for notification in app._notifications]


def _uncovered(app: InjonctionsApp) -> bool:
    """Every button of the dialog is what the terminal shows at its centre (no toast on it)."""
    for button in app.screen.query(Button):
        region = button.region
        shown, _ = app.screen.get_widget_at(region.x + region.width // 2, region.y + region.height // 2)
        if shown is not button and button not in shown.ancestors:
            return False
    return True


async def test_the_habilitation_reminder_waits_for_the_dialog_then_never_covers_one(
        configured_db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The user's habilitation ends on 31/12/2026 (38 days from the tests' Monday): reminded."""
    monkeypatch.setattr("injonctions_tui.app.REMINDERS_DELAY", 3600)  # the test says when
    database = storage.open_database(configured_db_path, PASSPHRASE)
    app = InjonctionsApp(StartupPlan(db_path=configured_db_path, database=database))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f6", "ctrl+n")  # a dialog opened before the reminders come
        assert isinstance(app.screen, FormModal)
        monkeypatch.setattr("injonctions_tui.app.REMINDERS_DELAY", 0.01)
        app._reminders()
        for _ in range(5):  # its retries find the dialog still open
            await pilot.pause(0.02)
        assert "Habilitation" not in _titles(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Habilitation" in _titles(app), "le rappel d'habilitation")
        await wait_until(pilot, lambda: app.screen.query(Toast), "le rappel à l'écran")
        assert "expire le 31/12/2026" in str(app.screen.query(Toast).first().render())
        await pilot.press("ctrl+n")  # the same dialog again, the toast still running
        assert isinstance(app.screen, FormModal)
        await wait_until(pilot, lambda: app.screen.query(Toast), "les toasts passés sur le dialogue")
        await pilot.pause()
        assert _uncovered(app)
        await pilot.press("escape")
        app._reminders()  # once per session
        await pilot.pause()
        assert _titles(app).count("Habilitation") == 1
    database.close()


@pytest.mark.parametrize(("stored", "clamped", "said"), [
    (0, 15, "était désactivé"), (60, 15, "réglé sur 60 minutes"), (-3, 15, "était désactivé")])
async def test_an_older_lock_delay_is_clamped_and_said_once(configured_db_path: Path, stored: int, clamped: int,
                                                            said: str) -> None:
    database = storage.open_database(configured_db_path, PASSPHRASE)
    Setting.replace(key=LOCK_MINUTES_KEY, value=json.dumps(stored)).execute()
    assert lock_minutes() == clamped  # clamped on read, before anything is written
    for start in range(2):
        app = InjonctionsApp(StartupPlan(db_path=configured_db_path, database=database))
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await wait_until(pilot, lambda: app.reminded, "les rappels du démarrage")
            await pilot.pause()
            messages = [n.message for n in app._notifications if n.title == "Verrouillage automatique"]
            if start == 0:
                assert len(messages) == 1 and said in messages[0] and "15 minutes" in messages[0]
            else:
                assert messages == []  # said once: the stored value is now in bounds
        assert json.loads(Setting.get(Setting.key == LOCK_MINUTES_KEY).value) == clamped
    database.close()
