"""The package type-checks for every system it is used on: Linux, Windows and macOS.

`mypy --platform …` reads `sys.platform` checks as the target system would: a POSIX-only
module (fcntl) or attribute (os.fchmod, os.pread) used without a guard fails here, as it
would fail on the professional's Windows laptop. The configuration is pyproject.toml's
[tool.mypy] (which third-party packages have no types, and why).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLATFORMS = ("linux", "win32", "darwin")


def mypy(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(ROOT / ".mypy_cache"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_package_type_checks_for(platform: str) -> None:
    done = mypy("--platform", platform)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Success: no issues found"), done.stdout


def test_the_check_catches_what_windows_lacks(tmp_path: Path) -> None:
    """What the instance lock and the PDF saving used to do unguarded: refused for Windows,
    accepted for Linux, and accepted for Windows once guarded."""
    unguarded = tmp_path / "unguarded.py"
    unguarded.write_text("import fcntl\nimport os\n\n\ndef lock(fd: int) -> None:\n"
                         "    fcntl.flock(fd, fcntl.LOCK_EX)\n    os.fchmod(fd, 0o600)\n")
    guarded = tmp_path / "guarded.py"
    guarded.write_text("import os\nimport sys\n\n\ndef protect(fd: int) -> None:\n"
                       "    if sys.platform != 'win32':\n        os.fchmod(fd, 0o600)\n")
    options = ("--no-incremental", "--config-file", "/dev/null")
    windows = mypy(*options, "--platform", "win32", str(unguarded), cwd=tmp_path)
    assert windows.returncode == 1
    assert 'Module has no attribute "flock"' in windows.stdout and 'Module has no attribute "fchmod"' in windows.stdout
    assert mypy(*options, "--platform", "linux", str(unguarded), cwd=tmp_path).returncode == 0
    assert mypy(*options, "--platform", "win32", str(guarded), cwd=tmp_path).returncode == 0
