"""The secrecy guard: words that do not belong in a document for the court.

Why: a fiche navette says what R3413-14 asks and nothing clinical (DOMAIN.md "The
fiche navette"). The lexicon is a data file (assets/lexique_secret.txt, format
documented at its top) that the professional can extend with a file of their own;
`scan` runs on every keystroke, so the whole lexicon is one precompiled regex run
over an accent- and case-folded copy of the text, with offsets mapped back.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

#: The four categories of the guide's rules box, with their French label and default reason.
CATEGORIES: dict[str, tuple[str, str]] = {
    "diagnostic": ("Diagnostic ou pathologie",
                   "Diagnostic ou état de santé : couvert par le secret médical."),
    "traitement": ("Traitement", "Traitement ou médicament : couvert par le secret médical."),
    "resultat": ("Résultat d'examen", "Résultat d'examen ou d'analyse : couvert par le secret médical."),
    "abstinence": ("Abstinence ou guérison",
                   "Un professionnel de santé n'atteste ni l'abstinence ni la guérison."),
}
USER_LEXICON_NAME = "lexique_secret.txt"
_DEFAULT_REASON = "Terme ajouté au lexique par le professionnel."


# --------------------------------------------------------------------------- folding

def _fold_char(char: str) -> str:
    if char in "’‘ʼ`´":
        return "'"
    if char in "‐‑‒–—":
        return "-"
    if char in "\u00a0\u202f\u2009":
        return " "
    if unicodedata.combining(char):
        return ""
    ligatures = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"}
    if char in ligatures:
        return ligatures[char]
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


_CHARS = [chr(cp) for cp in range(0x250)] + list("’‘ʼ´‐‑‒–—\u202f\u2009") + [chr(cp) for cp in range(0x300, 0x370)]
_TABLE: dict[int, str] = {ord(c): _fold_char(c) for c in _CHARS if _fold_char(c) != c}
#: Characters whose folding changes the length: their presence needs the offset map.
_UNEVEN = re.compile("[" + "".join(re.escape(chr(cp)) for cp, f in _TABLE.items() if len(f) != 1) + "]")


def fold(text: str) -> tuple[str, list[int] | None]:
    """Lower-case, accent-free text, and the original index of each folded character
    (None when they coincide, the usual case: no ligature, no decomposed accent)."""
    folded = text.translate(_TABLE)
    if not _UNEVEN.search(text):
        return folded, None
    out: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        piece = _TABLE.get(ord(char), char)
        out.append(piece)
        positions.extend([index] * len(piece))
    return "".join(out), positions


# --------------------------------------------------------------------------- the lexicon

@dataclass(frozen=True)
class Entry:
    term: str  # as written in the file
    category: str
    reason: str
    pattern: str  # regex over folded text


@dataclass(frozen=True)
class Flag:
    """One flagged occurrence: offsets in the original text, and why."""

    start: int
    end: int
    text: str
    term: str
    category: str
    reason: str

    @property
    def category_label(self) -> str:
        return category_label(self.category)


def category_label(category: str) -> str:
    return CATEGORIES.get(category, (category.capitalize(), ""))[0]


def _word_pattern(word: str) -> str:
    """A folded word with its usual French plural and feminine endings."""
    if word.endswith("*"):
        return re.escape(word[:-1]) + "[a-z0-9]*"
    forms = [re.escape(word) + "(?:es|e|s|x)?"]
    for end, other in (("if", "ive"), ("al", "aux"), ("eux", "euse")):
        if word.endswith(end) and len(word) > len(end) + 1:
            forms.append(re.escape(word[: -len(end)] + other) + "s?")
    return forms[0] if len(forms) == 1 else "(?:" + "|".join(forms) + ")"


_WORDS = re.compile(r"[a-z0-9]+\*?")
_SEPARATOR = r"[\s'\-]+"


def term_pattern(term: str) -> str | None:
    """The regex (over folded text) of a term, or None if it holds no word."""
    folded = fold(term)[0]
    words = _WORDS.findall(folded)
    if not words or re.search(r"\*(?=[a-z0-9])", folded):  # a "*" only ends a word
        return None
    return _SEPARATOR.join(_word_pattern(w) for w in words)


class Lexicon:
    """The entries, the problems met while reading them, and the compiled regex."""

    def __init__(self, entries: list[Entry], problems: list[str]) -> None:
        # Longest patterns first: "traitement de substitution" wins over "traitement".
        self.entries = tuple(sorted(entries, key=lambda e: (-len(e.pattern), e.pattern)))
        self.problems = tuple(problems)
        # Alternatives grouped by their first letter (every term starts with a letter or a
        # digit): the engine tries a dozen branches per word, not hundreds.
        by_first: dict[str, list[str]] = {}
        for index, entry in enumerate(self.entries):
            first = _WORDS.search(fold(entry.term)[0]).group()[0]  # type: ignore[union-attr]
            by_first.setdefault(first, []).append(f"(?P<e{index}>{entry.pattern})")
        body = "|".join(f"(?={first})(?:{'|'.join(branches)})" for first, branches in sorted(by_first.items()))
        self.regex = re.compile(rf"(?<![a-z])(?:{body or '(?!x)x'})(?![a-z0-9])")

    def __len__(self) -> int:
        return len(self.entries)


def parse_lexicon(content: str, source: str) -> tuple[list[Entry], set[str], list[str]]:
    """Entries, folded terms to drop (`!terme`), and French messages for bad lines."""
    entries: list[Entry] = []
    removed: set[str] = set()
    problems: list[str] = []
    category: str | None = None
    reason = ""
    for number, raw in enumerate(content.splitlines(), start=1):
        line = raw.strip()
        where = f"{source}, ligne {number}"
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            match = re.fullmatch(r"\[\s*([^\]\s]+)\s*\]\s*(.*)", line)
            if not match:
                problems.append(f"{where} : catégorie mal écrite (attendu « [catégorie] raison »).")
                category = None
                continue
            category = fold(match.group(1))[0]
            reason = match.group(2).strip() or CATEGORIES.get(category, ("", _DEFAULT_REASON))[1]
            continue
        if line.startswith("!"):
            pattern = term_pattern(line[1:].strip())
            if pattern is None:
                problems.append(f"{where} : « {line} » ne désigne aucun terme à retirer.")
            else:
                removed.add(pattern)
            continue
        term, _, own_reason = (part.strip() for part in line.partition("|"))
        pattern = term_pattern(term)
        if category is None:
            problems.append(f"{where} : « {term} » ne suit aucune ligne « [catégorie] » ; ligne ignorée.")
        elif pattern is None:
            problems.append(f"{where} : « {line} » ne contient aucun mot (ou une « * » ailleurs "
                            "qu'en fin de mot) ; ligne ignorée.")
        else:
            entries.append(Entry(term, category, own_reason or reason, pattern))
    return entries, removed, problems


def shipped_lexicon_text() -> str:
    return resources.files("injonctions_tui").joinpath("assets", USER_LEXICON_NAME).read_text("utf-8")


def load_lexicon(extra_path: Path | None = None) -> Lexicon:
    """The shipped lexicon, extended by the professional's file when there is one.

    A missing personal file is normal; an unreadable one, or bad lines, are reported
    in `Lexicon.problems` and never stop the guard (the shipped terms still apply).
    """
    entries, removed, problems = parse_lexicon(shipped_lexicon_text(), "lexique fourni")
    if extra_path is not None:
        try:
            content = Path(extra_path).read_text(encoding="utf-8")
        except FileNotFoundError:
            content = ""
        except UnicodeDecodeError:
            content = ""
            problems.append(f"{extra_path} : fichier illisible (il doit être enregistré en UTF-8) ; ignoré.")
        except OSError as error:
            content = ""
            why = "accès refusé" if isinstance(error, PermissionError) else "erreur du système"  # strerror is English
            problems.append(f"{extra_path} : lecture impossible ({why}) ; ignoré.")
        more, more_removed, more_problems = parse_lexicon(content, Path(extra_path).name)
        entries += more
        removed |= more_removed
        problems += more_problems
    unique: dict[str, Entry] = {}
    for entry in entries:
        if entry.pattern not in removed:
            unique.setdefault(entry.pattern, entry)
    return Lexicon(list(unique.values()), problems)


def user_lexicon_path() -> Path | None:
    """The professional's own lexicon, beside the open base (not secret); None with no base open."""
    from ..store.storage import open_base_path

    base = open_base_path()
    return base.parent / USER_LEXICON_NAME if base is not None else None


@lru_cache(maxsize=4)
def _cached(path: Path | None, stamp: float | None) -> Lexicon:
    return load_lexicon(path)


def default_lexicon(extra_path: Path | None = None) -> Lexicon:
    """The lexicon the editor and `finalise` use; reloaded when the personal file changes."""
    path = extra_path if extra_path is not None else user_lexicon_path()
    try:
        stamp: float | None = path.stat().st_mtime if path is not None else None
    except OSError:
        stamp = None
    return _cached(path, stamp)


# --------------------------------------------------------------------------- scanning

def scan(text: str, lexicon: Lexicon) -> list[Flag]:
    """Every flagged occurrence in `text`, in order (about a millisecond for 5 000 characters)."""
    if not text:
        return []
    folded, positions = fold(text)
    flags: list[Flag] = []
    for match in lexicon.regex.finditer(folded):
        entry = lexicon.entries[int(match.lastgroup[1:])]  # type: ignore[index]
        start, end = match.span()
        if positions is not None:
            start, end = positions[start], positions[end - 1] + 1
        flags.append(Flag(start, end, text[start:end], entry.term, entry.category, entry.reason))
    return flags
