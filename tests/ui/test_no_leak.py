"""No personal data outside the encrypted database: after the demo and a whole workflow
(TUI morning, report, backup, exports of aggregates), no demo name or parquet number is
in any file written under the user's data, state, cache, config or temp directories.

Printed documents and exports of records are personal data by design (the user asked
for them, in the folder they chose): they are checked to be where they were asked for,
and nowhere else.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from injonctions_tui import cli
from injonctions_tui.app import InjonctionsApp, StartupPlan
from injonctions_tui.domain.core import models
from injonctions_tui.domain.store import storage
from injonctions_tui.widgets.record_table import RecordTable


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    for var, sub in (("HOME", ""), ("XDG_DATA_HOME", ".local/share"), ("XDG_STATE_HOME", ".local/state"),
                     ("XDG_CACHE_HOME", ".cache"), ("XDG_CONFIG_HOME", ".config"), ("TMPDIR", "tmp")):
        (home / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setattr(tempfile, "tempdir", str(home / "tmp"))
    monkeypatch.setenv("INJONCTIONS_DOCUMENTS", str(tmp_path / "documents-choisis"))
    monkeypatch.delenv("INJONCTIONS_DB", raising=False)
    monkeypatch.delenv("INJONCTIONS_PASSPHRASE", raising=False)
    return home


async def test_nothing_personal_outside_the_database(sandbox: Path, tmp_path: Path) -> None:
    db_path = sandbox / ".local/share/injonctions-tui/injonctions.db"
    assert cli.main(["demo", "--db", str(db_path), "--no-tui"]) == 0
    database = storage.open_database(db_path, "demo")
    secrets = {p.last_name for p in models.Person.select()} | {
        m.parquet_number for m in models.Measure.select() if m.parquet_number}
    app = InjonctionsApp(StartupPlan(db_path=db_path, database=database, demo=True))
    async with app.run_test(size=(100, 30)) as pilot:
        rows = app.screen.rows
        index = next(i for i, r in enumerate(rows) if r.status_value == "attendu")
        app.screen.query_one("#agenda-table", RecordTable).move_cursor(row=index)
        await pilot.press("p")  # the cursor moves on: back to the person marked present
        app.screen.query_one("#agenda-table", RecordTable).move_cursor(row=index)
        await pilot.press("i", "f3", "ctrl+f", *"lam")
        await pilot.press("f4", "f5", "f2", "ctrl+l")
        await app.workers.wait_for_complete()
    database.close()
    leaks = []
    for path in sandbox.rglob("*"):
        if not path.is_file() or path.suffix in {".db", ".db-wal", ".db-shm"}:
            continue
        content = path.read_bytes()
        found = sorted(s for s in secrets if s.encode() in content)
        if found:
            leaks.append(f"{path.relative_to(sandbox)} : {found[:3]}")
    assert leaks == []
    printed = list((tmp_path / "documents-choisis").rglob("*.pdf"))
    assert len(printed) == 1  # the attestation: where the user asked, nowhere else
