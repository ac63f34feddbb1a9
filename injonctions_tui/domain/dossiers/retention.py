"""Retention: closed dossiers kept no longer than necessary (GDPR art. 5-1-e), then erased.

The period is a setting (`retention_years`, default 5 years after the closing
decision: our choice, to be aligned with the CSAPA's own retention policy). The app
only *lists* the dossiers past the period; deleting is an explicit act on chosen
ids. It is logged with ids and counts only (the log must not keep what was erased),
and it really removes the data: `secure_delete` overwrites the freed space, then
VACUUM rebuilds the file and a truncating checkpoint empties the WAL.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from peewee import IntegrityError

from ..core.dates import add_months
from ..core.errors import InjonctionsError, InvalidInput
from ..core.models import (Appointment, LegalRepresentative, Measure, Orientation, Person, Renewal, Report, Setting,
                           database)
from ..core.vocabulary import MeasureStatus
from ..store import audit, integrity

RETENTION_KEY = "retention_years"
DEFAULT_RETENTION_YEARS = 5
MIN_YEARS, MAX_YEARS = 1, 30


@dataclass(frozen=True)
class RetentionCandidate:
    """A closed dossier past the retention period, for the list shown before deleting."""

    measure_id: int
    person_name: str
    parquet_number: str
    closed_on: dt.date
    #: The person has no other measure: deleting removes the person too.
    removes_person: bool


@dataclass
class DeletionResult:
    """Rows erased per table (what the log keeps: no names, no content)."""

    measure_ids: list[int]
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return (f"{self.counts.get('measure', 0)} dossier(s) et {self.counts.get('person', 0)} "
                "personne(s) supprimés définitivement.")


def retention_years() -> int:
    row = Setting.get_or_none(Setting.key == RETENTION_KEY)
    try:
        years = int(json.loads(row.value)) if row else DEFAULT_RETENTION_YEARS
    except (ValueError, TypeError):
        return DEFAULT_RETENTION_YEARS
    return min(max(years, MIN_YEARS), MAX_YEARS)


def save_retention_years(years: int) -> None:
    if not MIN_YEARS <= years <= MAX_YEARS:
        raise InvalidInput(f"Durée de conservation : entre {MIN_YEARS} et {MAX_YEARS} ans après la "
                           "clôture.")
    with database.atomic():
        Setting.replace(key=RETENTION_KEY, value=json.dumps(years)).execute()
        audit.record("parametre_conservation", details=f"{years} ans")


def _is_closed():  # type: ignore[no-untyped-def]
    return (Measure.status == MeasureStatus.CLOTURE.value) | Measure.outcome.is_null(False)


def due_for_deletion(today: dt.date, *, years: int | None = None) -> list[RetentionCandidate]:
    """Closed dossiers whose closing decision (`outcome_on`) is at least `years` (the
    setting) before `today`; a dossier closed without a decision date is never listed."""
    limit = add_months(today, -12 * (years or retention_years()))
    query = (Measure.select(Measure, Person).join(Person)
             .where(_is_closed() & Measure.outcome_on.is_null(False) & (Measure.outcome_on <= limit))
             .order_by(Measure.outcome_on, Measure.id))
    rows = list(query)
    chosen = {m.id for m in rows}
    candidates = []
    for measure in rows:
        others = (Measure.select().where((Measure.person == measure.person_id)
                                         & Measure.id.not_in(list(chosen))).exists())
        assert measure.outcome_on is not None  # the query keeps only dossiers with a decision date
        candidates.append(RetentionCandidate(measure.id, measure.person.full_name, measure.parquet_number,
                                             measure.outcome_on, removes_person=not others))
    return candidates


def _count(model, condition) -> int:  # type: ignore[no-untyped-def]
    return model.select().where(condition).count()


def delete_dossiers(measure_ids: Iterable[int]) -> DeletionResult:
    """Erase the chosen closed dossiers, and each person left without any measure.

    All or nothing: an unknown or open dossier refuses the whole deletion.
    """
    ids = sorted(set(int(i) for i in measure_ids))
    if not ids:
        raise InvalidInput("Aucun dossier à supprimer n'a été choisi.")
    found = {m.id: m for m in Measure.select().where(Measure.id.in_(ids))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidInput(f"Dossier(s) introuvable(s) : {', '.join(map(str, missing))}. Rien n'a été supprimé.")
    still_open = [i for i, m in found.items() if not (m.outcome or m.status == MeasureStatus.CLOTURE.value)]
    if still_open:
        raise InvalidInput(f"Seuls les dossiers clôturés peuvent être supprimés (dossier(s) "
                           f"{', '.join(map(str, still_open))} en cours). Rien n'a été supprimé.")
    person_ids = sorted({m.person_id for m in found.values()})
    database.execute_sql("PRAGMA secure_delete = ON")
    try:
        with database.atomic():
            orphans = [p for p in person_ids
                       if not Measure.select().where((Measure.person == p) & Measure.id.not_in(ids)).exists()]
            in_measures = Measure.id.in_(ids)
            counts = {
                "measure": len(ids), "person": len(orphans),
                "legal_representative": _count(LegalRepresentative, LegalRepresentative.person.in_(orphans)) if orphans else 0,
                "appointment": _count(Appointment, Appointment.measure.in_(ids)),
                "report": _count(Report, Report.measure.in_(ids)),
                "orientation": _count(Orientation, Orientation.measure.in_(ids)),
                "renewal": _count(Renewal, Renewal.measure.in_(ids)),
            }
            # Children first, explicitly (a report and its corrections go in one statement):
            # a future table without ON DELETE CASCADE makes the foreign keys refuse, and
            # the whole deletion is rolled back.
            with integrity.permit(integrity.PERMIT_RETENTION):  # final reports may go, recorded below
                for model in (Report, Appointment, Orientation, Renewal):
                    model.delete().where(model.measure.in_(ids)).execute()
            Measure.delete().where(in_measures).execute()
            if orphans:
                LegalRepresentative.delete().where(LegalRepresentative.person.in_(orphans)).execute()
                Person.delete().where(Person.id.in_(orphans)).execute()
            audit.record("suppression_conservation", "measure", None,
                         f"dossiers {','.join(map(str, ids))} ; "
                         + ", ".join(f"{table}={n}" for table, n in counts.items()))
            # One event per dossier: the integrity check knows which final reports left lawfully.
            audit.record_many("effacement_conservation", "measure", list(ids), "durée de conservation")
    except IntegrityError:
        database.execute_sql("PRAGMA secure_delete = OFF")
        raise InjonctionsError("Suppression refusée : d'autres données dépendent de ces dossiers. "
                               "Rien n'a été supprimé.") from None
    try:
        database.execute_sql("VACUUM")  # outside the transaction: rebuilds the file
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        database.execute_sql("PRAGMA secure_delete = OFF")
    return DeletionResult(ids, counts)
