"""The état justificatif annuel: what the ARS pays the professional for a civil year.

DOMAIN.md "Other documents" (seed 002): 132 EUR gross per person followed per civil
year, halved when that person had 2 follow-up interviews or fewer during the year,
sent by 31 January of the following year. The numbers come from core/rules.py, overridden
by the settings (statements/settings.py).

Readings where the rule is vague (our choices, printed on the document):
- *Followed during the year*: a measure of the user (summaries.own_measures:
  assigned to them or to nobody, of the statement's kind) is active from its saisine to its outcome date; without an outcome
  date, to its planned end (renewals included); with neither, it is still running
  (an open measure not started yet) or, if closed, it ended at its saisine. A person
  seen (interview « présent », any kind) during the year is followed that year even
  outside that span (an interview held after the planned end, awaiting the decision).
- *Follow-up interview*: an interview marked « présent » held during the year, of any
  kind but the initial evaluation (M3, M6, semestrial and additional interviews). A
  missed, excused, postponed or still expected interview does not count. Two
  interviews the same day (two measures) count once: the person was met once.
- *Per person*: a person with several measures in the year is one row, one amount;
  their interviews of all these measures add up.
- A person followed but never seen (0 interview) is listed at the reduced rate: the
  literal rule; the ARS decides.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from ..core.dates import format_fr, format_long_fr
from ..core.errors import InvalidInput
from ..core.formats import csv_text, day, day_start, decimal_fr, raw
from ..core.models import Appointment, Measure, Person, Setting, person_name
from ..core.rules import MeasureKind
from ..core.text import search_key
from ..core.vocabulary import AppointmentKind, AppointmentStatus, MeasureStatus
from .scope import own_measures
from .settings import DEFAULT_IDENTITY, IDENTITY_FIELDS, PayRules, check_identity_fields, pay_rules

PRODUCED_KEY = "statement_produced"
READING_NOTE = ("Personne suivie : personne dont une mesure était en cours à un moment de l'année (de la "
                "saisine à la décision du magistrat ou, à défaut, à la fin prévue de la mesure), ou reçue en "
                "entretien dans l'année ; une personne suivie au titre de plusieurs mesures ne figure qu'une "
                "fois. Entretiens de suivi : entretiens tenus dans l'année, la personne étant présente (M3, M6, "
                "semestriels et supplémentaires) ; l'entretien d'évaluation initiale n'est pas compté comme un "
                "entretien de suivi (lecture retenue par le professionnel) ; les entretiens manqués, excusés ou "
                "reportés ne sont pas comptés.")


def due_date(year: int) -> dt.date:
    """The statement for `year` reaches the ARS by 31 January of the next year (seed 002)."""
    return dt.date(year + 1, 1, 31)


@dataclass(frozen=True)
class StatementRow:
    """One person followed during the year; identity limited to `Statement.identity_fields`."""

    number: int
    name: str | None
    initials: str | None
    birth_year: int | None
    birth_date: dt.date | None
    parquet_numbers: tuple[str, ...]
    followup_dates: tuple[dt.date, ...]
    amount: Decimal
    reduced: bool

    @property
    def followups(self) -> int:
        return len(self.followup_dates)

    def identity(self, field: str) -> str:
        """The cell of an identity column, as printed."""
        if field == "parquet_number":
            return ", ".join(self.parquet_numbers)
        if field == "birth_date":
            return format_fr(self.birth_date)
        value = getattr(self, field)
        return "" if value is None else str(value)


@dataclass(frozen=True)
class Statement:
    year: int
    kind: MeasureKind
    rules: PayRules
    identity_fields: tuple[str, ...]
    rows: tuple[StatementRow, ...]

    @property
    def persons(self) -> int:
        return len(self.rows)

    @property
    def full_rate(self) -> int:
        return sum(not row.reduced for row in self.rows)

    @property
    def reduced_rate(self) -> int:
        return sum(row.reduced for row in self.rows)

    @property
    def full_amount(self) -> Decimal:
        return self.rules.annual_amount_eur.quantize(Decimal("0.01"))

    @property
    def reduced_amount(self) -> Decimal:
        """What a person with no follow-up interview brings (the full amount if never reduced)."""
        return self.rules.amount_for(0)

    @property
    def total(self) -> Decimal:
        return sum((row.amount for row in self.rows), Decimal("0.00"))

    @property
    def reading_note(self) -> str:
        """How the rule was read: printed on the document (the ARS may read it otherwise)."""
        return READING_NOTE

    @property
    def due_on(self) -> dt.date:
        return due_date(self.year)


def _active(saisine: dt.date, end: dt.date | None, first: dt.date, last: dt.date) -> bool:
    return saisine <= last and (end is None or end >= first)


def _end(outcome: str | None, outcome_on: dt.date | None, planned_end: dt.date | None, status: str,
         saisine: dt.date) -> dt.date | None:
    """Last day of the measure as the statement reads it (module docstring)."""
    if outcome_on or planned_end:
        return outcome_on or planned_end
    return saisine if outcome or status == MeasureStatus.CLOTURE else None


def annual_statement(year: int, *, today: dt.date,
                     identity_fields: tuple[str, ...] = DEFAULT_IDENTITY,
                     kind: str | MeasureKind = MeasureKind.INJONCTION_THERAPEUTIQUE) -> Statement:
    """The rows and amounts of the statement for the civil year `year` (three queries).

    `kind`: the statement covers one kind of measure, paid by its own rules.
    """
    if not 2000 <= year <= today.year:
        raise InvalidInput(f"État justificatif : l'année {year} n'est pas plausible.")
    identity = check_identity_fields(identity_fields)
    kind = MeasureKind(kind)
    rules = pay_rules(kind)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    mine = own_measures(kind)
    in_year = ((Appointment.starts_at >= day_start(first))
               & (Appointment.starts_at < day_start(last + dt.timedelta(days=1))))
    held_condition = mine & (Appointment.status == AppointmentStatus.PRESENT.value) & in_year
    followups: dict[int, set[dt.date]] = defaultdict(set)
    seen: set[int] = set()  # measures with an interview held during the year
    for measure_id, person_id, starts_at, appointment_kind in raw(
            Appointment.select(Appointment.measure, Measure.person, Appointment.starts_at, Appointment.kind)
            .join(Measure).where(held_condition)):
        seen.add(measure_id)
        if appointment_kind != AppointmentKind.EVALUATION_INITIALE:
            followups[person_id].add(day(starts_at))
    candidates = mine & ((Measure.saisine_received_on <= last)
                         | Measure.id.in_(Appointment.select(Appointment.measure).join(Measure)
                                          .where(held_condition)))
    parquets: dict[int, set[str]] = defaultdict(set)
    for measure_id, person_id, parquet, saisine, outcome, outcome_on, planned_end, status in raw(
            Measure.select(Measure.id, Measure.person, Measure.parquet_number, Measure.saisine_received_on,
                           Measure.outcome, Measure.outcome_on, Measure.planned_end_on, Measure.status)
            .where(candidates)):
        saisine = day(saisine)
        end = _end(outcome, day(outcome_on), day(planned_end), status, saisine)
        if measure_id in seen or _active(saisine, end, first, last):
            parquets[person_id].add(parquet)
    people = raw(Person.select(Person.id, Person.last_name, Person.first_name, Person.birth_date)
                 .where(Person.id.in_(Measure.select(Measure.person).where(candidates))))
    rows = []
    for person_id, last_name, first_name, birth in sorted(
            (p for p in people if p[0] in parquets),
            key=lambda p: (search_key(f"{p[1]} {p[2]}"), p[0])):
        dates = tuple(sorted(followups.get(person_id, ())))
        born = day(birth)
        rows.append(StatementRow(
            number=len(rows) + 1,
            name=person_name(last_name, first_name) if "name" in identity else None,
            initials=f"{first_name[:1]}.{last_name[:1]}.".upper() if "initials" in identity else None,
            birth_year=born.year if born and "birth_year" in identity else None,
            birth_date=born if "birth_date" in identity else None,
            parquet_numbers=tuple(sorted(parquets[person_id])) if "parquet_number" in identity else (),
            followup_dates=dates, amount=rules.amount_for(len(dates)),
            reduced=rules.is_reduced(len(dates))))
    return Statement(year, kind, rules, identity, tuple(rows))


# --------------------------------------------------------------------------- CSV


def statement_csv(statement: Statement) -> str:
    """The rows and a total line, for the ARS's spreadsheet (amounts: "132,00")."""
    header = ["N°", *(IDENTITY_FIELDS[f] for f in statement.identity_fields),
              "Dates des entretiens de suivi", "Nombre d'entretiens de suivi", "Taux", "Montant (EUR)"]
    rows: list[list[object]] = [
        [row.number, *(row.identity(f) for f in statement.identity_fields),
         ", ".join(format_fr(d) for d in row.followup_dates), row.followups,
         "réduit" if row.reduced else "plein", decimal_fr(row.amount)]
        for row in statement.rows]
    blanks = [""] * len(statement.identity_fields)
    rows.append(["Total", *blanks, "", sum(r.followups for r in statement.rows),
                 f"{statement.full_rate} plein / {statement.reduced_rate} réduit", decimal_fr(statement.total)])
    return csv_text(header, rows)


# --------------------------------------------------------------------------- reminder


def statement_reminder(today: dt.date, last_produced_year: int | None) -> str | None:
    """From 1 December, until the statement of the year ending (or ended) is produced.

    In December the year ending is due; from January, the year just ended. After
    31 January it stays, marked « en retard », until the statement is produced.
    """
    year = today.year if today.month == 12 else today.year - 1
    if last_produced_year is not None and last_produced_year >= year:
        return None
    due = due_date(year)
    if today > due:
        late = (today - due).days
        return (f"État justificatif annuel {year} en retard : il devait parvenir à l'ARS au plus tard le "
                f"{format_long_fr(due)} ({late} jour{'s' if late > 1 else ''} de retard).")
    left = (due - today).days
    return (f"État justificatif annuel {year} à adresser à l'ARS au plus tard le {format_long_fr(due)} "
            f"(dans {left} jour{'s' if left > 1 else ''}).")


def last_statement_produced() -> int | None:
    """The latest year whose statement was produced (saved as PDF or CSV), if any."""
    row = Setting.get_or_none(Setting.key == PRODUCED_KEY)
    try:
        value = json.loads(row.value) if row else None
    except ValueError:
        return None
    return value.get("year") if isinstance(value, dict) and isinstance(value.get("year"), int) else None


def mark_statement_produced(year: int, *, on: dt.date | None = None) -> None:
    """Remember the statement of `year` is produced; an older year never hides a newer one."""
    previous = last_statement_produced()
    if previous is not None and previous >= year:
        return
    payload = {"year": year, "on": on.isoformat() if on else None}
    Setting.replace(key=PRODUCED_KEY, value=json.dumps(payload, sort_keys=True)).execute()


def pending_statement_reminder(today: dt.date) -> str | None:
    """The reminder for the app's banner: none when nobody was followed that year."""
    year = today.year if today.month == 12 else today.year - 1
    message = statement_reminder(today, last_statement_produced())
    if message is None:
        return None
    followed = Measure.select().where(
        own_measures(MeasureKind.INJONCTION_THERAPEUTIQUE) & (Measure.saisine_received_on <= dt.date(year, 12, 31))
        & (Measure.outcome_on.is_null() | (Measure.outcome_on >= dt.date(year, 1, 1)))).exists()
    return message if followed else None


__all__ = ["Statement", "StatementRow", "annual_statement", "due_date", "last_statement_produced",
           "mark_statement_produced", "pending_statement_reminder", "statement_csv",
           "statement_reminder"]
