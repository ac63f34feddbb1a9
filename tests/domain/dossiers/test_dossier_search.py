"""Search as you type in the dossier list: the fast query shapes equal the plain query.

`dossier_rows` fetches a selective search by id and anything else by a scan, newest
first (issue 9: one call per keystroke). Whichever shape runs, forced here through
`SELECTIVE`, the rows, their order and the total must be those of the plain query the
list used before: one `LIKE` over measure ⨝ person, every filter ANDed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from injonctions_tui.domain.core.models import Measure, Person
from injonctions_tui.domain.core.people import measure_public
from injonctions_tui.domain.core.text import search_key
from injonctions_tui.domain.core.vocabulary import MeasureStatus, label
from injonctions_tui.domain.demo.builder import populate_demo
from injonctions_tui.domain.dossiers import listing as dossiers
from injonctions_tui.domain.dossiers.listing import MAX_SEARCH, DossierFilters, dossier_rows
from injonctions_tui.domain.store import storage
from tests.conftest import PASSPHRASE, TODAY

SEARCHES = [
    "", "   ", "l", "la", "LA", "lam", "e", "a", "lefevre", "Lefèvre", "LEFÈVRE-DÉMO", "œil", "oeil",
    "JOLICŒUR", "jolicoeur", "é", "héloïse", "  Haddock   Anselme ", "anselme haddock",
    "26", "26 0", "2 6", "abc", "26/abc", "0-x9", "%", "_", "r_c", "t%", "\\", "zzzz",
    "a" * (MAX_SEARCH + 50),
]
#: None stands for each magistrat, found in the base at run time.
FILTERS = [
    {}, *({"status": status.value} for status in MeasureStatus), {"public": "mineurs"}, {"public": "majeurs"},
    {"magistrat": None}, {"due": "retard"}, {"due": "30j"}, {"due": "7j"},
    {"status": "suivi", "public": "majeurs"}, {"status": "cloture", "magistrat": None, "public": "mineurs"},
]
#: 0: every search with a match is scanned; 10**6: every one is fetched by id; between: both.
THRESHOLDS = [0, 1, 4, dossiers.SELECTIVE, 10**6]


def _add_edge_cases() -> None:
    """What the demo lacks: letters and / in a parquet number, LIKE wildcards in a name,
    public overrides, no birth date, equal saisine dates, a person with two measures."""
    def person(last: str, first: str, born: dt.date | None) -> Person:
        return Person.create(last_name=last, first_name=first, birth_date=born)

    def measure(who: Person, number: str, saisine: dt.date, **extra: object) -> Measure:
        return Measure.create(person=who, parquet_number=number, authority="procureur", stage="alternative_poursuites",
                              saisine_received_on=saisine, **extra)

    same_day = dt.date(2026, 10, 5)
    cent = person("Pour_cent", "Cent%", dt.date(1990, 1, 1))
    measure(cent, "26/ABC.100-X9", same_day, magistrat_referent="M. le substitut Hercule FICTIF")
    measure(cent, "26000000777", same_day, public_override="mineurs")
    adult_ruled_minor = person("Lefèvre", "Œil", dt.date(2010, 2, 3))
    measure(adult_ruled_minor, "26000000778", same_day, public_override="majeurs", status="suivi")
    measure(person("Sansdate", "Anselme", None), "26000000779", dt.date(2026, 9, 1))


@pytest.fixture(scope="module")
def demo_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The demo base and a few edge cases, built once: the tests only read it."""
    path: Path = tmp_path_factory.mktemp("recherche") / "injonctions.db"
    database = storage.create_database(path, PASSPHRASE, kdf=storage.FAST_KDF)
    try:
        populate_demo(TODAY)
        _add_edge_cases()
        yield database
    finally:
        database.close()


def _reference(filters: DossierFilters) -> list[tuple]:
    """Every matching dossier, by the plain query dossier_rows ran before issue 9."""
    query = Measure.select(Measure, Person).join(Person)
    needle = search_key(filters.search[:MAX_SEARCH])
    if needle:
        query = query.where(Person.search_name.contains(needle)
                            | Measure.parquet_number.contains(needle.replace(" ", "").upper()))
    if filters.status:
        query = query.where(Measure.status == filters.status)
    if filters.magistrat:
        query = query.where(Measure.magistrat_referent == filters.magistrat)
    if filters.due and filters.today:
        query = query.where(Measure.id.in_(dossiers._measures_due(filters.today, filters.due)))
    if filters.public:  # a permanence's public: never an injonction de soins (issue 21)
        query = query.where((dossiers._minor_expression() == (filters.public == "mineurs"))
                            & (Measure.kind == "injonction_therapeutique"))
    query = query.order_by(Measure.saisine_received_on.desc(), Measure.id.desc())
    return [(m.id, m.person.full_name, m.person.birth_date, m.parquet_number,
             dossiers.CARE_ORDER_PUBLIC if m.kind == "injonction_de_soins" else label(measure_public(m)),
             label(m.status), m.saisine_received_on, m.magistrat_referent or "") for m in query]


def _shown(rows: list[dossiers.DossierRow]) -> list[tuple]:
    return [(r.measure_id, r.person, r.birth_date, r.parquet_number, r.public, r.status,
             r.saisine_received_on, r.magistrat_referent) for r in rows]


def _variants(spec: dict) -> list[DossierFilters]:
    magistrats = dossiers.magistrats() if "magistrat" in spec else [None]
    extra = {"today": TODAY} if "due" in spec else {}
    return [DossierFilters(**(spec | extra | ({"magistrat": name} if name else {})), search=search)
            for name in magistrats for search in SEARCHES]


@pytest.mark.parametrize("spec", FILTERS, ids=lambda spec: "+".join(f"{k}={v}" for k, v in spec.items()) or "aucun")
def test_every_shape_gives_the_plain_query_rows_order_and_total(demo_base, monkeypatch, spec: dict) -> None:
    for filters in _variants(spec):
        expected = _reference(filters)
        for threshold in THRESHOLDS:
            monkeypatch.setattr(dossiers, "SELECTIVE", threshold)
            context = f"{filters} SELECTIVE={threshold}"
            rows, total = dossier_rows(limit=None, filters=filters)
            assert (_shown(rows), total) == (expected, len(expected)), context
            rows, total = dossier_rows(limit=3, filters=filters)
            assert (_shown(rows), total) == (expected[:3], len(expected)), context


def test_the_searches_above_are_not_trivial(demo_base) -> None:
    """Guards the test above: matches by name and by number, few and many, and none."""
    totals = {search: len(_reference(DossierFilters(search=search))) for search in SEARCHES}
    everything = Measure.select().count()
    assert totals[""] == totals["   "] == everything
    assert totals["zzzz"] == totals["a" * (MAX_SEARCH + 50)] == 0
    assert 0 < totals["lefevre"] < totals["e"] < everything
    assert totals["œil"] == totals["oeil"] > 0 and totals["JOLICŒUR"] == totals["jolicoeur"] == 1
    assert totals["26/abc"] == totals["0-x9"] == 1 and totals["r_c"] == totals["t%"] == 2
    assert totals["%"] == totals["_"] == 2 and totals["\\"] == 0
    assert totals["26 0"] > 5


def test_each_shape_is_really_taken(demo_base, monkeypatch) -> None:
    """SELECTIVE picks the shape: by id up to it, a scan past it (or without a search)."""
    taken: list[str] = []

    def spy(name: str) -> None:
        original = getattr(dossiers, name)

        def recorded(*args, **kwargs):
            taken.append(name)
            return original(*args, **kwargs)

        monkeypatch.setattr(dossiers, name, recorded)

    spy("_rows_by_id")
    spy("_rows_by_scan")
    monkeypatch.setattr(dossiers, "SELECTIVE", 4)
    for search in ("jolicoeur", "e", "", "zzzz"):
        dossier_rows(search)
    assert taken == ["_rows_by_id", "_rows_by_scan", "_rows_by_scan", "_rows_by_id"]


def test_the_public_filter_agrees_with_the_public_shown(demo_base) -> None:
    """A person without a birth date is shown « Majeurs »: the filter must find them there."""
    for public, shown in (("majeurs", "Majeurs"), ("mineurs", "Mineurs")):
        rows, _ = dossier_rows(limit=None, filters=DossierFilters(public=public))
        assert rows and {row.public for row in rows} == {shown}
    rows, _ = dossier_rows(limit=None, filters=DossierFilters(public="majeurs", search="sansdate"))
    assert [row.person for row in rows] == ["SANSDATE Anselme"]
