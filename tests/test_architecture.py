"""The shape of the code, checked: layered capabilities (import-linter contracts in
pyproject.toml), no import circle anywhere, a domain that runs without Textual, and a
start-up path that does not load ReportLab nor pyHanko (the benchmark's cold start)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = 4


def test_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{CONTRACTS} kept, 0 broken" in result.stdout


def _circles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root) & modules)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child) & modules))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_circle_between_modules() -> None:
    """Lazy imports inside functions count too: a circle is a circle, even deferred (names
    imported for the type checker only are not imports at run time)."""
    graph = grimp.build_graph("injonctions_tui", exclude_type_checking_imports=True)
    assert _circles(graph, set(graph.modules)) == []


def test_every_domain_module_imports_without_textual() -> None:
    """Every module of every capability (walked recursively: a new sub-package is checked
    as soon as it exists) imports in a fresh interpreter without loading Textual."""
    code = (
        "import pkgutil, importlib, sys, injonctions_tui.domain as d\n"
        "names = [m.name for m in pkgutil.walk_packages(d.__path__, 'injonctions_tui.domain.')]\n"
        "for name in names: importlib.import_module(name)\n"
        "print(len(names), 'textual' in sys.modules, 'rich' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    count, textual, rich = result.stdout.split()
    assert int(count) >= 80 and textual == "False" and rich == "False"


def test_the_start_up_path_loads_neither_reportlab_nor_pyhanko() -> None:
    """What `injonctions` imports before the first paint (the CLI, the app, the agenda, every
    capability's package): no PDF library, they load on the first print; nor python-pkcs11,
    loaded when a card signs or is read."""
    code = (
        "import pkgutil, importlib, sys, injonctions_tui.domain as d\n"
        "import injonctions_tui.cli, injonctions_tui.app, injonctions_tui.screens.agenda\n"
        "for m in pkgutil.iter_modules(d.__path__): importlib.import_module('injonctions_tui.domain.' + m.name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'reportlab', 'pyhanko', 'pypdf', 'pkcs11'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_each_capability_says_what_it_holds() -> None:
    """Every package of the domain opens with one line saying what it is for and lists
    every module it holds (a module added without a word in its package fails here)."""
    import importlib
    import pkgutil

    import injonctions_tui.domain as domain

    packages = [m.name for m in pkgutil.iter_modules(domain.__path__) if m.ispkg]
    assert sorted(domain.__all__) == sorted(packages)
    for name in packages:
        package = importlib.import_module(f"injonctions_tui.domain.{name}")
        modules = sorted(m.name for m in pkgutil.iter_modules(package.__path__))
        assert sorted(package.__all__) == modules, name
        first_line = (package.__doc__ or "").split("\n")[0]
        assert first_line.endswith(".") and len(first_line) <= 100, name
        for module in modules:
            assert f"- `{module}`:" in package.__doc__, (name, module)


def test_only_the_clock_reads_the_wall_clock() -> None:
    """« Today » comes from domain/core/clock.py alone (issue 13): a `date.today()` or a
    `datetime.now()` elsewhere would make a screen or a document right today and wrong on
    another day, and escape the tests' clock."""
    import re

    wall_clock = re.compile(r"\b(?:date\.today|datetime\.now|datetime\.today|datetime\.utcnow|time\.localtime)\(")
    clock = ROOT / "injonctions_tui" / "domain" / "core" / "clock.py"
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for path in sorted((ROOT / "injonctions_tui").rglob("*.py")) if path != clock
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if wall_clock.search(line)]
    assert offenders == []
    assert wall_clock.search("today = dt.date.today()")  # the pattern does catch the usual spelling
