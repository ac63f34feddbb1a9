"""Shared fixtures: the app's clock, and a real encrypted SQLCipher database in a
temporary folder.

Every test runs with the app's clock (`domain.clock`) set to `NOW`, a Monday morning:
no test depends on the day the suite runs. `pytest --today "2028-12-31 10:00"` also
moves the system clock of the whole test process to that moment (time-machine, ticking)
to show that nothing reads it behind the app's clock (`tests/any_day.sh` runs the
awkward days).

Tests use cheap argon2 parameters (`FAST_KDF`) so each fresh database costs
milliseconds; one test in test_storage.py checks the production parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from injonctions_tui.domain.core import clock
from injonctions_tui.domain.store import storage

if TYPE_CHECKING:
    from tests.pkcs11_token import TokenDir

PASSPHRASE = "phrase de test suffisamment longue"

#: A Monday, so the minors' permanence is "today" in tests that need a fixed date.
TODAY = dt.date(2026, 11, 23)
#: The app's clock in every test (ticking from there), during the minors' permanence.
NOW = dt.datetime.combine(TODAY, dt.time(10, 0))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--today", metavar="'AAAA-MM-JJ HH:MM'", default=None,
                     help="move the system clock of the test process to this moment (it keeps ticking)")


def pytest_configure(config: pytest.Config) -> None:
    moment = config.getoption("--today")
    if moment:
        import time_machine

        traveller = time_machine.travel(dt.datetime.fromisoformat(moment).astimezone(), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


@pytest.fixture(autouse=True)
def app_clock() -> Iterator[None]:
    """The one place tests set "today": the app's clock at `NOW`, ticking."""
    with clock.moment(NOW):
        yield


def at(moment: dt.datetime | dt.date) -> clock.Clock:
    """Move the app's clock (a date means 10:00 that day); the `app_clock` fixture puts it back."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(10, 0))
    return clock.set_moment(moment)


def child_environment(**extra: str) -> dict[str, str]:
    """The environment for a child process: this one's, and the app's clock."""
    import os

    return {**os.environ, **clock.environment_for_child(), **extra}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "donnees" / "injonctions.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[object]:
    """A fresh, migrated, encrypted database bound to the models."""
    database = storage.create_database(db_path, PASSPHRASE, kdf=storage.FAST_KDF)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def configured_db_path(db, db_path: Path) -> Path:
    """A closed database with a user and court settings, as after the wizard."""
    from injonctions_tui.domain.store.professionals import create_user, record_habilitation
    from injonctions_tui.domain.store.settings import CourtSettings, save_court

    user = create_user(last_name="Prunelle", first_name="Léon", profession="psychologue", rpps_adeli=None,
                       csapa_name="CSAPA Les Tilleuls (test)", csapa_address="1 rue de l'Exemple, 92000 Nanterre")
    record_habilitation(user, decision_on=dt.date(2026, 1, 15), reference="ARS-TEST-2026-001",
                        valid_until=dt.date(2026, 12, 31))
    save_court(CourtSettings())
    db.close()
    return db_path


async def wait_until(pilot: object, condition: Callable[[], object], what: str, *, limit: float = 60.0) -> None:
    """Let the app run until `condition()` holds: tests wait for the thing they check
    (a toast, a saved draft, the palette's matches), not for a guessed delay. `limit`
    only bounds a test that would otherwise hang."""
    import time

    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"toujours pas après {limit:.0f} s : {what}")
        await pilot.pause(0.02)  # type: ignore[attr-defined]


async def run_palette_command(pilot: object, text: str) -> None:
    """Ctrl+P, type `text`, wait for the palette's matches, run the first one."""
    from textual.command import CommandList, CommandPalette

    app = pilot.app  # type: ignore[attr-defined]
    if not CommandPalette.is_open(app):
        await pilot.press("ctrl+p")  # type: ignore[attr-defined]
    await pilot.press(*text)  # type: ignore[attr-defined]

    def first_match_found() -> bool:
        matches = app.screen.query_one(CommandList)
        if not matches.option_count:
            return False
        prompt = matches.get_option_at_index(0).prompt
        return text.casefold() in getattr(prompt, "plain", str(prompt)).casefold()

    await wait_until(pilot, first_match_found, f"la palette propose « {text} »")
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TokenDir]:
    """A real PKCS#11 token for the whole session: SoftHSM2 tokens with a fictional CA and
    signer certificates (tests/pkcs11_token.py), valid at the tests' clock and the system's.
    SoftHSM2 reads SOFTHSM2_CONF when it is initialised: it is set for the session (child
    processes inherit it) and the library re-initialised. Missing tools FAIL the tests with
    the command that installs them (.ci/run runs it): a signature never goes untested."""
    import os

    from injonctions_tui.domain.printing.pkcs11 import refresh_library
    from tests import pkcs11_token

    missing = pkcs11_token.missing_tools()
    if missing:
        pytest.fail(f"The PKCS#11 tests need {', '.join(missing)}: {pkcs11_token.INSTALL_HINT}.", pytrace=False)
    tokens = pkcs11_token.build_token_dir(tmp_path_factory.mktemp("softhsm"), moments=[NOW.astimezone()])
    before = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = tokens.conf
    refresh_library(tokens.lib_path)
    yield tokens
    if before is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = before


@pytest.fixture(scope="session")
def cups() -> str:
    """A real CUPS server with the virtual PDF printers (tests/cups_printer.py); the name
    of the one that prints. Missing, the tests FAIL with the command that sets it up."""
    from tests import cups_printer

    problems = cups_printer.setup_problems()
    if problems:
        pytest.fail(f"The printing tests need {', '.join(problems)}: {cups_printer.INSTALL_HINT}.", pytrace=False)
    return cups_printer.OK_PRINTER
@pytest.fixture(autouse=True)
def passphrase_variable_per_command(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CLI removes INJONCTIONS_PASSPHRASE from its environment once read (issue 15); a
    script sets it for each command it runs: so do the in-process calls of `cli.main`."""
    import os

    from injonctions_tui import cli

    real = cli.main

    def main(argv: object = None) -> int:
        saved = os.environ.get("INJONCTIONS_PASSPHRASE")
        try:
            return real(argv)  # type: ignore[arg-type]
        finally:
            if saved is not None:
                os.environ["INJONCTIONS_PASSPHRASE"] = saved

    monkeypatch.setattr(cli, "main", main)
    monkeypatch.setattr(cli, "real_main", real, raising=False)
    yield
