"""The dossier list: one row per measure, searchable without accents or case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .models import Measure, Person
from .people import public_for
from .text import search_key
from .vocabulary import label

MAX_SEARCH = 100


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


def dossier_rows(search: str = "", limit: int | None = None) -> list[DossierRow]:
    """Dossiers, most recent saisine first; `search` matches name or parquet number."""
    query = (Measure.select(Measure, Person).join(Person)
             .order_by(Measure.saisine_received_on.desc(), Measure.id.desc()))
    needle = search_key(search[:MAX_SEARCH])
    if needle:
        compact = needle.replace(" ", "")
        query = query.where(Person.search_name.contains(needle)
                            | Measure.parquet_number.contains(compact))
    if limit:
        query = query.limit(limit)
    return [
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
        for m in query
    ]
