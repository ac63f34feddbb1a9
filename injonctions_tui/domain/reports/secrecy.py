"""The secrecy guard: what must not go into a document for the court, and why.

Why: a fiche navette or an avis motivé says what R3413-14 asks (the care in place,
its regularity, the person's adherence) and nothing clinical (Code pénal 226-13):
no diagnosis, treatment, dose, amount consumed, test result, hospitalisation,
infection, pregnancy, nor any statement of abstinence, relapse or cure.

How:
- the lexicon is ONE French text file (lexique_secret.txt, format documented at its
  top) that the professional can extend with a file of their own; it holds words,
  prefixes, word lists ("{produit}"), constructions with gaps ("ne … plus …
  {consommer}") and the context exceptions ("traitement de son dossier");
- every word of the text and of the lexicon is case- and accent-folded and reduced
  to its lemma with simplemma, so one entry covers every inflection;
- words unknown to simplemma's dictionary (typos) are matched to the lexicon with
  rapidfuzz, allowing more edits for longer words, so "rechutte" is caught but a
  real French word is never mistaken for a lexicon word;
- `scan` runs on every keystroke: the text is cut into sentences/paragraphs and
  each is analysed once (`ParagraphCache`), so a keystroke re-analyses only the
  sentence being typed. simplemma's model is loaded lazily, on the first scan (or
  by `warm_up` in a worker thread), never at import time.

This module imports nothing from the UI; the personal file's place comes from the store.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

#: The four categories of the guide's rules box: French label and default reason.
CATEGORIES: dict[str, tuple[str, str]] = {
    "diagnostic": ("Diagnostic ou état de santé",
                   "Diagnostic ou état de santé : couvert par le secret médical."),
    "traitement": ("Traitement", "Traitement ou médicament : couvert par le secret médical."),
    "resultat": ("Résultat d'examen", "Résultat d'examen ou d'analyse : couvert par le secret médical."),
    "abstinence": ("Abstinence, rechute ou consommation",
                   "Un professionnel de santé n'atteste ni l'abstinence ni la guérison."),
}
#: What to write instead, when the lexicon gives no suggestion of its own.
SUGGESTIONS: dict[str, str] = {
    "diagnostic": "préférez : « la prise en charge est en place », sans nommer de trouble.",
    "traitement": "préférez : « la prise en charge est en place depuis … », sans nommer le traitement.",
    "resultat": "préférez : ne rien indiquer des examens ; « le suivi se poursuit régulièrement ».",
    "abstinence": "préférez : « l'intéressé s'implique dans la prise en charge ».",
}
GENERIC_SUGGESTION = ("préférez : décrire la régularité du suivi et l'adhésion à la mesure, "
                      "sans élément médical.")
USER_LEXICON_NAME = "lexique_secret.txt"
#: The lexicon shipped with the app (assets/); the professional's own file sits beside the base.
SHIPPED_LEXICON_PATH = Path(str(resources.files("injonctions_tui").joinpath("assets", USER_LEXICON_NAME)))
EXCEPTIONS_SECTION = "exceptions"
#: How many words "…" may skip in a construction.
GAP_WIDTH = 3
_DEFAULT_REASON = "Terme ajouté au lexique par le professionnel."
_LANG = "fr"


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


def _folded(word: str) -> str:
    return word.translate(_TABLE)


# --------------------------------------------------------------------------- public types

@dataclass(frozen=True, slots=True)
class Flag:
    """One flagged occurrence: offsets in the original text, why, and what to write instead."""

    start: int
    end: int
    text: str
    term: str
    category: str
    reason: str
    suggestion: str = ""

    @property
    def category_label(self) -> str:
        return category_label(self.category)


def category_label(category: str) -> str:
    """The French label shown for a category (a user category shows its own name)."""
    return CATEGORIES.get(category, (category.capitalize(), ""))[0]


@dataclass(frozen=True)
class Entry:
    """A lexicon line: the term as written, and the pieces of its expression.

    A piece is ("lit", word), ("pre", folded stem), ("cls", class name), ("any", "")
    or ("gap", ""); words stay as written (lower case) and are lemmatised lazily.
    """

    term: str
    category: str
    reason: str
    suggestion: str
    pieces: tuple[tuple[str, str], ...]

    @property
    def key(self) -> tuple[tuple[str, str], ...]:
        """What `!terme` compares: the folded pieces."""
        return tuple((kind, _folded(value)) for kind, value in self.pieces)


# --------------------------------------------------------------------------- expressions

# A word (letters, possibly decomposed accents, optional trailing "*"), a number,
# "{classe}", "…"/"...", or a lone "*".
_PIECE = re.compile(r"\{\s*([^{}\s]*)\s*\}|(\.\.\.|…)|(\d+(?:[.,]\d+)?)|((?:[^\W\d_]|[\u0300-\u036f])+)(\*?)|(\*)")
_STAR_INSIDE = re.compile(r"\*(?=[^\W\d_])")


def parse_expression(term: str) -> tuple[tuple[str, str], ...] | None:
    """The pieces of a lexicon term, or None when it is not a usable expression."""
    text = unicodedata.normalize("NFC", term.strip().lower())
    if not text or _STAR_INSIDE.search(text):
        return None
    pieces: list[tuple[str, str]] = []
    for match in _PIECE.finditer(text):
        klass, gap, number, word, star, alone = match.groups()
        if klass is not None:
            if not klass:
                return None
            pieces.append(("cls", _folded(klass)))
        elif gap:
            pieces.append(("gap", ""))
        elif number:
            pieces.append(("lit", number))
        elif word:
            pieces.append(("pre", _folded(word)) if star else ("lit", word))
        elif alone:
            pieces.append(("any", ""))
    if not pieces or pieces[0][0] in ("gap", "any") or pieces[-1][0] in ("gap", "any"):
        return None
    if text.count("{") != sum(kind == "cls" for kind, _ in pieces):  # "{liste mal fermée"
        return None
    return tuple(pieces)


# --------------------------------------------------------------------------- the lexicon file

@dataclass
class _Parsed:
    entries: list[Entry] = field(default_factory=list)
    exceptions: list[Entry] = field(default_factory=list)
    classes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    removed: set[tuple[tuple[str, str], ...]] = field(default_factory=set)
    removed_members: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


_HEADER = re.compile(r"\[\s*([^\]\s]+)\s*\]\s*(.*)")
_CLASS_HEADER = re.compile(r"\{\s*([^{}\s]+)\s*\}")


def parse_lexicon(content: str, source: str, into: _Parsed | None = None) -> _Parsed:
    """Reads one lexicon file; bad lines become French messages, never errors."""
    parsed = into if into is not None else _Parsed()
    problems = parsed.problems
    section: str | None = None   # a category, EXCEPTIONS_SECTION, or None
    klass: str | None = None     # the open word list, if any
    reason = suggestion = ""
    for number, raw in enumerate(content.splitlines(), start=1):
        line = raw.strip()
        where = f"{source}, ligne {number}"
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            match = _HEADER.fullmatch(line)
            klass = None
            if not match:
                problems.append(f"{where} : catégorie mal écrite (attendu « [catégorie] raison »).")
                section = None
                continue
            section = _folded(match.group(1))
            reason = match.group(2).strip() or CATEGORIES.get(section, ("", _DEFAULT_REASON))[1]
            suggestion = SUGGESTIONS.get(section, GENERIC_SUGGESTION)
            continue
        if line.startswith("{") and line.endswith("}") and line.count("{") == 1:  # "{liste}"
            match = _CLASS_HEADER.fullmatch(line)
            section = None
            if not match:
                problems.append(f"{where} : « {line} » : un nom de liste s'écrit d'un seul mot ; "
                                "lignes suivantes ignorées.")
                klass = None
                continue
            klass = _folded(match.group(1))
            parsed.classes.setdefault(klass, [])
            continue
        if line.startswith(">"):
            if section is None or section == EXCEPTIONS_SECTION:
                problems.append(f"{where} : une suggestion « > … » doit suivre une ligne « [catégorie] ».")
            else:
                suggestion = line[1:].strip()
            continue
        removing = line.startswith("!")
        body = line[1:].strip() if removing else line
        term, _, rest = (part.strip() for part in body.partition("|"))
        own_reason, _, own_suggestion = (part.strip() for part in rest.partition("|"))
        pieces = parse_expression(term)
        if klass is not None:
            if pieces is None or len(pieces) != 1 or pieces[0][0] not in ("lit", "pre"):
                problems.append(f"{where} : « {line} » : une liste {{{klass}}} contient un seul mot par "
                                "ligne (ou « préfixe* ») ; ligne ignorée.")
            elif removing:
                parsed.removed_members.setdefault(klass, set()).add((pieces[0][0], _folded(pieces[0][1])))
            else:
                parsed.classes[klass].append(pieces[0])
            continue
        if removing:
            if pieces is None:
                problems.append(f"{where} : « {line} » ne désigne aucun terme à retirer.")
            else:
                parsed.removed.add(Entry(term, "", "", "", pieces).key)
            continue
        if section is None:
            problems.append(f"{where} : « {term} » ne suit aucune ligne « [catégorie] » ; ligne ignorée.")
        elif pieces is None:
            problems.append(f"{where} : « {line} » n'est pas une expression utilisable (aucun mot, "
                            "une « * » ailleurs qu'en fin de mot, ou « … » / « * » en début ou en fin) ; "
                            "ligne ignorée.")
        elif section == EXCEPTIONS_SECTION:
            parsed.exceptions.append(Entry(term, section, "", "", pieces))
        else:
            parsed.entries.append(Entry(term, section, own_reason or reason, own_suggestion or suggestion, pieces))
    return parsed


def shipped_lexicon_text() -> str:
    return SHIPPED_LEXICON_PATH.read_text(encoding="utf-8")


def load_lexicon(extra_path: Path | None = None, shipped_text: str | None = None) -> Lexicon:
    """The shipped lexicon, extended by the professional's file when there is one.

    A missing personal file is normal; an unreadable one, or bad lines, are reported
    in `Lexicon.problems` and never stop the guard (the shipped terms still apply).
    Cheap: simplemma is only loaded when the lexicon is first used to scan.
    """
    parsed = parse_lexicon(shipped_text if shipped_text is not None else shipped_lexicon_text(),
                           "lexique fourni")
    if extra_path is not None:
        content = ""
        try:
            content = Path(extra_path).read_text(encoding="utf-8")
        except FileNotFoundError:
            pass
        except UnicodeDecodeError:
            parsed.problems.append(f"{extra_path} : fichier illisible (il doit être enregistré en UTF-8) ; ignoré.")
        except OSError as error:
            from ..store.storage_errors import describe_os_error  # strerror is English

            parsed.problems.append(f"{extra_path} : lecture impossible ({describe_os_error(error)}) ; ignoré.")
        parse_lexicon(content, Path(extra_path).name, into=parsed)
    classes = {name: [m for m in members if (m[0], _folded(m[1])) not in parsed.removed_members.get(name, set())]
               for name, members in parsed.classes.items()}

    def keep(entries: list[Entry]) -> list[Entry]:
        unique: dict[tuple[tuple[str, str], ...], Entry] = {}
        for entry in entries:
            missing = [v for k, v in entry.pieces if k == "cls" and v not in classes]
            if missing:
                parsed.problems.append(f"« {entry.term} » : liste {{{missing[0]}}} inconnue ; terme ignoré.")
            elif entry.key not in parsed.removed:
                unique.setdefault(entry.key, entry)
        return list(unique.values())

    return Lexicon(keep(parsed.entries), parsed.problems, classes=classes, exceptions=keep(parsed.exceptions))


@lru_cache(maxsize=4)
def _cached(path: Path | None, stamp: float | None) -> Lexicon:
    return load_lexicon(path)


def user_lexicon_path() -> Path | None:
    """The professional's own lexicon, beside the open base (not secret); None with no base open."""
    from ..store.storage import open_base_path

    base = open_base_path()
    return base.parent / USER_LEXICON_NAME if base is not None else None


def default_lexicon(extra_path: Path | None = None) -> Lexicon:
    """The lexicon the editor, `finalise` and `secret-check` use: the shipped one plus the
    personal file (`extra_path`, by default beside the open base); reloaded when that file
    changes, shared otherwise (so its sentence cache is shared too)."""
    extra_path = extra_path if extra_path is not None else user_lexicon_path()
    stamp: float | None = None
    if extra_path is not None:
        try:
            stamp = Path(extra_path).stat().st_mtime
        except OSError:
            stamp = None
    return _cached(extra_path, stamp)


# --------------------------------------------------------------------------- compiled form

_LIT, _PRE, _CLS, _ANY, _GAP = range(5)
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|(?:[^\W\d_]|[\u0300-\u036f])+")


@dataclass(frozen=True, slots=True)
class _Token:
    keys: frozenset[str]      # folded form, folded lemma, and the fuzzy match if any
    numeric: bool
    starts: tuple[int, ...]   # entries whose first piece matches this word


class _Compiled:
    """The lexicon turned into matchers, with a per-word memo (built on first scan)."""

    def __init__(self, lexicon: Lexicon) -> None:
        from rapidfuzz import process
        from rapidfuzz.distance import OSA
        from simplemma import is_known, lemmatize

        self._lemmatize: Callable[[str], str] = lambda word: lemmatize(word, lang=_LANG)
        self._is_known: Callable[[str], bool] = lambda word: is_known(word, lang=_LANG)
        self._extract = process.extractOne
        self._distance = OSA.distance
        self.all_entries = lexicon.entries + lexicon.exceptions
        self.first_exception = len(lexicon.entries)
        vocabulary: set[str] = set()

        def literal(word: str) -> frozenset[str]:
            keys = frozenset({_folded(word), _folded(self._lemmatize(word))})
            vocabulary.update(k for k in keys if len(k) >= 5 and not k[0].isdigit())
            return keys

        stems: set[str] = set()
        classes: dict[str, tuple[frozenset[str], tuple[str, ...], bool]] = {}
        for name, members in lexicon.classes.items():
            keys: set[str] = set()
            for kind, value in members:
                if kind == "lit":
                    keys |= literal(value)
            prefixes = tuple(v for k, v in members if k == "pre")
            stems.update(prefixes)
            classes[name] = (frozenset(keys), prefixes, name == "nombre")

        self.elements: list[tuple[tuple, ...]] = []
        self.index: dict[str, list[int]] = {}
        self.prefix_first: list[tuple[tuple[str, ...], int]] = []
        self.numeric_first: list[int] = []
        for number, entry in enumerate(self.all_entries):
            elements: list[tuple] = []
            for kind, value in entry.pieces:
                if kind == "lit":
                    elements.append((_LIT, literal(value)))
                elif kind == "pre":
                    elements.append((_PRE, value))
                    stems.add(value)
                elif kind == "cls":
                    elements.append((_CLS, *classes[value]))
                else:
                    elements.append((_ANY,) if kind == "any" else (_GAP,))
            self.elements.append(tuple(elements))
            first = elements[0]
            if first[0] == _LIT:
                for key in first[1]:
                    self.index.setdefault(key, []).append(number)
            elif first[0] == _PRE:
                self.prefix_first.append(((first[1],), number))
            else:  # a class
                for key in first[1]:
                    self.index.setdefault(key, []).append(number)
                if first[2]:
                    self.prefix_first.append((first[2], number))
                if first[3]:
                    self.numeric_first.append(number)
        self.vocabulary: dict[str, list[str]] = {}
        for word in sorted(vocabulary):
            self.vocabulary.setdefault(word[0], []).append(word)
        self.stems: dict[str, list[str]] = {}
        for stem in sorted(stems):
            if len(stem) >= 5:
                self.stems.setdefault(stem[0], []).append(stem)
        self.tokens: dict[str, _Token] = {}

    def token(self, raw: str) -> _Token:
        """The analysis of one word of the text (memoised: a report reuses its words)."""
        found = self.tokens.get(raw)
        if found is not None:
            return found
        word = raw.lower()
        if not word.isascii():
            word = unicodedata.normalize("NFC", word)
        form = _folded(word)
        if not form:  # a stray combining mark
            keys, numeric = frozenset[str](), False
        elif form[0].isdigit():
            keys = frozenset({form})
            numeric = True
        else:
            numeric = False
            keys_set = {form, _folded(self._lemmatize(word))}
            if len(form) >= 5 and not self._is_known(word):
                keys_set.update(self._fuzzy(form))
            keys = frozenset(keys_set)
        starts: set[int] = set()
        for key in keys:
            starts.update(self.index.get(key, ()))
        for prefixes, number in self.prefix_first:
            if any(key.startswith(prefixes) for key in keys):
                starts.add(number)
        if numeric:
            starts.update(self.numeric_first)
        token = _Token(keys, numeric, tuple(sorted(starts)))
        if len(self.tokens) > 100_000:
            self.tokens.clear()
        self.tokens[raw] = token
        return token

    def _fuzzy(self, form: str) -> list[str]:
        """The lexicon word (or "préfixe*" stem) a typo stands for: 1 edit up to 7
        letters, 2 beyond, same first letter (typos rarely hit it; it also keeps the
        search small). Only called for words simplemma does not know."""
        found: list[str] = []
        choices = self.vocabulary.get(form[0])
        if choices:
            best = self._extract(form, choices, scorer=self._distance, score_cutoff=_max_edits(form))
            if best:
                found.append(best[0])
        for stem in self.stems.get(form[0], ()):
            allowed = _max_edits(stem)
            if any(self._distance(form[:size], stem, score_cutoff=allowed) <= allowed
                   for size in (len(stem) - 1, len(stem), len(stem) + 1) if size <= len(form)):
                found.append(stem)
        return found


def _max_edits(word: str) -> int:
    return 1 if len(word) <= 7 else 2


def _matches(element: tuple, token: _Token) -> bool:
    kind = element[0]
    if kind == _LIT:
        return not element[1].isdisjoint(token.keys)
    if kind == _PRE:
        return any(key.startswith(element[1]) for key in token.keys)
    if kind == _CLS:
        return ((element[3] and token.numeric) or not element[1].isdisjoint(token.keys)
                or bool(element[2]) and any(key.startswith(element[2]) for key in token.keys))
    return True  # _ANY


def _match(elements: tuple[tuple, ...], k: int, tokens: list[_Token], j: int) -> int:
    """The end (exclusive token index) of the shortest match of elements[k:] at j, or -1."""
    count = len(elements)
    while k < count:
        element = elements[k]
        if element[0] == _GAP:
            for skip in range(GAP_WIDTH + 1):
                if j + skip >= len(tokens):
                    break
                end = _match(elements, k + 1, tokens, j + skip)
                if end >= 0:
                    return end
            return -1
        if j >= len(tokens) or not _matches(element, tokens[j]):
            return -1
        k += 1
        j += 1
    return j


def _analyse(unit: str, compiled: _Compiled) -> tuple[tuple[int, int, int], ...]:
    """Flagged (start, end, entry) of one sentence, offsets relative to it."""
    spans: list[tuple[int, int]] = []
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(unit):
        spans.append(match.span())
        tokens.append(compiled.token(match.group()))
    hits: list[tuple[int, int, int]] = []
    excepted: list[tuple[int, int]] = []
    for i, token in enumerate(tokens):
        for number in token.starts:
            end = _match(compiled.elements[number], 1, tokens, i + 1)
            if end < 0:
                continue
            if number >= compiled.first_exception:
                excepted.append((i, end))
            else:
                hits.append((i, end, number))
    if not hits:
        return ()
    # Earliest then longest first ("traitement de substitution" wins over
    # "substitution"); a hit overlapping a chosen one is dropped.
    hits.sort(key=lambda hit: (hit[0], -hit[1], hit[2]))
    chosen: list[tuple[int, int, int]] = []
    last_end = 0
    for start, end, number in hits:
        if start < last_end or any(s < end and start < e for s, e in excepted):
            continue
        chosen.append((spans[start][0], spans[end - 1][1], number))
        last_end = end
    return tuple(chosen)


# --------------------------------------------------------------------------- sentences and cache

# Where a sentence ends: end punctuation then blanks, a colon at the end of a line,
# a blank line, or a line break before a bullet or a capital. A single line break
# inside a sentence does not cut it ("traitement de\nsubstitution").
_UNIT_END = re.compile(r"[.!?…;]+[»\"”’)\]]*\s+|:[ \t]*\n\s*|\n[ \t]*\n\s*"
                       r"|\n(?=[ \t]*(?:[-•*–—]|[A-ZÀ-ÖØ-Þ0-9]))")


def split_units(text: str) -> list[tuple[int, int]]:
    """The (start, end) of the sentences/paragraphs the text is analysed by; they tile it."""
    units: list[tuple[int, int]] = []
    start = 0
    for match in _UNIT_END.finditer(text):
        units.append((start, match.end()))
        start = match.end()
    if start < len(text):
        units.append((start, len(text)))
    return units


class ParagraphCache:
    """Analyses per sentence, keyed by its text: a keystroke re-analyses only the
    sentence(s) it changed, the others come from here with their new offsets."""

    def __init__(self, limit: int = 8192) -> None:
        self.limit = limit
        self._owner: _Compiled | None = None
        self._hits: dict[str, tuple[tuple[int, int, int], ...]] = {}
        self.analysed = 0  # sentences analysed since creation (for tests and benchmarks)

    def hits(self, unit: str, compiled: _Compiled) -> tuple[tuple[int, int, int], ...]:
        if compiled is not self._owner:  # another lexicon: nothing here applies
            self._owner = compiled
            self._hits.clear()
        found = self._hits.get(unit)
        if found is None:
            found = _analyse(unit, compiled)
            self.analysed += 1
            if len(self._hits) >= self.limit:  # drop the oldest half
                for key in list(self._hits)[: self.limit // 2]:
                    del self._hits[key]
            self._hits[unit] = found
        return found


# --------------------------------------------------------------------------- the lexicon object

class Lexicon:
    """The entries and exceptions, the word lists, the problems met while reading
    them; compiled (simplemma loaded) on first use only."""

    def __init__(self, entries: Iterable[Entry], problems: Iterable[str], *,
                 classes: dict[str, list[tuple[str, str]]] | None = None,
                 exceptions: Iterable[Entry] = ()) -> None:
        self.entries = tuple(entries)
        self.exceptions = tuple(exceptions)
        self.classes = dict(classes or {})
        self.problems = tuple(problems)
        self.cache = ParagraphCache()
        self._compiled: _Compiled | None = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.entries)

    def compiled(self) -> _Compiled:
        if self._compiled is None:
            with self._lock:
                if self._compiled is None:
                    self._compiled = _Compiled(self)
        return self._compiled


def warm_up(lexicon: Lexicon) -> None:
    """Loads simplemma's French model and compiles the lexicon (about a second):
    call it from a worker thread once the app is up, so the first keystroke is instant."""
    compiled = lexicon.compiled()
    compiled.token("préparation")


# --------------------------------------------------------------------------- scanning

def scan(text: str, lexicon: Lexicon, cache: ParagraphCache | None = None) -> list[Flag]:
    """Every flagged occurrence in `text`, in order, offsets in `text`.

    Incremental: sentences already seen (in `cache`, by default the lexicon's own)
    are not analysed again, so scanning after a keystroke costs one sentence.
    """
    if not text:
        return []
    compiled = lexicon.compiled()
    store = cache if cache is not None else lexicon.cache
    entries = compiled.all_entries
    flags: list[Flag] = []
    for start, end in split_units(text):
        for first, last, number in store.hits(text[start:end], compiled):
            entry = entries[number]
            flags.append(Flag(start + first, start + last, text[start + first:start + last], entry.term,
                              entry.category, entry.reason, entry.suggestion))
    return flags


def scan_paragraphs(text: str, lexicon: Lexicon,
                    previous: ParagraphCache | None = None) -> tuple[list[Flag], ParagraphCache]:
    """`scan` with an explicit cache: pass back the cache you got to re-analyse only
    what changed since the previous call."""
    cache = previous if previous is not None else ParagraphCache()
    return scan(text, lexicon, cache), cache
