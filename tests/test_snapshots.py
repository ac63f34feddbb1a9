"""Snapshots of each mode and of the start screens (80x24, and a large terminal).

The SVGs live in tests/__snapshots__/; after a deliberate UI change, run
`pytest --snapshot-update` and look at the new images before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from injonctions_tui.app import InjonctionsApp, StartupPlan
from injonctions_tui.domain import storage

from .conftest import TODAY
from .test_app_modes import demo_app, demo_db  # noqa: F401 - fixture re-used


@pytest.mark.parametrize("mode_key", ["f2", "f3", "f4"], ids=["agenda", "dossiers", "registre"])
def test_each_mode_at_80x24(snap_compare, demo_db, tmp_path: Path, mode_key: str) -> None:  # noqa: F811
    assert snap_compare(demo_app(demo_db, tmp_path), terminal_size=(80, 24), press=[mode_key])


def test_agenda_in_a_large_terminal(snap_compare, demo_db, tmp_path: Path) -> None:  # noqa: F811
    assert snap_compare(demo_app(demo_db, tmp_path), terminal_size=(140, 40))


def test_help_screen(snap_compare, demo_db, tmp_path: Path) -> None:  # noqa: F811
    assert snap_compare(demo_app(demo_db, tmp_path), terminal_size=(80, 24), press=["f1"])


def test_first_run_wizard(snap_compare, tmp_path: Path) -> None:
    app = InjonctionsApp(StartupPlan(db_path=tmp_path / "nouvelle.db", kdf=storage.FAST_KDF), today=lambda: TODAY)
    assert snap_compare(app, terminal_size=(80, 24))


def test_unlock_screen(snap_compare, configured_db_path: Path) -> None:
    app = InjonctionsApp(StartupPlan(db_path=configured_db_path), today=lambda: TODAY)
    assert snap_compare(app, terminal_size=(80, 24))
