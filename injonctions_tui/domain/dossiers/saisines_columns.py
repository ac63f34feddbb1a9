"""The columns of a saisines file: the headers people actually write, mapped to ours.

Why: the parquet's lists come from spreadsheets typed by people — « N° parquet »,
« Numéro de parquet », « Né(e) le », « Magistrat référent » — in capitals or not, with
or without accents, « ° », dots and brackets. Each header is folded (case, accents,
punctuation, small words, abbreviations) and looked up among the names below; the
mapping is shown before anything is imported. A column we do not know is ignored,
and said so: its content is never stored. A required column missing, or two headers
for the same column, refuse the file: guessing there would put a date in the wrong place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.errors import InjonctionsError
from ..core.text import search_key

#: Our columns, in the order of the documented format (docs/export-format.md).
COLUMNS = ("numero_parquet", "nom", "prenom", "date_naissance", "date_faits",
           "date_decision", "date_saisine", "magistrat_referent", "autorite")
REQUIRED = ("numero_parquet", "nom", "prenom", "date_naissance", "date_saisine")

FIELD_LABELS = {
    "numero_parquet": "numéro de parquet", "nom": "nom", "prenom": "prénom",
    "date_naissance": "date de naissance", "date_faits": "date des faits",
    "date_decision": "date de décision", "date_saisine": "date de saisine",
    "magistrat_referent": "magistrat référent", "autorite": "autorité",
}

#: What an absent optional column becomes (shown in the mapping).
ABSENT_MEANS = {"autorite": "procureur de la République"}

#: The headers seen in real lists, as people write them (folded before use); each
#: column's own name and French label are accepted too.
_ALIASES: dict[str, tuple[str, ...]] = {
    "numero_parquet": ("N° parquet", "N° de parquet", "Numéro de parquet", "Réf. parquet",
                       "Référence parquet", "N° de procédure", "Numéro de procédure"),
    "nom": ("Nom de famille", "Nom d'usage", "Nom de naissance", "Nom patronymique"),
    "prenom": ("Prénom(s)", "Prénoms", "Premier prénom"),
    "date_naissance": ("Né(e) le", "Né le", "Née le", "Naissance", "Date naissance", "DDN"),
    "date_faits": ("Faits", "Faits du", "Faits le", "Date de l'infraction", "Date infraction"),
    "date_decision": ("Décision", "Décision du", "Date de la décision", "Date du prononcé",
                      "Date de l'injonction", "Date de la mesure"),
    "date_saisine": ("Saisine", "Saisine du", "Saisi le", "Reçu le", "Reçue le", "Date de réception"),
    "magistrat_referent": ("Magistrat", "Magistrate référente", "Magistrat en charge", "Référent",
                           "Substitut", "Magistrat du parquet"),
    "autorite": ("Autorité judiciaire", "Autorité mandante", "Juridiction", "Ordonnée par", "Décidée par"),
}

#: Words that say nothing about the column; abbreviations spelled out.
_SMALL_WORDS = frozenset({"a", "au", "aux", "d", "de", "des", "du", "e", "en", "l", "la", "le", "les", "s"})
_SPELLED = {"n": "numero", "no": "numero", "num": "numero", "nr": "numero", "ref": "reference",
            "dt": "date", "prenoms": "prenom", "magistrate": "magistrat", "referente": "referent",
            "ddn": "date naissance"}


def header_key(text: str) -> str:
    """« N° de Parquet » and « numero_parquet » -> "numero parquet"."""
    folded = search_key(text.replace("°", "o").replace("º", "o"))
    words = []
    for word in re.findall(r"[a-z0-9]+", folded):
        word = _SPELLED.get(word, word)
        words += [w for w in word.split() if w not in _SMALL_WORDS]
    return " ".join(words)


def _build_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for column in COLUMNS:
        for written in (column, FIELD_LABELS[column], *_ALIASES[column]):
            key = header_key(written)
            assert aliases.get(key, column) == column, (written, column)  # one meaning per header
            aliases[key] = column
    return aliases


HEADER_ALIASES = _build_aliases()


@dataclass(frozen=True)
class ColumnMatch:
    """One header of the file and the column it fills (None: ignored)."""

    header: str
    column: str | None

    def describe(self) -> str:
        shown = self.header or "(colonne sans nom)"
        return f"« {shown} » → {FIELD_LABELS[self.column] if self.column else 'ignorée'}"


@dataclass(frozen=True)
class HeaderMapping:
    """How the file's columns are read, in file order."""

    matches: tuple[ColumnMatch, ...]

    @property
    def absent(self) -> list[str]:
        """Our optional columns the file does not have (their values stay empty)."""
        present = {match.column for match in self.matches}
        return [column for column in COLUMNS if column not in present]

    def describe(self) -> list[str]:
        """One French line per column: the file's, then ours that are absent."""
        lines = [match.describe() for match in self.matches]
        for column in self.absent:
            means = ABSENT_MEANS.get(column)
            lines.append(f"{FIELD_LABELS[column]} : colonne absente"
                         + (f" ({means} par défaut)" if means else " (restera vide)"))
        return lines

    def values(self, cells: Sequence[str]) -> dict[str, str]:
        """Our column -> the cell's text ("" for an absent column)."""
        values = dict.fromkeys(COLUMNS, "")
        for match, cell in zip(self.matches, cells):
            if match.column is not None:
                values[match.column] = cell
        return values


def map_header(cells: Sequence[str], path: object) -> HeaderMapping:
    """The mapping of a header line, or a French error when a required column is missing
    or two headers fill the same column."""
    matches = tuple(ColumnMatch(" ".join(cell.split()), HEADER_ALIASES.get(header_key(cell))) for cell in cells)
    found = [match.column for match in matches if match.column is not None]
    missing = [FIELD_LABELS[column] for column in REQUIRED if column not in found]
    doubled = sorted({column for column in found if found.count(column) > 1}, key=COLUMNS.index)
    problems = []
    if missing:
        problems.append(f"colonne(s) manquante(s) : {', '.join(missing)}")
    for column in doubled:
        headers = " et ".join(f"« {m.header} »" for m in matches if m.column == column)
        problems.append(f"{headers} désignent toutes deux la colonne {FIELD_LABELS[column]}")
    if problems:
        read = ", ".join(match.describe() for match in matches[:12])
        raise InjonctionsError(
            f"Le fichier {path} n'a pas les colonnes attendues ({' ; '.join(problems)}). "
            f"Colonnes lues ligne 1 : {read}. La ligne 1 doit nommer au moins : "
            f"{', '.join(FIELD_LABELS[c] for c in REQUIRED)} (par exemple : N° parquet;Nom;Prénom;"
            "Date de naissance;Date de saisine)."
        )
    return HeaderMapping(matches)
