"""The legal deadline engine: what is due on each measure, by when, and what is late.

Why one module: every delay the law (or our reading of it) puts on the professional
is computed here, from the measure's own rows, so the dossier, the échéances view,
the agenda (its « retard » flag, the next appointment it proposes), the saisines to
convoke, the CLI and the export never disagree. Each rule cites its source in
DOMAIN.md; the numbers (1 month, 10 and 15 days, M3/M6, every 6 months, 2 years) live
in core/rules.py. The rows are loaded in bulk by deadlines/rows.py.

Readings where the law is vague (our choices):
- *Measure start* (binding reading, DOMAIN.md step 6): the date of the decision that
  pronounced the measure, unless the saisine states another start, which the user
  enters (`start_on`). M3, M6, every 6 months, the initial 6 months, each 6-month
  renewal and the 2-year maximum all count from it: `timeline` is the one function the
  documents, the screens, the CLI and this engine read. Without a decision date they
  are not computable and not listed (the dossier says the date is missing).
- An interview is *held* when its status is « présent »; a report is *written* when a
  final version exists (a draft has not reached the magistrate), linked to the
  interview, or else unlinked and written on or after it.
- The avis motivé is due « sans délai » after the evaluation held (seed 002): the next
  working day (binding reading). The fiche navette is due `report_within_days` (15)
  after a follow-up interview held: the law gives no delay. An unexcused absence (« absent », not
  « excusé ») is an interruption reported « sans délai » (L3413-3): due the next
  working day (weekends and French public holidays skipped); an incident report or a
  fiche navette linked to that appointment settles it.
- Interviews are due on the exact cadence date (start + 3 months...), with *no grace
  period*: the law says "at month 3", not "around it". One booked at the first
  permanence after that date shows as late (« 3 j de retard ») until it is held, in the
  échéances view and on the agenda alike (both read `Deadline.overdue`).
- A deadline is *done* on the date of the act that settles it: the interview held,
  the choice, the written agreement (or refusal, or replacement by a new choice), the
  report, the renewal decided or the closure. A new choice is due
  `choice_within_days` after a refusal (DOMAIN.md step 4: "another one is chosen").
- Interview slots are matched to held interviews by kind, in date order (the 2nd held
  « suivi semestriel » settles the 2nd semestrial slot), so a late interview still
  settles its own slot, and a missed slot stays due until an interview of its kind is
  held: `next_interview` proposes the oldest one first.
- An evaluation concluding the measure is not appropriate (final avis motivé whose
  proposal is « non_opportune ») calls for no choice of doctor.
- When a measure has an entered start, an orientation or a follow-up held but no
  evaluation recorded (a dossier taken over), the evaluation deadline is not listed: it
  happened outside the app.
- A closed measure (outcome set or status « clôturé ») has no pending deadline: only
  the done ones are kept; a period end is done by the closure only if it was reached.

The échéances view and the agenda's « retard » flags read the pending deadlines from a
cache kept in the database (deadlines/cache.py): this module stays the one place the
rules are written, the cache only stores what `_compute` returned. Bump
`ENGINE_VERSION` whenever a rule or a label changes, so every cache is rebuilt.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from ..calendar.slots import holiday_name
from ..core.dates import add_months
from ..core.models import Measure
from ..core.rules import MeasureRules, rules_for
from ..core.vocabulary import AppointmentKind as AK, AppointmentStatus as AS, MeasureStatus, Outcome, ReportKind
from .rows import Facts, Rows, Visit, Written, chunks, load_facts, load_rows, rows_of

#: Version of the rules below. Bump it whenever a rule, a delay or a label changes:
#: databases compare it with the one their deadline cache was computed with
#: (deadlines/cache.py) and rebuild the cache when they differ. core/rules.py and the
#: public holidays are checked on their own (their content is fingerprinted).
ENGINE_VERSION = 2  # 2: the measure starts at the decision; the avis motivé « sans délai »


class DeadlineKind(StrEnum):
    EVALUATION = "evaluation"
    DOCTOR_CHOICE = "choix_medecin"
    WRITTEN_AGREEMENT = "accord_ecrit"
    INTERVIEW_M3 = "entretien_m3"
    INTERVIEW_M6 = "entretien_m6"
    INTERVIEW_SEMIANNUAL = "entretien_semestriel"
    REASONED_OPINION = "avis_motive"
    LIAISON_REPORT = "fiche_navette"
    INCIDENT_REPORT = "rapport_incident"
    END_OF_INITIAL_PERIOD = "fin_periode_initiale"
    END_OF_RENEWAL = "fin_renouvellement"
    MAXIMUM_DURATION = "duree_maximale"


DEADLINE_LABELS: dict[DeadlineKind, str] = {
    DeadlineKind.EVALUATION: "Évaluation initiale",
    DeadlineKind.DOCTOR_CHOICE: "Choix du médecin",
    DeadlineKind.WRITTEN_AGREEMENT: "Accord écrit du médecin",
    DeadlineKind.INTERVIEW_M3: "Entretien M3",
    DeadlineKind.INTERVIEW_M6: "Entretien M6",
    DeadlineKind.INTERVIEW_SEMIANNUAL: "Entretien semestriel",
    DeadlineKind.REASONED_OPINION: "Avis motivé",
    DeadlineKind.LIAISON_REPORT: "Fiche navette",
    DeadlineKind.INCIDENT_REPORT: "Rapport d'incident",
    DeadlineKind.END_OF_INITIAL_PERIOD: "Fin de la période initiale",
    DeadlineKind.END_OF_RENEWAL: "Fin du renouvellement",
    DeadlineKind.MAXIMUM_DURATION: "Durée maximale",
}

_STEP = "DOMAIN.md, The measure, step "
_CHOICE = "délai de rules.py, choix de l'application"
SOURCES: dict[DeadlineKind, str] = {
    DeadlineKind.EVALUATION: f"{_STEP}3 (CSP R3413-11)",
    DeadlineKind.DOCTOR_CHOICE: f"{_STEP}3",
    DeadlineKind.WRITTEN_AGREEMENT: f"{_STEP}4",
    **{kind: f"{_STEP}5 (CSP R3413-14)" for kind in (
        DeadlineKind.INTERVIEW_M3, DeadlineKind.INTERVIEW_M6, DeadlineKind.INTERVIEW_SEMIANNUAL)},
    DeadlineKind.REASONED_OPINION: f"{_STEP}3 (CSP R3413-11) ; « sans délai » lu comme le jour ouvré suivant",
    DeadlineKind.LIAISON_REPORT: f"{_STEP}5 (CSP R3413-14) ; {_CHOICE}",
    DeadlineKind.INCIDENT_REPORT: f"{_STEP}5 (CSP L3413-3) ; « sans délai » lu comme le jour "
                                  "ouvré suivant, choix de l'application",
    **{kind: f"{_STEP}6" for kind in (DeadlineKind.END_OF_INITIAL_PERIOD, DeadlineKind.END_OF_RENEWAL,
                                      DeadlineKind.MAXIMUM_DURATION)},
}

#: Each kind's rank: deadlines due the same day are listed in this order (the cache stores it).
KIND_RANK = {kind: index for index, kind in enumerate(DeadlineKind)}
_CADENCE_KINDS = (AK.SUIVI_M3, AK.SUIVI_M6)  # the first follow-ups, in rules order
_INTERVIEW_DEADLINE = {AK.SUIVI_M3: DeadlineKind.INTERVIEW_M3, AK.SUIVI_M6: DeadlineKind.INTERVIEW_M6,
                       AK.SUIVI_SEMESTRIEL: DeadlineKind.INTERVIEW_SEMIANNUAL}


@dataclass(frozen=True)
class Deadline:
    """One thing due on a measure. `done_on` is None while it is pending."""

    measure_id: int
    kind: DeadlineKind
    due_on: dt.date
    label: str
    source: str
    done_on: dt.date | None = None
    #: The day before which the deadline does not exist yet: the unexcused absence an
    #: incident report answers (only listed once that day has come). Kept so the cache
    #: can be computed once for every `today`; not part of equality.
    anchor_on: dt.date | None = field(default=None, compare=False, repr=False)

    @property
    def done(self) -> bool:
        return self.done_on is not None

    def overdue(self, today: dt.date) -> bool:
        """Pending and past its due date (due today is not late yet)."""
        return self.done_on is None and self.due_on < today

    def days_left(self, today: dt.date) -> int:
        """Days until the due date, negative when it is past."""
        return (self.due_on - today).days

    def as_dict(self) -> dict[str, Any]:
        """JSON form (export, CLI): kind, dates in ISO 8601, French label."""
        return {"kind": self.kind.value, "due_on": self.due_on.isoformat(), "label": self.label,
                "done_on": self.done_on.isoformat() if self.done_on else None}


# ------------------------------------------------------------------ period, cadence, helpers

def _is_closed(m: Facts) -> bool:
    return bool(m.outcome) or m.status == MeasureStatus.CLOTURE


def _start(m: Facts, rows: Rows) -> dt.date | None:
    """The measure start (DOMAIN.md step 6, binding): the start the saisine states when the
    user entered one, else the date of the decision that pronounced the measure."""
    return m.start_on or m.decision_on


def _period_end(start: dt.date, renewals: int, rules: MeasureRules) -> dt.date:
    """The end of the initial period after `renewals` renewals, never past the maximum."""
    months = rules.initial_duration_months + renewals * rules.renewal_months
    return add_months(start, min(months, rules.max_duration_months))


def _end(m: Facts, rows: Rows, start: dt.date, rules: MeasureRules) -> dt.date:
    """The planned end (step 6): the initial period, plus one renewal period per renewal
    decided, counted from the start; capped at the maximum duration."""
    return _period_end(start, len(rows.extensions), rules)


class Timeline(NamedTuple):
    """A measure's dates, as every screen and document states them."""

    start: dt.date
    planned_end: dt.date
    #: The latest possible end (the maximum duration): no renewal can go past it.
    max_end: dt.date
    #: True when the start was entered from the saisine, False when it is the decision date.
    start_entered: bool


def timeline(m: Facts, rows: Rows) -> Timeline | None:
    """The one timeline of a measure (start, planned end, maximum); None without a start."""
    start = _start(m, rows)
    if start is None:
        return None
    rules = rules_for(m.kind)
    return Timeline(start, _end(m, rows, start, rules), add_months(start, rules.max_duration_months),
                    m.start_on is not None)


def _slots(rules: MeasureRules, start: dt.date, end: dt.date) -> list[tuple[AK, dt.date, int]]:
    """Step 5 (R3413-14): M3 and M6, then every 6 months while the measure lasts (up to its end)."""
    months = list(rules.first_followups_months)
    month = months[-1] if months else 0
    while month + rules.followup_every_months <= rules.max_duration_months:
        month += rules.followup_every_months
        months.append(month)
    slots = []
    for index, month in enumerate(months):
        day = add_months(start, month)
        if day > end:
            break
        first = index < len(rules.first_followups_months) and index < len(_CADENCE_KINDS)
        slots.append((_CADENCE_KINDS[index] if first else AK.SUIVI_SEMESTRIEL, day, month))
    return slots


def _fr(day: dt.date) -> str:
    """JJ/MM/AAAA like dates.format_fr, 4 times faster (250 000 labels on a big caseload)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _working_days_after(day: dt.date, count: int) -> dt.date:
    """`count` working days after `day`: weekends and French public holidays (calendar/slots.py) skipped."""
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and holiday_name(day) is None:
            count -= 1
    return day


def _written_after(reports: list[Written], kinds: tuple[str, ...], visit: Visit,
                   used: set[int]) -> dt.date | None:
    """The report settling an interview: one linked to it, else an unlinked original of the
    first kind written since, each used once (corrections never count twice)."""
    linked = [r.written_on for r in reports if r.appointment_id == visit.id and r.kind in kinds]
    if linked:
        return min(linked)
    for report in reports:
        if (report.kind == kinds[0] and report.appointment_id is None and report.previous_id is None
                and report.id not in used and report.written_on >= visit.day):
            used.add(report.id)
            return report.written_on
    return None


# ------------------------------------------------------------------ the rules, one step each

class _Measure:
    """One measure's rows as every step reads them, and the deadlines found so far."""

    def __init__(self, m: Facts, rows: Rows, today: dt.date | None, pending_only: bool) -> None:
        self.m, self.rows, self.today, self.pending_only = m, rows, today, pending_only
        self.rules = rules_for(m.kind)
        self.visits = sorted(rows.visits, key=lambda v: (v.day, v.id))
        self.held = [v for v in self.visits if v.status == AS.PRESENT]
        self.reports = sorted(rows.reports, key=lambda r: (r.written_on, r.id))
        self.evaluation = next((v for v in self.held if v.kind == AK.EVALUATION_INITIALE), None)
        self.start = _start(m, rows)
        self.closed_on = m.outcome_on if _is_closed(m) else None
        #: Unlinked reports already counted for an interview (each settles one only).
        self.used: set[int] = set()
        self.found: list[Deadline] = []

    def add(self, kind: DeadlineKind, due: dt.date, label: str, done: dt.date | None,
            anchor: dt.date | None = None) -> None:
        if done is None or not self.pending_only:
            self.found.append(Deadline(self.m.id, kind, due, label, SOURCES[kind], done, anchor))

    def written_after(self, kinds: tuple[str, ...], visit: Visit) -> dt.date | None:
        return _written_after(self.reports, kinds, visit, self.used)


def _taken_over(m: Facts, rows: Rows) -> bool:
    """A dossier whose evaluation happened outside the app: a start entered from the saisine,
    a doctor already chosen, or a follow-up interview held, with no evaluation recorded."""
    return bool(m.start_on or rows.choices or any(
        v.status == AS.PRESENT and v.kind != AK.EVALUATION_INITIALE for v in rows.visits))


def _evaluation(c: _Measure) -> None:
    """CSP R3413-11 (DOMAIN.md step 3): the examination within one month of receiving the
    saisine. Not listed for a dossier taken over with a start or an orientation but no
    evaluation recorded: it happened outside the app."""
    due = evaluation_deadline(c.m.kind, c.m.saisine_received_on)
    if due is not None and (c.evaluation or not _taken_over(c.m, c.rows)):
        c.add(DeadlineKind.EVALUATION, due, "Évaluation initiale à tenir", c.evaluation.day if c.evaluation else None)


def _choice_and_agreement(c: _Measure) -> None:
    """DOMAIN.md steps 3 and 4: the treating doctor chosen within 10 days of the evaluation,
    then their written agreement within 15 days of the choice (CSP R3413-12); after a
    refusal, another choice within 10 days. No choice after an avis « mesure non opportune »."""
    rules = c.rules
    not_appropriate = any(r.kind == ReportKind.AVIS_MOTIVE and r.proposal == Outcome.NON_OPPORTUNE
                          for r in c.reports)
    anchor = c.evaluation.day if c.evaluation and not not_appropriate else None
    after = "l'évaluation"
    choices = sorted(c.rows.choices, key=lambda x: (x.chosen_on, x.id))

    def choose(since: dt.date, done: dt.date | None) -> None:
        if (due := choice_deadline(rules.kind, since)) is not None:
            c.add(DeadlineKind.DOCTOR_CHOICE, due,
                  f"Médecin ou structure de soins à choisir (après {after} du {_fr(since)})", done)

    for index, choice in enumerate(choices):
        if anchor is not None:
            choose(anchor, choice.chosen_on)
        anchor, after = choice.refused_on, "le refus"
        if (due := agreement_deadline(rules.kind, choice.chosen_on)) is not None:
            replaced = choices[index + 1].chosen_on if index + 1 < len(choices) else None
            c.add(DeadlineKind.WRITTEN_AGREEMENT, due,
                  f"Accord écrit attendu de la structure choisie le {_fr(choice.chosen_on)}",
                  choice.agreement_on or choice.refused_on or replaced)
    if anchor is not None:
        choose(anchor, None)


def _reports_after_interviews(c: _Measure) -> None:
    """CSP R3413-11 and R3413-14 (DOMAIN.md steps 3 and 5): the avis motivé « sans délai »
    after the evaluation (the next working day), a fiche navette after each follow-up
    interview held."""
    rules = c.rules
    for visit in c.held:
        if visit.kind == AK.EVALUATION_INITIALE:
            if visit is c.evaluation and rules.opinion_within_working_days is not None:
                c.add(DeadlineKind.REASONED_OPINION, _working_days_after(visit.day, rules.opinion_within_working_days),
                      f"Avis motivé à adresser sans délai après l'évaluation du {_fr(visit.day)}",
                      c.written_after((ReportKind.AVIS_MOTIVE,), visit))
            continue
        if rules.report_within_days is None:
            continue
        c.add(DeadlineKind.LIAISON_REPORT, visit.day + dt.timedelta(days=rules.report_within_days),
              f"Fiche navette à adresser après l'entretien du {_fr(visit.day)}",
              c.written_after((ReportKind.FICHE_NAVETTE,), visit))


def _incidents(c: _Measure) -> None:
    """CSP L3413-3 (DOMAIN.md step 5): an unexcused absence is an interruption, reported
    « sans délai » — the next working day (our reading)."""
    if c.rules.incident_within_working_days is None:
        return
    for visit in c.visits:
        # `today` is read here only: the cache relies on it (see `Deadline.anchor_on`).
        if visit.status == AS.ABSENT and (c.today is None or visit.day <= c.today):
            c.add(DeadlineKind.INCIDENT_REPORT, _working_days_after(visit.day, c.rules.incident_within_working_days),
                  f"Rapport d'incident à adresser (absence non excusée du {_fr(visit.day)})",
                  c.written_after((ReportKind.INCIDENT, ReportKind.FICHE_NAVETTE), visit), visit.day)


def _follow_up_cadence(c: _Measure, start: dt.date) -> None:
    """CSP R3413-14 (DOMAIN.md step 5): interviews at month 3 and month 6 of the measure,
    then every 6 months while it lasts; each slot settled by a held interview of its kind."""
    held_by_kind: dict[str, list[dt.date]] = defaultdict(list)
    for visit in c.held:
        held_by_kind[visit.kind].append(visit.day)
    seen: dict[str, int] = defaultdict(int)
    for kind, day, month in _slots(c.rules, start, _end(c.m, c.rows, start, c.rules)):
        days, rank = held_by_kind[kind], seen[kind]
        seen[kind] += 1
        label = (f"{DEADLINE_LABELS[_INTERVIEW_DEADLINE[kind]]} à tenir" if kind != AK.SUIVI_SEMESTRIEL
                 else f"Entretien de suivi à {month} mois à tenir")
        c.add(_INTERVIEW_DEADLINE[kind], day, label, days[rank] if rank < len(days) else None)


def _periods(c: _Measure, start: dt.date) -> None:
    """DOMAIN.md step 6 (protocol): 6 months, renewable by 6 months, 2 years at most; each
    period ends unless renewed, and the maximum duration ends the measure."""
    rules = c.rules
    cap = add_months(start, rules.max_duration_months)

    def reached(due: dt.date) -> dt.date | None:
        return c.closed_on if c.closed_on and due <= c.closed_on else None

    extensions = sorted(c.rows.extensions, key=lambda e: (e.decided_on, e.id))
    ends = [(DeadlineKind.END_OF_INITIAL_PERIOD, add_months(start, rules.initial_duration_months),
             f"Fin de la période initiale de {rules.initial_duration_months} mois")]
    ends += [(DeadlineKind.END_OF_RENEWAL, _period_end(start, n, rules), f"Fin du renouvellement n°{n}")
             for n in range(1, len(extensions) + 1)]
    for index, (kind, due, label) in enumerate(ends):
        if due < cap:  # at the cap, the maximum duration says it
            renewed = extensions[index].decided_on if index < len(extensions) else None
            c.add(kind, due, f"{label} : renouvellement ou fin à enregistrer", renewed or reached(due))
    years, months = divmod(rules.max_duration_months, 12)
    span = f"{years} ans" if not months else f"{rules.max_duration_months} mois"
    c.add(DeadlineKind.MAXIMUM_DURATION, cap, f"Durée maximale de {span} : la mesure prend fin", reached(cap))


def _compute(m: Facts, rows: Rows, today: dt.date | None, pending_only: bool = False) -> list[Deadline]:
    """The measure's deadlines as of `today`, step by step as DOMAIN.md tells the measure;
    `today` None lists every recorded absence whatever its date (the cache, filtered on
    `anchor_on` when read). With `pending_only`, the pending ones in the order they were
    found (callers sort), else all of them sorted."""
    c = _Measure(m, rows, today, pending_only)
    _evaluation(c)
    _choice_and_agreement(c)
    _reports_after_interviews(c)
    _incidents(c)
    if c.start is not None:  # the cadence and the periods count from the measure's start
        _follow_up_cadence(c, c.start)
        _periods(c, c.start)
    out = c.found
    if _is_closed(m):
        out = [d for d in out if d.done_on is not None]
    return out if pending_only else sorted(out, key=lambda d: (d.due_on, KIND_RANK[d.kind], d.label))


# ------------------------------------------------------------------ public API

def evaluation_deadline(kind: str, saisine_received_on: dt.date) -> dt.date | None:
    """Step 3 (R3413-11): the initial evaluation is due one month after the saisine is
    received; None for a kind of measure without that delay. The one place it is computed
    (the engine, the saisines to convoke, the feuille de permanence)."""
    months = rules_for(kind).evaluation_within_months
    return add_months(saisine_received_on, months) if months is not None else None


def choice_deadline(kind: str, since: dt.date) -> dt.date | None:
    """Step 3 (CSP R3413-11): the person chooses the treating doctor « immédiatement ou au plus
    tard dans un délai de dix jours » after the evaluation (or after a refusal); None for a kind
    of measure without that delay. The one place it is computed (the engine, the documents)."""
    days = rules_for(kind).choice_within_days
    return since + dt.timedelta(days=days) if days is not None else None


def agreement_deadline(kind: str, chosen_on: dt.date) -> dt.date | None:
    """Step 4 (CSP R3413-12): the chosen doctor confirms in writing « dans un délai de quinze
    jours » after the choice; None for a kind of measure without that delay. The one place it
    is computed (the engine, the dossier, the letter to the doctor)."""
    days = rules_for(kind).agreement_within_days
    return chosen_on + dt.timedelta(days=days) if days is not None else None


def deadlines_for(measure: Measure, today: dt.date) -> list[Deadline]:
    """Every deadline of one measure, done and pending, in due-date order."""
    return _compute(*rows_of(measure), today)


def measure_timeline(measure: Measure) -> Timeline | None:
    """A measure's start, planned end and maximum end (`timeline`); None while its decision
    date is unknown and no start was entered."""
    return timeline(*rows_of(measure))


def _bulk(today: dt.date | None, condition: Any, pending_only: bool = False
          ) -> Iterator[tuple[int, list[Deadline]]]:
    rows = load_rows(condition)
    for m in load_facts(condition):
        yield m.id, _compute(m, rows.get(m.id) or Rows(), today, pending_only)


def deadlines_by_measure(today: dt.date, measure_ids: Iterable[int] | None = None
                         ) -> dict[int, list[Deadline]]:
    """Every measure's deadlines (closed measures included), loaded in bulk: five queries
    per 500 measures (export, agenda)."""
    return {mid: found for chunk in chunks(measure_ids) for mid, found in _bulk(today, chunk)}


#: Statuses of an open measure (`_is_closed` is false for them when no outcome is set).
OPEN_STATUSES = tuple(s.value for s in MeasureStatus if s != MeasureStatus.CLOTURE)


def is_open() -> Any:
    """The open measures, as a query condition: IN (open statuses) rather than != cloture,
    so SQLite uses the status index (benchmark)."""
    return Measure.outcome.is_null() & Measure.status.in_(OPEN_STATUSES)


def pending_deadlines_live(today: dt.date, *, measure_ids: Iterable[int] | None = None,
                           limit: int | None = None) -> list[Deadline]:
    """`cache.pending_deadlines` computed now, without the cache: the reference the cache is
    tested against. A few bulk queries per 500 measures, never one per measure."""
    pending = (deadline for chunk in chunks(measure_ids)
               for _, found in _bulk(today, is_open() & chunk, pending_only=True) for deadline in found)
    key = lambda d: (not d.overdue(today), d.due_on, d.measure_id, KIND_RANK[d.kind])  # noqa: E731
    return heapq.nsmallest(limit, pending, key=key) if limit is not None else sorted(pending, key=key)


def pending_for_cache(condition: Any) -> Iterator[tuple[int, list[Deadline]]]:
    """Every open measure matching `condition` with its pending deadlines whatever the
    day (absences still to come included, `anchor_on` set), in the order `_compute` found
    them: what deadlines/cache.py stores. Five queries."""
    return _bulk(None, is_open() & condition, pending_only=True)


def overdue(deadlines: Iterable[Deadline], today: dt.date) -> list[Deadline]:
    """The late ones, oldest (most urgent) first, in the échéances view's order."""
    return sorted((d for d in deadlines if d.overdue(today)), key=lambda d: (d.due_on, KIND_RANK[d.kind]))


def next_deadline(deadlines: Iterable[Deadline], today: dt.date) -> Deadline | None:
    """The next pending deadline not yet late (late ones are listed by `overdue`)."""
    upcoming = [d for d in deadlines if d.done_on is None and d.due_on >= today]
    return min(upcoming, key=lambda d: (d.due_on, KIND_RANK[d.kind]), default=None)


def planned_followups(measure: Measure) -> list[tuple[AK, dt.date]]:
    """The cadence dates (M3, M6, then every 6 months up to the planned end, never past the
    cap); empty while the start of the measure is unknown."""
    found = measure_timeline(measure)
    if found is None:
        return []
    return [(kind, day) for kind, day, _ in _slots(rules_for(measure.kind), found.start, found.planned_end)]


class NextInterview(NamedTuple):
    """The interview the agenda should book next."""

    kind: AK
    #: The legal date: the evaluation deadline, or the cadence date (M3, M6...); may be past.
    due_on: dt.date
    #: The measure start the cadence counts from; None for the evaluation before it is known.
    start: dt.date | None


def next_interview(measure: Measure) -> NextInterview | None:
    """The evaluation until it is held (None while it is booked), unless the dossier was taken
    over; then the first cadence slot neither held nor booked (« présent » or « attendu »), the
    oldest first, up to the planned end. None for a closed measure, a measure whose start is
    unknown once evaluated, or when nothing is left."""
    facts, rows = rows_of(measure)
    if _is_closed(facts):
        return None
    taken: dict[str, int] = defaultdict(int)
    for visit in rows.visits:
        if visit.status in (AS.PRESENT, AS.ATTENDU):
            taken[visit.kind] += 1
    start = _start(facts, rows)
    evaluated = any(v.kind == AK.EVALUATION_INITIALE and v.status == AS.PRESENT for v in rows.visits)
    if not evaluated and not _taken_over(facts, rows):
        # Nothing but the evaluation before it is held: it may find the measure not appropriate.
        due = evaluation_deadline(facts.kind, facts.saisine_received_on)
        wanted = due is not None and not taken[AK.EVALUATION_INITIALE]
        return NextInterview(AK.EVALUATION_INITIALE, due, None) if wanted else None  # type: ignore[arg-type]
    if start is None:
        return None
    rules = rules_for(facts.kind)
    for kind, day, _ in _slots(rules, start, _end(facts, rows, start, rules)):
        if taken[kind]:
            taken[kind] -= 1
            continue
        return NextInterview(kind, day, start)
    return None


def proposed_next_interview(measure: Measure, after: dt.date) -> tuple[AK, dt.date] | None:
    """`next_interview`'s kind and the day to book it, never before `after`: the evaluation
    as soon as possible, a follow-up on its cadence date (or `after` once that is past)."""
    found = next_interview(measure)
    if found is None:
        return None
    return found.kind, after if found.start is None else max(found.due_on, after)
