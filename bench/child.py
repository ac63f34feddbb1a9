"""The processes `run.py` starts: one cold start, or one memory measurement. Not run by hand.

    python bench/child.py start-bare   T0 ROWS
    python bench/child.py start-app    T0 DB           (key in $BENCH_KEY, hex)
    python bench/child.py memory-app   DB              (key in $BENCH_KEY, hex)
    python bench/child.py memory-bare

T0 is the parent's `time.monotonic()` taken just before it started this process (the
clock is system-wide on Linux), so "ready" includes the interpreter start and every
import. Prints one JSON object on stdout.

Both cold starts run headless (`App.run(headless=True)`, same size) and stop at the
same point: the first refresh after the first real screen is mounted (the agenda for
the app, the table for the bare app), via `call_after_refresh`. The bare app is a
Header, a DataTable and a Footer; its table gets as many rows of the same width as the
agenda shows (ROWS), so both draw comparable content.
"""

from __future__ import annotations

import json
import os
import sys
import time

SIZE = (120, 40)


def _out(payload: dict) -> None:
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def _peak_mb() -> dict[str, float]:
    """Peak resident memory of this process, in MB.

    `VmHWM` (/proc/self/status) is the figure used: `ru_maxrss` (getrusage) is also
    reported, but on Linux it keeps the high-water mark of the parent copied at fork,
    so a child of a big parent reads the parent's size."""
    import resource

    peak = {"ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}  # KiB on Linux
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    peak["vmhwm_mb"] = int(line.split()[1]) / 1024
    except OSError:
        pass
    peak.setdefault("vmhwm_mb", peak["ru_maxrss_mb"])
    return peak


def _bare_app(rows: int, on_ready):
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header

    class Bare(App):
        def compose(self):
            yield Header()
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Jour", "Heure", "Personne", "N° parquet", "Entretien", "Statut", "Repères")
            table.add_rows([("jeu. 26/11", "09h30", f"NOMSYLLABE{i} Prénom", "26123456789", "Suivi semestriel",
                             "Attendu", "nouveau") for i in range(rows)])
            table.focus()
            if on_ready:
                self.call_after_refresh(on_ready, self)

    return Bare()


def start_bare(t0: float, rows: int) -> None:
    marks: dict[str, float] = {}

    def ready(app) -> None:
        marks["ready"] = time.monotonic() - t0
        app.exit()

    app = _bare_app(rows, ready)
    marks["imported"] = time.monotonic() - t0
    app.run(headless=True, size=SIZE)
    _out(marks)


def _open(db_path: str):
    """As the unlock screen opens the base: every check but `quick_check`, which the
    app runs in a worker once the agenda is shown (timed apart by run.py)."""
    from pathlib import Path

    from injonctions_tui.domain.store import storage

    return storage.open_with_key(Path(db_path), bytes.fromhex(os.environ["BENCH_KEY"]),
                                 defer_integrity_check=True)


def start_app(t0: float, db_path: str) -> None:
    from pathlib import Path

    marks: dict[str, float] = {}
    # What `injonctions` imports before the TUI starts: the CLI, then the app.
    from injonctions_tui import cli  # noqa: F401
    from injonctions_tui.app import InjonctionsApp, StartupPlan
    from injonctions_tui.domain.core import clock
    from injonctions_tui.screens.agenda import AgendaScreen

    marks["imported"] = time.monotonic() - t0
    db = _open(db_path)  # after the key derivation: checks the key, quick_check, migrations
    marks["unlocked"] = time.monotonic() - t0
    info: dict[str, object] = {}
    original = AgendaScreen.on_mount

    def ready(screen) -> None:
        marks["ready"] = time.monotonic() - t0
        info["rows"] = len(screen.rows)
        info["title"] = str(screen.query_one("#agenda-title").render())[:60]
        screen.app.exit()

    def on_mount(screen) -> None:
        original(screen)
        marks["agenda_mounted"] = time.monotonic() - t0
        screen.call_after_refresh(ready, screen)

    AgendaScreen.on_mount = on_mount  # type: ignore[method-assign]
    clock.configure_from_environment()  # INJONCTIONS_NOW: the base's TODAY
    app = InjonctionsApp(StartupPlan(db_path=Path(db_path), database=db))
    app.run(headless=True, size=SIZE)
    db.close()
    _out({**marks, **info})


async def _walk(app, keys: list[str]) -> list[str]:
    seen = []
    async with app.run_test(size=SIZE, notifications=False) as pilot:
        await pilot.pause()
        seen.append(type(app.screen).__name__)
        for key in keys:
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
            seen.append(f"{key}:{type(app.screen).__name__}")
    return seen


def memory_app(db_path: str) -> None:
    import asyncio
    from pathlib import Path

    from injonctions_tui.app import InjonctionsApp, StartupPlan
    from injonctions_tui.domain.core import clock

    db = _open(db_path)
    clock.configure_from_environment()  # INJONCTIONS_NOW: the base's TODAY
    app = InjonctionsApp(StartupPlan(db_path=Path(db_path), database=db))
    # Agenda (day), its week view, the dossiers, the échéances, back to the agenda.
    seen = asyncio.run(_walk(app, ["v", "f3", "f4", "f2"]))
    db.close()
    _out({**_peak_mb(), "screens": seen})


def memory_bare() -> None:
    import asyncio

    seen = asyncio.run(_walk(_bare_app(150, None), []))
    _out({**_peak_mb(), "screens": seen})


def main(argv: list[str]) -> None:
    mode = argv[0]
    if mode == "start-bare":
        start_bare(float(argv[1]), int(argv[2]))
    elif mode == "start-app":
        start_app(float(argv[1]), argv[2])
    elif mode == "memory-app":
        memory_app(argv[1])
    elif mode == "memory-bare":
        memory_bare()
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1:])
