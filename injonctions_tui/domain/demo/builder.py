"""Fictional demonstration data, so the app can be shown without a single real person.

`populate_demo` fills a freshly created, empty database with about sixty invented
persons followed over two years: every stage of a measure, every outcome, a full
agenda on the first permanence day, reports and a habilitation register. All of it
derives from `today` and a seed, never from the clock, so two runs give identical
rows (tests and screenshots rely on it). The pools live in `demo_data.py`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from ..calendar.slots import holiday_name, slots_of
from ..core.dates import add_months, format_fr
from ..core.errors import InvalidInput
from ..core.models import (Appointment, Habilitation, LegalRepresentative, Measure, Orientation, Person, Professional,
                           Renewal, Report, TreatingStructure, database)
from ..core.rules import MeasureKind, rules_for
from ..core.text import search_key
from ..core.vocabulary import (AppointmentKind as AK, AppointmentStatus as AS, Authority, ChosenBy, HabilitationStatus,
                               Outcome, Public, ReportKind, ReportStatus, Stage)
from ..dossiers.measures import compute_status
from ..reports.drafts import seal
from ..store import audit
from ..store.professionals import create_user, current_user, require_user
from ..store.settings import CourtSettings, Permanence, save_court
from . import pools as data
from .register import fill_register

DAY = dt.timedelta(days=1)
#: The demo's "now" on `today`: earlier appointments are past (held, missed...).
NOW_TIME = dt.time(10, 0)
CSAPA_HOURS = [dt.time(h, m) for h in range(14, 17) for m in (0, 30)]
MINORS_COUNT = 20
#: Stories seen on the agenda's first day, and the month of the interview held that day.
PINNED: dict[str, int | None] = {"eval_pinned": None, "suivi_m3": 3, "suivi_m6": 6, "suivi_sem": 12}
OUTCOMES = {"classement": Outcome.CLASSEMENT, "composition": Outcome.COMPOSITION_PENALE,
            "poursuites": Outcome.POURSUITES, "non_opportune": Outcome.NON_OPPORTUNE,
            "caducite": Outcome.CADUCITE}
#: Stories whose evaluation is looked up backwards from today (days ago, low-high).
EVALUATED_DAYS_AGO = {"eval_held": (1, 1), "orient_pending": (12, 20), "orient_late": (35, 45),
                      "orient_refused": (30, 38), "orient_agreed": (22, 30),
                      "non_opportune": (25, 700)}


@dataclass(frozen=True)
class DemoSummary:
    """What was created, for the CLI to print and the tests to check."""

    professionals: int
    persons: int
    legal_representatives: int
    measures: int
    appointments: int
    reports: int
    agenda_day: dt.date
    agenda_appointments: int


@dataclass
class _Spec:
    """One person's story: where their measure stands today, and its particulars."""

    target: str
    last_name: str = ""
    first_name: str = ""
    female: bool = False
    public: Public = Public.MAJEURS
    adult_now: bool = False  # minor at the facts, adult today
    protected: bool = False
    walk_in: bool = False
    hiccup: str | None = None  # M3 excused or postponed, so both statuses always appear
    previous: str | None = None  # story of an earlier, closed measure of the same person
    old: bool = False  # this is that earlier measure


@dataclass
class _Ctx:
    """What writing one measure needs to remember."""

    spec: _Spec
    measure: Measure
    at_csapa: bool
    words: dict[str, str] = field(default_factory=dict)  # placeholders of the observations


class _Calendar:
    """Free slots at the court permanences and at the CSAPA: no two appointments clash.

    Held in memory (the demo is written in one go); days, holidays and slot times
    come from calendar/slots.py, like real bookings.
    """

    def __init__(self, court: CourtSettings, today: dt.date, rng: random.Random) -> None:
        self.settings, self.rng = court, rng
        self.taken: dict[dt.date, set[dt.time]] = {}

    def permanence(self, day: dt.date, public: Public) -> Permanence | None:
        if holiday_name(day):
            return None
        return next((p for p in self.settings.permanences
                     if p.weekday == day.weekday() and p.public == public), None)

    def _take(self, day: dt.date, slots: list[dt.time], first: bool) -> dt.datetime | None:
        free = [s for s in slots if s not in self.taken.setdefault(day, set())]
        if not free:
            return None
        slot = free[0] if first else self.rng.choice(free)
        self.taken[day].add(slot)
        return dt.datetime.combine(day, slot)

    def court(self, public: Public, around: dt.date, step: int = 1,
              first: bool = False) -> tuple[dt.datetime, str]:
        """A free slot on the first permanence day from `around` (step -1: backwards)."""
        day = around
        for _ in range(400):
            if permanence := self.permanence(day, public):
                slots = [slot.time() for slot in slots_of(permanence, day)]
                if at := self._take(day, slots, first):
                    return at, permanence.place
            day += step * DAY
        raise InvalidInput("Données de démonstration : aucune permanence pour ce public.")

    def csapa(self, around: dt.date) -> dt.datetime:
        """An afternoon slot at the CSAPA, on a working day without permanence."""
        court_days = {p.weekday for p in self.settings.permanences}
        day = around
        while True:
            if day.weekday() < 5 and day.weekday() not in court_days and not holiday_name(day):
                if at := self._take(day, CSAPA_HOURS, first=False):
                    return at
            day += DAY

    def agenda_day(self, today: dt.date) -> tuple[dt.date, Public]:
        """The permanence day the agenda opens on: today, or the next one (holidays skipped)."""
        for offset in range(400):
            day = today + offset * DAY
            for public in Public:
                if self.permanence(day, public):
                    return day, public
        raise InvalidInput("Données de démonstration : aucune permanence configurée.")


class _Builder:
    """Writes the whole demo, in a fixed order so the random draws are reproducible."""

    def __init__(self, today: dt.date, seed: int) -> None:
        self.today, self.seed, self.rng = today, seed, random.Random(seed)
        self.now = dt.datetime.combine(today, NOW_TIME)
        self.cal = _Calendar(CourtSettings(), today, self.rng)
        self.day, self.day_public = self.cal.agenda_day(today)
        self.parquet_numbers: set[str] = set()
        #: The directory's entries by name: the stories' orientations point to them.
        self.directory: dict[str, TreatingStructure] = {}
        self.references = 0
        rules = rules_for(MeasureKind.INJONCTION_THERAPEUTIQUE)
        self.max_months = rules.max_duration_months
        self.months = list(rules.first_followups_months)  # 3, 6, then every 6 up to the max
        while self.months[-1] + rules.followup_every_months <= self.max_months:
            self.months.append(self.months[-1] + rules.followup_every_months)

    def days(self, low: int, high: int) -> dt.timedelta:
        return self.rng.randint(low, high) * DAY

    def phone(self, lead: str) -> str:
        """Obviously fake numbers: 06 00 00 xx xx."""
        return f"{lead} 00 00 {self.rng.randint(10, 99)} {self.rng.randint(10, 99)}"

    # --- the user and the habilitation register -------------------------------------
    def _habilitation(self, professional: Professional, status: str, decision_on: dt.date,
                      valid_until: dt.date | None = None, list_year: int | None = None) -> None:
        self.references += 1
        candidate = status == HabilitationStatus.CANDIDAT
        Habilitation.create(
            professional=professional, status=status, list_year=list_year or decision_on.year,
            decision_on=None if candidate else decision_on, valid_until=valid_until,
            status_on=decision_on, reason=data.REGISTER_REASONS.get(status),
            decision_reference=None if candidate else
            f"ARS-IDF-DEMO-{decision_on.year}-{self.references:03d}")

    def professionals(self) -> None:
        today, ok = self.today, HabilitationStatus.HABILITE
        year_end = dt.date(today.year, 12, 31)
        valid = year_end if (year_end - today).days > 60 else dt.date(today.year + 1, 12, 31)
        user = create_user(**data.USER)
        Professional.update(created_at=dt.datetime.combine(add_months(today, -26), dt.time(9)),
                            departments="92", phone="01 00 00 00 26",
                            email="s.seccotine@exemple.invalid").where(Professional.id == user.id).execute()
        current = add_months(today, -11)  # and a previous decision: habilitated for the whole demo
        self._habilitation(user, ok, add_months(today, -26), current - DAY)
        self._habilitation(user, ok, current, valid, list_year=today.year)
        for last, first, job, number, years, csapa, story in data.COLLEAGUES:
            registered = add_months(today, -12 * years) - self.days(0, 200)
            colleague = Professional.create(
                last_name=last, first_name=first, profession=job, rpps_adeli=number,
                order_registered_on=None if job == "psychologue" else registered,  # no order
                csapa_name=csapa, csapa_address="1 rue de l'Exemple, 92000 Nanterre",
                departments="92", phone=self.phone("01"),
                email=f"{search_key(first)}.{search_key(last)}@exemple.invalid",
                created_at=dt.datetime.combine(add_months(today, -20), dt.time(9)))
            if story == "candidat":
                self._habilitation(colleague, story, today - self.days(10, 40), list_year=today.year + 1)
                continue
            if story in ("expiring", "expired"):
                end = today + self.days(20, 50) if story == "expiring" else today - self.days(60, 180)
                self._habilitation(colleague, ok, add_months(end, -12) + DAY, end)
                continue
            self._habilitation(colleague, ok, add_months(today, -14), valid)
            if story != "habilite":  # then suspended, struck off or withdrawn
                self._habilitation(colleague, story, today - self.days(20, 150), list_year=today.year)

    def fill_directory(self) -> None:
        """The directory of treating structures (no random draw: the stories stay the same)."""
        created = dt.datetime.combine(add_months(self.today, -20), dt.time(9))
        for name, kind, address, phone, email, public, notes in data.DIRECTORY:
            self.directory[name] = TreatingStructure.create(name=name, kind=kind, address=address, phone=phone,
                                                            secure_email=email, public=public, notes=notes,
                                                            created_at=created)

    # --- the stories ------------------------------------------------------------------
    def specs(self) -> list[_Spec]:
        """Sixty stories; the pinned ones first, as they need the agenda day's slots."""
        specs = [_Spec(target) for target, count in data.PLAN for _ in range(count)]
        names = list(data.SURNAMES)
        self.rng.shuffle(names)
        for spec, last in zip(specs, names, strict=True):
            spec.female = self.rng.random() < 0.45
            pool = data.FEMALE_FIRST if spec.female else data.MALE_FIRST
            spec.last_name, spec.first_name = last, self.rng.choice(pool)
            if spec.target in PINNED:
                spec.public = self.day_public
        closed = [s for s in specs if s.target == "classement"]
        for spec in closed[:2]:
            spec.public, spec.adult_now = Public.MINEURS, True
        for spec, hiccup in zip(closed[2:], (AS.EXCUSE, AS.REPORTE)):
            spec.hiccup = hiccup
        for target, previous in (("a_convoquer", "classement"), ("orient_pending", "non_opportune"),
                                 ("eval_booked", "classement")):
            next(s for s in specs if s.target == target).previous = previous
        for spec in [s for s in specs if s.target == "suivi"][:2]:
            spec.walk_in = True
        free = [s for s in specs if s.target not in PINNED and not s.adult_now and not s.previous]
        minors = sum(s.public == Public.MINEURS for s in specs)
        for spec in self.rng.sample(free, max(0, MINORS_COUNT - minors)):
            spec.public = Public.MINEURS
        for spec in self.rng.sample([s for s in free if s.public == Public.MAJEURS], 2):
            spec.protected = True
        self.rng.shuffle(specs)
        return sorted(specs, key=lambda s: s.target not in PINNED)

    def story(self, spec: _Spec) -> None:
        person = None
        if spec.previous:
            earlier = _Spec(spec.previous, spec.last_name, spec.first_name, spec.female, old=True)
            person = self.measure(earlier, None)
        self.measure(spec, person)

    def _start(self, spec: _Spec) -> tuple[dt.date, int]:
        """Start date and duration in months of a measure that reached follow-up."""
        today, target = self.today, spec.target
        if target in ("suivi_m3", "suivi_m6", "suivi_sem"):
            months = 12 if target == "suivi_sem" else 6
            return add_months(self.day, -(PINNED[target] or 0)) - self.days(0, 3), months
        if target == "suivi":  # renewed as needed to still run today
            # At least three months back: saisine, evaluation, choice and agreement come first.
            start, months = today - (self.days(150, 600) if spec.walk_in else self.days(95, 640)), 6
            while add_months(start, months) < today + 7 * DAY and months < self.max_months:
                months += 6
            return start, months
        if target in ("composition", "poursuites"):
            return today - self.days(200, 600), 6
        months = 6 if spec.old else self.rng.choice([6, 6, 12, 12, 18])  # classement: over
        earliest = add_months(today, -21)
        latest = add_months(today, -19) if spec.old else add_months(today, -months) - 45 * DAY
        if latest < earliest:
            months, latest = 6, add_months(today, -6) - 45 * DAY
        return earliest + self.days(0, (latest - earliest).days), months

    def _plan(self, spec: _Spec) -> tuple[dt.date, list, dt.date | None, int, dt.date | None]:
        """Saisine, evaluation interviews (when, place, status), start, months, choice date."""
        t, public, today, cal = spec.target, spec.public, self.today, self.cal
        if t == "a_convoquer":
            return today - self.days(0, 8), [], None, 0, None
        if t == "eval_booked":
            return today - self.days(2, 12), [(*cal.court(public, today + DAY), AS.ATTENDU)], None, 0, None
        if t == "eval_pinned":
            saisine = min(today, self.day - self.days(6, 20))
            return saisine, [(*cal.court(public, self.day, first=True), AS.ATTENDU)], None, 0, None
        start, months, chosen = None, 0, None
        if t == "caducite":  # two convocations, never honoured
            second = cal.court(public, today - self.days(50, 680), -1)
            evals = [(*cal.court(public, second[0].date() - DAY, -1), AS.ABSENT), (*second, AS.ABSENT)]
        else:
            if t in EVALUATED_DAYS_AGO:
                low, high = (560, 640) if spec.old else EVALUATED_DAYS_AGO[t]
                evaluated = today - self.days(low, high)
            else:  # forward from the decision (the measure's start): saisine, evaluation, choice
                start, months = self._start(spec)
                saisine = start + self.days(2, 12)
                late = self.rng.random() < 0.15  # beyond the month of R3413-11
                evaluated = saisine + (self.days(31, 40) if late else self.days(5, 24))
                evals = [(*cal.court(public, evaluated, 1), AS.PRESENT)]
                if self.rng.random() < 0.1:  # a first convocation postponed, if it came after the saisine
                    first = cal.court(public, evals[0][0].date() - DAY, -1)
                    if first[0].date() > saisine:
                        evals.insert(0, (*first, AS.REPORTE))
                held = evals[-1][0].date()
                chosen = held + (self.days(11, 14) if self.rng.random() < 0.1 else self.days(0, 10))
                return saisine, evals, start, months, chosen
            evals = [(*cal.court(public, evaluated, -1), AS.PRESENT)]
        late = self.rng.random() < 0.15  # beyond the month of R3413-11
        saisine = evals[0][0].date() - (self.days(31, 40) if late else self.days(5, 24))
        return saisine, evals, start, months, chosen

    def measure(self, spec: _Spec, person: Person | None) -> Person:
        """One measure, from the saisine to where it stands today."""
        t, today = spec.target, self.today
        saisine, evals, start, months, chosen = self._plan(spec)
        facts, decision, authority, stage = self._procedure(spec, saisine, decision=start)
        if person is None:
            person = self._person(spec, facts, saisine)
        measure = Measure.create(
            person=person, professional=self.user, parquet_number=self._parquet(facts),
            authority=authority, stage=stage, magistrat_referent=self.rng.choice(data.MAGISTRATES[authority]),
            facts_on=facts, decision_on=decision, saisine_received_on=saisine,
            created_at=dt.datetime.combine(saisine, dt.time(14)))
        ctx = _Ctx(spec, measure, at_csapa=self.rng.random() < 0.3 and t not in PINNED)
        pool = data.STRUCTURES_MINORS if spec.public == Public.MINEURS else data.STRUCTURES_ADULTS
        structure = self.rng.choice(pool)
        civ = spec.first_name if spec.public == Public.MINEURS else ("Madame" if spec.female else "Monsieur")
        ctx.words = {"civ": civ, "e": "e" if spec.female else "", "il": "elle" if spec.female else "il",
                     "structure": structure[0], "start": format_fr(start), "day": ""}
        for at, place, status in evals:
            status = AS.PRESENT if status == AS.ATTENDU and at < self.now else status
            appointment = self._appointment(ctx, AK.EVALUATION_INITIALE, at, place, status, saisine + DAY)
            if status == AS.PRESENT:
                unsuited = t == "non_opportune"
                self._report(ctx, ReportKind.AVIS_MOTIVE, at.date(),
                             data.AVIS_NOT_APPROPRIATE if unsuited else data.AVIS_APPROPRIATE, appointment,
                             proposal="non_opportune" if unsuited else "opportune",
                             draft=t in ("eval_held", "eval_pinned"))  # the choice is still open
        evaluated = evals[-1][0].date() if evals else saisine
        if t == "caducite":
            ctx.words["day"] = format_fr(evaluated)
            self._report(ctx, ReportKind.INCIDENT, evaluated + DAY, data.INCIDENT, adherence="absente")
        agreement = chosen + (self.days(16, 25) if self.rng.random() < 0.08 else self.days(3, 15)) \
            if chosen else None  # sometimes past the 15 days: recorded, shown late
        if t.startswith("orient"):
            chosen = evaluated + self.days(1, 8)
            if t == "orient_refused":
                refused = chosen + self.days(6, 12)
                self._orientation(ctx, self.rng.choice(pool), chosen, refused_on=refused)
                chosen = refused + self.days(2, 5)
            elif t == "orient_agreed":  # agreed, follow-up not booked yet
                agreement = chosen + self.days(4, 10)
            if t != "orient_agreed":
                agreement = None
        if chosen:
            self._orientation(ctx, structure, chosen, agreement_on=agreement)
        if agreement:
            ctx.words["start"] = format_fr(agreement)
        if start:
            measure.planned_end_on = add_months(start, months)
            for i in range(1, months // 6):
                Renewal.create(measure=measure, new_end_on=add_months(start, 6 * (i + 1)),
                               decided_on=min(today, add_months(start, 6 * i) - self.days(3, 15)))
        if start:
            last = self._followups(ctx, start, months, PINNED.get(t))
            if t in OUTCOMES:
                end = add_months(start, months) if t == "classement" else last
                measure.outcome_on = end + self.days(7, 30)
        elif t in OUTCOMES:
            measure.outcome_on = evaluated + self.days(10, 40)
        if measure.outcome_on:
            measure.outcome, measure.outcome_on = OUTCOMES[t], min(today, measure.outcome_on)
            self._report(ctx, ReportKind.FIN_DE_MESURE, measure.outcome_on + self.days(1, 5),
                         [data.FIN_DE_MESURE[measure.outcome]])
        measure.status = compute_status(measure)
        measure.save()
        return person

    def _procedure(self, spec: _Spec, saisine: dt.date,
                   decision: dt.date | None = None) -> tuple[dt.date, dt.date, str, str]:
        """Facts, decision (the measure's start, when the story set it), authority and stage:
        facts < decision < saisine."""
        authority, stage = Authority.PROCUREUR, Stage.ALTERNATIVE_POURSUITES
        roll, minor = self.rng.random(), spec.public == Public.MINEURS
        if spec.target == "poursuites" or (spec.target.startswith("suivi") and roll < 0.15):
            stage = Stage.COMPOSITION_PENALE  # its failure means prosecution
        elif spec.target not in OUTCOMES and roll > (0.7 if minor else 0.9):
            authority = Authority.JUGE_ENFANTS if minor else Authority.JUGE_INSTRUCTION
            stage = Stage.INSTRUCTION
        decision = decision or saisine - self.days(2, 12)
        facts = decision - (self.days(60, 200) if stage == Stage.INSTRUCTION else self.days(15, 120))
        return facts, decision, authority, stage

    def _parquet(self, facts: dt.date) -> str:
        """Year, day of the year, then six digits, stored without spaces."""
        while True:
            number = f"{facts:%y}{facts.timetuple().tm_yday:03d}{self.rng.randint(1, 999999):06d}"
            if number not in self.parquet_numbers:
                self.parquet_numbers.add(number)
                return number

    def _person(self, spec: _Spec, facts: dt.date, saisine: dt.date) -> Person:
        if spec.adult_now:  # turned 18 between 30 and 100 days after the facts
            birth = add_months(facts, -216) + self.days(30, 100)
        else:
            low, high = (13, 17) if spec.public == Public.MINEURS else (18, 55)
            birth = add_months(facts, -12 * self.rng.randint(low, high)) - self.days(1, 360)
        street, city = self.rng.choice(data.STREETS)
        address = f"{self.rng.randint(1, 99)} {street}, {city}"
        email = (f"{search_key(spec.first_name)}.{search_key(spec.last_name)}@exemple.invalid"
                 if self.rng.random() < 0.3 else None)
        guardian = data.GUARDIAN if spec.protected else (None, None)
        person = Person.create(
            last_name=spec.last_name, first_name=spec.first_name, birth_date=birth, address=address,
            phone=self.phone("06"), email=email, is_protected_adult=spec.protected,
            guardian_name=guardian[0], guardian_contact=guardian[1],
            created_at=dt.datetime.combine(saisine, dt.time(14)))
        if spec.public == Public.MINEURS:
            representatives = [(f"{self.rng.choice(data.FEMALE_FIRST)} {spec.last_name}", "mère", "06"),
                               (f"{self.rng.choice(data.MALE_FIRST)} {spec.last_name}", "père", "07")]
            representatives = representatives[: self.rng.choice([1, 2])]
            if self.rng.random() < 0.1:
                representatives = [(data.ASE, "tuteur (ASE)", "01")]
            for name, relationship, lead in representatives:
                LegalRepresentative.create(person=person, name=name, relationship=relationship,
                                           phone=self.phone(lead), address=address)
        return person

    # --- appointments, orientations, reports ----------------------------------------
    def _appointment(self, ctx: _Ctx, kind: str, at: dt.datetime, place: str, status: str,
                     booked_on: dt.date, walk_in: bool = False) -> Appointment:
        booked = min(booked_on, at.date(), self.today)
        return Appointment.create(measure=ctx.measure, kind=kind, starts_at=at, place=place,
                                  status=status, walk_in=walk_in,
                                  created_at=dt.datetime.combine(booked, dt.time(8, 30)))

    def _orientation(self, ctx: _Ctx, structure: tuple[str, str, str], chosen: dt.date,
                     agreement_on: dt.date | None = None, refused_on: dt.date | None = None) -> None:
        """For a minor the legal representatives choose (with the minor's agreement)."""
        minor = ctx.spec.public == Public.MINEURS
        by = (ChosenBy.REPRESENTANTS_LEGAUX if minor
              else ChosenBy.TUTEUR if ctx.spec.protected else ChosenBy.PERSONNE)
        Orientation.create(measure=ctx.measure, structure=structure[0], doctor=structure[1],
                           address=structure[2], chosen_on=chosen, chosen_by=by,
                           agreement_on=agreement_on, refused_on=refused_on,
                           treating_structure=self.directory.get(structure[0]))
        ctx.measure.minor_agreement = True if minor else None

    def _report(self, ctx: _Ctx, kind: str, written: dt.date, texts: list[str],
                appointment: Appointment | None = None, adherence: str | None = None,
                proposal: str | None = None, draft: bool = False,
                previous: Report | None = None) -> Report:
        """A report; anything written today is still a draft. `previous`: a correction."""
        written = min(written, self.today)
        observations = (previous.observations + data.CORRECTION if previous
                        else self.rng.choice(texts).format(**ctx.words))
        final = not (draft or written == self.today)
        report = Report.create(
            measure=ctx.measure, appointment=appointment, kind=kind, status=ReportStatus.BROUILLON,
            version=previous.version + 1 if previous else 1, previous=previous,
            adherence=adherence, proposal=proposal, observations=observations, written_on=written,
            sent_on=min(self.today, written + self.days(1, 3)) if final else None,
            created_at=dt.datetime.combine(written, dt.time(17)),
            updated_at=dt.datetime.combine(written, dt.time(17)))
        if final:  # sealed like a real one: frozen facts and hash, so it prints and verifies
            seal(report, today=written, at=dt.datetime.combine(written, dt.time(17, 30)))
        return report

    def _slot(self, ctx: _Ctx, due: dt.date) -> tuple[dt.datetime, str]:
        if ctx.at_csapa:
            return self.cal.csapa(due), data.USER["csapa_name"]
        return self.cal.court(ctx.spec.public, due)

    def _followups(self, ctx: _Ctx, start: dt.date, months: int, pinned: int | None) -> dt.date:
        """The interviews due at M3, M6 then every six months (core/rules.py), up to the next one."""
        last, public = start, ctx.spec.public
        for month in [m for m in self.months if m <= months]:
            kind = {3: AK.SUIVI_M3, 6: AK.SUIVI_M6}.get(month, AK.SUIVI_SEMESTRIEL)
            at, place = (self.cal.court(public, self.day, first=True) if month == pinned
                         else self._slot(ctx, add_months(start, month)))
            roll = self.rng.random()
            if at >= self.now:
                self._appointment(ctx, kind, at, place, AS.ATTENDU, last)
                return last
            if ctx.spec.target in ("composition", "poursuites"):  # missed twice: incident, end
                missed = self._appointment(ctx, kind, at, place, AS.ABSENT, last)
                ctx.words["day"] = format_fr(at.date())
                self._report(ctx, ReportKind.INCIDENT, at.date() + DAY, data.INCIDENT, missed,
                             adherence="absente")
                at, place = self.cal.court(public, at.date() + 10 * DAY)
                missed = self._appointment(ctx, AK.SUPPLEMENTAIRE, at, place, AS.ABSENT, at.date())
                self._report(ctx, ReportKind.FICHE_NAVETTE, at.date() + DAY, data.FICHE_FAILURE,
                             missed, adherence="absente", proposal="fin_echec")
                return at.date()
            forced = ctx.spec.hiccup if month == 3 else None
            if forced or (roll < 0.12 and month != pinned):
                self._appointment(ctx, kind, at, place, forced or (AS.REPORTE if roll < 0.06 else AS.EXCUSE),
                                  last)
                at, place = self._slot(ctx, at.date() + 7 * DAY)
                if at >= self.now:
                    self._appointment(ctx, kind, at, place, AS.ATTENDU, last)
                    return last
            held = self._appointment(ctx, kind, at, place, AS.PRESENT, last)
            partial, ending, renewing = roll > 0.85, month == months, month % 6 == 0
            self._report(ctx, ReportKind.FICHE_NAVETTE, at.date() + self.days(0, 2),
                         data.FICHE_END if ending else data.FICHE_RENEWAL if renewing
                         else data.FICHE_PARTIAL if partial else data.FICHE_GOOD, held,
                         adherence="partielle" if partial else "effective",
                         proposal="fin_reussite" if ending else "renouvellement" if renewing
                         else "modification" if partial else "poursuite")
            last = at.date()
            if ctx.spec.walk_in and month == 3:  # came by without an appointment
                at, place = self.cal.court(public, last + 21 * DAY)
                if at < self.now:
                    held = self._appointment(ctx, AK.SUPPLEMENTAIRE, at, place, AS.PRESENT, at.date(),
                                             walk_in=True)
                    self._report(ctx, ReportKind.FICHE_NAVETTE, at.date(), data.FICHE_GOOD, held,
                                 adherence="effective", proposal="poursuite")
        return last

    def run(self) -> DemoSummary:
        save_court(CourtSettings())
        self.professionals()
        fill_register(self.today)
        self.fill_directory()
        self.user = require_user()
        for spec in self.specs():
            self.story(spec)
        first = (Report.select().join(Measure)  # one corrected fiche navette
                 .where((Report.kind == ReportKind.FICHE_NAVETTE) & (Report.status == ReportStatus.FINAL)
                        & (Measure.outcome == Outcome.CLASSEMENT)).order_by(Report.id).first())
        ctx = _Ctx(_Spec("correction"), first.measure, at_csapa=False)
        self._report(ctx, first.kind, first.written_on + self.days(2, 5), [], first.appointment,
                     first.adherence, first.proposal, previous=first)
        audit.record("demo.remplissage", details=f"Données de démonstration fictives (graine {self.seed}).",
                     at=dt.datetime.combine(self.today, dt.time(8)))
        start = dt.datetime.combine(self.day, dt.time.min)
        return DemoSummary(
            professionals=Professional.select().count(), persons=Person.select().count(),
            legal_representatives=LegalRepresentative.select().count(),
            measures=Measure.select().count(), appointments=Appointment.select().count(),
            reports=Report.select().count(), agenda_day=self.day,
            agenda_appointments=Appointment.select().where(
                (Appointment.starts_at >= start) & (Appointment.starts_at < start + DAY)).count())


def populate_demo(today: dt.date, seed: int = 2026) -> DemoSummary:
    """Fill the bound, empty database with fictional data, in one transaction."""
    if current_user() is not None or Person.select().exists():
        raise InvalidInput("La base contient déjà des données : la démonstration demande une base vide.")
    with database.atomic():
        summary = _Builder(today, seed).run()
        # The statement of the previous year went to the ARS in January, as it should:
        # the reminder then shows only when one is really due (December, January).
        if today.month > 1:
            from ..statements.statement import mark_statement_produced

            mark_statement_produced(today.year - 1, on=dt.date(today.year, 1, 20))
        _convocations_posted(today)
        return summary


#: In the demo, the convocations of the appointments booked in the last days are still to
#: post (« Convocations à envoyer » shows a few); the older ones went out when booked.
RECENT_BOOKINGS = 3


def _convocations_posted(today: dt.date) -> None:
    from peewee import fn

    from ..core.models import Appointment

    ahead = (Appointment.select(Appointment.id).where((Appointment.starts_at >= today) & ~Appointment.walk_in)
             .order_by(Appointment.created_at.desc(), Appointment.id.desc()))
    waiting = [a.id for a in ahead.limit(RECENT_BOOKINGS)]
    (Appointment.update(convocation_printed_on=fn.DATE(Appointment.created_at))
     .where(Appointment.id.not_in(waiting or [0])).execute())
