"""What the professional does during the permanence: mark, book, propose, convoke.

Each action is one transaction with one audit event (ids and codes only, never a
name), and refuses bad input with a French message before writing anything. Slots
and holidays come from calendar/slots.py; what to book next and its legal date from the
deadline engine (deadlines/engine.py). Lists for the morning (saisines to convoke,
holiday conflicts) live in convocations.py; walk-ins in walk_ins.py.

The court's permanences are the rule (issue 16): a booking outside their hours, on the
other public's day or on a holiday is not refused but asked first (NeedsConfirmation),
and the confirmed departure is written in the audit trail. Proposals keep the
« délai minimal de convocation » and land on or before the legal date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

from ..calendar.slots import (PermanenceDay, booked_intervals, court_places, find_free_slot, find_last_free_slot,
                              holiday_name, overlaps, permanence_at, slots_of)
from ..core.dates import WEEKDAYS_FR, format_fr, hour_fr
from ..core.errors import InvalidInput, NeedsConfirmation
from ..core.models import Appointment, Measure, database
from ..core.people import measure_public
from ..core.validation import MAX_TEXT, clean_text
from ..core.vocabulary import AppointmentKind, AppointmentStatus, MeasureStatus, Public, label
from ..deadlines.engine import measure_timeline, next_interview
from ..store import audit
from ..store.settings import CourtSettings, load_court

AK, AS = AppointmentKind, AppointmentStatus
#: Hours of appointments outside permanences (at the CSAPA): our choice, 8h-20h.
OUTSIDE_OPENS, OUTSIDE_CLOSES = dt.time(8, 0), dt.time(20, 0)
DEFAULT_MINUTES = 30

__all__ = ["Departure", "Proposal", "book", "confirm_departures", "convoke", "departures", "mark", "propose_next"]


@dataclass(frozen=True)
class Proposal:
    """The next appointment the cadence asks for, on the slot that keeps its legal date."""

    measure_id: int
    kind: str
    kind_label: str
    #: The legal date (evaluation deadline, or M3/M6/... date); may be in the past.
    due_on: dt.date | None
    starts_at: dt.datetime
    place: str
    public: str
    note: str
    #: After the legal date (the note says why).
    late: bool = False


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


# --- the court's rules for a slot -----------------------------------------------------------
@dataclass(frozen=True)
class Departure:
    """A rule of the court a booking departs from: the professional may confirm it."""

    code: str  # hors_horaires, public, ferie: recorded in the audit trail
    message: str


def _hours_of(court: CourtSettings, day: dt.date, place: str) -> str:
    held = [p for p in court.permanences if p.weekday == day.weekday() and p.place == place]
    return ", ".join(f"{hour_fr(p.start)}-{hour_fr(p.end)}, {label(Public(p.public)).lower()}" for p in held)


def departures(court: CourtSettings, starts_at: dt.datetime, place: str,
               public: Public | None) -> list[Departure]:
    """How a booking at `starts_at` departs from the court's permanences: outside their
    hours, on the permanence of the other public (minority judged at the date of the
    facts), or on a public holiday. Empty when it follows them."""
    day = starts_at.date()
    found: list[Departure] = []
    holiday = holiday_name(day)
    if place in court_places(court):
        permanence = permanence_at(court, starts_at, place)
        hours = _hours_of(court, day, place)
        if permanence is None:
            found.append(Departure("hors_horaires", (
                f"{_hhmm(starts_at)} est en dehors de la permanence du {WEEKDAYS_FR[day.weekday()]} ({hours})."
                if hours else f"Il n'y a pas de permanence au tribunal le {WEEKDAYS_FR[day.weekday()]}.")))
        # Outside the hours too, the day's permanence may be the other public's: said as well.
        held = [permanence] if permanence else [p for p in court.permanences
                                                if p.weekday == day.weekday() and p.place == place]
        if public is not None and held and all(p.public != public for p in held):
            found.append(Departure("public", (
                f"La permanence du {WEEKDAYS_FR[day.weekday()]} reçoit les {label(Public(held[0].public)).lower()} ; "
                f"cette personne relève de celle des {label(public).lower()} (âge à la date des faits).")))
        if holiday:
            found.append(Departure("ferie", f"Le {format_fr(day)} est férié ({holiday}) : le tribunal est fermé."))
    else:
        if holiday:
            found.append(Departure("ferie", f"Le {format_fr(day)} est férié ({holiday})."))
        end = starts_at + dt.timedelta(minutes=DEFAULT_MINUTES)
        if starts_at.time() < OUTSIDE_OPENS or end > dt.datetime.combine(day, OUTSIDE_CLOSES):
            found.append(Departure("hors_horaires", "Hors permanence, les rendez-vous se prennent d'ordinaire "
                                                    "entre 8h et 20h."))
    return found


def confirm_departures(found: list[Departure], confirmed: bool, question: str = "Réserver quand même ?") -> str:
    """Nothing when the booking follows the rules; else ask first (NeedsConfirmation),
    and once confirmed return what the audit records (« derogation=ferie,public »)."""
    if not found:
        return ""
    if not confirmed:
        raise NeedsConfirmation([d.message for d in found], question, codes=tuple(d.code for d in found))
    return " derogation=" + ",".join(d.code for d in found)


# --- booking ---------------------------------------------------------------------------
def _check_slot(court: CourtSettings, starts_at: dt.datetime, place: str, today: dt.date,
                minutes: int | None) -> int:
    """Refuse what cannot be: a past day, a Sunday, a time off the permanence's slot grid,
    a taken slot, an odd length. Returns the appointment's length."""
    day = starts_at.date()
    if day < today:
        raise InvalidInput(f"Le {format_fr(day)} est passé : choisissez une date à venir.")
    if day.weekday() == 6:
        raise InvalidInput("Pas de rendez-vous le dimanche.")
    permanence = permanence_at(court, starts_at, place) if place in court_places(court) else None
    if permanence is not None:
        if starts_at not in slots_of(permanence, day):
            raise InvalidInput(f"{_hhmm(starts_at)} ne correspond à aucun créneau de la permanence "
                               f"(créneaux de {permanence.slot_minutes} minutes dès "
                               f"{permanence.start.replace(':', 'h')}).")
        minutes = minutes or permanence.slot_minutes
    minutes = minutes or next((p.slot_minutes for p in court.permanences if p.place == place), DEFAULT_MINUTES)
    if not 5 <= minutes <= 240:
        raise InvalidInput("La durée d'un rendez-vous doit être comprise entre 5 et 240 minutes.")
    if overlaps(starts_at, minutes, booked_intervals(day, place)):
        raise InvalidInput(f"Le créneau du {_when(starts_at)} est déjà pris à « {place} ».")
    return minutes


def create_appointment(measure: Measure, kind: AppointmentKind, starts_at: dt.datetime, place: str,
            minutes: int, action: str, walk_in: bool = False, derogation: str = "") -> Appointment:
    """Write the appointment; a saisine with an appointment is no longer "à convoquer"."""
    appointment = Appointment.create(measure=measure, kind=kind.value, starts_at=starts_at,
                                     duration_minutes=minutes, place=place, walk_in=walk_in)
    if measure.status == MeasureStatus.A_CONVOQUER:
        measure.status = MeasureStatus.EVALUATION.value
        measure.save()
    audit.record(action, "appointment", appointment.id,
                 details=f"mesure={measure.id} {kind.value} {starts_at:%Y-%m-%d %H:%M}{derogation}")
    return appointment


def book(measure_id: int, kind: str, starts_at: dt.datetime, *, place: str, today: dt.date,
         confirmed: bool = False, court: CourtSettings | None = None,
         duration_minutes: int | None = None) -> Appointment:
    """Book an appointment at a permanence slot, or at the CSAPA (any weekday but Sunday).

    Outside the court's hours, on the other public's permanence or on a holiday, nothing
    is written until the professional confirms (`confirmed`); the departure is recorded.
    """
    court = court or load_court()
    value = _enum(AK, kind, "Type d'entretien")
    clean_place = clean_text(place, "Lieu", required=True, limit=MAX_TEXT) or ""
    if not isinstance(starts_at, dt.datetime):
        raise InvalidInput("Indiquez la date et l'heure du rendez-vous.")
    starts_at = starts_at.replace(second=0, microsecond=0)
    with database.atomic():
        measure = open_measure(measure_id)
        minutes = _check_slot(court, starts_at, clean_place, today, duration_minutes)
        derogation = confirm_departures(departures(court, starts_at, clean_place, measure_public(measure)),
                                        confirmed)
        return create_appointment(measure, value, starts_at, clean_place, minutes, "rdv_creation", derogation=derogation)


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


def earliest_convocation_day(court: CourtSettings, today: dt.date) -> dt.date:
    """No proposal before the convocation lead time: a letter posted today arrives first."""
    return today + dt.timedelta(days=court.convocation_lead_days)


def _slot_for(court: CourtSettings, public: Public, kind: AppointmentKind, due: dt.date, today: dt.date,
              not_before: dt.datetime | None) -> tuple[dt.datetime, PermanenceDay, str]:
    """Where the interview lands, and what the professional is told about it.

    A follow-up lands on the last permanence of the person's public on or before its
    legal date that leaves the convocation lead time; the evaluation as soon as the lead
    time allows (its date is a limit, sooner is better). Only when nothing fits, the
    first free slot after, shown late with the reason.
    """
    earliest = earliest_convocation_day(court, today)
    lead = f"délai de convocation de {court.convocation_lead_days} jours"
    if kind != AK.EVALUATION_INITIALE:
        found = find_last_free_slot(court, public.value, earliest, due)
        if found is not None:
            return found[0], found[1], ""
    slot, occurrence = find_free_slot(court, public.value, earliest, not_before=not_before)
    if slot.date() <= due:
        return slot, occurrence, ""
    if due < today:
        return slot, occurrence, "Date légale dépassée : premier créneau libre après le " + lead + "."
    if due < earliest:
        return slot, occurrence, (f"En retard : le {lead} ne permet pas de tenir la date légale "
                                  f"({format_fr(due)}).")
    return slot, occurrence, f"En retard : aucun créneau libre d'ici la date légale ({format_fr(due)})."


def propose_next(measure_id: int, today: dt.date, *, court: CourtSettings | None = None,
                 now: dt.datetime | None = None) -> Proposal:
    """The interview the deadline engine says is next (`deadlines.next_interview`): the
    evaluation before the measure starts, else the oldest M3 / M6 / 6-monthly interview
    neither held nor booked, on the slot `_slot_for` chooses (holidays skipped, the
    convocation lead time kept, this morning's past slots skipped when `now` is given).
    """
    court = court or load_court()
    measure = open_measure(measure_id)
    found = next_interview(measure)
    if found is None:
        raise _nothing_to_propose(measure, today)
    kind, due = found.kind, found.due_on
    if found.start is None:
        note = f"Évaluation dans le mois de la saisine : au plus tard le {format_fr(due)}."
    else:
        note = f"{label(kind)} dû le {format_fr(due)} (début de mesure le {format_fr(found.start)})."
    public = measure_public(measure)
    slot, occurrence, late = _slot_for(court, public, kind, due, today, now)
    return Proposal(measure_id=measure.id, kind=kind.value, kind_label=label(kind), due_on=due,
                    starts_at=slot, place=occurrence.permanence.place, public=public.value,
                    note=f"{note} {late}".strip(), late=bool(late))


# --- convocation of a saisine -------------------------------------------------------------
def convoke(measure_id: int, today: dt.date, *, public_override: str | None = None,
            court: CourtSettings | None = None, now: dt.datetime | None = None) -> Appointment:
    """Book the first free evaluation slot on the person's public's permanence once the
    convocation lead time has passed (so the letter arrives first).

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
        slot, occurrence = find_free_slot(court, measure_public(measure).value,
                                          earliest_convocation_day(court, today), not_before=now)
        place = occurrence.permanence.place
        minutes = _check_slot(court, slot, place, today, None)
        return create_appointment(measure, AK.EVALUATION_INITIALE, slot, place, minutes, "convocation")
