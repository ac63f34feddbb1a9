"""The dossier list: one row per measure, filtered, searchable without accents or case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import Case, fn

from .models import Measure, Person
from .people import MAJORITY_AGE, public_for
from .text import search_key
from .vocabulary import Public, label

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


#: Deadline filters: (label, largest number of days left; negative = overdue only).
DUE_FILTERS: dict[str, tuple[str, int]] = {
    "retard": ("Échéance dépassée", -1),
    "7j": ("Échéance sous 7 jours", 7),
    "30j": ("Échéance sous 30 jours", 30),
}


def _measures_due(today: dt.date, key: str) -> list[int]:
    from .deadlines import pending_deadlines

    _, horizon = DUE_FILTERS[key]
    return sorted({d.measure_id for d in pending_deadlines(today) if d.days_left(today) <= horizon})


def _minor_expression():
    """SQL: was the person a minor at the facts (else at the saisine)? Override wins."""
    reference = fn.COALESCE(Measure.facts_on, Measure.saisine_received_on)
    minor = Person.birth_date > fn.date(reference, f"-{MAJORITY_AGE} years")
    return Case(None, [(Measure.public_override == Public.MINEURS.value, True),
                       (Measure.public_override == Public.MAJEURS.value, False)], minor)


def dossier_query(filters: DossierFilters):
    query = Measure.select(Measure, Person).join(Person)
    needle = search_key(filters.search[:MAX_SEARCH])
    if needle:
        compact = needle.replace(" ", "").upper()
        query = query.where(Person.search_name.contains(needle) | Measure.parquet_number.contains(compact))
    if filters.status:
        query = query.where(Measure.status == filters.status)
    if filters.magistrat:
        query = query.where(Measure.magistrat_referent == filters.magistrat)
    if filters.due and filters.today:
        query = query.where(Measure.id.in_(_measures_due(filters.today, filters.due)))
    if filters.public:
        minor = _minor_expression()
        query = query.where(minor == (filters.public == Public.MINEURS.value))
    return query


def dossier_rows(search: str = "", limit: int | None = PAGE,
                 filters: DossierFilters | None = None) -> tuple[list[DossierRow], int]:
    """Dossiers, most recent saisine first, and how many match in all."""
    filters = filters or DossierFilters(search=search)
    query = dossier_query(filters)
    total = query.count()
    page = query.order_by(Measure.saisine_received_on.desc(), Measure.id.desc())
    if limit:
        page = page.limit(limit)
    rows = [
        DossierRow(
            measure_id=m.id,
            person=m.person.full_name,
            birth_date=m.person.birth_date,
            parquet_number=m.parquet_number,
            public=label(public_for(m.person.birth_date, m.facts_on, m.public_override,
                                    m.saisine_received_on)),
            status=label(m.status),
            saisine_received_on=m.saisine_received_on,
            magistrat_referent=m.magistrat_referent or "",
        )
        for m in page
    ]
    return rows, total


def magistrats() -> list[str]:
    """The magistrats référents named in the dossiers, for the filter."""
    query = (Measure.select(Measure.magistrat_referent).where(Measure.magistrat_referent.is_null(False))
             .distinct().order_by(Measure.magistrat_referent))
    return [m.magistrat_referent for m in query]


