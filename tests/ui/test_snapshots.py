"""Snapshots of each mode and of the start screens (80x24, and a large terminal).

The SVGs live in tests/ui/__snapshots__/; after a deliberate UI change, run
`pytest --snapshot-update` and look at the new images before committing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from injonctions_tui.app import InjonctionsApp, StartupPlan
from injonctions_tui.domain.core.models import Measure
from injonctions_tui.domain.core.people import measure_public
from injonctions_tui.domain.core.vocabulary import Public
from injonctions_tui.domain.store import storage
from injonctions_tui.screens.dossier_detail import DossierDetailScreen
from tests.ui.conftest import demo_app


@pytest.mark.parametrize("mode_key", ["f2", "f3", "f4", "f5"], ids=["agenda", "dossiers", "deadlines", "register"])
def test_each_mode_at_80x24(snap_compare, demo_db, tmp_path: Path, mode_key: str) -> None:  # noqa: F811
    assert snap_compare(demo_app(demo_db, tmp_path), terminal_size=(80, 24), press=[mode_key])


def test_agenda_in_a_large_terminal(snap_compare, demo_db, tmp_path: Path) -> None:  # noqa: F811
    assert snap_compare(demo_app(demo_db, tmp_path), terminal_size=(140, 40))


def test_help_screen(snap_compare, demo_db, tmp_path: Path) -> None:  # noqa: F811
    assert snap_compare(demo_app(demo_db, tmp_path), terminal_size=(80, 24), press=["f1"])


def test_first_run_wizard(snap_compare, tmp_path: Path) -> None:
    app = InjonctionsApp(StartupPlan(db_path=tmp_path / "nouvelle.db", kdf=storage.FAST_KDF))
    assert snap_compare(app, terminal_size=(80, 24))


def test_unlock_screen(snap_compare, configured_db_path: Path) -> None:
    app = InjonctionsApp(StartupPlan(db_path=configured_db_path))
    assert snap_compare(app, terminal_size=(80, 24))


def test_agenda_week_view(snap_compare, demo_db, tmp_path: Path) -> None:  # noqa: F811
    assert snap_compare(demo_app(demo_db, tmp_path), terminal_size=(100, 32), press=["v"])


def test_agenda_on_a_public_holiday(snap_compare, demo_db, tmp_path: Path) -> None:  # noqa: F811
    async def go_to_easter_monday(pilot) -> None:
        pilot.app.screen.day = dt.date(2027, 3, 29)
        pilot.app.screen.refresh_day()
        await pilot.pause()

    assert snap_compare(demo_app(demo_db, tmp_path), terminal_size=(100, 24), run_before=go_to_easter_monday)


def test_saisines_to_convoke(snap_compare, demo_db, tmp_path: Path) -> None:  # noqa: F811
    assert snap_compare(demo_app(demo_db, tmp_path), terminal_size=(100, 24), press=["c"])


@pytest.mark.parametrize("minor", [True, False], ids=["mineur", "majeur"])
def test_dossier_detail(snap_compare, demo_db, tmp_path: Path, minor: bool) -> None:  # noqa: F811
    """The detail of a followed minor (with legal representatives) and of an adult."""
    measure = next(m for m in Measure.select().where(Measure.status == "suivi").order_by(Measure.id)
                   if (measure_public(m) == Public.MINEURS) == minor)

    async def open_detail(pilot) -> None:
        pilot.app.push_screen(DossierDetailScreen(measure.id))
        await pilot.pause()

    assert snap_compare(demo_app(demo_db, tmp_path), terminal_size=(100, 50), run_before=open_detail)


def test_bilan_screen(snap_compare, demo_db, tmp_path: Path) -> None:  # noqa: F811
    async def open_bilan(pilot) -> None:
        from injonctions_tui.screens.bilan import BilanScreen

        pilot.app.push_screen(BilanScreen())
        await pilot.pause()

    assert snap_compare(demo_app(demo_db, tmp_path), terminal_size=(120, 40), run_before=open_bilan)


def test_report_editor_with_flagged_terms(snap_compare, demo_db, tmp_path: Path) -> None:  # noqa: F811
    """The secrecy guard at work: flagged terms painted in the text and listed with why."""
    from injonctions_tui.domain.core.models import Report
    from injonctions_tui.domain.reports.drafts import proposals_for, save_draft
    from injonctions_tui.screens.report_editor import ReportEditorScreen

    draft = Report.select().where(Report.status == "brouillon").order_by(Report.id).first()
    save_draft(draft.id, adherence="partielle", proposal=proposals_for(draft.kind)[0].value,
               observations="Monsieur vient aux rendez-vous. Il est sous méthadone et se dit abstinent.")

    async def open_editor(pilot) -> None:
        pilot.app.push_screen(ReportEditorScreen(draft.id))
        await pilot.pause()

    assert snap_compare(demo_app(demo_db, tmp_path), terminal_size=(120, 36), run_before=open_editor)


def test_professional_with_missing_items(snap_compare, demo_db, tmp_path: Path) -> None:  # noqa: F811
    """BERGAMOTE: habilitated, expiring, with a stale B2 check and certificate."""
    from injonctions_tui.domain.core.models import Professional
    from injonctions_tui.screens.professional import ProfessionalScreen

    professional = Professional.get(Professional.last_name == "BERGAMOTE")

    async def open_professional(pilot) -> None:
        pilot.app.push_screen(ProfessionalScreen(professional.id))
        await pilot.pause()

    assert snap_compare(demo_app(demo_db, tmp_path), terminal_size=(110, 50), run_before=open_professional)


def test_directory_at_80x24(snap_compare, demo_db, tmp_path: Path) -> None:  # noqa: F811
    """The directory of treating structures (palette « Annuaire »): name, short type and public fit
    80 columns; address, phone and secure e-mail come back on a wider terminal."""
    async def open_directory(pilot) -> None:
        pilot.app.action_directory()
        await pilot.pause()

    assert snap_compare(demo_app(demo_db, tmp_path), terminal_size=(80, 24), run_before=open_directory)
