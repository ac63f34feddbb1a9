"""The app's keys: mode keys that need no Fn, and the user's own keymap file.

F1-F6 need Fn on most Mac and many laptop keyboards, so every mode also answers to
Alt+digit (Alt+2 = F2…) and Ctrl+G opens « Aller à » (a letter or a digit then). What
terminals send for Alt+digit is ESC + digit, which Textual reads as the character macOS
types for Option+digit (™ for Option+2 on a US layout): both are bound, so Alt+2 works in
xterm, GNOME Terminal, Windows Terminal and tmux, and Option+2 in Terminal.app and iTerm2
without any setting; kitty-protocol terminals send « alt+2 » itself, bound too.

The keymap file (TOML, `raccourcis.toml` in the user's settings folder, or the file named
by INJONCTIONS_RACCOURCIS) maps a key binding's id to its keys, as Posting does:

    [raccourcis]
    "mode.agenda" = "f2,ctrl+b"
    "agenda.present" = "p,space"

A bad file never stops the app: it starts with the default keys and says why, in French.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

#: Alt+digit: the key Textual reads from ESC + digit (and from macOS's Option+digit, US layout).
ALT_DIGIT_ALIASES = {"1": "inverted_exclamation_mark", "2": "trade_mark_sign", "3": "pound_sign",
                     "4": "cent_sign", "5": "infinity", "6": "section_sign", "7": "pilcrow_sign",
                     "8": "bullet", "9": "feminine_ordinal_indicator", "0": "masculine_ordinal_indicator"}
_ALIAS_DIGIT = {alias: digit for digit, alias in ALT_DIGIT_ALIASES.items()}
MODIFIERS = ("ctrl", "alt", "shift", "super", "meta", "hyper")
#: The table of the keymap file (keys may also be at the top level).
TABLE = "raccourcis"

#: (mode, its binding id, default keys, title), in the order of the mode bar; "help" is F1.
MODES: tuple[tuple[str, str, str, str], ...] = (
    ("agenda", "mode.agenda", "f2,alt+2", "Agenda"),
    ("dossiers", "mode.dossiers", "f3,alt+3", "Dossiers"),
    ("deadlines", "mode.deadlines", "f4,alt+4", "Échéances"),
    ("register", "mode.register", "f5,alt+5", "Registre"),
    ("settings", "mode.settings", "f6,alt+6", "Paramètres"),
)
HELP_KEYS = "f1,alt+1"
GOTO_KEYS = "ctrl+g"


def with_alt_digits(keys: str) -> str:
    """« f2,alt+2 » → « f2,alt+2,trade_mark_sign »: Alt+digit however the terminal sends it."""
    expanded: list[str] = []
    for key in (k.strip() for k in keys.split(",")):
        expanded.append(key)
        digit = key[4:] if key.startswith("alt+") else ""
        if digit in ALT_DIGIT_ALIASES and ALT_DIGIT_ALIASES[digit] not in expanded:
            expanded.append(ALT_DIGIT_ALIASES[digit])
    return ",".join(expanded)


def display_key(key: str) -> str:
    """A key as the mode bar writes it: F2, Alt+2, ^G (as Textual's footer writes Ctrl+G)."""
    if key in _ALIAS_DIGIT:
        return f"Alt+{_ALIAS_DIGIT[key]}"
    *modifiers, base = key.split("+")
    if modifiers == ["ctrl"] and len(base) == 1:
        return f"^{base.upper()}"
    names = {"escape": "Échap", "enter": "Entrée", "space": "Espace", "delete": "Suppr", "tab": "Tab"}
    shown = names.get(base, base.upper() if re.fullmatch(r"f\d+", base) or (modifiers and len(base) == 1) else base)
    return "+".join([*(m.capitalize() for m in modifiers), shown])


def shown_keys(keys: str) -> list[str]:
    """The keys of one binding for display, aliases merged (Alt+2 once)."""
    shown: list[str] = []
    for key in keys.split(","):
        label = display_key(key.strip())
        if label not in shown:
            shown.append(label)
    return shown


def keymap_problem(key: str) -> str | None:
    """Why `key` is not a key Textual knows, in French (None when it is)."""
    from textual.keys import Keys, key_to_character

    *modifiers, base = key.split("+")
    wrong = [m for m in modifiers if m not in MODIFIERS]
    if wrong or not base:
        return f"« {key} » : modificateur inconnu (possibles : {', '.join(MODIFIERS)})"
    if len(base) == 1 or base in {k.value for k in Keys} or key_to_character(base) is not None:
        return None
    return f"« {key} » n'est pas une touche connue (exemples : ctrl+b, alt+2, f7, escape, question_mark)"


def binding_ids() -> set[str]:
    """Every binding id of the app and its screens (read from their source: nothing is imported)."""
    package = resources.files(__package__ or "injonctions_tui")
    sources = [package / "app.py", *(p for p in (package / "screens").iterdir() if p.name.endswith(".py"))]
    found = {match for source in sources for match in re.findall(r'\bid="([a-z_]+\.[a-z_.]+)"', source.read_text("utf-8"))}
    return found | {binding_id for _, binding_id, _, _ in MODES} | {"app.help", "app.goto"}


@dataclass(frozen=True)
class UserKeymap:
    #: binding id -> keys, normalised (Alt+digit aliases added); empty when absent or refused.
    keys: dict[str, str]
    #: Why the file was refused, in French (None: absent or read).
    problem: str | None = None


def _flatten(table: dict[str, object], prefix: str = "") -> dict[str, object]:
    """Dotted ids written unquoted (`mode.agenda = "f2"`) are nested tables in TOML."""
    flat: dict[str, object] = {}
    for name, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


def load_keymap(path: Path) -> UserKeymap:
    """The user's keymap, checked whole: one mistake and the defaults are kept, with the reason."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return UserKeymap({})
    except (OSError, UnicodeDecodeError) as error:
        return UserKeymap({}, f"Raccourcis : impossible de lire {path} ({getattr(error, 'strerror', None) or error}) ; "
                              "les touches par défaut sont utilisées.")
    try:
        document = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))  # Python < 3.14 has no `lineno`
        where = f" (ligne {line.group(1)})" if line else ""
        return UserKeymap({}, f"Raccourcis : le fichier {path} n'est pas du TOML valide{where} ; les touches par "
                              "défaut sont utilisées.")
    table = document.get(TABLE, document)
    entries = _flatten(table) if isinstance(table, dict) else {}
    known = binding_ids()
    keys: dict[str, str] = {}
    for binding_id, value in entries.items():
        problem = None
        if binding_id not in known:
            problem = f"« {binding_id} » n'est pas une action de l'application (F1 : aide)"
        elif not isinstance(value, str) or not value.strip():
            problem = f"« {binding_id} » : les touches s'écrivent entre guillemets, séparées par des virgules"
        else:
            listed = [k.strip().lower() for k in value.split(",") if k.strip()]
            problem = next((p for p in map(keymap_problem, listed) if p), None)
            keys[binding_id] = with_alt_digits(",".join(listed))
        if problem:
            return UserKeymap({}, f"Raccourcis : dans {path}, {problem} ; les touches par défaut sont utilisées.")
    return UserKeymap(keys)
