"""Import the saisines (saisines) that the parquet sends as a CSV file.

Why all or nothing: the file comes from outside, and a half-imported file is worse
than none (the user would not know which rows to fix and which are already in).
Every problem is reported with the physical line of the file, so it can be found
in a spreadsheet. Parquet numbers already in the database are not errors: the
parquet often re-sends a list, so they are skipped and listed. The format is
documented in docs/export-format.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from ..core.dates import age_on, format_fr, parse_date
from ..core.errors import ImportRejected, InjonctionsError, InvalidInput
from ..core.files import read_limited
from ..core.models import Measure, Person, Professional, database
from ..core.rules import MeasureKind
from ..core.text import search_key
from ..core.vocabulary import LABELS, Authority, MeasureStatus, Stage
from ..store.audit import record

COLUMNS = ("numero_parquet", "nom", "prenom", "date_naissance", "date_faits",
           "date_decision", "date_saisine", "magistrat_referent", "autorite")
REQUIRED = ("numero_parquet", "nom", "prenom", "date_naissance", "date_saisine")
#: In the order they must follow (birth, facts, decision, saisine).
DATE_COLUMNS = ("date_naissance", "date_faits", "date_decision", "date_saisine")
MAX_NAME = 120
MIN_AGE, MAX_AGE = 10, 100
#: A list of saisines is a few kilobytes; this only guards against a wrong file.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PROBLEMS = 200
PARQUET_NUMBER = re.compile(r"^[0-9A-Za-z/.\-]{5,20}$")

_FIELD_LABELS = {
    "numero_parquet": "numéro de parquet", "nom": "nom", "prenom": "prénom",
    "date_naissance": "date de naissance", "date_faits": "date des faits",
    "date_decision": "date de décision", "date_saisine": "date de saisine",
    "magistrat_referent": "magistrat référent", "autorite": "autorité",
}

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
    """Case-, accent- and punctuation-insensitive form for headers and authorities."""
    return search_key(re.sub(r"[_'’\-]", " ", text))


def _build_aliases() -> dict[str, Authority]:
    aliases = {_fold(key): value for key, value in _EXTRA_ALIASES.items()}
    for authority in Authority:
        aliases[_fold(authority.value)] = authority
        aliases[_fold(LABELS[authority])] = authority
    return aliases


AUTHORITY_ALIASES = _build_aliases()


@dataclass
class SaisinesResult:
    """What an import did: measures created, parquet numbers already known."""

    imported: int = 0
    duplicates: list[str] = field(default_factory=list)
    measure_ids: list[int] = field(default_factory=list)


@dataclass
class _Row:
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


def _read_text(path: Path) -> str:
    """The file's text, or a French error saying what to do about it."""
    path = Path(path)
    raw = read_limited(path, MAX_FILE_BYTES,
                       is_dir_message=f"{path} est un dossier : choisissez le fichier CSV des saisines.",
                       too_big_message=f"Le fichier {path} dépasse 20 Mo : ce n'est pas une liste "
                                       "de saisines.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise InjonctionsError(
            f"Le fichier {path} n'est pas encodé en UTF-8 (caractère illisible ligne {line}). "
            "Ouvrez-le dans votre tableur et enregistrez-le au format « CSV UTF-8 »."
        ) from None


def _header_key(cell: str) -> str:
    return _fold(cell).replace(" ", "_")


def _parse_header(cells: list[str], path: Path) -> list[str]:
    """The canonical column names in file order; refuses missing, extra or doubled ones."""
    keys = [_header_key(cell) for cell in cells]
    missing = [column for column in COLUMNS if column not in keys]
    extra = [cell.strip() or "(colonne sans nom)"
             for cell, key in zip(cells, keys) if key not in COLUMNS]
    doubled = sorted({key for key in keys if key in COLUMNS and keys.count(key) > 1})
    problems = []
    if missing:
        problems.append(f"colonne(s) manquante(s) : {', '.join(missing)}")
    if extra:
        problems.append(f"colonne(s) en trop : {', '.join(extra)}")
    if doubled:
        problems.append(f"colonne(s) en double : {', '.join(doubled)}")
    if problems:
        raise InjonctionsError(
            f"Le fichier {path} n'a pas les colonnes attendues ({' ; '.join(problems)}). "
            f"La ligne 1 doit contenir exactement : {';'.join(COLUMNS)}."
        )
    return keys


def _clean_text(values: dict[str, str], column: str, problems: list[str],
                prefix: str) -> str | None:
    """Trimmed text with inner spaces collapsed; None when empty or refused."""
    text = " ".join(values[column].split())
    if any(unicodedata.category(char) == "Cc" for char in text):
        problems.append(f"{prefix}{_FIELD_LABELS[column]} : caractères de contrôle interdits")
        return None
    if len(text) > MAX_NAME:
        problems.append(f"{prefix}{_FIELD_LABELS[column]} trop long ({len(text)} caractères, "
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
            problems.append(f"{prefix}la {_FIELD_LABELS[key_b]} ({format_fr(b)}) doit être "
                            f"postérieure à la date de naissance ({format_fr(a)})")
        elif b < a:  # type: ignore[operator]
            problems.append(f"{prefix}la {_FIELD_LABELS[key_b]} ({format_fr(b)}) est antérieure "
                            f"à la {_FIELD_LABELS[key_a]} ({format_fr(a)})")
    saisine, birth = row.get("date_saisine"), row.get("date_naissance")
    if saisine is not None and saisine > today:
        problems.append(f"{prefix}la date de saisine ({format_fr(saisine)}) est dans le futur")
    reference_key = "date_faits" if row.get("date_faits") else "date_saisine"
    reference = row.get(reference_key)
    if birth is not None and reference is not None and birth < reference:
        age = age_on(birth, reference)
        if not MIN_AGE <= age <= MAX_AGE:
            problems.append(f"{prefix}{age} ans à la {_FIELD_LABELS[reference_key]} : vérifiez la "
                            f"date de naissance (entre {MIN_AGE} et {MAX_AGE} ans attendus)")


def _parse_row(values: dict[str, str], line: int, today: dt.date,
               problems: list[str]) -> _Row | None:
    """Validate one line; append its problems and return None if any."""
    prefix = f"ligne {line} : "
    before = len(problems)
    for column in REQUIRED:
        if not values[column].strip():
            ending = "e" if column.startswith("date") else ""
            problems.append(f"{prefix}{_FIELD_LABELS[column]} manquant{ending}")
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
            parsed[column] = parse_date(values[column], _FIELD_LABELS[column])
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
    if len(problems) > before:
        return None
    return _Row(line, number, texts["nom"] or "", texts["prenom"] or "",
                parsed["date_naissance"], parsed["date_faits"],  # type: ignore[arg-type]
                parsed["date_decision"], parsed["date_saisine"],  # type: ignore[arg-type]
                texts["magistrat_referent"], authority)  # type: ignore[arg-type]


def _read_rows(path: Path, today: dt.date) -> tuple[list[_Row], list[str]]:
    """Every valid row and every problem found in the file."""
    text = _read_text(path)
    if not text.strip():
        raise InjonctionsError(f"Le fichier {path} est vide : aucune saisine à importer.")
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[_Row] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    keys: list[str] | None = None
    next_line = 1  # a quoted field may span lines: a record starts after the previous one
    try:
        for cells in reader:
            start, next_line = next_line, reader.line_num + 1
            if keys is None:
                keys = _parse_header(cells, path)
                continue
            if not any(cell.strip() for cell in cells):
                continue  # blank line (or only separators, as spreadsheets write them)
            if len(cells) != len(keys):
                problems.append(f"ligne {start} : {len(cells)} colonne(s) au lieu de {len(keys)}")
                continue
            values = dict(zip(keys, cells))
            number = "".join(values["numero_parquet"].split())
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
    if keys is None:
        raise InjonctionsError(f"Le fichier {path} est vide : aucune saisine à importer.")
    if not rows and not problems:
        raise InjonctionsError(f"Le fichier {path} ne contient que la ligne d'en-tête : "
                               "aucune saisine à importer.")
    return rows, problems


def _find_or_create_person(row: _Row) -> Person:
    """Same last name, first name (ignoring case and accents) and birth date: same person."""
    wanted = (search_key(row.last_name), search_key(row.first_name))
    for person in Person.select().where(Person.birth_date == row.birth_date).order_by(Person.id):
        if (search_key(person.last_name), search_key(person.first_name)) == wanted:
            return person
    return Person.create(last_name=row.last_name, first_name=row.first_name,
                         birth_date=row.birth_date)


def import_saisines(path: Path, *, today: dt.date,
                    professional: Professional | None = None) -> SaisinesResult:
    """Create one measure per new saisine of the file, or nothing at all."""
    rows, problems = _read_rows(Path(path), today)
    if problems:
        lines = len({problem.split(" : ", 1)[0] for problem in problems})
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"… et {len(problems) - MAX_PROBLEMS} autre(s) problème(s).")
        raise ImportRejected(f"Import refusé : {lines} ligne(s) en erreur, "
                             "rien n'a été importé.", shown)
    result = SaisinesResult()
    with database.atomic():
        known = {"".join(number.split())
                 for (number,) in cast("Iterable[tuple[str]]", Measure.select(Measure.parquet_number).tuples())}
        for row in rows:
            if row.parquet_number in known:
                result.duplicates.append(row.parquet_number)
                continue
            measure = Measure.create(
                person=_find_or_create_person(row), professional=professional,
                kind=MeasureKind.INJONCTION_THERAPEUTIQUE.value,
                parquet_number=row.parquet_number, authority=row.authority.value,
                stage=STAGE_FOR_AUTHORITY[row.authority].value,
                magistrat_referent=row.magistrat, facts_on=row.facts_on,
                decision_on=row.decision_on, saisine_received_on=row.saisine_on,
                status=MeasureStatus.A_CONVOQUER.value,
            )
            record("import_saisine", "measure", measure.id)
            result.measure_ids.append(measure.id)
        result.imported = len(result.measure_ids)
    return result
