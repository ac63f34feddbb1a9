"""Every mode without F keys: Alt+digit as terminals send it, Ctrl+G « Aller à », shown in
the mode bar and the help; the user's keymap file applied, or refused in French."""

from __future__ import annotations

from pathlib import Path

import pytest

from injonctions_tui.screens.agenda import AgendaScreen
from injonctions_tui.screens.deadlines import DeadlinesScreen
from injonctions_tui.screens.dossiers import DossiersScreen
from injonctions_tui.screens.goto import GotoModal
from injonctions_tui.screens.help import HelpScreen
from injonctions_tui.screens.register import RegisterScreen
from injonctions_tui.screens.settings import SettingsScreen
from injonctions_tui.widgets.mode_bar import ModeBar
from tests.conftest import wait_until
from tests.ui.conftest import demo_app

#: What Textual reads when a terminal sends Alt+digit (ESC + digit: xterm, GNOME Terminal,
#: Windows Terminal, tmux) or macOS types Option+digit (US layout): checked in tmux.
ESC_DIGIT = {"1": "inverted_exclamation_mark", "2": "trade_mark_sign", "3": "pound_sign", "4": "cent_sign",
             "5": "infinity", "6": "section_sign"}


def _messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_alt_digit_reaches_every_mode_and_the_help(demo_db, tmp_path: Path) -> None:
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        for digit, screen in (("3", DossiersScreen), ("4", DeadlinesScreen), ("5", RegisterScreen),
                              ("6", SettingsScreen), ("2", AgendaScreen)):
            await pilot.press(ESC_DIGIT[digit])
            await wait_until(pilot, lambda screen=screen: isinstance(app.screen, screen), screen.__name__)
        await pilot.press("alt+4")  # kitty's keyboard protocol sends the key itself
        await wait_until(pilot, lambda: isinstance(app.screen, DeadlinesScreen), "alt+4")
        await pilot.press(ESC_DIGIT["1"])
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "l'aide")
        rows = dict((action, keys) for keys, action in app.screen.key_rows())
        assert rows["Dossiers"] == "F3, Alt+3" and rows["Aide"] == "F1, Alt+1"
        assert rows["Aller à (modes, aide)"] == "Ctrl+G" and rows["Imprimer les papiers du jour"] == "Ctrl+B"
        assert "Sans touches F : Alt+chiffre" in str(app.screen.query_one("#help-about").render())


async def test_ctrl_g_goes_anywhere_by_digit_or_initial(demo_db, tmp_path: Path) -> None:
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        for typed, screen in (("3", DossiersScreen), ("e", DeadlinesScreen), ("é", DeadlinesScreen),
                              ("r", RegisterScreen), ("6", SettingsScreen), ("a", AgendaScreen)):
            await pilot.press("ctrl+g")
            await wait_until(pilot, lambda: isinstance(app.screen, GotoModal), "« Aller à »")
            await pilot.press(typed)
            await wait_until(pilot, lambda screen=screen: isinstance(app.screen, screen), f"{typed} : {screen}")
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, GotoModal), "« Aller à »")
        await pilot.press("down", "enter")  # the arrows and Enter too: the second line is Dossiers
        await wait_until(pilot, lambda: isinstance(app.screen, DossiersScreen), "Entrée")
        await pilot.press("ctrl+g", "question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "l'aide")
        await pilot.press("escape", "ctrl+g", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, DossiersScreen), "rester ici")


async def test_the_mode_bar_says_the_keys_as_wide_as_the_terminal_allows(demo_db, tmp_path: Path) -> None:
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = str(app.screen.query_one(ModeBar).render())
        assert bar.split() == ["F2", "Agenda", "F3", "Dossiers", "F4", "Échéances", "F5", "Registre", "F6",
                               "Paramètres", "^G", "Aller", "à"]
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        bar = str(app.screen.query_one(ModeBar).render())
        assert "F2/Alt+2 Agenda" in bar and "F6/Alt+6 Paramètres" in bar
        assert "F1/Alt+1 Aide" in bar and "^G Aller à" in bar


async def test_the_user_s_keymap_file_changes_the_keys_everywhere(demo_db, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    keymap = tmp_path / "raccourcis.toml"
    keymap.write_text('# mes touches\n[raccourcis]\nmode.register = "f5,alt+r"\n"mode.dossiers" = "ctrl+y"\n'
                      '"agenda.present" = "p,space"\n', encoding="utf-8")
    monkeypatch.setenv("INJONCTIONS_RACCOURCIS", str(keymap))
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        assert not _messages(app)
        bar = str(app.screen.query_one(ModeBar).render())
        assert "F5/Alt+R Registre" in bar and "^Y Dossiers" in bar
        await pilot.press("alt+r")
        await wait_until(pilot, lambda: isinstance(app.screen, RegisterScreen), "alt+r")
        await pilot.press("f3")  # no longer a key of Dossiers
        await pilot.pause()
        assert isinstance(app.screen, RegisterScreen)
        await pilot.press("ctrl+y")
        await wait_until(pilot, lambda: isinstance(app.screen, DossiersScreen), "ctrl+y")
        await pilot.press("f2", "f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "l'aide")
        rows = dict((action, keys) for keys, action in app.screen.key_rows())
        assert rows["Présent"] == "p, Espace" and rows["Dossiers"] == "Ctrl+Y"


@pytest.mark.parametrize(("content", "reason"), [
    ('[raccourcis\n"mode.agenda" = "f2"', "n'est pas du TOML valide (ligne 1)"),
    ('"mode.agneda" = "f2"', "« mode.agneda » n'est pas une action de l'application"),
    ('"mode.agenda" = "ctrl+é+x"', "« ctrl+é+x » : modificateur inconnu"),
    ('"mode.agenda" = "f2,touche-magique"', "« touche-magique » n'est pas une touche connue"),
    ('"mode.agenda" = 2', "les touches s'écrivent entre guillemets"),
])
async def test_a_bad_keymap_file_is_said_and_the_defaults_kept(demo_db, tmp_path: Path, content: str, reason: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    keymap = tmp_path / "raccourcis.toml"
    keymap.write_text(content, encoding="utf-8")
    monkeypatch.setenv("INJONCTIONS_RACCOURCIS", str(keymap))
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: _messages(app), "l'avertissement")
        (message,) = [m for m in _messages(app) if m.startswith("Raccourcis")]
        assert reason in message and str(keymap) in message
        assert message.endswith("les touches par défaut sont utilisées.")
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, DossiersScreen), "les touches par défaut")
