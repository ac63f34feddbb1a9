"""Generate the benchmark database: a department's history, encrypted, all fictional.

    .venv/bin/python bench/generate.py [--out bench/out/bench.db] [--scale 1.0] [--force]

50 000 measures (one per person: 50 000 persons), 500 000 appointments and 100 000
reports by default, from a fixed seed and a fixed "today" (`TODAY`), so two runs give
the same rows. Every story is simulated from the saisine onwards (evaluation at the
court permanence of the person's public, choice of a treating structure, written
agreement, follow-ups at M3, M6 then every six months at the court or at the CSAPA,
renewals, closure) and then cut at `TODAY`: what lies in the future is dropped, except
the next appointment already booked (awaited). Statuses are derived from what is left,
the way the demo does. Extra interviews (« entretien supplémentaire ») at the CSAPA, and
a few walk-ins at the court, then bring the appointments to the exact count; the
reports are the avis motivés and incident reports of the stories plus a deterministic
sample of their fiches navettes and end-of-measure reports (and a few corrections).

Speed: the rows are built in memory and written with `Model.insert_many` in chunks,
inside one transaction per table, bypassing the per-row ORM saves (and their audit);
`person.search_name` is filled with `text.search_key` as `Person.save` would.

What is NOT realistic on purpose:
- The bulk final reports have `facts_json = NULL` and no content hash (as reports
  written before facts were frozen): the app refuses to print them. The few reports
  the benchmark renders (`SEALED_REPORTS` fiches navettes) are inserted as drafts and
  sealed with `report_drafts.seal`, like the demo does, so they print and verify.
- Several appointments may share a slot: the permanence is held by a team.
- No audit trail beyond what the domain functions record themselves.

Names are built from syllables (« Bolavin Maëlle »), numbers are 06 00 00 xx xx, e-mail
addresses end in .invalid, parquet numbers are random: nothing here is a real person.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from injonctions_tui.domain.calendar.slots import holiday_name  # noqa: E402
from injonctions_tui.domain.core.dates import add_months  # noqa: E402
from injonctions_tui.domain.core.models import (Appointment, LegalRepresentative, Measure, Orientation, Person,
                                                Professional, Renewal, Report, database)
from injonctions_tui.domain.core.text import search_key  # noqa: E402
from injonctions_tui.domain.deadlines import cache as deadline_cache
from injonctions_tui.domain.reports.drafts import seal  # noqa: E402
from injonctions_tui.domain.statements.statement import mark_statement_produced  # noqa: E402
from injonctions_tui.domain.store import integrity, storage  # noqa: E402
from injonctions_tui.domain.store.professionals import create_user, record_habilitation  # noqa: E402
from injonctions_tui.domain.store.settings import CourtSettings, save_court  # noqa: E402

DEFAULT_DB = HERE / "out" / "bench.db"
MANIFEST_SUFFIX = ".manifest.json"
PASSPHRASE = "banc d'essai des injonctions thérapeutiques"
SEED = 20_261_126
#: The benchmark's "today": a Thursday (adults' permanence at the default court).
TODAY = dt.date(2026, 11, 26)
FIRST_SAISINE = dt.date(2013, 1, 2)
MEASURES, APPOINTMENTS, REPORTS = 50_000, 500_000, 100_000
#: Reports sealed properly (frozen facts + hash) so the benchmark can render them.
SEALED_REPORTS = 7
#: A name the search-as-you-type benchmark types, one key at a time (a few persons carry it).
SEARCH_NAME = "Lamarin"
SEARCH_NAME_PERSONS = 12
CHUNK = 2000
DAY = dt.timedelta(days=1)

# --------------------------------------------------------------------------- fictional pools

SYLLABLES = ["ba", "bo", "bu", "ca", "co", "cu", "da", "de", "di", "do", "fa", "fo", "ga", "go", "gu",
             "la", "le", "li", "lo", "lu", "ma", "me", "mi", "mo", "na", "ne", "no", "pa", "pe", "po",
             "ra", "re", "ri", "ro", "sa", "se", "si", "so", "ta", "te", "ti", "to", "va", "ve", "vi",
             "vo", "za", "zo", "bé", "dé", "lé", "mé", "ré", "té"]
LAST_ENDINGS = ["rin", "lot", "vet", "mand", "dier", "zac", "bert", "nard", "gnac", "ville", "court",
                "mont", "ras", "ron", "tel", "vin", "chon", "quet", "lière", "noux"]
FEMALE_ENDINGS = ["line", "lie", "nette", "rine", "sa", "na", "lle", "ëlle", "dine", "ria"]
MALE_ENDINGS = ["lin", "ric", "bert", "tan", "mo", "rien", "ël", "no", "dric", "los"]
STREETS = ["rue des Tilleuls", "allée des Peupliers", "avenue du Brouillon", "rue de la Maquette",
           "impasse des Essais", "boulevard de l'Exemple", "rue du Fictif", "place des Hypothèses"]
CITIES = ["92000 Nanterre", "92700 Colombes", "92500 Rueil-Malmaison", "92230 Gennevilliers",
          "92400 Courbevoie", "92600 Asnières-sur-Seine", "92800 Puteaux", "92250 La Garenne-Colombes"]
STRUCTURES = [(f"Centre de soins {name} (fictif)", f"Dr {first} {last.upper()}", f"{n} {street}, {city}")
              for n, (name, first, last, street, city) in enumerate([
                  ("Les Peupliers", "Amédée", "Girouette", "rue de la Maquette", "92000 Nanterre"),
                  ("Le Cerf-Volant", "Clarisse", "Perce-Neige", "avenue du Brouillon", "92500 Rueil-Malmaison"),
                  ("Les Mouettes", "Basile", "Tournesol", "rue du Fictif", "92700 Colombes"),
                  ("La Boussole", "Léa", "Marelle", "impasse des Essais", "92230 Gennevilliers"),
                  ("Le Phare", "Octave", "Carillon", "place des Hypothèses", "92400 Courbevoie"),
                  ("Les Hérons", "Irène", "Falaise", "boulevard de l'Exemple", "92800 Puteaux")], start=3)]
CSAPA = "CSAPA Les Platanes (fictif)"
USER = dict(last_name="Bolavin", first_name="Maëlle", profession="psychologue", rpps_adeli=None,
            csapa_name=CSAPA, csapa_address="12 rue de l'Exemple, 92000 Nanterre")

AVIS = ["{civ} s'est présenté{e} à l'entretien d'évaluation et a compris le cadre de la mesure. "
        "L'injonction thérapeutique apparaît adaptée.",
        "{civ} a été reçu{e} en entretien d'accueil. Le fonctionnement de la mesure lui a été expliqué ; "
        "{il} dispose de dix jours pour choisir le médecin ou la structure de soins."]
AVIS_NO = ["Au regard de l'entretien d'évaluation, le soin obligé n'a pas lieu d'être. "
           "La mesure n'apparaît pas opportune."]
FICHE = ["{civ} s'est présenté{e} à l'ensemble des rendez-vous et s'est engagé{e} dans la démarche de soins.",
         "Le suivi auprès de la structure choisie ({structure}) est régulier depuis le {start}.",
         "{civ} honore ses rendez-vous auprès de la structure choisie et se montre investi{e} dans la démarche."]
FICHE_PARTIAL = ["Le suivi auprès de la structure choisie ({structure}) est engagé mais irrégulier : "
                 "un rendez-vous n'a pas été honoré."]
FICHE_RENEWAL = ["{civ} poursuit le suivi engagé le {start}. Un renouvellement de la mesure est proposé "
                 "afin de consolider la démarche."]
FICHE_END = ["La mesure arrive à son terme. {civ} a respecté le cadre fixé tout au long du suivi."]
INCIDENT = ["{civ} ne s'est pas présenté{e} au rendez-vous du {day} et n'a pas donné de nouvelles "
            "malgré une relance téléphonique."]
FIN = {"classement_sans_suite": "Fin de mesure : le suivi engagé le {start} a été mené jusqu'à son terme.",
       "composition_penale": "Fin de mesure : la mesure a été interrompue faute de présentation aux rendez-vous.",
       "poursuites": "Fin de mesure : la mesure a été interrompue faute de présentation aux rendez-vous.",
       "caducite": "Fin de mesure : {civ} ne s'est présenté{e} à aucune des convocations ; "
                   "la mesure est devenue caduque.",
       "non_opportune": "Fin de mesure : la mesure n'a pas été jugée opportune à l'issue de l'évaluation."}
CORRECTION = " (Version corrigée : une erreur de date a été rectifiée.)"

COURT_SLOTS = [dt.time(9 + k // 2, 30 * (k % 2)) for k in range(8)]  # 9h00 ... 12h30
CSAPA_SLOTS = [dt.time(14 + k // 2, 30 * (k % 2)) for k in range(6)]  # 14h00 ... 16h30


# --------------------------------------------------------------------------- helpers

class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, label: str, total: int, enabled: bool = True) -> None:
        # Only on a terminal: redirected to a log, one line per step instead of a flood of \r.
        self.label, self.total, self.enabled = label, max(total, 1), enabled and sys.stderr.isatty()
        self.done, self.shown, self.started = 0, -1, time.perf_counter()

    def advance(self, count: int = 1) -> None:
        self.done += count
        percent = min(100, self.done * 100 // self.total)
        if self.enabled and percent != self.shown:
            self.shown = percent
            bar = "#" * (percent // 4) + "." * (25 - percent // 4)
            sys.stderr.write(f"\r  {self.label:<34} [{bar}] {percent:3d} %")
            sys.stderr.flush()

    def close(self) -> None:
        elapsed = f"{time.perf_counter() - self.started:5.1f} s"
        sys.stderr.write(f"  {elapsed}\n" if self.enabled else f"  {self.label:<34} {elapsed}\n")
        sys.stderr.flush()


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def stamp(at: dt.datetime | None) -> str | None:
    return at.strftime("%Y-%m-%d %H:%M:%S") if at else None


class Calendar:
    """Open court permanence days by public, and CSAPA days (working days without
    permanence), holidays excluded, found by bisection."""

    def __init__(self, court: CourtSettings, first: dt.date, last: dt.date) -> None:
        self.court: dict[str, list[dt.date]] = {p.public: [] for p in court.permanences}
        self.place = {p.public: p.place for p in court.permanences}
        court_days = {p.weekday for p in court.permanences}
        self.csapa: list[dt.date] = []
        day = first
        while day <= last:
            if holiday_name(day) is None:
                for permanence in court.permanences:
                    if permanence.weekday == day.weekday():
                        self.court[permanence.public].append(day)
                if day.weekday() < 5 and day.weekday() not in court_days:
                    self.csapa.append(day)
            day += DAY

    @staticmethod
    def next_on(days: list[dt.date], day: dt.date) -> dt.date:
        return days[min(bisect.bisect_left(days, day), len(days) - 1)]

    @staticmethod
    def previous_on(days: list[dt.date], day: dt.date) -> dt.date:
        return days[max(bisect.bisect_right(days, day) - 1, 0)]

    def court_slot(self, rng: random.Random, public: str, day: dt.date) -> tuple[dt.datetime, str]:
        return (dt.datetime.combine(self.next_on(self.court[public], day), rng.choice(COURT_SLOTS)),
                self.place[public])

    def csapa_slot(self, rng: random.Random, day: dt.date, *, before: dt.date | None = None) -> dt.datetime:
        found = self.next_on(self.csapa, day)
        if before is not None and found > before:
            found = self.previous_on(self.csapa, day)
        return dt.datetime.combine(found, rng.choice(CSAPA_SLOTS))


def roll(rng: random.Random, weights: list[tuple[str, float]]) -> str:
    x, total = rng.random(), 0.0
    for value, weight in weights:
        total += weight
        if x < total:
            return value
    return weights[-1][0]


EVAL_1 = [("present", .86), ("absent", .07), ("excuse", .04), ("reporte", .03)]
EVAL_2 = [("present", .8), ("absent", .2)]
FOLLOW = [("present", .85), ("excuse", .06), ("reporte", .04), ("absent", .05)]
AGAIN = [("present", .9), ("absent", .1)]
EXTRA = [("present", .85), ("excuse", .07), ("absent", .05), ("reporte", .03)]


# --------------------------------------------------------------------------- the stories

@dataclass
class Appt:
    kind: str
    at: dt.datetime
    place: str
    status: str
    booked: dt.date
    walk_in: bool = False
    id: int = 0


@dataclass
class Rep:
    kind: str
    written: dt.date
    appointment: Appt | None
    adherence: str | None
    proposal: str | None
    text: str
    mandatory: bool
    id: int = 0


@dataclass
class Story:
    """One measure simulated from its saisine, before the cut at TODAY."""

    index: int
    saisine: dt.date
    public: str
    words: dict[str, str]
    appointments: list[Appt] = field(default_factory=list)
    reports: list[Rep] = field(default_factory=list)
    orientations: list[list] = field(default_factory=list)  # [structure, doctor, address, chosen, agreed, refused]
    renewals: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    start: dt.date | None = None
    months: int = 0
    outcome: str | None = None
    outcome_on: dt.date | None = None
    #: Window [from, to] where extra CSAPA interviews may be padded in (after the cut).
    window: tuple[dt.date, dt.date] | None = None


def next_working_day(day: dt.date) -> dt.date:
    day += DAY
    while day.weekday() >= 5 or holiday_name(day):
        day += DAY
    return day


def simulate(rng: random.Random, cal: Calendar, story: Story) -> None:
    """The whole life of a measure, ignoring TODAY (the cut comes after)."""
    s, public, w = story.saisine, story.public, story.words
    # 1. Evaluation at the court permanence of the person's public (a second convocation
    #    after a missed one; two missed: caducité).
    at, place = cal.court_slot(rng, public, s + rng.randint(5, 25) * DAY)
    booked = s + rng.randint(1, 4) * DAY
    held = None
    for weights in (EVAL_1, EVAL_2):
        status = roll(rng, weights)
        appt = Appt("evaluation_initiale", at, place, status, booked)
        story.appointments.append(appt)
        if status == "present":
            held = appt
            break
        if status == "absent":
            w["day"] = at.strftime("%d/%m/%Y")
            story.reports.append(Rep("incident", next_working_day(at.date()), appt, "absente", None,
                                     rng.choice(INCIDENT).format(**w), True))
        booked = at.date()
        at, place = cal.court_slot(rng, public, at.date() + rng.randint(14, 21) * DAY)
    if held is None:
        story.outcome, story.outcome_on = "caducite", booked + rng.randint(20, 45) * DAY
        story.reports.append(Rep("fin_de_mesure", story.outcome_on + rng.randint(1, 5) * DAY, None, "absente",
                                 "fin_echec", FIN["caducite"].format(**w), False))
        return
    evaluated = held.at.date()
    # 2. The avis motivé; sometimes the measure is not appropriate.
    if rng.random() < 0.06:
        story.reports.append(Rep("avis_motive", evaluated + rng.randint(0, 2) * DAY, held, "non_evaluable",
                                 "non_opportune", rng.choice(AVIS_NO), True))
        story.outcome, story.outcome_on = "non_opportune", evaluated + rng.randint(15, 45) * DAY
        return
    story.reports.append(Rep("avis_motive", evaluated + rng.randint(0, 2) * DAY, held, "effective", "poursuite",
                             rng.choice(AVIS).format(**w), True))
    # 3. The treating structure: chosen, sometimes refused (then another), agreed in writing.
    chosen = evaluated + rng.randint(1, 12) * DAY
    structure = list(rng.choice(STRUCTURES))
    if rng.random() < 0.08:
        refused = chosen + rng.randint(5, 14) * DAY
        story.orientations.append([*structure, chosen, None, refused])
        chosen = refused + rng.randint(2, 6) * DAY
        structure = list(rng.choice([x for x in STRUCTURES if x[0] != structure[0]]))
    start = chosen + rng.randint(3, 16) * DAY
    story.orientations.append([*structure, chosen, start, None])
    w["structure"], w["start"] = structure[0], start.strftime("%d/%m/%Y")
    # 4. Follow-up: M3, M6, then every six months, at the court or at the CSAPA; renewals.
    months = rng.choice([6, 6, 12, 12, 12, 18, 24, 24])
    story.start, story.months = start, months
    for i in range(1, months // 6):
        story.renewals.append((add_months(start, 6 * i) - rng.randint(3, 15) * DAY, add_months(start, 6 * (i + 1))))
    at_csapa = rng.random() < 0.5
    booked = start
    for month in [m for m in (3, 6, 12, 18, 24) if m <= months]:
        kind = {3: "suivi_m3", 6: "suivi_m6"}.get(month, "suivi_semestriel")
        due = add_months(start, month) + rng.randint(0, 3) * DAY
        for weights in (FOLLOW, AGAIN):
            if at_csapa:
                at, place = cal.csapa_slot(rng, due), CSAPA
            else:
                at, place = cal.court_slot(rng, public, due)
            status = roll(rng, weights)
            appt = Appt(kind, at, place, status, booked)
            story.appointments.append(appt)
            booked = at.date()
            if status == "present":
                partial, ending, renewing = rng.random() > 0.85, month == months, month % 6 == 0
                texts = (FICHE_END if ending else FICHE_RENEWAL if renewing
                         else FICHE_PARTIAL if partial else FICHE)
                story.reports.append(Rep(
                    "fiche_navette", at.date() + rng.randint(0, 3) * DAY, appt,
                    "partielle" if partial else "effective",
                    "fin_reussite" if ending else "renouvellement" if renewing
                    else "modification" if partial else "poursuite",
                    rng.choice(texts).format(**w), False))
                break
            if status == "absent":
                w["day"] = at.strftime("%d/%m/%Y")
                story.reports.append(Rep("incident", next_working_day(at.date()), appt, "absente", None,
                                         rng.choice(INCIDENT).format(**w), True))
            due = at.date() + rng.randint(7, 14) * DAY
    end = add_months(start, months)
    story.window = (start + 14 * DAY, end)
    # 5. The magistrate's decision at the end, and the end-of-measure report.
    story.outcome = roll(rng, [("classement_sans_suite", .85), ("poursuites", .08), ("composition_penale", .07)])
    story.outcome_on = end + rng.randint(7, 30) * DAY
    story.reports.append(Rep("fin_de_mesure", story.outcome_on + rng.randint(1, 5) * DAY, None,
                             "effective" if story.outcome == "classement_sans_suite" else "absente",
                             "fin_reussite" if story.outcome == "classement_sans_suite" else "fin_echec",
                             FIN[story.outcome].format(**w), False))


def cut(story: Story, today: dt.date) -> None:
    """Keep what happened before `today`, and the next appointment already booked."""
    kept: list[Appt] = []
    for appt in sorted(story.appointments, key=lambda a: a.at):
        if appt.at.date() < today:
            kept.append(appt)
        elif appt.booked < today:  # booked already: awaited, and nothing after it
            appt.status = "attendu"
            kept.append(appt)
            break
        else:
            break
    story.appointments = kept
    alive = {id(a) for a in kept}
    story.reports = [r for r in story.reports if r.written < today
                     and (r.appointment is None or (id(r.appointment) in alive and r.appointment.status != "attendu"))]
    story.orientations = [o for o in story.orientations if o[3] < today]
    for o in story.orientations:
        o[4] = o[4] if o[4] and o[4] < today else None
        o[5] = o[5] if o[5] and o[5] < today else None
    story.renewals = [r for r in story.renewals if r[0] < today]
    if story.outcome_on and story.outcome_on >= today:
        story.outcome = story.outcome_on = None
    if story.start and not any(o[4] for o in story.orientations):
        story.start = None
    if story.window:
        first, last = story.window
        last = min(last, story.outcome_on or last, today - DAY)
        story.window = (first, last) if story.start and (last - first).days >= 14 else None


def derive_status(story: Story) -> str:
    """As demo._derive_status: the status can never contradict the rows."""
    if story.outcome:
        return "cloture"
    if not story.appointments:
        return "a_convoquer"
    if not [o for o in story.orientations if o[5] is None]:
        return "evaluation"
    followed = any(a.kind != "evaluation_initiale" for a in story.appointments)
    return "suivi" if story.start and followed else "orientation"


# --------------------------------------------------------------------------- names

def name_from_syllables(rng: random.Random, endings: list[str], count: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(count)).capitalize() + rng.choice(endings)


def phone(rng: random.Random, lead: str = "06") -> str:
    return f"{lead} 00 00 {rng.randint(10, 99)} {rng.randint(10, 99)}"


# --------------------------------------------------------------------------- build

@dataclass
class Tables:
    persons: list[tuple] = field(default_factory=list)
    representatives: list[tuple] = field(default_factory=list)
    measures: list[tuple] = field(default_factory=list)
    orientations: list[tuple] = field(default_factory=list)
    renewals: list[tuple] = field(default_factory=list)
    appointments: list[tuple] = field(default_factory=list)
    reports: list[tuple] = field(default_factory=list)


PERSON_FIELDS = [Person.id, Person.last_name, Person.first_name, Person.birth_date, Person.address, Person.phone,
                 Person.email, Person.is_protected_adult, Person.guardian_name, Person.guardian_contact,
                 Person.search_name, Person.created_at]
REPRESENTATIVE_FIELDS = [LegalRepresentative.person, LegalRepresentative.name, LegalRepresentative.relationship,
                         LegalRepresentative.phone, LegalRepresentative.address, LegalRepresentative.convoked]
MEASURE_FIELDS = [Measure.id, Measure.person, Measure.professional, Measure.kind, Measure.parquet_number,
                  Measure.authority, Measure.stage, Measure.magistrat_referent, Measure.facts_on,
                  Measure.decision_on, Measure.saisine_received_on, Measure.start_on, Measure.planned_end_on,
                  Measure.status, Measure.public_override, Measure.minor_agreement, Measure.outcome,
                  Measure.outcome_on, Measure.created_at]
ORIENTATION_FIELDS = [Orientation.measure, Orientation.structure, Orientation.doctor, Orientation.address,
                      Orientation.chosen_on, Orientation.chosen_by, Orientation.agreement_on, Orientation.refused_on]
RENEWAL_FIELDS = [Renewal.measure, Renewal.decided_on, Renewal.new_end_on]
APPOINTMENT_FIELDS = [Appointment.id, Appointment.measure, Appointment.kind, Appointment.starts_at,
                      Appointment.duration_minutes, Appointment.place, Appointment.status, Appointment.walk_in,
                      Appointment.created_at]
REPORT_FIELDS = [Report.id, Report.measure, Report.appointment, Report.kind, Report.status, Report.version,
                 Report.previous, Report.adherence, Report.proposal, Report.observations, Report.written_on,
                 Report.finalised_at, Report.content_hash, Report.sent_on, Report.created_at, Report.facts_json,
                 Report.confirmed_terms, Report.updated_at]


def build(rng: random.Random, cal: Calendar, user_id: int, today: dt.date, measures: int, appointments: int,
          reports: int, progress: bool) -> tuple[Tables, list[int]]:
    tables = Tables()
    span = (today - FIRST_SAISINE).days
    saisines = sorted(FIRST_SAISINE + rng.randrange(span) * DAY for _ in range(measures))
    magistrates = [f"{rng.choice(['Mme', 'M.'])} {name_from_syllables(rng, LAST_ENDINGS, 1)}" for _ in range(40)]
    parquets: set[str] = set()
    searched = set(rng.sample(range(measures), min(SEARCH_NAME_PERSONS, measures)))
    stories: list[Story] = []
    bar = Progress("histoires simulées", measures, progress)
    for i, saisine in enumerate(saisines):
        while saisine.weekday() >= 5:
            saisine -= DAY
        mid = i + 1
        minor = rng.random() < 0.25
        public = "mineurs" if minor else "majeurs"
        female = rng.random() < 0.3
        last = SEARCH_NAME if i in searched else name_from_syllables(rng, LAST_ENDINGS, rng.choice([1, 1, 2]))
        first = name_from_syllables(rng, FEMALE_ENDINGS if female else MALE_ENDINGS, 1)
        decision = saisine - rng.randint(2, 12) * DAY
        facts = decision - rng.randint(15, 200) * DAY
        age = rng.randint(13, 17) if minor else rng.randint(18, 55)
        birth = add_months(facts, -12 * age) - rng.randint(1, 360) * DAY
        street, city = rng.choice(STREETS), rng.choice(CITIES)
        address = f"{rng.randint(1, 99)} {street}, {city}"
        protected = not minor and rng.random() < 0.01
        email = f"{search_key(first)}.{search_key(last)}@exemple.invalid" if rng.random() < 0.3 else None
        created = stamp(dt.datetime.combine(saisine, dt.time(14)))
        tables.persons.append((mid, last, first, iso(birth), address, phone(rng), email, protected,
                               "Association tutélaire Les Hérons (fictive)" if protected else None,
                               "01 00 00 12 34" if protected else None, search_key(f"{last} {first}"), created))
        if minor:
            for relationship, lead, pool in [("mère", "06", FEMALE_ENDINGS), ("père", "07", MALE_ENDINGS)][:rng.choice([1, 2])]:
                tables.representatives.append((mid, f"{name_from_syllables(rng, pool, 1)} {last}", relationship,
                                               phone(rng, lead), address, True))
        while (number := f"{facts:%y}{facts.timetuple().tm_yday:03d}{rng.randint(1, 999999):06d}") in parquets:
            pass
        parquets.add(number)
        words = {"civ": "Madame" if female else "Monsieur", "e": "e" if female else "", "il": "elle" if female else "il",
                 "structure": "", "start": "", "day": ""}
        story = Story(i, saisine, public, words)
        simulate(rng, cal, story)
        cut(story, today)
        stories.append(story)
        roll_authority = rng.random()
        authority, stage = "procureur", "alternative_poursuites"
        if roll_authority < 0.10:
            authority, stage = "procureur", "composition_penale"
        elif roll_authority < 0.20:
            authority, stage = ("juge_enfants" if minor else "juge_instruction"), "instruction"
        elif roll_authority < 0.24:
            authority, stage = "tribunal", "jugement"
        start = story.start
        planned_end = add_months(start, 6 * (1 + len(story.renewals))) if start else None
        tables.measures.append((
            mid, mid, user_id, "injonction_therapeutique", number, authority, stage, rng.choice(magistrates),
            iso(facts), iso(decision), iso(saisine), iso(start), iso(planned_end), derive_status(story), None,
            True if minor and story.orientations else None, story.outcome, iso(story.outcome_on), created))
        for structure, doctor, where, chosen, agreed, refused in story.orientations:
            by = "representants_legaux" if minor else "tuteur" if protected else "personne"
            tables.orientations.append((mid, structure, doctor, where, iso(chosen), by, iso(agreed), iso(refused)))
        for decided, new_end in story.renewals:
            tables.renewals.append((mid, iso(decided), iso(new_end)))
        bar.advance()
    bar.close()
    pad(rng, cal, stories, appointments, today, progress)
    corrections = reports // 330
    chosen_reports = choose_reports(rng, stories, reports - corrections)
    to_seal = flatten(stories, chosen_reports, tables, today, rng, corrections, SEALED_REPORTS)
    return tables, to_seal


def pad(rng: random.Random, cal: Calendar, stories: list[Story], target: int, today: dt.date,
        progress: bool) -> None:
    """Extra interviews at the CSAPA (a few walk-ins at the court) up to `target`."""
    core = sum(len(s.appointments) for s in stories)
    missing = target - core
    if missing < 0:
        raise SystemExit(f"Trop de rendez-vous simulés ({core}) pour la cible {target} : augmentez-la.")
    eligible = [s for s in stories if s.window]
    weights = [(s.window[1] - s.window[0]).days for s in eligible]
    bar = Progress("entretiens supplémentaires", missing, progress)
    for story in rng.choices(eligible, weights=weights, k=missing):
        first, last = story.window
        day = first + rng.randint(0, (last - first).days) * DAY
        if rng.random() < 0.05:  # came by the court permanence without an appointment
            at, place = cal.court_slot(rng, story.public, day)
            if at.date() >= today:
                at = dt.datetime.combine(cal.previous_on(cal.court[story.public], today - DAY), at.time())
            story.appointments.append(Appt("supplementaire", at, place, "present", at.date(), walk_in=True))
        else:
            at = cal.csapa_slot(rng, day, before=min(last, today - DAY))
            story.appointments.append(Appt("supplementaire", at, CSAPA, roll(rng, EXTRA),
                                           at.date() - rng.randint(7, 21) * DAY))
        bar.advance()
    bar.close()


def choose_reports(rng: random.Random, stories: list[Story], target: int) -> set[int]:
    """The mandatory reports (avis motivés, incidents) and a sample of the others."""
    mandatory = [r for s in stories for r in s.reports if r.mandatory]
    optional = [r for s in stories for r in s.reports if not r.mandatory]
    wanted = target - len(mandatory)
    if wanted < 0 or wanted > len(optional):
        raise SystemExit(f"Rapports : {len(mandatory)} obligatoires et {len(optional)} facultatifs ne permettent "
                         f"pas d'en avoir exactement {target}.")
    keep = {id(r) for r in mandatory} | {id(r) for r in rng.sample(optional, wanted)}
    return keep


def flatten(stories: list[Story], keep: set[int], tables: Tables, today: dt.date, rng: random.Random,
            corrections: int, sealed: int) -> list[int]:
    """Ids in creation order, then the appointment and report rows. Returns the ids of the
    reports left as drafts for `seal_some` to seal properly."""
    appts = [(a.booked, a.at, s.index + 1, a) for s in stories for a in s.appointments]
    appts.sort(key=lambda x: (x[0], x[1], x[2]))
    for number, (booked, _, mid, a) in enumerate(appts, start=1):
        a.id = number
        tables.appointments.append((number, mid, a.kind, stamp(a.at), 30, a.place, a.status, a.walk_in,
                                    stamp(dt.datetime.combine(min(booked, a.at.date()), dt.time(8, 30)))))
    reps = [(r.written, s.index + 1, r) for s in stories for r in s.reports if id(r) in keep]
    reps.sort(key=lambda x: (x[0], x[1]))
    fiches: list[tuple[int, int, Rep]] = []
    recent = today - 3 * DAY
    for number, (written, mid, r) in enumerate(reps, start=1):
        r.id = number
        draft = written >= recent  # written in the last days: still a draft
        tables.reports.append(report_row(number, mid, r, written, draft, rng, today))
        if r.kind == "fiche_navette" and not draft:
            fiches.append((number, mid, r))
    # Corrections (version 2) of a few fiches navettes, written a few days after them.
    picked = rng.sample(fiches, min(corrections, len(fiches)))
    number = len(reps)
    for original_id, mid, r in sorted(picked, key=lambda x: x[0]):
        number += 1
        written = min(r.written + rng.randint(2, 10) * DAY, today - DAY)
        fix = Rep(r.kind, written, r.appointment, r.adherence, r.proposal, r.text + CORRECTION, False)
        tables.reports.append(report_row(number, mid, fix, written, False, rng, today, version=2,
                                         previous=original_id))
    # The most recent uncorrected fiches navettes: left as drafts, sealed after the load.
    corrected = {x[0] for x in picked}
    to_seal = [x[0] for x in sorted(fiches, key=lambda x: (x[2].written, x[0]), reverse=True)
               if x[0] not in corrected][:sealed]
    for report_id in to_seal:
        row = list(tables.reports[report_id - 1])
        row[4], row[11] = "brouillon", None  # status, finalised_at
        tables.reports[report_id - 1] = tuple(row)
    return sorted(to_seal)


def report_row(number: int, mid: int, r: Rep, written: dt.date, draft: bool, rng: random.Random,
               today: dt.date, *, version: int = 1, previous: int | None = None) -> tuple:
    evening = dt.datetime.combine(written, dt.time(17))
    sent = None if draft else min(today - DAY, written + rng.randint(1, 3) * DAY)
    return (number, mid, r.appointment.id if r.appointment else None, r.kind, "brouillon" if draft else "final",
            version, previous, r.adherence, r.proposal, r.text, iso(written),
            None if draft else stamp(evening + dt.timedelta(minutes=30)), None, iso(sent), stamp(evening),
            None, None, stamp(evening))


# --------------------------------------------------------------------------- write

def insert(model, fields, rows: list[tuple], bar: Progress) -> None:
    with database.atomic():
        for begin in range(0, len(rows), CHUNK):
            chunk = rows[begin:begin + CHUNK]
            model.insert_many(chunk, fields=fields).execute()
            bar.advance(len(chunk))


def seal_some(report_ids: list[int]) -> None:
    """Seal the reports left as drafts (frozen facts, hash), as finalising does: the
    benchmark renders those. Each is sealed on the day it was written."""
    with database.atomic():
        for report in Report.select().where(Report.id.in_(report_ids)).order_by(Report.id):
            seal(report, today=report.written_on, at=dt.datetime.combine(report.written_on, dt.time(17, 30)))


def generate(path: Path = DEFAULT_DB, *, scale: float = 1.0, seed: int = SEED, today: dt.date = TODAY,
             progress: bool = True) -> dict:
    measures, appointments, reports = (round(MEASURES * scale), round(APPOINTMENTS * scale),
                                       round(REPORTS * scale))
    started = time.perf_counter()
    rng = random.Random(seed)
    if progress:
        sys.stderr.write(f"Base de banc d'essai : {measures} mesures, {appointments} rendez-vous, "
                         f"{reports} rapports -> {path}\n")
    db = storage.create_database(path, PASSPHRASE, kdf=storage.FAST_KDF)
    try:
        # Bulk load: no fsync per commit, a big page cache, foreign keys checked at the end.
        db.execute_sql("PRAGMA synchronous = OFF")
        db.execute_sql("PRAGMA cache_size = -262144")
        db.execute_sql("PRAGMA foreign_keys = OFF")
        user = create_user(**USER)
        Professional.update(phone="01 00 00 00 26", departments="92", email="m.bolavin@exemple.invalid",
                            created_at=dt.datetime.combine(FIRST_SAISINE - 30 * DAY, dt.time(9))
                            ).where(Professional.id == user.id).execute()
        for year in range(FIRST_SAISINE.year - 1, today.year + 2):
            record_habilitation(user, decision_on=dt.date(year - 1, 12, 15),
                                reference=f"ARS-IDF-BANC-{year}-001", valid_until=dt.date(year, 12, 31),
                                list_year=year)
        court = CourtSettings()
        save_court(court)
        mark_statement_produced(today.year - 1, on=dt.date(today.year, 1, 20))
        cal = Calendar(court, FIRST_SAISINE - 30 * DAY, today + 800 * DAY)
        tables, sealed = build(rng, cal, user.id, today, measures, appointments, reports, progress)
        total = sum(len(rows) for rows in vars(tables).values())
        bar = Progress("écriture chiffrée (insert_many)", total, progress)
        insert(Person, PERSON_FIELDS, tables.persons, bar)
        insert(LegalRepresentative, REPRESENTATIVE_FIELDS, tables.representatives, bar)
        insert(Measure, MEASURE_FIELDS, tables.measures, bar)
        insert(Orientation, ORIENTATION_FIELDS, tables.orientations, bar)
        insert(Renewal, RENEWAL_FIELDS, tables.renewals, bar)
        insert(Appointment, APPOINTMENT_FIELDS, tables.appointments, bar)
        insert(Report, REPORT_FIELDS, tables.reports, bar)
        bar.close()
        seal_some(sealed)
        # The other final reports written in bulk get their seal as the app gives it (migration
        # 8's baseline): otherwise the app's integrity check rightly reports them as altered.
        integrity.seal_unsealed_finals(db, integrity.keys_for(db))
        broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise SystemExit(f"Références incohérentes dans la base générée : {broken[:5]}")
        db.execute_sql("PRAGMA foreign_keys = ON")
        # As in use, the deadline cache is up to date (the triggers marked every measure).
        deadline_cache.refresh()
        # No ANALYZE: the app never runs it, so the query planner works without statistics.
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        counts = {model.__name__: model.select().count()
                  for model in (Person, Measure, Appointment, Report, Orientation, Renewal, LegalRepresentative)}
        statuses = dict(db.execute_sql('SELECT status, COUNT(*) FROM measure GROUP BY status').fetchall())
    finally:
        db.close()
    manifest = {"seed": seed, "today": today.isoformat(), "scale": scale, "passphrase": PASSPHRASE,
                "counts": counts, "measure_statuses": statuses, "sealed_reports": sealed,
                "search_name": SEARCH_NAME, "generated_in_s": round(time.perf_counter() - started, 1),
                "size_mb": round(path.stat().st_size / 1e6, 1)}
    path.with_name(path.name + MANIFEST_SUFFIX).write_text(json.dumps(manifest, indent=2, ensure_ascii=False),
                                                           encoding="utf-8")
    if progress:
        sys.stderr.write(f"  générée en {manifest['generated_in_s']} s, {manifest['size_mb']} Mo : {counts}\n")
    return manifest


def remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", storage.KDF_SUFFIX, MANIFEST_SUFFIX):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            candidate.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Génère la base chiffrée du banc d'essai (données fictives).")
    parser.add_argument("--out", type=Path, default=DEFAULT_DB, help=f"chemin de la base (défaut : {DEFAULT_DB})")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction des volumes (1.0 = 50 000 mesures)")
    parser.add_argument("--force", action="store_true", help="remplacer une base existante")
    args = parser.parse_args(argv)
    if args.force:
        remove(args.out)
    generate(args.out, scale=args.scale)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
