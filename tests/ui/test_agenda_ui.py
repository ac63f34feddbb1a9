"""A whole permanence morning by Pilot: mark, print, walk-in, book, convoke."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Input

from injonctions_tui.domain.core import models
from injonctions_tui.screens.agenda import AgendaScreen
from injonctions_tui.screens.document_ready import DocumentReadyModal
from injonctions_tui.screens.form_modal import FormModal
from injonctions_tui.screens.saisines import SaisinesScreen
from injonctions_tui.screens.walk_in import WalkInDialog
from injonctions_tui.widgets.record_table import RecordTable
from tests.conftest import TODAY
from tests.ui.conftest import demo_app


def _appointment(app, index: int) -> models.Appointment:
    return models.Appointment.get_by_id(app.screen.rows[index].appointment_id)


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "documents"
    monkeypatch.setenv("INJONCTIONS_DOCUMENTS", str(folder))
    return folder


async def test_a_permanence_morning(demo_db, tmp_path: Path, documents: Path) -> None:  # noqa: F811
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        assert isinstance(app.screen, AgendaScreen)
        table = app.screen.query_one("#agenda-table", RecordTable)
        awaited = [i for i, row in enumerate(app.screen.rows) if row.status_value == "attendu"]
        first, second = awaited[0], awaited[1]
        table.move_cursor(row=first)
        await pilot.press("p")
        assert _appointment(app, first).status == "present"
        assert table.cursor_row == first + 1  # on to the next person in the queue
        table.move_cursor(row=second)
        await pilot.press("a")
        assert _appointment(app, second).status == "absent"
        # The attestation is refused for an absent person, printed for a present one.
        table.move_cursor(row=second)
        await pilot.press("i")
        await pilot.pause()
        assert not documents.exists() or not list(documents.rglob("*.pdf"))
        table.move_cursor(row=first)
        await pilot.press("i")
        await app.workers.wait_for_complete()
        await pilot.pause()
        printed = list(documents.rglob("attestation-presence-*.pdf"))
        assert len(printed) == 1 and printed[0].stat().st_mode & 0o077 == 0
        assert printed[0].read_bytes().startswith(b"%PDF")
        assert isinstance(app.screen, DocumentReadyModal)  # imprimer, ouvrir, or (here) close
        await pilot.press("escape")
        # Book the next appointment the cadence asks for: Entrée books and prints the convocation.
        before = models.Appointment.select().count()
        await pilot.press("r")
        assert isinstance(app.screen, FormModal)
        proposed_day = app.screen.query_one("#day", Input).value
        await pilot.press("enter")
        await pilot.pause()
        if not isinstance(app.screen, AgendaScreen):  # outside the court's rules: confirmed here
            await pilot.press("tab", "enter")
            await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        assert models.Appointment.select().count() == before + 1
        newest = models.Appointment.select().order_by(models.Appointment.id.desc()).get()
        assert newest.starts_at.strftime("%d/%m/%Y") == proposed_day and newest.status == "attendu"
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert list(documents.rglob("convocation-*.pdf"))
        assert models.Appointment.get_by_id(newest.id).convocation_printed_on == TODAY
        # A walk-in: a person with no dossier.
        await pilot.press("n")
        assert isinstance(app.screen, WalkInDialog)
        await pilot.press(*"Zygomar Séraphin", "enter")
        assert app.screen.query_one("#last_name", Input).value == "ZYGOMAR"
        assert app.screen.query_one("#first_name", Input).value == "Séraphin"
        assert app.focused is app.screen.query_one("#birth_date", Input)
        await pilot.press(*"31/02/2009", "enter")
        await pilot.pause()
        assert isinstance(app.screen, WalkInDialog)  # a date that does not exist: refused in place
        assert "n'existe pas" in str(app.screen.query_one("#modal-error").render())
        assert app.focused is app.screen.query_one("#birth_date", Input)
        app.screen.query_one("#birth_date", Input).value = "28/02/2009"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        walk_in = (models.Appointment.select().join(models.Measure).join(models.Person)
                   .where(models.Person.last_name == "ZYGOMAR").get())
        assert walk_in.walk_in and walk_in.starts_at.date() == TODAY
        assert walk_in.starts_at.time() >= dt.time(10, 0)  # not on a slot already gone
        assert app.screen.rows[table.cursor_row].appointment_id == walk_in.id  # the cursor is on them
        # Convoke a saisine from the list.
        waiting = models.Measure.select().where(models.Measure.status == "a_convoquer").count()
        await pilot.press("c")
        assert isinstance(app.screen, SaisinesScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert models.Measure.select().where(models.Measure.status == "a_convoquer").count() == waiting - 1
        await pilot.press("escape")
        assert isinstance(app.screen, AgendaScreen)
    actions = {e.action for e in models.AuditEvent.select()}
    assert {"rdv_statut", "impression", "accueil_sans_rdv", "convocation"} <= actions


async def test_week_view_and_holiday(demo_db, tmp_path: Path) -> None:  # noqa: F811
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("v")
        title = str(app.screen.query_one("#agenda-title").render())
        assert title.startswith("Semaine du 23/11/2026")
        assert {row.starts_at.date() for row in app.screen.rows} > {TODAY}
        await pilot.press("v")
        app.screen.day = dt.date(2027, 3, 29)  # Easter Monday
        app.screen.refresh_day()
        title = str(app.screen.query_one("#agenda-title").render())
        assert "FERMÉ (Lundi de Pâques)" in title


async def test_the_highlighted_row_says_what_is_late(demo_db, tmp_path: Path) -> None:  # noqa: F811
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        rows = app.screen.rows
        late = next(i for i, row in enumerate(rows) if row.overdue)
        app.screen.query_one("#agenda-table", RecordTable).move_cursor(row=late)
        await pilot.pause()
        detail = app.screen.query_one("#agenda-row-detail")
        assert detail.display and rows[late].overdue_reason in str(detail.render())
        calm = next(i for i, row in enumerate(rows) if not row.overdue)
        app.screen.query_one("#agenda-table", RecordTable).move_cursor(row=calm)
        await pilot.pause()
        assert not detail.display
