"""The état justificatif annuel: what the ARS pays the professional for a civil year.

DOMAIN.md "Other documents" (seed 002): 132 EUR gross per person followed per civil
year, halved when that person had 2 follow-up interviews or fewer during the year,
sent by 31 January of the following year. The numbers come from core/rules.py, overridden
by the settings (statements/settings.py).

The reading, binding for the software (DOMAIN.md) and printed on the document:
- A person is on year Y's statement only if at least one interview was *held* with
  them in Y (evaluation or follow-up, the person present) for a measure of the user
  (statements.scope.own_measures: assigned to them or to nobody, of the statement's
  kind). A person « à convoquer » never seen, or seen only the year before, is not.
- *Follow-up interview*: an interview held in Y of any kind but the initial evaluation
  (M3, M6, semestrial, additional). Missed, excused, postponed or expected interviews do
  not count; two interviews the same day (two measures) count once.
- *Per person*: a person with several measures in the year is one row, one amount.
- Before 1 January of Y+1 the statement is *provisional*: the year is not over, nothing
  is « certifié exact » (the PDF says « PROVISOIRE » on every page, the CSV on its first line).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from ..core.dates import format_fr, format_long_fr
from ..core.errors import InvalidInput
from ..core.formats import BOM, csv_text, date_of, day, day_start, decimal_fr, raw
from ..core.models import Appointment, Measure, Person, Setting, person_name
from ..core.rules import MeasureKind, rules_for
from ..core.text import search_key
from ..core.vocabulary import AppointmentKind, AppointmentStatus
from ..store.settings import load_court
from .scope import own_measures
from .settings import DEFAULT_IDENTITY, IDENTITY_FIELDS, PayRules, check_identity_fields, pay_rules

PRODUCED_KEY = "statement_produced"
#: The injonction de soins' statement is produced on its own (its sheets go to each JAP first).
PRODUCED_KEYS = {MeasureKind.INJONCTION_THERAPEUTIQUE: PRODUCED_KEY,
                 MeasureKind.INJONCTION_DE_SOINS: "statement_produced_injonction_de_soins"}
READING_NOTE = ("Personne suivie : personne reçue au moins une fois en entretien dans l'année (évaluation ou "
                "suivi, la personne étant présente) ; une personne suivie au titre de plusieurs mesures ne figure "
                "qu'une fois. Entretiens de suivi : entretiens tenus dans l'année, la personne étant présente (M3, "
                "M6, semestriels et supplémentaires) ; l'entretien d'évaluation initiale n'est pas compté comme un "
                "entretien de suivi ; les entretiens manqués, excusés ou reportés ne sont pas comptés.")
PROVISIONAL_MARK = "PROVISOIRE"
#: The injonction de soins (seed 004): the same reading of « personne suivie » and of the
#: follow-up interviews, none of which is an initial evaluation; one sheet per JAP.
CARE_ORDER_READING_NOTE = (
    "Personne suivie : personne reçue au moins une fois en entretien dans l'année par le médecin coordonnateur, "
    "la personne étant présente ; une personne suivie au titre de plusieurs mesures ne figure qu'une fois, sur le "
    "feuillet du juge de l'application des peines de son dernier entretien de l'année. Entretiens de suivi : "
    "entretiens tenus dans l'année, la personne étant présente (premier entretien et entretiens de bilan, "
    "l'injonction de soins ne comportant pas d'évaluation initiale) ; les entretiens manqués, excusés ou reportés "
    "ne sont pas comptés. Un feuillet par juge de l'application des peines, visé par lui.")
#: The sheet of the persons whose dossier names no JAP yet (to complete before sending).
NO_JUDGE = "Juge de l'application des peines non renseigné"


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
    #: Injonction de soins: the JAP of the person's dossier and their court (one sheet each).
    judge: str = ""
    judge_court: str = ""

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


class _RowTotals:
    """The counts and the total printed under a list of rows: a whole statement, or one
    judge's sheet of it, say them the same way."""

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
    def total(self) -> Decimal:
        return sum((row.amount for row in self.rows), Decimal("0.00"))


@dataclass(frozen=True)
class Sheet(_RowTotals):
    """One judge's sheet of an injonction de soins statement (« 1 feuillet par juge », seed 004)."""

    number: int
    judge: str
    court: str
    rows: tuple[StatementRow, ...]

    @property
    def known(self) -> bool:
        return self.judge != NO_JUDGE


@dataclass(frozen=True)
class Statement(_RowTotals):
    year: int
    kind: MeasureKind
    rules: PayRules
    identity_fields: tuple[str, ...]
    rows: tuple[StatementRow, ...]
    #: The day it was produced: before 1 January of the next year, it is provisional.
    produced_on: dt.date

    @property
    def provisional(self) -> bool:
        """The year is not over: a draft, « PROVISOIRE », certified by nobody."""
        return self.produced_on < dt.date(self.year + 1, 1, 1)


    @property
    def full_amount(self) -> Decimal:
        return self.rules.annual_amount_eur.quantize(Decimal("0.01"))

    @property
    def reduced_amount(self) -> Decimal:
        """What a person with no follow-up interview brings (the full amount if never reduced)."""
        return self.rules.amount_for(0)

    @property
    def reading_note(self) -> str:
        """How the rule was read: printed on the document (the ARS may read it otherwise)."""
        return CARE_ORDER_READING_NOTE if self.per_judge else READING_NOTE

    @property
    def per_judge(self) -> bool:
        """One sheet per judge, each visé by that judge (the injonction de soins)."""
        return rules_for(self.kind).statement_per_judge

    @property
    def sheets(self) -> tuple[Sheet, ...]:
        """The rows grouped by judge (the judges by name, the missing one last), renumbered
        within each sheet; one sheet with every row when the statement is not per judge."""
        if not self.per_judge:
            return (Sheet(1, "", "", self.rows),)
        groups: dict[tuple[str, str], list[StatementRow]] = defaultdict(list)
        for row in self.rows:
            groups[(row.judge, row.judge_court)].append(row)
        order = sorted(groups, key=lambda key: (key[0] == NO_JUDGE, search_key(key[0]), search_key(key[1])))
        return tuple(Sheet(number, judge, court,
                           tuple(replace(row, number=index) for index, row in enumerate(groups[(judge, court)], 1)))
                     for number, (judge, court) in enumerate(order, 1))

    @property
    def due_on(self) -> dt.date:
        return due_date(self.year)


def annual_statement(year: int, *, today: dt.date,
                     identity_fields: tuple[str, ...] = DEFAULT_IDENTITY,
                     kind: str | MeasureKind = MeasureKind.INJONCTION_THERAPEUTIQUE) -> Statement:
    """The rows and amounts of the statement for the civil year `year` (two queries): the
    persons seen in `year` (module docstring), each once, with their follow-up interviews.

    `kind`: the statement covers one kind of measure, paid by its own rules.
    """
    if not 2000 <= year <= today.year:
        raise InvalidInput(f"État justificatif : l'année {year} n'est pas plausible.")
    identity = check_identity_fields(identity_fields)
    kind = MeasureKind(kind)
    rules = pay_rules(kind)
    per_judge = rules_for(kind).statement_per_judge
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    in_year = ((Appointment.starts_at >= day_start(first))
               & (Appointment.starts_at < day_start(last + dt.timedelta(days=1))))
    held = own_measures(kind) & (Appointment.status == AppointmentStatus.PRESENT.value) & in_year
    followups: dict[int, set[dt.date]] = defaultdict(set)
    parquets: dict[int, set[str]] = defaultdict(set)
    court = load_court().tribunal
    #: Injonction de soins: the JAP of the measure of each person's latest interview of the year.
    judges: dict[int, tuple[str, str, str]] = {}
    for person_id, parquet, starts_at, appointment_kind, judge, judge_court in raw(
            Appointment.select(Measure.person, Measure.parquet_number, Appointment.starts_at, Appointment.kind,
                               Measure.magistrat_referent, Measure.jap_tribunal)
            .join(Measure).where(held)):
        parquets[person_id].add(parquet)
        if appointment_kind != AppointmentKind.EVALUATION_INITIALE:
            followups[person_id].add(date_of(starts_at))
        moment = str(starts_at)
        if person_id not in judges or moment >= judges[person_id][0]:
            name = " ".join((judge or "").split()) or NO_JUDGE
            judges[person_id] = (moment, name, " ".join((judge_court or "").split()) or court)
    people = raw(Person.select(Person.id, Person.last_name, Person.first_name, Person.birth_date)
                 .where(Person.id.in_(list(parquets))))
    rows: list[StatementRow] = []
    for person_id, last_name, first_name, birth in sorted(people, key=lambda p: (search_key(f"{p[1]} {p[2]}"), p[0])):
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
            reduced=rules.is_reduced(len(dates)),
            judge=judges[person_id][1] if per_judge else "", judge_court=judges[person_id][2] if per_judge else ""))
    return Statement(year, kind, rules, identity, tuple(rows), today)


# --------------------------------------------------------------------------- CSV


def statement_csv(statement: Statement) -> str:
    """The rows and a total line, for the ARS's spreadsheet (amounts: "132,00"). Per judge
    (injonction de soins): the judge and their court on every row, a subtotal per sheet."""
    judged = statement.per_judge
    lead = ["Juge de l'application des peines", "Tribunal", "Feuillet"] if judged else []
    header = [*lead, "N°", *(IDENTITY_FIELDS[f] for f in statement.identity_fields),
              "Dates des entretiens de suivi", "Nombre d'entretiens de suivi", "Taux", "Montant (EUR)"]
    blanks = [""] * len(statement.identity_fields)
    rows: list[list[object]] = []
    for sheet in statement.sheets:
        head = [sheet.judge, sheet.court, sheet.number] if judged else []
        rows += [[*head, row.number, *(row.identity(f) for f in statement.identity_fields),
                  ", ".join(format_fr(d) for d in row.followup_dates), row.followups,
                  "réduit" if row.reduced else "plein", decimal_fr(row.amount)]
                 for row in sheet.rows]
        if judged:
            rows.append([*head, "Sous-total", *blanks, "", sum(r.followups for r in sheet.rows),
                         f"{sheet.full_rate} plein / {sheet.reduced_rate} réduit", decimal_fr(sheet.total)])
    rows.append([*([""] * len(lead)), "Total", *blanks, "", sum(r.followups for r in statement.rows),
                 f"{statement.full_rate} plein / {statement.reduced_rate} réduit", decimal_fr(statement.total)])
    content = csv_text(header, rows)
    if statement.provisional:  # the first line says it, before the header
        bom = content[:1] if content.startswith(BOM) else ""
        content = (f"{bom}{PROVISIONAL_MARK} — état établi le {format_fr(statement.produced_on)}, avant la fin de "
                   f"l'année {statement.year} : ne vaut pas état justificatif\r\n" + content[len(bom):])
    return content


# --------------------------------------------------------------------------- reminder


def statement_reminder(today: dt.date, last_produced_year: int | None,
                       kind: str | MeasureKind = MeasureKind.INJONCTION_THERAPEUTIQUE) -> str | None:
    """From 1 December, until the statement of the year ending (or ended) is produced.

    In December the year ending is due; from January, the year just ended. After
    31 January it stays, marked « en retard », until the statement is produced.
    """
    year = today.year if today.month == 12 else today.year - 1
    if last_produced_year is not None and last_produced_year >= year:
        return None
    due = due_date(year)
    if rules_for(kind).statement_per_judge:
        what = (f"État justificatif annuel {year} des injonctions de soins (un feuillet par juge de l'application des "
                "peines, visé par lui)")
    else:
        what = f"État justificatif annuel {year}"
    if today > due:
        late = (today - due).days
        return (f"{what} en retard : il devait parvenir à l'ARS au plus tard le "
                f"{format_long_fr(due)} ({late} jour{'s' if late > 1 else ''} de retard).")
    left = (due - today).days
    return (f"{what} à adresser à l'ARS au plus tard le {format_long_fr(due)} "
            f"(dans {left} jour{'s' if left > 1 else ''}).")


def last_statement_produced(kind: str | MeasureKind = MeasureKind.INJONCTION_THERAPEUTIQUE) -> int | None:
    """The latest year whose statement of `kind` was produced (saved as PDF or CSV), if any."""
    row = Setting.get_or_none(Setting.key == PRODUCED_KEYS[MeasureKind(kind)])
    try:
        value = json.loads(row.value) if row else None
    except ValueError:
        return None
    return value.get("year") if isinstance(value, dict) and isinstance(value.get("year"), int) else None


def mark_statement_produced(year: int, *, on: dt.date | None = None,
                            kind: str | MeasureKind = MeasureKind.INJONCTION_THERAPEUTIQUE) -> None:
    """Remember the statement of `year` is produced; an older year never hides a newer one."""
    previous = last_statement_produced(kind)
    if previous is not None and previous >= year:
        return
    payload = {"year": year, "on": on.isoformat() if on else None}
    Setting.replace(key=PRODUCED_KEYS[MeasureKind(kind)], value=json.dumps(payload, sort_keys=True)).execute()


def pending_statement_reminder(today: dt.date,
                               kind: str | MeasureKind = MeasureKind.INJONCTION_THERAPEUTIQUE) -> str | None:
    """The reminder for the app's banner: none when nobody was followed that year."""
    year = today.year if today.month == 12 else today.year - 1
    message = statement_reminder(today, last_statement_produced(kind), kind)
    if message is None:
        return None
    seen = Appointment.select().join(Measure).where(
        own_measures(kind) & (Appointment.status == AppointmentStatus.PRESENT.value)
        & (Appointment.starts_at >= day_start(dt.date(year, 1, 1)))
        & (Appointment.starts_at < day_start(dt.date(year + 1, 1, 1)))).exists()
    return message if seen else None


__all__ = ["NO_JUDGE", "Sheet", "Statement", "StatementRow", "annual_statement", "due_date", "last_statement_produced",
           "mark_statement_produced", "pending_statement_reminder", "statement_csv",
           "statement_reminder"]
