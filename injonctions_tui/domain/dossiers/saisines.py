"""Import the saisines that the parquet sends as a CSV file: a preview, then all or nothing.

Why all or nothing: the file comes from outside, and a half-imported file is worse
than none (the user would not know which rows to fix and which are already in).
Every problem is reported with the physical line of the file, so it can be found
in a spreadsheet. Parquet numbers already in the database are not errors: the
parquet often re-sends a list, so they are skipped and listed with the dossier that
has them. `preview_saisines` reads and checks without writing (the app shows it, the
CLI prints it); `apply_saisines` writes what a clean preview holds. The headers people
write are mapped in saisines_columns. The format is documented in docs/export-format.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import cast

from ..core.dates import age_on, format_fr, parse_date
from ..core.errors import ImportRejected, InjonctionsError, InvalidInput
from ..core.files import read_limited
from ..core.models import Measure, Person, Professional, database, person_name
from ..core.rules import MeasureKind
from ..core.text import search_key
from ..core.vocabulary import LABELS, Authority, MeasureStatus, Stage
from ..store.audit import record_many
from ..store.output_files import belongs_to_a_base
from .saisines_columns import FIELD_LABELS, REQUIRED, HeaderMapping, map_header

#: In the order they must follow (birth, facts, decision, saisine).
DATE_COLUMNS = ("date_naissance", "date_faits", "date_decision", "date_saisine")
MAX_NAME = 120
MIN_AGE, MAX_AGE = 10, 100
#: A list of saisines is a few kilobytes; this only guards against a wrong file.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PROBLEMS = 200
PARQUET_NUMBER = re.compile(r"^[0-9A-Za-z/.\-]{5,20}$")
#: What a spreadsheet adds after a date (« 14/05/1990 00:00:00 »): dropped before parsing.
_TIME_OF_DAY = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?$")
#: The openings of a spreadsheet saved as such rather than as CSV (xlsx/ods: zip; xls: OLE).
_WORKBOOKS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")

STAGE_FOR_AUTHORITY: dict[Authority, Stage] = {
    Authority.PROCUREUR: Stage.ALTERNATIVE_POURSUITES,
    Authority.JUGE_INSTRUCTION: Stage.INSTRUCTION,
    Authority.JLD: Stage.INSTRUCTION,
    Authority.JUGE_ENFANTS: Stage.JUGEMENT,
    Authority.TRIBUNAL: Stage.JUGEMENT,
    Authority.JAP: Stage.APPLICATION_PEINES,
}

_EXTRA_ALIASES: dict[str, Authority] = {
    "parquet": Authority.PROCUREUR,
    "procureur de la republique": Authority.PROCUREUR,
    "juge instruction": Authority.JUGE_INSTRUCTION,
    "juge d instruction": Authority.JUGE_INSTRUCTION,
    "juge des libertes": Authority.JLD,
    "juge enfants": Authority.JUGE_ENFANTS,
    "tribunal correctionnel": Authority.TRIBUNAL,
    "juge application des peines": Authority.JAP,
}


def _fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form for the authorities."""
    return search_key(re.sub(r"[_'’\-]", " ", text))


def _build_aliases() -> dict[str, Authority]:
    aliases = {_fold(key): value for key, value in _EXTRA_ALIASES.items()}
    for authority in Authority:
        aliases[_fold(authority.value)] = authority
        aliases[_fold(LABELS[authority])] = authority
    return aliases


AUTHORITY_ALIASES = _build_aliases()


@dataclass(frozen=True)
class Duplicate:
    """A line whose parquet number a dossier of the base already has: skipped."""

    line: int
    parquet_number: str
    measure_id: int
    person: str

    def describe(self) -> str:
        return f"ligne {self.line} : {self.parquet_number} déjà connu : dossier n° {self.measure_id} ({self.person})"


@dataclass
class SaisinesResult:
    """What an import did: measures created, lines skipped as already known."""

    imported: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)
    measure_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class SaisineRow:
    """One valid line of the file, ready to insert."""

    line: int
    parquet_number: str
    last_name: str
    first_name: str
    birth_date: dt.date
    facts_on: dt.date | None
    decision_on: dt.date | None
    saisine_on: dt.date
    magistrat: str | None
    authority: Authority


@dataclass
class SaisinesPreview:
    """What importing the file would do, read without writing anything."""

    path: Path
    mapping: HeaderMapping
    #: Every valid line, new or already known.
    rows: list[SaisineRow]
    #: Each problem with its line number (at most MAX_PROBLEMS, then a summary line).
    problems: list[str]
    #: The lines whose parquet number the base already has.
    duplicates: list[Duplicate]
    #: How many lines have at least one problem.
    error_lines: int = 0

    @cached_property
    def new_rows(self) -> list[SaisineRow]:
        """The lines to import (read several times by the screen: computed once)."""
        known = {duplicate.line for duplicate in self.duplicates}
        return [row for row in self.rows if row.line not in known]

    def rejection(self) -> ImportRejected | None:
        """The refusal of the whole file when a line is wrong (all or nothing), else None."""
        if not self.problems:
            return None
        return ImportRejected(f"Import refusé : {self.error_lines} ligne(s) en erreur, rien n'a été importé.",
                              self.problems)


def parquet_key(number: str) -> str:
    """The form two parquet numbers are compared in: no spaces, capitals."""
    return "".join(number.split()).upper()


def _read_text(path: Path) -> str:
    """The file's text, or a French error saying what to do about it."""
    path = Path(path)
    if belongs_to_a_base(path):
        raise InjonctionsError(f"{path} est la base de données chiffrée (ou l'un de ses fichiers), pas une liste "
                               "de saisines : choisissez le fichier CSV envoyé par le parquet. Rien n'a été lu.")
    raw = read_limited(path, MAX_FILE_BYTES,
                       is_dir_message=f"{path} est un dossier : choisissez le fichier CSV des saisines.",
                       too_big_message=f"Le fichier {path} dépasse 20 Mo : ce n'est pas une liste "
                                       "de saisines.")
    if raw.startswith(_WORKBOOKS):
        raise InjonctionsError(f"Le fichier {path} est un classeur de tableur, pas un fichier CSV : ouvrez-le dans "
                               "votre tableur et enregistrez la feuille au format « CSV UTF-8 ».")
    if b"\x00" in raw:
        raise InjonctionsError(f"Le fichier {path} n'est pas un fichier texte (CSV) : choisissez la liste des "
                               "saisines enregistrée au format « CSV UTF-8 ».")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise InjonctionsError(
            f"Le fichier {path} n'est pas encodé en UTF-8 (caractère illisible ligne {line}). "
            "Ouvrez-le dans votre tableur et enregistrez-le au format « CSV UTF-8 »."
        ) from None


def _clean_text(values: dict[str, str], column: str, problems: list[str],
                prefix: str) -> str | None:
    """Trimmed text with inner spaces collapsed; None when empty or refused."""
    text = " ".join(values[column].split())
    if any(unicodedata.category(char) == "Cc" for char in text):
        problems.append(f"{prefix}{FIELD_LABELS[column]} : caractères de contrôle interdits")
        return None
    if len(text) > MAX_NAME:
        problems.append(f"{prefix}{FIELD_LABELS[column]} trop long ({len(text)} caractères, "
                        f"au plus {MAX_NAME})")
        return None
    return text or None


def _parse_authority(text: str) -> Authority | None:
    return Authority.PROCUREUR if not text.strip() else AUTHORITY_ALIASES.get(_fold(text))


def _check_dates(row: dict[str, dt.date | None], today: dt.date, problems: list[str],
                 prefix: str) -> None:
    """Birth before facts, facts ≤ decision ≤ saisine ≤ today, plausible age."""
    chain = [(key, row[key]) for key in DATE_COLUMNS if row.get(key) is not None]
    for (key_a, a), (key_b, b) in zip(chain, chain[1:]):
        if key_a == "date_naissance" and b <= a:  # type: ignore[operator]
            problems.append(f"{prefix}la {FIELD_LABELS[key_b]} ({format_fr(b)}) doit être "
                            f"postérieure à la date de naissance ({format_fr(a)})")
        elif b < a:  # type: ignore[operator]
            problems.append(f"{prefix}la {FIELD_LABELS[key_b]} ({format_fr(b)}) est antérieure "
                            f"à la {FIELD_LABELS[key_a]} ({format_fr(a)})")
    saisine, birth = row.get("date_saisine"), row.get("date_naissance")
    if saisine is not None and saisine > today:
        problems.append(f"{prefix}la date de saisine ({format_fr(saisine)}) est dans le futur")
    reference_key = "date_faits" if row.get("date_faits") else "date_saisine"
    reference = row.get(reference_key)
    if birth is not None and reference is not None and birth < reference:
        age = age_on(birth, reference)
        if not MIN_AGE <= age <= MAX_AGE:
            problems.append(f"{prefix}{age} ans à la {FIELD_LABELS[reference_key]} : vérifiez la "
                            f"date de naissance (entre {MIN_AGE} et {MAX_AGE} ans attendus)")


def _date_text(cell: str) -> str:
    """The date of a cell, without the time a spreadsheet may add."""
    return _TIME_OF_DAY.sub("", cell.strip())


def _parse_row(values: dict[str, str], line: int, today: dt.date,
               problems: list[str]) -> SaisineRow | None:
    """Validate one line; append its problems and return None if any."""
    prefix = f"ligne {line} : "
    before = len(problems)
    for column in REQUIRED:
        if not values[column].strip():
            ending = "e" if column.startswith("date") else ""
            problems.append(f"{prefix}{FIELD_LABELS[column]} manquant{ending}")
    number = "".join(values["numero_parquet"].split())
    if number and not PARQUET_NUMBER.match(number):
        shown = number if len(number) <= 30 else number[:30] + "…"
        problems.append(f"{prefix}numéro de parquet « {shown} » invalide "
                        "(5 à 20 caractères : chiffres, lettres, / . -)")
    texts = {column: _clean_text(values, column, problems, prefix)
             for column in ("nom", "prenom", "magistrat_referent")}
    parsed: dict[str, dt.date | None] = {}
    for column in DATE_COLUMNS:
        if not values[column].strip():
            parsed[column] = None
            continue
        try:
            parsed[column] = parse_date(_date_text(values[column]), FIELD_LABELS[column])
        except InvalidInput as error:
            parsed[column] = None
            problems.append(prefix + error.message.rstrip("."))
    _check_dates(parsed, today, problems, prefix)
    authority = _parse_authority(values["autorite"])
    if authority is None:
        shown = values["autorite"].strip()[:40]
        accepted = ", ".join(LABELS[a] for a in Authority)
        problems.append(f"{prefix}autorité « {shown} » inconnue ; valeurs acceptées : {accepted} "
                        "(ou procureur, parquet, jld, jap ; vide = procureur)")
    birth, saisine = parsed["date_naissance"], parsed["date_saisine"]
    if len(problems) > before or birth is None or saisine is None or authority is None:
        return None  # a missing required cell was said above
    return SaisineRow(line, number.upper(), texts["nom"] or "", texts["prenom"] or "", birth, parsed["date_faits"],
                      parsed["date_decision"], saisine, texts["magistrat_referent"], authority)


def _delimiter(first_line: str) -> str:
    """The separator of the header line: « ; » (French spreadsheets), « , » or a tab (a copied sheet)."""
    return max((";", ",", "\t"), key=first_line.count)


def _read_rows(path: Path, today: dt.date) -> tuple[HeaderMapping, list[SaisineRow], list[str]]:
    """The header's mapping, every valid row and every problem found in the file."""
    text = _read_text(path)
    if not text.strip():
        raise InjonctionsError(f"Le fichier {path} est vide : aucune saisine à importer.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.splitlines()[0]))
    rows: list[SaisineRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    mapping: HeaderMapping | None = None
    next_line = 1  # a quoted field may span lines: a record starts after the previous one
    try:
        for cells in reader:
            start, next_line = next_line, reader.line_num + 1
            if mapping is None:
                mapping = map_header(cells, path)
                width = len(mapping.matches)
                continue
            if not any(cell.strip() for cell in cells):
                continue  # blank line (or only separators, as spreadsheets write them)
            if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
                cells = cells[:width]  # separators left after the last column
            if len(cells) != width:
                problems.append(f"ligne {start} : {len(cells)} colonne(s) au lieu de {width}")
                continue
            values = mapping.values(cells)
            number = parquet_key(values["numero_parquet"])
            if number in seen:
                problems.append(f"ligne {start} : numéro de parquet {number[:30]} déjà présent "
                                f"ligne {seen[number]} du fichier")
            elif number:
                seen[number] = start
            row = _parse_row(values, start, today, problems)
            if row is not None:
                rows.append(row)
    except csv.Error:
        problems.append(f"ligne {next_line} : ligne CSV illisible "
                        "(guillemets mal fermés ou champ démesuré)")
    if mapping is None:
        raise InjonctionsError(f"Le fichier {path} est vide : aucune saisine à importer.")
    if not rows and not problems:
        raise InjonctionsError(f"Le fichier {path} ne contient que la ligne d'en-tête : "
                               "aucune saisine à importer.")
    return mapping, rows, problems


def _known_dossiers() -> dict[str, tuple[int, str]]:
    """Parquet number (compared as parquet_key) -> the first dossier that has it and its person."""
    known: dict[str, tuple[int, str]] = {}
    query = cast("Iterable[tuple[str | None, int, str, str]]",
                 Measure.select(Measure.parquet_number, Measure.id, Person.last_name, Person.first_name)
                 .join(Person).order_by(Measure.id).tuples())
    for number, measure_id, last, first in query:
        known.setdefault(parquet_key(number or ""), (measure_id, person_name(last, first)))
    return known


def _duplicates(rows: list[SaisineRow]) -> list[Duplicate]:
    known = _known_dossiers()
    return [Duplicate(row.line, row.parquet_number, *known[parquet_key(row.parquet_number)])
            for row in rows if parquet_key(row.parquet_number) in known]


def preview_saisines(path: Path, *, today: dt.date) -> SaisinesPreview:
    """Read and check the file, and find the lines already known: nothing is written.

    A file that cannot be a list of saisines (missing, a folder, the base, a workbook,
    binary, not UTF-8, too big, without the required columns) is one French error."""
    mapping, rows, problems = _read_rows(Path(path), today)
    error_lines = len({problem.split(" : ", 1)[0] for problem in problems})
    if len(problems) > MAX_PROBLEMS:
        problems = problems[:MAX_PROBLEMS] + [f"… et {len(problems) - MAX_PROBLEMS} autre(s) problème(s)."]
    return SaisinesPreview(Path(path), mapping, rows, problems, _duplicates(rows), error_lines)


def _known_persons() -> dict[tuple[dt.date, str, str], int]:
    """(birth date, folded last name, folded first name) -> the first person's id: read once,
    so an import is linear in its rows (no query per row, issue 15)."""
    known: dict[tuple[dt.date, str, str], int] = {}
    query = cast("Iterable[tuple[int, dt.date, str, str]]",
                 Person.select(Person.id, Person.birth_date, Person.last_name, Person.first_name)
                 .where(Person.birth_date.is_null(False)).order_by(Person.id).tuples())
    for person_id, birth, last, first in query:
        known.setdefault((birth, search_key(last), search_key(first)), person_id)
    return known


def _find_or_create_person(row: SaisineRow, known: dict[tuple[dt.date, str, str], int]) -> int:
    """Same last name, first name (ignoring case and accents) and birth date: same person."""
    wanted = (row.birth_date, search_key(row.last_name), search_key(row.first_name))
    if wanted not in known:
        known[wanted] = Person.create(last_name=row.last_name, first_name=row.first_name,
                                      birth_date=row.birth_date).id
    return known[wanted]


def apply_saisines(preview: SaisinesPreview, *, professional: Professional | None = None) -> SaisinesResult:
    """Create one measure per new saisine of a clean preview, in one transaction. A number
    known since the preview (another import meanwhile) is skipped too, never doubled."""
    rejection = preview.rejection()
    if rejection is not None:
        raise rejection
    result = SaisinesResult()
    with database.atomic():
        known = _known_dossiers()
        persons = _known_persons()
        for row in preview.rows:
            if (dossier := known.get(parquet_key(row.parquet_number))) is not None:
                result.duplicates.append(Duplicate(row.line, row.parquet_number, *dossier))
                continue
            measure = Measure.create(
                person=_find_or_create_person(row, persons), professional=professional,
                kind=MeasureKind.INJONCTION_THERAPEUTIQUE.value,
                parquet_number=row.parquet_number, authority=row.authority.value,
                stage=STAGE_FOR_AUTHORITY[row.authority].value,
                magistrat_referent=row.magistrat, facts_on=row.facts_on,
                decision_on=row.decision_on, saisine_received_on=row.saisine_on,
                status=MeasureStatus.A_CONVOQUER.value,
            )
            result.measure_ids.append(measure.id)
        record_many("import_saisine", "measure", list(result.measure_ids))
        result.imported = len(result.measure_ids)
    return result


def import_saisines(path: Path, *, today: dt.date,
                    professional: Professional | None = None) -> SaisinesResult:
    """Create one measure per new saisine of the file, or nothing at all."""
    return apply_saisines(preview_saisines(path, today=today), professional=professional)
