"""Auto-lock (nothing personal shown, input kept) and the audit trail screen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from injonctions_tui.app import InjonctionsApp, StartupPlan
from injonctions_tui.domain.core import models
from injonctions_tui.domain.store import storage
from injonctions_tui.domain.store.settings import save_lock_minutes
from injonctions_tui.screens.dossier_edit import DossierEditScreen
from injonctions_tui.screens.journal import JournalScreen
from injonctions_tui.screens.lock import LockScreen
from injonctions_tui.widgets.record_table import RecordTable
from tests.conftest import PASSPHRASE, run_palette_command, wait_until


def _app(configured_db_path: Path) -> InjonctionsApp:
    database = storage.open_database(configured_db_path, PASSPHRASE)
    return InjonctionsApp(StartupPlan(db_path=configured_db_path, database=database))


async def test_lock_hides_everything_and_keeps_typed_input(configured_db_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("injonctions_tui.screens.lock.FAILURE_DELAYS", (0, 0))
    app = _app(configured_db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3", "ctrl+n")
        assert isinstance(app.screen, DossierEditScreen)
        await pilot.press(*"Castafiore")
        await pilot.press("ctrl+l")
        assert isinstance(app.screen, LockScreen)
        visible = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "Castafiore" not in visible
        assert app.screen.styles.background.a == 1  # opaque: nothing shows through
        await pilot.press("f3")  # modes are out of reach while locked
        assert isinstance(app.screen, LockScreen)
        await pilot.press(*"mauvaise", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert "incorrecte" in str(app.screen.query_one("#lock-message").render())
        app.screen.query_one("#lock-passphrase", Input).value = PASSPHRASE
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DossierEditScreen)
        assert app.screen.query_one("#last_name", Input).value == "Castafiore"
    actions = [e.action for e in models.AuditEvent.select().order_by(models.AuditEvent.id)]
    assert actions[-3:] == ["verrouillage", "echec_deverrouillage", "deverrouillage"]
    app.database.close()


async def test_idle_time_locks_the_screen(configured_db_path: Path) -> None:
    app = _app(configured_db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        save_lock_minutes(1)
        app.last_activity -= 61
        app._lock_if_idle()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
    app.database.close()


async def test_journal_lists_who_did_what(configured_db_path: Path) -> None:
    app = _app(configured_db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f6", "j")
        assert isinstance(app.screen, JournalScreen)
        table = app.screen.query_one("#journal-table", RecordTable)
        assert table.row_count >= 1
        assert "Ouverture de l'application" in [str(c) for c in table.get_row_at(0)]
    app.database.close()


async def test_backup_from_the_palette(configured_db_path: Path, tmp_path: Path) -> None:
    from injonctions_tui.screens.form_modal import FormModal

    app = _app(configured_db_path)
    target = tmp_path / "cle-usb"
    async with app.run_test(size=(100, 30)) as pilot:
        await run_palette_command(pilot, "sauvegarder")
        assert isinstance(app.screen, FormModal)
        app.screen.query_one("#folder", Input).value = str(target)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    (copy,) = target.glob("*.db")
    assert storage.is_encrypted_file(copy)
    from injonctions_tui.domain.store.backup import verify_backup

    assert verify_backup(copy, PASSPHRASE).counts
    app.database.close()


async def test_passphrase_change_from_the_palette_shows_its_strength_while_typing(configured_db_path: Path) -> None:
    from injonctions_tui.screens.passphrase import PassphraseModal

    app = _app(configured_db_path)
    new = "les hérons gris du canal dorment debout"
    async with app.run_test(size=(100, 30)) as pilot:
        await run_palette_command(pilot, "phrase secrète")
        assert isinstance(app.screen, PassphraseModal)
        modal = app.screen
        modal.query_one("#current", Input).value = PASSPHRASE
        modal.query_one("#new", Input).value = "Nanterre2026"
        await pilot.pause()
        assert "trop facile à deviner" in str(modal.query_one("#modal-error").render())
        modal.query_one("#new", Input).value = new
        modal.query_one("#again", Input).value = new
        await pilot.pause()
        assert "solide" in str(modal.query_one("#modal-error").render())
        await pilot.press("ctrl+s")
        # Waiting for every worker would also wait for the palette's searches, which Textual
        # cancels as the user types (WorkerCancelled): wait for the dialog to close instead.
        await wait_until(pilot, lambda: not isinstance(app.screen, PassphraseModal), "la phrase changée")
        assert models.Person.select().count() == 0  # the app goes on, with the base reopened
    app.database.close()
    storage.open_database(configured_db_path, new).close()
    from injonctions_tui.domain.store import integrity

    with storage.open_database(configured_db_path, new):
        assert integrity.verify_base().intact  # the seals followed the new key
