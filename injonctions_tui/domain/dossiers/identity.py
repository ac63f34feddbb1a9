"""One person, one dossier per parquet number: the checks every way in goes through.

A second dossier for someone already followed makes the état list them twice and
splits their history (issue 16: a walk-in typed by hand created one). So a parquet
number already known is refused everywhere a dossier is created (the form, the
walk-in, the saisines import, the JSON import), naming the dossier that has it; a
person of the same name born the same day is shown before a new dossier is saved,
and the new dossier is then attached to that person rather than to a twin.

Parquet numbers are compared without spaces, separators or case: « 26/111/00001 »
and « 2611100001 » are the same number written two ways.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from peewee import fn

from ..core.dates import format_fr, parse_date
from ..core.errors import InvalidInput
from ..core.models import Measure, Person
from ..core.text import search_key
from ..core.vocabulary import MeasureStatus, label
from .listing import DossierFilters, DossierRow, dossier_rows, rows_for_ids

#: How many dossiers the walk-in dialog offers as you type.
CANDIDATES = 8


def parquet_key(number: str) -> str:
    """The number as compared: letters and digits only, upper case."""
    return re.sub(r"[^0-9A-Z]", "", number.upper())


def _parquet_expression() -> Any:
    """The stored number as `parquet_key` compares it, in SQL (a peewee expression)."""
    column: Any = Measure.parquet_number
    for separator in ("/", ".", "-", " "):
        column = fn.REPLACE(column, separator, "")
    return fn.UPPER(column)


def dossier_with_parquet(number: str | None, *, except_measure_id: int | None = None) -> Measure | None:
    """The dossier that already has this parquet number (any status), or None."""
    key = parquet_key(number or "")
    if not key:
        return None
    query = Measure.select().join(Person).where(_parquet_expression() == key)
    if except_measure_id is not None:
        query = query.where(Measure.id != except_measure_id)
    return query.order_by(Measure.id).first()


def describe(measure: Measure) -> str:
    """« LANTERNE Zéphyrin, né(e) le 12/03/1990, parquet 26060254602, en suivi »: enough for
    the professional to recognise the dossier on screen (never written to a log)."""
    person = measure.person
    born = f", né(e) le {format_fr(person.birth_date)}" if person.birth_date else ""
    number = f", parquet {measure.parquet_number}" if measure.parquet_number else ""
    return f"{person.full_name}{born}{number}, {label(measure.status).lower()}"


class ParquetAlreadyKnown(InvalidInput):
    """A dossier with this parquet number exists: open it instead of creating a twin."""

    def __init__(self, existing: Measure) -> None:
        super().__init__(f"Ce n° de parquet est déjà celui du dossier de {describe(existing)} : "
                         "ouvrez ce dossier plutôt que d'en créer un second.")
        self.measure_id = existing.id


def check_parquet_free(number: str | None, *, except_measure_id: int | None = None) -> None:
    """Refuses (ParquetAlreadyKnown) a parquet number another dossier already has."""
    existing = dossier_with_parquet(number, except_measure_id=except_measure_id)
    if existing is not None:
        raise ParquetAlreadyKnown(existing)


def namesakes(last_name: str, first_name: str, birth_date: dt.date | None, *,
              except_person_id: int | None = None) -> list[Person]:
    """Persons of the same name (accents and case aside) born the same day."""
    if birth_date is None:
        return []
    query = Person.select().where((Person.search_name == search_key(f"{last_name} {first_name}"))
                                  & (Person.birth_date == birth_date))
    if except_person_id is not None:
        query = query.where(Person.id != except_person_id)
    return list(query.order_by(Person.id))


def latest_dossier(person: Person) -> Measure | None:
    return person.measures.order_by(Measure.saisine_received_on.desc(), Measure.id.desc()).first()


@dataclass(frozen=True)
class Candidate:
    """A dossier the walk-in dialog offers: the row of the list, and why it matched."""

    row: DossierRow
    by_birth_date: bool = False


def walk_in_candidates(text: str, *, limit: int = CANDIDATES) -> list[Candidate]:
    """Open dossiers matching what is typed: a name, a parquet number, or a birth date
    (JJ/MM/AAAA): the person in front of the professional is most likely one of them."""
    text = text.strip()
    if len(search_key(text)) < 2:
        return []
    born = _as_birth_date(text)
    if born is not None:
        query = (Measure.select(Measure.id).join(Person)
                 .where((Person.birth_date == born) & (Measure.status != MeasureStatus.CLOTURE.value))
                 .limit(limit))
        return [Candidate(row, by_birth_date=True) for row in rows_for_ids([m.id for m in query])]
    rows, _ = dossier_rows(limit=limit, filters=DossierFilters(search=text, open_only=True))
    return [Candidate(row) for row in rows]


def _as_birth_date(text: str) -> dt.date | None:
    """A typed date (« 12/03/1990 »), else None: names and parquet numbers are searched."""
    if "/" not in text or not text.replace("/", "").strip().isdigit():
        return None
    try:
        return parse_date(text, "Date de naissance")
    except InvalidInput:
        return None
