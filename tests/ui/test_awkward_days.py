"""The app on the days that break date code, with the app's clock set there: the end of a
year (and a year that changes during the run), 29 February, and public holidays falling
on the minors' and the adults' permanence days.

`tests/any_day.sh` runs the whole suite with the *system* clock moved to these moments;
here the app's own clock is, so the flows are exercised on those days every run.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import holidays
import pytest

from injonctions_tui import cli
from injonctions_tui.app import InjonctionsApp, StartupPlan
from injonctions_tui.domain.core import clock
from injonctions_tui.domain.demo.builder import populate_demo
from injonctions_tui.domain.store import storage
from injonctions_tui.screens.agenda import AgendaScreen
from injonctions_tui.screens.deadlines import DeadlinesScreen
from injonctions_tui.widgets.record_table import RecordTable
from tests.conftest import PASSPHRASE, at, wait_until

AWKWARD = {
    "dimanche 31 décembre 2028": dt.datetime(2028, 12, 31, 10, 0),
    "mardi 29 février 2028": dt.datetime(2028, 2, 29, 10, 0),
    "lundi 14 juillet 2031 (férié, jour des mineurs)": dt.datetime(2031, 7, 14, 10, 0),
    "jeudi 11 novembre 2027 (férié, jour des majeurs)": dt.datetime(2027, 11, 11, 10, 0),
    "jeudi 31 décembre 2026, 23 h 59 min 30 s": dt.datetime(2026, 12, 31, 23, 59, 30),
}
FRENCH_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                 "octobre", "novembre", "décembre"]


def _next_permanence(day: dt.date) -> dt.date:
    """Monday or Thursday (the default court), not a public holiday: computed here from the
    holidays package, independently of the app's own table."""
    off = holidays.France(years=range(day.year, day.year + 2))
    while day.weekday() not in (0, 3) or day in off:
        day += dt.timedelta(days=1)
    return day


@pytest.fixture(params=list(AWKWARD.values()), ids=list(AWKWARD))
def moment(request: pytest.FixtureRequest) -> dt.datetime:
    at(request.param)
    return request.param


async def test_the_app_opens_on_the_right_permanence_and_lists_deadlines(moment: dt.datetime,
                                                                         tmp_path: Path) -> None:
    database = storage.create_database(tmp_path / "d.db", PASSPHRASE, kdf=storage.FAST_KDF)
    with database.atomic():
        populate_demo(clock.today())
    app = InjonctionsApp(StartupPlan(db_path=tmp_path / "d.db", database=database))
    expected = _next_permanence(moment.date())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        assert app.screen.day == expected
        title = str(app.screen.query_one("#agenda-title").render())
        assert f"{expected.day} {FRENCH_MONTHS[expected.month - 1]} {expected.year}" in title
        assert app.screen.query_one("#agenda-table", RecordTable).row_count > 0
        if moment.month in (12, 1):  # the ARS statement of the year ending (or just ended)
            await wait_until(pilot, lambda: app._notifications, "le rappel de l'état annuel")
            assert any("31 janvier" in n.message for n in app._notifications)
        await pilot.press("f4")
        assert isinstance(app.screen, DeadlinesScreen)
        assert app.screen.query_one("#deadlines-table", RecordTable).row_count > 0
    database.close()


def test_the_command_line_uses_the_same_day(moment: dt.datetime, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.db"
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", "demo")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cli.main(["demo", "--db", str(db), "--no-tui"]) == 0
    day = _next_permanence(moment.date())
    assert cli.main(["agenda", "--db", str(db), "--date", day.isoformat(), "--json"]) == 0
    assert f'"date": "{day.isoformat()}"' in capsys.readouterr().out
    assert cli.main(["echeances", "--db", str(db), "--json"]) == 0
    assert f'"date": "{clock.today().isoformat()}"' in capsys.readouterr().out
