"""The domain layer never imports Textual: checked by the import-linter contract."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_domain_imports_without_textual_loaded() -> None:
    """Importing every domain module in a fresh interpreter never loads Textual."""
    code = (
        "import pkgutil, importlib, sys, injonctions_tui.domain as d\n"
        "for m in pkgutil.iter_modules(d.__path__): importlib.import_module('injonctions_tui.domain.' + m.name)\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
