"""The app as a professional (or their IT) installs it: the wheel, in a clean virtual
environment, run from elsewhere than this clone.

`python -m build` makes the wheel; it is installed (not editable) in a fresh venv, and
the installed `injonctions` answers --version, builds the demo base, prints a PDF whose
fonts travel with it, and finds its stylesheet, its holiday table and its lexicon inside
the installed package (never in this folder: the commands run from a temporary one,
without PYTHONPATH). Needs the network, as the README's install does (the dependencies
come from the package index, or pip's cache).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from injonctions_tui import __version__
from tests.pdf_checks import embedded_font_problems, text_of

ROOT = Path(__file__).resolve().parent.parent

#: Run by the installed interpreter: what the app finds inside the installed package.
CHECK_ASSETS = """
import asyncio, datetime as dt, sys
from importlib import resources
from pathlib import Path

import injonctions_tui
from injonctions_tui.app import InjonctionsApp, StartupPlan
from injonctions_tui.domain.calendar.slots import holiday_name
from injonctions_tui.domain.core import clock
from injonctions_tui.domain.store import storage

print("package", Path(injonctions_tui.__file__).resolve())
assets = resources.files("injonctions_tui") / "assets"
for name in ("app.tcss", "jours_feries_fr.json", "lexique_secret.txt", "fonts/DejaVuSans.ttf"):
    assert (assets / name).is_file(), name
print("holiday", holiday_name(dt.date(2027, 5, 17)), "holidays package loaded:", "holidays" in sys.modules)
clock.configure_from_environment()
db_path = Path(sys.argv[1])
app = InjonctionsApp(StartupPlan(db_path=db_path, database=storage.open_database(db_path, "demo"), demo=True))

async def run() -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        sheets = [Path(path) for path, _ in app.stylesheet.source if path.endswith(".tcss")]
        print("screen", type(app.screen).__name__)
        print("stylesheet", sheets[0].resolve() if sheets else "absent")

asyncio.run(run())
"""


@dataclass(frozen=True)
class Installed:
    venv: Path
    work: Path
    env: dict[str, str]

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=self.work, env=self.env, input=stdin, capture_output=True, text=True,
                              timeout=600)

    @property
    def bin(self) -> Path:
        return self.venv / ("Scripts" if os.name == "nt" else "bin")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The wheel built from this clone, installed in a new venv (once for this module)."""
    from tests.conftest import child_environment

    base = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(base / "dist"), str(ROOT)],
                           capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = (base / "dist").glob("injonctions_tui-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    pip = subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True,
                         timeout=1800)
    assert pip.returncode == 0, pip.stdout[-3000:] + pip.stderr[-3000:]
    work = base / "ailleurs"
    work.mkdir()
    env = {key: value for key, value in child_environment().items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV") and not key.startswith("INJONCTIONS_")}
    env.update({k: v for k, v in child_environment().items() if k == "INJONCTIONS_NOW"})
    env.update(HOME=str(work), XDG_DATA_HOME=str(work / "data"), XDG_CONFIG_HOME=str(work / "config"),
               INJONCTIONS_DOCUMENTS=str(work / "documents"), PATH=f"{python.parent}{os.pathsep}{env['PATH']}")
    return Installed(venv, work, env)


def test_the_wheel_installs_and_answers_its_version(installed: Installed) -> None:
    done = installed.run(str(installed.bin / "injonctions"), "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"injonctions {__version__} (Python ")


def test_demo_print_and_assets_from_the_installed_package(installed: Installed) -> None:
    injonctions = str(installed.bin / "injonctions")
    db = installed.work / "demo.db"
    done = installed.run(injonctions, "demo", "--no-tui", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "Base de démonstration" in done.stdout
    # A PDF printed by the installed app carries its fonts (DejaVu, from the wheel).
    out = installed.work / "feuille.pdf"
    env_passphrase = {**installed.env, "INJONCTIONS_PASSPHRASE": "demo"}
    done = subprocess.run([injonctions, "print", "permanence", "--date", "2026-11-23", "--db", str(db), "--out",
                           str(out)], cwd=installed.work, env=env_passphrase, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert embedded_font_problems(data) == []
    assert "FEUILLE DE PERMANENCE — lundi 23 novembre 2026" in text_of(data)
    # The lexicon of the secrecy guard, the stylesheet and the holiday table, found in the install.
    flagged = subprocess.run([injonctions, "secret-check", "-", "--db", str(db)], input="Il est sous méthadone.\n",
                             cwd=installed.work, env=env_passphrase, capture_output=True, text=True, timeout=300)
    assert flagged.returncode == 1 and "méthadone" in flagged.stdout, flagged.stderr
    check = installed.run(str(installed.bin / "python"), "-c", CHECK_ASSETS, str(db))
    assert check.returncode == 0, check.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in check.stdout.splitlines())
    assert Path(lines["package"]).is_relative_to(installed.venv) and not Path(lines["package"]).is_relative_to(ROOT)
    assert lines["holiday"] == "Lundi de Pentecôte holidays package loaded: False"
    assert lines["screen"] == "AgendaScreen"
    assert lines["stylesheet"] == str(Path(lines["package"]).parent / "assets" / "app.tcss")
