"""The échéances: pending legal deadlines across dossiers, most urgent first, for the
screen, `injonctions echeances` (text or JSON) and a paper copy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..core.dates import format_fr
from ..core.models import Measure, Person
from .cache import pending_deadlines
from .engine import Deadline

PAGE = 500


@dataclass(frozen=True)
class DeadlineRow:
    measure_id: int
    due_on: dt.date
    when: str
    overdue: bool
    person: str
    parquet_number: str
    label: str
    source: str
    #: The deadline's kind (engine.DeadlineKind value): the injonction de soins has its own.
    kind: str = ""


def when_text(deadline: Deadline, today: dt.date) -> str:
    """'en retard de 3 j', 'aujourd'hui', 'dans 12 j': what the user scans for."""
    days = deadline.days_left(today)
    if days < 0:
        return f"{-days} j de retard"
    if days == 0:
        return "aujourd'hui"
    return f"dans {days} j"


def deadline_rows(today: dt.date, *, limit: int | None = PAGE, overdue_only: bool = False) -> list[DeadlineRow]:
    deadlines = pending_deadlines(today, limit=limit, overdue_only=overdue_only)
    ids = sorted({d.measure_id for d in deadlines})
    names: dict[int, tuple[str, str]] = {}
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start:chunk_start + 500]
        for measure in Measure.select(Measure.id, Measure.parquet_number, Person.last_name, Person.first_name
                                      ).join(Person).where(Measure.id.in_(chunk)):
            names[measure.id] = (measure.person.full_name, measure.parquet_number)
    return [DeadlineRow(d.measure_id, d.due_on, when_text(d, today), d.overdue(today),
                        names.get(d.measure_id, ("?", ""))[0], names.get(d.measure_id, ("?", ""))[1],
                        d.label, d.source, d.kind.value)
            for d in deadlines]


def deadlines_text(rows: list[DeadlineRow]) -> str:
    """Plain text for `injonctions echeances` and a paper copy."""
    if not rows:
        return "Aucune échéance en attente."
    lines = [f"{format_fr(r.due_on)}  {r.when:<18} {r.person:<32} {r.parquet_number:<14} {r.label}" for r in rows]
    return "\n".join(lines)


def deadlines_json(rows: list[DeadlineRow], day: dt.date) -> dict[str, Any]:
    """The same rows for scripts (`injonctions echeances --json`): ISO dates, ids, labels."""
    return {"date": day.isoformat(), "echeances": [
        {"measure_id": r.measure_id, "due_on": r.due_on.isoformat(), "overdue": r.overdue, "person": r.person,
         "parquet_number": r.parquet_number, "label": r.label, "kind": r.kind, "source": r.source} for r in rows]}
