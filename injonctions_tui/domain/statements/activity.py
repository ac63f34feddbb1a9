"""The bilan d'activité for the steering committee (parquet + ARS, protocol art. 7-8).

Only aggregates, never a name: the committee needs volumes and delays, not persons
(data minimisation, GDPR art. 5). Every figure is counted on the date of its own event
inside [start, end], for the whole period and month by month. Seven grouped queries
whatever the number of measures (50 000 measures: well under a second).

Readings (our choices, printed with the figures in `DEFINITIONS`):
- minors/adults: at the date of the facts (people.public_for, manual override first);
- evaluation: the *first* initial evaluation held (« présent ») of a measure; its delay
  runs from the saisine; « within one month » is core/rules.py's `evaluation_within_months`;
- orientation: a choice of treating doctor/structure; its delay runs from the choice
  to the written agreement (counted in the month of the agreement);
- follow-up interviews: every interview but the initial evaluation, by status;
- reports sent: final reports written in the period, corrections counted apart;
- duration of a closed measure: from the saisine to the magistrate's decision.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from peewee import fn

from ..core.dates import add_months, format_fr
from ..core.errors import InvalidInput
from ..core.formats import csv_text, date_of, day, day_start, decimal_fr, mean, median, months_between, raw, share
from ..core.models import Appointment, Measure, Orientation, Person, Renewal, Report
from ..core.people import public_for
from ..core.rules import MeasureKind, rules_for
from ..core.vocabulary import AppointmentKind, AppointmentStatus, Outcome, Public, ReportKind, ReportStatus, label
from .scope import own_measures

#: Longest period accepted: the committee meets yearly; ten years is a typing mistake.
MAX_DAYS = 3660
FORMAT = "injonctions-bilan"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Figures:
    """The figures of one period (the whole report or one month)."""

    received: int = 0
    minors: int = 0
    adults: int = 0
    #: Persons seen at least once (an interview held, the person present), counted once.
    persons_followed: int = 0
    evaluations: int = 0
    evaluation_delay_median_days: float | None = None
    evaluations_within_deadline_share: float | None = None
    orientations: int = 0
    agreements: int = 0
    refusals: int = 0
    agreement_delay_median_days: float | None = None
    agreements_within_deadline_share: float | None = None
    followups_kept: int = 0
    followups_missed: int = 0
    followups_excused: int = 0
    followups_postponed: int = 0
    reports: dict[str, int] = field(default_factory=dict)  # ReportKind -> originals sent
    corrections: int = 0
    renewals: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)  # Outcome -> measures closed
    closed: int = 0
    closed_duration_mean_days: float | None = None

    @property
    def closed_duration_mean_months(self) -> float | None:
        """Average months (of 30.44 days): how the committee speaks of durations."""
        days = self.closed_duration_mean_days
        return None if days is None else days / 30.44

    @property
    def reports_sent(self) -> int:
        return sum(self.reports.values())


@dataclass(frozen=True)
class MonthFigures:
    month: dt.date  # first day of the month
    figures: Figures


@dataclass(frozen=True)
class ActivityReport:
    start: dt.date
    end: dt.date
    produced_on: dt.date
    kind: MeasureKind
    total: Figures
    months: tuple[MonthFigures, ...]

    @property
    def definitions(self) -> dict[str, tuple[str, str]]:
        """How each figure is counted: printed with the figures."""
        return DEFINITIONS


#: French label and definition of each figure: for the PDF, the CSV and the screen.
DEFINITIONS: dict[str, tuple[str, str]] = {
    "received": ("Mesures reçues", "saisines reçues dans la période"),
    "minors": ("dont mineurs", "mineurs à la date des faits (ou selon la correction manuelle)"),
    "adults": ("dont majeurs", "majeurs à la date des faits"),
    "persons_followed": ("Personnes suivies", "personnes reçues en entretien au moins une fois dans la période "
                         "(évaluation ou suivi, personne présente) ; une personne ayant plusieurs mesures compte "
                         "une fois"),
    "evaluations": ("Évaluations initiales", "premières évaluations tenues (personne présente)"),
    "evaluation_delay_median_days": ("Délai médian saisine → évaluation (jours)", "jours entre la saisine et "
                                     "la première évaluation tenue"),
    "evaluations_within_deadline_share": ("Évaluations dans le mois", "part des évaluations tenues au plus "
                                          "tard un mois après la saisine (CSP R3413-11)"),
    "orientations": ("Orientations", "choix d'un médecin ou d'une structure de soins"),
    "agreements": ("Accords écrits", "accords écrits du médecin ou de la structure reçus"),
    "refusals": ("Refus", "refus du médecin ou de la structure choisis"),
    "agreement_delay_median_days": ("Délai médian choix → accord écrit (jours)", "jours entre le choix et "
                                    "l'accord écrit"),
    "agreements_within_deadline_share": ("Accords dans les 15 jours", "part des accords écrits reçus dans "
                                         "le délai de 15 jours"),
    "followups_kept": ("Entretiens de suivi honorés", "entretiens de suivi où la personne était présente"),
    "followups_missed": ("Entretiens de suivi manqués", "absences non excusées"),
    "followups_excused": ("Entretiens de suivi excusés", "absences excusées"),
    "followups_postponed": ("Entretiens de suivi reportés", "entretiens reportés à une autre date"),
    "reports_sent": ("Rapports transmis", "rapports définitifs rédigés dans la période (hors rectificatifs)"),
    "corrections": ("Rectificatifs", "versions corrigées de rapports déjà transmis"),
    "renewals": ("Renouvellements", "renouvellements décidés dans la période"),
    "closed": ("Mesures clôturées", "décisions du magistrat (ou caducité) dans la période"),
    "closed_duration_mean_days": ("Durée moyenne des mesures clôturées (jours)", "de la saisine à la décision"),
}
#: The IT's reports (the bilan is the injonction thérapeutique's steering committee's, protocol
#: art. 7-8: the injonction de soins' yearly report to the JAP is not one of its figures).
REPORT_KINDS = tuple(kind for kind in ReportKind if kind != ReportKind.RAPPORT_ANNUEL)
OUTCOMES = tuple(Outcome)


class _Bucket:
    """Counters of one period, filled event by event, then frozen into `Figures`."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.reports: Counter[str] = Counter()
        self.outcomes: Counter[str] = Counter()
        self.evaluation_delays: list[int] = []
        self.agreement_delays: list[int] = []
        self.durations: list[int] = []
        self.persons: set[int] = set()

    def figures(self) -> Figures:
        c = self.counts
        return Figures(
            received=c["received"], minors=c["minors"], adults=c["adults"], persons_followed=len(self.persons),
            evaluations=len(self.evaluation_delays),
            evaluation_delay_median_days=median(self.evaluation_delays),
            evaluations_within_deadline_share=share(c["evaluations_in_time"], len(self.evaluation_delays)),
            orientations=c["orientations"], agreements=len(self.agreement_delays), refusals=c["refusals"],
            agreement_delay_median_days=median(self.agreement_delays),
            agreements_within_deadline_share=share(c["agreements_in_time"], len(self.agreement_delays)),
            followups_kept=c[AppointmentStatus.PRESENT], followups_missed=c[AppointmentStatus.ABSENT],
            followups_excused=c[AppointmentStatus.EXCUSE], followups_postponed=c[AppointmentStatus.REPORTE],
            reports={kind.value: self.reports[kind] for kind in REPORT_KINDS}, corrections=c["corrections"],
            renewals=c["renewals"], outcomes={o.value: self.outcomes[o] for o in OUTCOMES},
            closed=len(self.durations), closed_duration_mean_days=mean(self.durations))


class _Tally:
    """One bucket for the whole period and one per month; every event goes to both."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.total = _Bucket()
        self.months = {month: _Bucket() for month in months_between(start, end)}

    def at(self, when: dt.date) -> tuple[_Bucket, _Bucket]:
        return self.total, self.months[when.replace(day=1)]

    def at_key(self, key: str) -> tuple[_Bucket, _Bucket]:
        """`key`: "AAAA-MM", as grouped by SQLite."""
        return self.total, self.months[dt.date(int(key[:4]), int(key[5:7]), 1)]


def activity_report(start: dt.date, end: dt.date, *, today: dt.date,
                    kind: str | MeasureKind = MeasureKind.INJONCTION_THERAPEUTIQUE) -> ActivityReport:
    """The figures of [start, end] (both included), in total and by month."""
    if start > end:
        raise InvalidInput("Bilan d'activité : la date de début doit précéder la date de fin.")
    if (end - start).days > MAX_DAYS:
        raise InvalidInput("Bilan d'activité : la période ne peut dépasser dix ans.")
    kind = MeasureKind(kind)
    rules = rules_for(kind)
    mine = own_measures(kind)
    tally = _Tally(start, end)
    after = end + dt.timedelta(days=1)

    def within(column: Any) -> Any:
        return (column >= start) & (column <= end)

    # 1. Measures received, minors/adults at the date of the facts.
    for saisine, facts, override, birth in raw(
            Measure.select(Measure.saisine_received_on, Measure.facts_on, Measure.public_override,
                           Person.birth_date).join(Person).where(mine & within(Measure.saisine_received_on))):
        saisine = date_of(saisine)
        public = public_for(day(birth), day(facts), override, saisine)
        for bucket in tally.at(saisine):
            bucket.counts["received"] += 1
            bucket.counts["minors" if public == Public.MINEURS else "adults"] += 1
    # 2. First evaluation held of each measure, and its delay from the saisine.
    first_held = fn.MIN(Appointment.starts_at)
    for held, saisine in raw(
            Appointment.select(first_held, Measure.saisine_received_on).join(Measure)
            .where(mine & (Appointment.kind == AppointmentKind.EVALUATION_INITIALE.value)
                   & (Appointment.status == AppointmentStatus.PRESENT.value))
            .group_by(Appointment.measure)
            .having((first_held >= day_start(start)) & (first_held < day_start(after)))):
        held, saisine = date_of(held), date_of(saisine)
        in_time = held <= add_months(saisine, rules.evaluation_within_months or 1)
        for bucket in tally.at(held):
            bucket.evaluation_delays.append((held - saisine).days)
            bucket.counts["evaluations_in_time"] += in_time
    # 3. Orientations: choices, written agreements (and their delay), refusals.
    agreement_days = rules.agreement_within_days or 15
    for chosen, agreed, refused in raw(
            Orientation.select(Orientation.chosen_on, Orientation.agreement_on, Orientation.refused_on)
            .join(Measure).where(mine & (within(Orientation.chosen_on) | within(Orientation.agreement_on)
                                         | within(Orientation.refused_on)))):
        chosen, agreed, refused = date_of(chosen), day(agreed), day(refused)
        if start <= chosen <= end:
            for bucket in tally.at(chosen):
                bucket.counts["orientations"] += 1
        if agreed and start <= agreed <= end:
            for bucket in tally.at(agreed):
                bucket.agreement_delays.append((agreed - chosen).days)
                bucket.counts["agreements_in_time"] += (agreed - chosen).days <= agreement_days
        if refused and start <= refused <= end:
            for bucket in tally.at(refused):
                bucket.counts["refusals"] += 1
    # 4. Follow-up interviews by status, grouped by month in SQL.
    month = fn.substr(Appointment.starts_at, 1, 7)
    for key, status, count in raw(
            Appointment.select(month, Appointment.status, fn.COUNT(Appointment.id)).join(Measure)
            .where(mine & (Appointment.kind != AppointmentKind.EVALUATION_INITIALE.value)
                   & (Appointment.starts_at >= day_start(start)) & (Appointment.starts_at < day_start(after)))
            .group_by(month, Appointment.status)):
        for bucket in tally.at_key(key):
            bucket.counts[status] += count
    # 4b. Persons followed: seen at least once (any interview held), each person once — the
    # rule of the état justificatif (DOMAIN.md "Other documents").
    for person_id, starts_at in raw(
            Appointment.select(Measure.person, Appointment.starts_at).join(Measure)
            .where(mine & (Appointment.status == AppointmentStatus.PRESENT.value)
                   & (Appointment.starts_at >= day_start(start)) & (Appointment.starts_at < day_start(after)))):
        for bucket in tally.at(date_of(starts_at)):
            bucket.persons.add(person_id)
    # 5. Final reports written, by kind; corrections apart.
    month = fn.substr(Report.written_on, 1, 7)
    correction = Report.previous.is_null(False)
    for key, report_kind, is_correction, count in raw(
            Report.select(month, Report.kind, correction, fn.COUNT(Report.id)).join(Measure)
            .where(mine & (Report.status == ReportStatus.FINAL.value) & within(Report.written_on))
            .group_by(month, Report.kind, correction)):
        for bucket in tally.at_key(key):
            if is_correction:
                bucket.counts["corrections"] += count
            else:
                bucket.reports[report_kind] += count
    # 6. Renewals decided.
    month = fn.substr(Renewal.decided_on, 1, 7)
    for key, count in raw(Renewal.select(month, fn.COUNT(Renewal.id)).join(Measure)
                          .where(mine & within(Renewal.decided_on)).group_by(month)):
        for bucket in tally.at_key(key):
            bucket.counts["renewals"] += count
    # 7. Outcomes decided, and the duration of those measures.
    for closed_on, outcome, saisine in raw(
            Measure.select(Measure.outcome_on, Measure.outcome, Measure.saisine_received_on)
            .where(mine & Measure.outcome.is_null(False) & within(Measure.outcome_on))):
        closed_on = date_of(closed_on)
        for bucket in tally.at(closed_on):
            bucket.outcomes[outcome] += 1
            bucket.durations.append((closed_on - date_of(saisine)).days)
    return ActivityReport(start, end, today, kind, tally.total.figures(),
                          tuple(MonthFigures(m, b.figures()) for m, b in tally.months.items()))


# --------------------------------------------------------------------------- exports


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _json_figures(figures: Figures) -> dict:
    payload = asdict(figures)
    for name, value in payload.items():
        if isinstance(value, float):
            payload[name] = _round(value, 3 if name.endswith("_share") else 1)
    payload["reports_sent"] = figures.reports_sent
    payload["closed_duration_mean_months"] = _round(figures.closed_duration_mean_months, 1)
    return payload


def activity_json(report: ActivityReport) -> dict:
    """Plain JSON data (English keys, ISO dates, shares between 0 and 1); no names."""
    return {
        "format": FORMAT, "version": FORMAT_VERSION, "kind": report.kind.value,
        "start": report.start.isoformat(), "end": report.end.isoformat(),
        "produced_on": report.produced_on.isoformat(),
        "total": _json_figures(report.total),
        "months": [{"month": m.month.strftime("%Y-%m"), **_json_figures(m.figures)} for m in report.months],
    }


def columns() -> list[tuple[str, str]]:
    """(key, French header) of every figure, in reading order (CSV and tables)."""
    keys = ["received", "minors", "adults", "persons_followed", "evaluations", "evaluation_delay_median_days",
            "evaluations_within_deadline_share", "orientations", "agreements", "refusals",
            "agreement_delay_median_days", "agreements_within_deadline_share", "followups_kept",
            "followups_missed", "followups_excused", "followups_postponed", "reports_sent"]
    out = [(key, DEFINITIONS[key][0]) for key in keys]
    out += [(f"report:{k.value}", f"dont {label(k).lower()}") for k in REPORT_KINDS]
    out += [("corrections", DEFINITIONS["corrections"][0]), ("renewals", DEFINITIONS["renewals"][0]),
            ("closed", DEFINITIONS["closed"][0])]
    out += [(f"outcome:{o.value}", f"dont {label(o).lower()}") for o in OUTCOMES]
    out.append(("closed_duration_mean_days", DEFINITIONS["closed_duration_mean_days"][0]))
    return out


def value_of(figures: Figures, key: str) -> int | float | None:
    if key.startswith("report:"):
        return figures.reports.get(key[7:], 0)
    if key.startswith("outcome:"):
        return figures.outcomes.get(key[8:], 0)
    return getattr(figures, key)


def csv_value(value: int | float | None, key: str) -> str:
    """Counts as integers; delays with one decimal; shares as percentages: "75,0"."""
    if value is None:
        return ""
    if key.endswith("_share"):
        return decimal_fr(value * 100, 1)
    if isinstance(value, float):
        return decimal_fr(value, 1)
    return str(value)


def activity_csv(report: ActivityReport) -> str:
    """One row per month then a total row; shares in percent; `;` and comma decimals."""
    cols = columns()
    header = ["Mois", *(name + (" (%)" if key.endswith("_share") else "") for key, name in cols)]
    rows = [[m.month.strftime("%Y-%m"), *(csv_value(value_of(m.figures, k), k) for k, _ in cols)]
            for m in report.months]
    rows.append([f"Total {format_fr(report.start)}-{format_fr(report.end)}",
                 *(csv_value(value_of(report.total, k), k) for k, _ in cols)])
    return csv_text(header, rows)


__all__ = ["DEFINITIONS", "ActivityReport", "Figures", "MonthFigures", "activity_csv", "activity_json",
           "activity_report", "columns", "value_of"]
