"""The dossier list: one row per measure, filtered, searchable without accents or case."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from typing import Any, cast

from peewee import SQL, Case, ColumnBase, Expression, ModelSelect, NodeList, fn

from ..core.models import Measure, Person, database, person_name
from ..core.people import MAJORITY_AGE, public_for
from ..core.text import search_key
from ..core.vocabulary import MeasureStatus, Public, label
from ..deadlines.cache import measures_due

MAX_SEARCH = 100
#: Rows shown at once; a search or a filter narrows the rest down.
PAGE = 500


@dataclass(frozen=True)
class DossierRow:
    measure_id: int
    person: str
    birth_date: dt.date | None
    parquet_number: str
    public: str
    status: str
    saisine_received_on: dt.date
    magistrat_referent: str


@dataclass(frozen=True)
class DossierFilters:
    search: str = ""
    status: str | None = None  # vocabulary.MeasureStatus value
    public: str | None = None  # vocabulary.Public value
    magistrat: str | None = None
    #: One of DUE_FILTERS' keys; needs `today`.
    due: str | None = None
    today: dt.date | None = None
    #: Leave out closed dossiers (the walk-in dialog: a closed measure takes no interview).
    open_only: bool = False


#: Deadline filters: (label, largest number of days left; negative = overdue only).
DUE_FILTERS: dict[str, tuple[str, int]] = {
    "retard": ("Échéance dépassée", -1),
    "7j": ("Échéance sous 7 jours", 7),
    "30j": ("Échéance sous 30 jours", 30),
}


def _measures_due(today: dt.date, key: str) -> list[int]:
    _, horizon = DUE_FILTERS[key]
    return measures_due(today, horizon)


def _minor_expression() -> Case:
    """SQL: was the person a minor at the facts (else at the saisine)? Override wins.
    No birth date means adult, as `people.public_for` shows it on the row."""
    reference = fn.COALESCE(Measure.facts_on, Measure.saisine_received_on)
    minor = fn.COALESCE(Person.birth_date > fn.date(reference, f"-{MAJORITY_AGE} years"), False)
    return Case(None, [(Measure.public_override == Public.MINEURS.value, True),
                       (Measure.public_override == Public.MAJEURS.value, False)], minor)


#: What a row shows, fetched as tuples: 500 Measure+Person models cost more than the query.
_COLUMNS = (Measure.id, Person.last_name, Person.first_name, Person.birth_date, Measure.parquet_number,
            Measure.facts_on, Measure.public_override, Measure.status, Measure.saisine_received_on,
            Measure.magistrat_referent)
_NEWEST_FIRST = (Measure.saisine_received_on.desc(), Measure.id.desc())
#: Up to this many persons (and as many parquet numbers) matching, a search is
#: selective: fetching its dossiers by id beats a scan newest first, which
#: `LIKE '%…%'` forces. Measured on the 50 000-dossier benchmark base: both ways
#: cost the same (~15 ms) around 3 000 matches; by id costs 5 ms for 12 and
#: 55 ms for 30 000, the scan 10 ms for 30 000 and 27 ms for 200.
SELECTIVE = 3000


def _search_terms(search: str) -> tuple[str, str] | None:
    """(name needle, parquet needle), None without a search: accents, case, spaces ignored."""
    needle = search_key(search[:MAX_SEARCH])
    if not needle:
        return None
    return needle, needle.replace(" ", "").upper()


def _among(column: ColumnBase, ids: list[int]) -> Expression:
    """`column IN (…)` with the ids written as integer literals: peewee renders a list
    parameter by parameter, ~2.5 µs an id (5 ms for the 2 000 persons of a two-letter
    search), and SQLite before 3.32 binds at most 999 parameters."""
    literals = ",".join(str(int(i)) for i in ids)  # int(): nothing but digits reaches the SQL
    return column.in_(SQL(f"({literals})"))


def _ids(query: ModelSelect[Any]) -> list[int]:
    """The first column of `query` through the bare cursor: peewee's per-row wrapper
    would cost more than the query for the thousands of ids of a short search."""
    return [row[0] for row in database.execute_sql(*query.sql())]


def _other_filters(query: ModelSelect[Any], filters: DossierFilters, *,
                   by_id: bool = False) -> ModelSelect[Any]:
    """Every filter but the search, ANDed to `query` (which joins Person).

    `by_id`: the query is driven by a short list of ids, so the status must not
    tempt SQLite into its index (45 000 "clôturé" dossiers): unary `+` forbids it.
    """
    if filters.status:
        status = NodeList((SQL("+"), Measure.status), glue="") if by_id else Measure.status
        query = query.where(status == filters.status)
    if filters.open_only:
        query = query.where(Measure.status != MeasureStatus.CLOTURE.value)
    if filters.magistrat:
        query = query.where(Measure.magistrat_referent == filters.magistrat)
    if filters.due and filters.today:
        query = query.where(_among(Measure.id, _measures_due(filters.today, filters.due)))
    if filters.public:
        minor = _minor_expression()
        query = query.where(minor == (filters.public == Public.MINEURS.value))
    return query


def _selective_matches(name: str, number: str) -> tuple[list[int], list[int]] | None:
    """Ids of the persons whose name matches and of the measures whose parquet number
    does, or None past SELECTIVE of either: the `LIMIT` stops each index scan early."""
    persons = _ids(Person.select(Person.id).where(Person.search_name.contains(name)).limit(SELECTIVE + 1))
    if len(persons) > SELECTIVE:
        return None
    measures = _ids(Measure.select(Measure.id).where(Measure.parquet_number.contains(number))
                    .limit(SELECTIVE + 1))
    if len(measures) > SELECTIVE:
        return None
    return persons, measures


def _tuples(query: ModelSelect[Any]) -> Iterable[tuple[Any, ...]]:
    """`query.tuples()`, typed as what it yields (peewee's stubs say models)."""
    return cast("Iterable[tuple[Any, ...]]", query.tuples())


def _row(values: tuple[Any, ...]) -> DossierRow:
    (measure_id, last_name, first_name, birth_date, parquet_number, facts_on, public_override, status,
     saisine_received_on, magistrat_referent) = values
    return DossierRow(
        measure_id=measure_id,
        person=person_name(last_name, first_name),
        birth_date=birth_date,
        parquet_number=parquet_number,
        public=label(public_for(birth_date, facts_on, public_override, saisine_received_on)),
        status=label(status),
        saisine_received_on=saisine_received_on,
        magistrat_referent=magistrat_referent or "",
    )


def _rows_by_id(persons: list[int], measures: list[int], filters: DossierFilters,
                limit: int | None) -> tuple[list[DossierRow], int]:
    """A selective search: the matching ids, sorted and filtered in SQL, give the
    total; the page's rows are then fetched by id."""
    found = [_among(Measure.person, persons)] if persons else []
    found += [_among(Measure.id, measures)] if measures else []
    if not found:
        return [], 0
    query = Measure.select(Measure.id).join(Person).where(reduce(operator.or_, found))
    ids = _ids(_other_filters(query, filters, by_id=True).order_by(*_NEWEST_FIRST))
    page = (Measure.select(*_COLUMNS).join(Person).where(_among(Measure.id, ids[:limit or None]))
            .order_by(*_NEWEST_FIRST))
    return [_row(values) for values in _tuples(page)], len(ids)


def _rows_by_scan(terms: tuple[str, str] | None, filters: DossierFilters,
                  limit: int | None) -> tuple[list[DossierRow], int]:
    """No search, or a broad one: scanning newest first (index
    measure_saisine_received_on_id) fills the page early; a COUNT gives the total."""
    query = Measure.select(*_COLUMNS).join(Person)
    if terms:
        name, number = terms
        query = query.where(Person.search_name.contains(name) | Measure.parquet_number.contains(number))
    query = _other_filters(query, filters)
    page = query.order_by(*_NEWEST_FIRST)
    if limit:
        page = page.limit(limit)
    rows = [_row(values) for values in _tuples(page)]
    # A page not full is everything: no need to count.
    return rows, len(rows) if not limit or len(rows) < limit else query.count()


def dossier_rows(search: str = "", limit: int | None = PAGE,
                 filters: DossierFilters | None = None) -> tuple[list[DossierRow], int]:
    """Dossiers, most recent saisine first, and how many match in all.

    Runs on every keystroke of the search, hence two shapes (same rows, order and
    total): a selective search is fetched by id, anything else by a scan.
    """
    filters = filters or DossierFilters(search=search)
    terms = _search_terms(filters.search)
    matches = _selective_matches(*terms) if terms else None
    if matches is not None:
        return _rows_by_id(*matches, filters, limit)
    return _rows_by_scan(terms, filters, limit)


def rows_for_ids(measure_ids: list[int]) -> list[DossierRow]:
    """The list's rows of these dossiers, most recent saisine first."""
    if not measure_ids:
        return []
    query = Measure.select(*_COLUMNS).join(Person).where(_among(Measure.id, measure_ids)).order_by(*_NEWEST_FIRST)
    return [_row(values) for values in cast("Iterable[tuple[Any, ...]]", query.tuples())]


def magistrats() -> list[str]:
    """The magistrats référents named in the dossiers, for the filter."""
    query = (Measure.select(Measure.magistrat_referent).where(Measure.magistrat_referent.is_null(False))
             .distinct().order_by(Measure.magistrat_referent))
    return [m.magistrat_referent for m in query if m.magistrat_referent is not None]


