"""The screens' tests: the app on the demonstration base, at the clock of the tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from injonctions_tui.app import InjonctionsApp, StartupPlan
from injonctions_tui.domain.demo.builder import populate_demo
from injonctions_tui.domain.store import storage
from tests.conftest import PASSPHRASE, TODAY, at

#: Where the app looks for the user's keymap in the tests: nowhere (a fixed path, so the help's
#: snapshot does not change with the temporary folder); tests that need one point elsewhere.
NO_KEYMAP = Path("/nonexistent-injonctions-tests/raccourcis.toml")


@pytest.fixture(autouse=True)
def no_user_keymap(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never the tester's own keymap file."""
    monkeypatch.setenv("INJONCTIONS_RACCOURCIS", str(NO_KEYMAP))


@pytest.fixture
def demo_db(tmp_path: Path) -> Iterator[object]:
    database = storage.create_database(tmp_path / "demo.db", PASSPHRASE, kdf=storage.FAST_KDF)
    with database.atomic():
        populate_demo(TODAY)
    yield database
    database.close()


def demo_app(database, tmp_path: Path) -> InjonctionsApp:
    at(dt.datetime.combine(TODAY, dt.time(10, 5)))  # just after the demo's "now"
    return InjonctionsApp(StartupPlan(db_path=tmp_path / "demo.db", database=database, demo=True,
                                      demo_passphrase="demo"))
