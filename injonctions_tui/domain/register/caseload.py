"""How many persons each professional follows now, against the cap of the measure's kind.

Why: the injonction de soins caps a professional at 60 persons at once (DOMAIN.md "The
sister measure"); the cap lives in core/rules.py with the other rules that differ between
kinds, so a kind without one (the injonction thérapeutique) shows a plain count. A
person counts once per kind however many open measures they have; "open" means not
closed (no outcome recorded), whatever the stage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from ..core.errors import InvalidInput
from ..core.models import Measure, Person, Professional
from ..core.rules import MEASURE_KIND_LABELS, MeasureKind, rules_for
from ..core.vocabulary import MeasureStatus

#: Our choice: warn from 90 % of the cap (54 persons out of 60), early enough to stop
#: accepting new dossiers before the cap is reached.
NEAR_CAP_SHARE = 0.9
#: Abbreviations for a table cell ("38 IT ; 55 / 60 IS").
SHORT = {MeasureKind.INJONCTION_THERAPEUTIQUE: "IT", MeasureKind.INJONCTION_DE_SOINS: "IS"}


@dataclass(frozen=True)
class KindLoad:
    kind: MeasureKind
    persons: int
    cap: int | None

    @property
    def near_cap(self) -> bool:
        return self.cap is not None and self.persons >= NEAR_CAP_SHARE * self.cap

    @property
    def at_cap(self) -> bool:
        return self.cap is not None and self.persons >= self.cap

    @property
    def warning(self) -> str | None:
        """A French sentence when the count nears or reaches the cap, else None."""
        if not self.near_cap:
            return None
        name = MEASURE_KIND_LABELS[self.kind].lower()
        if self.persons > self.cap:  # type: ignore[operator]
            return f"{self.persons} personnes suivies en {name} : le plafond de {self.cap} est dépassé."
        if self.at_cap:
            return f"{self.persons} personnes suivies en {name} : plafond de {self.cap} atteint."
        return (f"{self.persons} personnes suivies en {name} sur {self.cap} au plus : plafond bientôt "
                "atteint.")

    @property
    def text(self) -> str:
        """"12" or "55 / 60": the count as a table cell shows it."""
        return f"{self.persons} / {self.cap}" if self.cap is not None else str(self.persons)


@dataclass(frozen=True)
class Caseload:
    professional_id: int
    #: Every kind of measure, in rules order (zero counts included, so a cap always shows).
    kinds: tuple[KindLoad, ...]

    @property
    def persons(self) -> int:
        return sum(load.persons for load in self.kinds)

    @property
    def text(self) -> str:
        """"38 IT ; 55 / 60 IS", or "0": every kind with someone followed."""
        return " ; ".join(f"{load.text} {SHORT[load.kind]}" for load in self.kinds if load.persons) or "0"

    @property
    def warnings(self) -> list[str]:
        return [w for load in self.kinds if (w := load.warning)]

    def of(self, kind: str | MeasureKind) -> KindLoad:
        return next(load for load in self.kinds if load.kind == MeasureKind(kind))


def _open() -> object:
    return Measure.outcome.is_null() & (Measure.status != MeasureStatus.CLOTURE.value)


def _build(professional_id: int, persons: dict[str, set[int]]) -> Caseload:
    return Caseload(professional_id, tuple(
        KindLoad(kind, len(persons.get(kind.value, ())), rules_for(kind).caseload_cap) for kind in MeasureKind))


def caseloads() -> dict[int, Caseload]:
    """Every professional's caseload, in one query (the register lists them all)."""
    rows = (Measure.select(Measure.professional, Measure.kind, Measure.person)
            .where(Measure.professional.is_null(False) & _open()).tuples())
    persons: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for professional_id, kind, person_id in cast("Iterable[tuple[int, str, int]]", rows):  # .tuples() rows
        persons[professional_id][kind].add(person_id)
    return {p.id: _build(p.id, persons.get(p.id, {})) for p in Professional.select(Professional.id)}


def caseload_of(professional: Professional) -> Caseload:
    rows = (Measure.select(Measure.kind, Measure.person)
            .where((Measure.professional == professional) & _open()).tuples())
    persons: dict[str, set[int]] = defaultdict(set)
    for kind, person_id in cast("Iterable[tuple[str, int]]", rows):  # .tuples() rows
        persons[kind].add(person_id)
    return _build(professional.id, persons)


def check_capacity(professional: Professional, kind: str | MeasureKind, *, person: Person | None = None) -> None:
    """Refuse a new person beyond the cap of the kind (a person already followed adds nobody)."""
    load = caseload_of(professional).of(kind)
    if not load.at_cap:
        return
    if person is not None and person.id is not None and Measure.select().where(
            (Measure.professional == professional) & (Measure.person == person)
            & (Measure.kind == MeasureKind(kind).value) & _open()).exists():
        return
    raise InvalidInput(f"{professional.full_name} suit déjà {load.persons} personnes en "
                       f"{MEASURE_KIND_LABELS[load.kind].lower()} : le plafond de {load.cap} personnes à la "
                       "fois est atteint. Confiez ce dossier à un autre professionnel habilité.")
