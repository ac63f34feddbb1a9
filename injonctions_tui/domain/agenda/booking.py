"""What the professional does during the permanence: mark, book, propose, convoke, welcome.

Each action is one transaction with one audit event (ids and codes only, never a
name), and refuses bad input with a French message before writing anything. Slots
and holidays come from calendar/slots.py; what to book next and its legal date from the
deadline engine (deadlines/engine.py). Lists for the morning (saisines to convoke,
holiday conflicts) live in convocations.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

from ..calendar.slots import (booked_intervals, court_places, find_free_slot, holiday_name, overlaps, permanence_at,
                              permanence_occurrences, slots_of)
from ..core.dates import WEEKDAYS_FR, age_on, format_fr, parse_date
from ..core.errors import InvalidInput
from ..core.models import Appointment, Measure, Person, database
from ..core.people import measure_public, public_for
from ..core.text import search_key
from ..core.validation import MAX_TEXT, clean_text, parse_parquet_number
from ..core.vocabulary import AppointmentKind, AppointmentStatus, Authority, MeasureStatus, Public, Stage, label
from ..deadlines.engine import measure_timeline, next_interview
from ..store import audit
from ..store.professionals import current_user
from ..store.settings import CourtSettings, load_court

AK, AS = AppointmentKind, AppointmentStatus
#: Hours of appointments outside permanences (at the CSAPA): our choice, 8h-20h.
OUTSIDE_OPENS, OUTSIDE_CLOSES = dt.time(8, 0), dt.time(20, 0)
DEFAULT_MINUTES = 30
#: Plausible ages of a person under an injonction (as the dossier form checks).
MIN_AGE, MAX_AGE = 10, 100
#: A walk-in's parquet number is left empty, to complete in the dossier (which shows
#: "à compléter"): a fake number would pass for a real one in letters to the court.
PARQUET_TO_COMPLETE = ""

__all__ = ["Proposal", "add_walk_in", "book", "convoke", "mark", "propose_next"]


@dataclass(frozen=True)
class Proposal:
    """The next appointment the cadence asks for, on the first free permanence slot."""

    measure_id: int
    kind: str
    kind_label: str
    #: The legal date (evaluation deadline, or M3/M6/... date); may be in the past.
    due_on: dt.date | None
    starts_at: dt.datetime
    place: str
    public: str
    note: str


E = TypeVar("E", bound=Enum)


def _hhmm(moment: dt.datetime) -> str:
    return moment.strftime("%Hh%M")


def _when(moment: dt.datetime) -> str:
    return f"{WEEKDAYS_FR[moment.weekday()]} {format_fr(moment.date())} à {_hhmm(moment)}"


def _enum(enum: type[E], value: str, what: str) -> E:
    try:
        return enum(value)
    except ValueError:
        raise InvalidInput(f"{what} inconnu : « {str(value)[:40]} ».") from None


def is_closed_measure(measure: Measure) -> bool:
    return measure.status == MeasureStatus.CLOTURE or measure.outcome is not None


def open_measure(measure_id: int) -> Measure:
    """The measure, refusing one that does not exist or is closed."""
    measure = Measure.get_or_none(Measure.id == measure_id)
    if measure is None:
        raise InvalidInput("Dossier introuvable (il a peut-être été supprimé).")
    if is_closed_measure(measure):
        raise InvalidInput("Cette mesure est clôturée : on ne peut plus y prendre de rendez-vous.")
    return measure


# --- marking ---------------------------------------------------------------------------
def mark(appointment_id: int, status: str, today: dt.date) -> Appointment:
    """Record what happened to an appointment (present, absent, excusé, reporté, attendu)."""
    new = _enum(AS, status, "Statut de rendez-vous")
    with database.atomic():
        appointment = Appointment.get_or_none(Appointment.id == appointment_id)
        if appointment is None:
            raise InvalidInput("Rendez-vous introuvable (il a peut-être été supprimé).")
        day = appointment.starts_at.date()
        if new in (AS.PRESENT, AS.ABSENT) and day > today:
            raise InvalidInput(f"Le rendez-vous du {format_fr(day)} n'a pas encore eu lieu : "
                               f"il ne peut pas être marqué « {label(new).lower()} ».")
        old = appointment.status
        if old == new:
            return appointment
        if old == AS.REPORTE:  # back on the agenda: its slot may have been given away
            taken = booked_intervals(day, appointment.place, ignore_id=appointment.id)
            if overlaps(appointment.starts_at, appointment.duration_minutes, taken):
                raise InvalidInput(f"Le créneau du {_when(appointment.starts_at)} a été redonné "
                                   "entre-temps : prenez un nouveau rendez-vous.")
        appointment.status = new.value
        appointment.save()
        audit.record("rdv_statut", "appointment", appointment.id, details=f"{old} -> {new.value}")
    return appointment


# --- booking ---------------------------------------------------------------------------
def _check_slot(court: CourtSettings, starts_at: dt.datetime, place: str, today: dt.date,
                allow_closed: bool, minutes: int | None) -> int:
    """Refuse a past, closed, off-hours or taken slot; return the appointment's length."""
    day = starts_at.date()
    if day < today:
        raise InvalidInput(f"Le {format_fr(day)} est passé : choisissez une date à venir.")
    holiday = holiday_name(day)
    if place in court_places(court):
        permanence = permanence_at(court, starts_at, place)
        if permanence is None:
            raise InvalidInput(f"Pas de permanence au tribunal le {_when(starts_at)} : choisissez un "
                               "créneau de permanence, ou un rendez-vous au CSAPA.")
        if holiday and not allow_closed:
            raise InvalidInput(f"La permanence du {format_fr(day)} est fermée ({holiday}) : "
                               "choisissez une autre date.")
        if starts_at not in slots_of(permanence, day):
            raise InvalidInput(f"{_hhmm(starts_at)} ne correspond à aucun créneau de la permanence "
                               f"(créneaux de {permanence.slot_minutes} minutes dès "
                               f"{permanence.start.replace(':', 'h')}).")
        minutes = minutes or permanence.slot_minutes
    else:
        if day.weekday() == 6:
            raise InvalidInput("Pas de rendez-vous le dimanche.")
        if holiday and not allow_closed:
            raise InvalidInput(f"Le {format_fr(day)} est férié ({holiday}) : choisissez une autre date.")
        minutes = minutes or DEFAULT_MINUTES
        end = starts_at + dt.timedelta(minutes=minutes)
        if starts_at.time() < OUTSIDE_OPENS or end > dt.datetime.combine(day, OUTSIDE_CLOSES):
            raise InvalidInput("Hors permanence, les rendez-vous se prennent entre 8h et 20h.")
    if not 5 <= minutes <= 240:
        raise InvalidInput("La durée d'un rendez-vous doit être comprise entre 5 et 240 minutes.")
    if overlaps(starts_at, minutes, booked_intervals(day, place)):
        raise InvalidInput(f"Le créneau du {_when(starts_at)} est déjà pris à « {place} ».")
    return minutes


def _create(measure: Measure, kind: AppointmentKind, starts_at: dt.datetime, place: str,
            minutes: int, action: str, walk_in: bool = False) -> Appointment:
    """Write the appointment; a saisine with an appointment is no longer "à convoquer"."""
    appointment = Appointment.create(measure=measure, kind=kind.value, starts_at=starts_at,
                                     duration_minutes=minutes, place=place, walk_in=walk_in)
    if measure.status == MeasureStatus.A_CONVOQUER:
        measure.status = MeasureStatus.EVALUATION.value
        measure.save()
    audit.record(action, "appointment", appointment.id,
                 details=f"mesure={measure.id} {kind.value} {starts_at:%Y-%m-%d %H:%M}")
    return appointment


def book(measure_id: int, kind: str, starts_at: dt.datetime, *, place: str, today: dt.date,
         allow_closed: bool = False, court: CourtSettings | None = None,
         duration_minutes: int | None = None) -> Appointment:
    """Book an appointment at a permanence slot, or at the CSAPA (any weekday, 8h-20h).

    A holiday is refused unless `allow_closed` (the professional confirmed it), so
    nothing lands on a closed permanence silently.
    """
    court = court or load_court()
    value = _enum(AK, kind, "Type d'entretien")
    clean_place = clean_text(place, "Lieu", required=True, limit=MAX_TEXT) or ""
    if not isinstance(starts_at, dt.datetime):
        raise InvalidInput("Indiquez la date et l'heure du rendez-vous.")
    starts_at = starts_at.replace(second=0, microsecond=0)
    with database.atomic():
        measure = open_measure(measure_id)
        minutes = _check_slot(court, starts_at, clean_place, today, allow_closed, duration_minutes)
        return _create(measure, value, starts_at, clean_place, minutes, "rdv_creation")


# --- the next appointment the cadence asks for -----------------------------------------------
def _nothing_to_propose(measure: Measure, today: dt.date) -> InvalidInput:
    """Why the deadline engine has no interview to book, in French."""
    appointments = sorted(measure.appointments, key=lambda a: a.starts_at)
    evaluations = [a for a in appointments if a.kind == AK.EVALUATION_INITIALE]
    if not any(a.status == AS.PRESENT for a in evaluations):
        booked = [a for a in evaluations if a.status == AS.ATTENDU]
        if booked and booked[-1].starts_at.date() < today:
            return InvalidInput(f"L'évaluation initiale du {_when(booked[-1].starts_at)} n'est pas encore "
                                "marquée : indiquez d'abord si la personne est venue.")
        if booked:
            return InvalidInput(f"L'évaluation initiale est déjà prévue le {_when(booked[-1].starts_at)}.")
    found = measure_timeline(measure)
    if found is None:
        if any(a.status == AS.PRESENT for a in evaluations):
            return InvalidInput("Début de la mesure inconnu : renseignez la date de la décision (F3, m) pour "
                                "calculer l'entretien M3.")
        return InvalidInput("Aucun entretien n'est prévu par les règles de cette mesure.")
    return InvalidInput(f"Tous les entretiens de suivi jusqu'à la fin prévue ({format_fr(found.planned_end)}) "
                        "sont déjà tenus ou prévus : enregistrez le renouvellement pour la suite.")


def propose_next(measure_id: int, today: dt.date, *, court: CourtSettings | None = None,
                 now: dt.datetime | None = None) -> Proposal:
    """The interview the deadline engine says is next (`deadlines.next_interview`): the
    evaluation before the measure starts, else the oldest M3 / M6 / 6-monthly interview
    neither held nor booked.

    The slot is the first free one on the person's public's permanence, on or after
    the legal date but never before today (nor before `now` when given: this
    morning's past slots); holidays are skipped.
    """
    court = court or load_court()
    measure = open_measure(measure_id)
    found = next_interview(measure)
    if found is None:
        raise _nothing_to_propose(measure, today)
    kind, due = found.kind, found.due_on
    if found.start is None:
        search_from = max(today, measure.saisine_received_on)
        note = f"Évaluation dans le mois de la saisine : au plus tard le {format_fr(due)}."
    else:
        search_from = max(today, due)
        note = f"{label(kind)} dû le {format_fr(due)} (début de mesure le {format_fr(found.start)})."
    public = measure_public(measure)
    slot, occurrence = find_free_slot(court, public, search_from, not_before=now)
    if due < today:
        note += " Date légale dépassée : premier créneau disponible."
    elif slot.date() > due:
        note += f" Premier créneau libre après la date légale ({format_fr(due)})."
    return Proposal(measure_id=measure.id, kind=kind.value, kind_label=label(kind), due_on=due,
                    starts_at=slot, place=occurrence.permanence.place, public=public.value,
                    note=note.strip())


# --- convocation of a saisine -------------------------------------------------------------
def convoke(measure_id: int, today: dt.date, *, public_override: str | None = None,
            court: CourtSettings | None = None, now: dt.datetime | None = None) -> Appointment:
    """Book the first free evaluation slot on the person's public's permanence, on or
    after today (after `now` when given, so not on a slot already gone).

    The public is judged at the date of the facts; a manual override is kept on the
    measure, so the agenda and later proposals agree with it.
    """
    court = court or load_court()
    override = _enum(Public, public_override, "Public") if public_override else None
    with database.atomic():
        measure = open_measure(measure_id)
        for appointment in measure.appointments:
            if appointment.kind == AK.EVALUATION_INITIALE and appointment.status == AS.PRESENT:
                raise InvalidInput("L'évaluation initiale a déjà eu lieu : proposez plutôt le suivi.")
            if appointment.status == AS.ATTENDU and appointment.starts_at.date() >= today:
                raise InvalidInput(f"Déjà convoqué(e) le {_when(appointment.starts_at)}.")
        if override and override != measure.public_override:
            measure.public_override = override.value
            measure.save()
            audit.record("public_force", "measure", measure.id, details=f"public={override.value}")
        slot, occurrence = find_free_slot(court, measure_public(measure), today, not_before=now)
        place = occurrence.permanence.place
        minutes = _check_slot(court, slot, place, today, False, None)
        return _create(measure, AK.EVALUATION_INITIALE, slot, place, minutes, "convocation")


# --- walk-ins ----------------------------------------------------------------------------
def _birth(value: dt.date | str, today: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    birth = value if isinstance(value, dt.date) else parse_date(value, "Date de naissance")
    age = age_on(birth, today)
    if birth > today or not MIN_AGE <= age <= MAX_AGE:
        raise InvalidInput(f"Date de naissance : {age} ans aujourd'hui, ce n'est pas vraisemblable "
                           f"(entre {MIN_AGE} et {MAX_AGE} ans).")
    return birth


def _reusable_measure(person: Person, number: str) -> Measure | None:
    """The person's open saisine this visit is about: same parquet number, or (none
    typed) the latest one not yet evaluated. Otherwise a new measure is created."""
    for measure in person.measures.order_by(Measure.saisine_received_on.desc(), Measure.id.desc()):
        if is_closed_measure(measure):
            continue
        if number and measure.parquet_number in (number, PARQUET_TO_COMPLETE):
            return measure
        evaluated = any(a.kind == AK.EVALUATION_INITIALE and a.status == AS.PRESENT
                        for a in measure.appointments)
        if not number and not evaluated and measure.status in (MeasureStatus.A_CONVOQUER,
                                                               MeasureStatus.EVALUATION):
            return measure
    return None


def _walk_in_slot(slots: list[dt.datetime], minutes: int, taken: list, now: dt.datetime) -> dt.datetime:
    """The slot running now if free, else the next free one; when none is left, now
    rounded down to the slot grid (the person is here: the morning runs late)."""
    for slot in slots:
        if slot + dt.timedelta(minutes=minutes) > now and not overlaps(slot, minutes, taken):
            return slot
    elapsed = max(0, int((now - slots[0]).total_seconds() // 60))
    return slots[0] + dt.timedelta(minutes=elapsed - elapsed % minutes)


def add_walk_in(*, last_name: str, first_name: str, birth_date: dt.date | str,
                parquet_number: str | None, today: dt.date, court: CourtSettings,
                public_override: str | None = None, now: dt.datetime | None = None) -> Appointment:
    """Someone not on the list arrives: find or create the person and the measure, and
    put them on today's permanence. The dossier is completed later."""
    last = clean_text(last_name, "Nom", required=True) or ""
    first = clean_text(first_name, "Prénom", required=True) or ""
    birth = _birth(birth_date, today)
    number = parse_parquet_number(parquet_number, required=False) or PARQUET_TO_COMPLETE
    override = _enum(Public, public_override, "Public") if public_override else None
    occurrences = permanence_occurrences(court, today, today)
    open_today = [o for o in occurrences if not o.closed]
    if not open_today:
        reason = f" ({occurrences[0].holiday_name})" if occurrences else ""
        raise InvalidInput(f"Pas de permanence ouverte aujourd'hui{reason} : un accueil sans "
                           "rendez-vous se fait pendant une permanence.")
    with database.atomic():
        person = Person.get_or_none((Person.search_name == search_key(f"{last} {first}"))
                                    & (Person.birth_date == birth))
        if person is None:
            person = Person.create(last_name=last, first_name=first, birth_date=birth)
        measure = _reusable_measure(person, number)
        if measure is None:
            measure = Measure.create(
                person=person, professional=current_user(), parquet_number=number,
                authority=Authority.PROCUREUR.value, stage=Stage.ALTERNATIVE_POURSUITES.value,
                saisine_received_on=today, status=MeasureStatus.EVALUATION.value,
                public_override=override.value if override else None)
            audit.record("creation_dossier_sans_rdv", "measure", measure.id)
        elif override or (number and not measure.parquet_number):
            measure.public_override = override.value if override else measure.public_override
            measure.parquet_number = measure.parquet_number or number
            measure.save()
        public = public_for(birth, measure.facts_on, measure.public_override, measure.saisine_received_on)
        occurrence = next((o for o in open_today if o.permanence.public == public), open_today[0])
        permanence = occurrence.permanence
        moment = now if now and now.date() == today else occurrence.starts_at
        slot = _walk_in_slot(slots_of(permanence, today), permanence.slot_minutes,
                             booked_intervals(today, permanence.place), moment)
        evaluated = any(a.kind == AK.EVALUATION_INITIALE and a.status == AS.PRESENT
                        for a in measure.appointments)
        kind = AK.SUPPLEMENTAIRE if evaluated else AK.EVALUATION_INITIALE
        return _create(measure, kind, slot, permanence.place, permanence.slot_minutes,
                       "accueil_sans_rdv", walk_in=True)
