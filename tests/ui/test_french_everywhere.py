"""French everywhere the user looks (issue 16, point 7): every screen's keys, the help,
the palette's commands and the CLI's help. Textual and argparse speak English by
default (« Focus Next », « Copy selected text », « No matches found », « positional
arguments »): this test finds any that comes back."""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, DataTable, Input, OptionList, Select, TextArea

import injonctions_tui.screens as screens_package
from injonctions_tui.cli import build_parser
from injonctions_tui.screens.help import HelpScreen
from tests.ui.conftest import demo_app

#: Words of Textual's and argparse's English that have no place in a French interface.
ENGLISH = re.compile(
    r"\b(focus|next|previous|copy|selected|quit|search|open|close|save|cancel|toggle|select|scroll|delete|"
    r"paste|undo|redo|submit|clear|show|hide|move|cursor|word|home|the|and|of|to|usage|positional|optional|"
    r"help|message|exit|default|matches|found|command|screenshot|theme|keys|maximize)\b",
    re.IGNORECASE)


def _english(text: str) -> list[str]:
    return ENGLISH.findall(text)


def _screen_classes() -> Iterator[type[Screen]]:
    for module in pkgutil.walk_packages(screens_package.__path__, f"{screens_package.__name__}."):
        for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__.startswith("injonctions_tui."):
                yield cls


def _descriptions(cls: type[Widget]) -> list[tuple[str, str]]:
    return [(key, binding.description) for key, binding in cls._merged_bindings  # type: ignore[union-attr]
            if binding.description]


def test_every_screen_s_keys_are_described_in_french() -> None:
    classes = list(_screen_classes())
    assert len(classes) > 15  # every screen of the app, modals included
    problems = [f"{cls.__name__}: {key} « {text} »" for cls in classes for key, text in _descriptions(cls)
                if _english(text)]
    assert problems == []


def test_the_widgets_keys_shown_in_a_footer_are_french() -> None:
    """Textual's own widgets: what they would show in the footer (show=True) must be French
    — they show none; hidden ones appear nowhere (the help lists the screen's and the app's)."""
    shown = [(cls.__name__, b.description) for cls in (Input, TextArea, DataTable, Select, OptionList, Checkbox)
             for _, b in cls._merged_bindings if b.show and b.description]  # type: ignore[union-attr]
    assert [item for item in shown if _english(item[1])] == []


async def test_the_help_and_the_palette_speak_french(demo_db, tmp_path: Path) -> None:
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        rows = app.screen.key_rows()
        assert ("Tab", "Zone suivante") in rows and rows[-1] == ("Ctrl+C", "Copier la sélection")
        assert rows[0] == ("←", "Permanence précédente")  # the screen's own keys first
        assert [row for row in rows if _english(row[1])] == []
        await pilot.press("escape")
        commands = list(app.get_system_commands(app.screen))
        assert len(commands) > 20  # the app's commands and the agenda's keys
        assert [(c.title, c.help) for c in commands if _english(f"{c.title} {c.help}")] == []


def _parsers(parser: argparse.ArgumentParser, path: str) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, f"{path} {name}")


def test_the_cli_help_is_french_for_every_command() -> None:
    found = list(_parsers(build_parser(), "injonctions"))
    assert len(found) > 20
    # Option names (« --help », « --to ») are names, not English sentences.
    names = re.compile(r"(?<!\w)--?[\w-]+|\b\w+(?:-\w+)+\b")  # « --to », « clear-chain »: names
    problems = {path: sorted(set(_english(names.sub("", parser.format_help())))) for path, parser in found}
    assert {path: words for path, words in problems.items() if words} == {}


def test_binding_keys_are_not_the_point() -> None:
    """The check above looks at descriptions, not at key names (« Tab », « ctrl+s »)."""
    assert _english(Binding("tab", "app.focus_next", "Zone suivante").description) == []
