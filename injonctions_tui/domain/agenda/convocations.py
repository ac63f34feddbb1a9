"""Lists for the morning — saisines still to convoke, appointments on a holiday,
convocations booked and not yet printed — and whom a convocation goes to.

The lists are single joined queries (measures with their person; appointments with
their measure and person) so they stay instant on a large database. The actions they
lead to (convoke, book) are in booking.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from peewee import fn

from ..calendar.slots import DAY, PermanenceDay, find_free_slot, holidays_between, next_open_permanence
from ..core.dates import age_on
from ..core.errors import InvalidInput
from ..core.models import Appointment, LegalRepresentative, Measure, Person, database
from ..core.people import MAJORITY_AGE, public_for
from ..core.rules import MeasureKind
from ..core.vocabulary import AppointmentStatus, MeasureStatus, Public, label
from ..deadlines.engine import evaluation_deadline
from ..store.settings import CourtSettings

if TYPE_CHECKING:  # printing.context loads ReportLab: not on the agenda's start-up path
    from ..printing.context import AppointmentContext


@dataclass(frozen=True)
class SaisineToConvoke:
    """A saisine received and not yet given an appointment."""

    measure_id: int
    person: str
    birth_date: dt.date | None
    parquet_number: str
    saisine_received_on: dt.date
    #: Saisine + one month (R3413-11, `deadlines.evaluation_deadline`); None for a kind
    #: of measure without that delay.
    deadline: dt.date | None
    #: Days until the deadline; negative once overdue.
    days_left: int | None
    overdue: bool
    #: The permanence to convoke to (override included).
    public: str
    public_label: str
    #: Minor at the date of the facts (saisine date when the facts date is unknown).
    minor_at_facts: bool
    #: Adult today: with `minor_at_facts`, "seen on Monday although adult now".
    adult_today: bool
    public_overridden: bool
    #: To call the person (the feuille de permanence prints it).
    phone: str | None = None


@dataclass(frozen=True)
class Conflict:
    """An awaited appointment on a day the permanence is closed (a public holiday)."""

    appointment_id: int
    measure_id: int
    person: str
    starts_at: dt.datetime
    place: str
    holiday_name: str
    public: str
    #: The next open permanence of the person's public (None if none is configured).
    next_permanence: PermanenceDay | None
    #: Its first free slot (or a later one), distinct between conflicts of one list.
    proposed_at: dt.datetime | None


def saisines_to_convoke(today: dt.date) -> list[SaisineToConvoke]:
    """Measures awaiting an evaluation appointment, most urgent deadline first.

    Besides "à convoquer" measures without appointment, a measure "en évaluation"
    whose evaluation was missed, excused or postponed (nothing awaited, nothing held)
    is listed too: it needs a new convocation just the same.
    """
    live = (Appointment.select(Appointment.id)
            .where((Appointment.measure == Measure.id)
                   & Appointment.status.in_([AppointmentStatus.ATTENDU, AppointmentStatus.PRESENT])))
    query = (Measure.select(Measure, Person).join(Person)
             .where(Measure.status.in_([MeasureStatus.A_CONVOQUER, MeasureStatus.EVALUATION])
                    & Measure.outcome.is_null() & ~fn.EXISTS(live)
                    # An injonction de soins is never convoked to a permanence (its office is booked).
                    & (Measure.kind == MeasureKind.INJONCTION_THERAPEUTIQUE.value)))
    saisines = []
    for measure in query:
        person = measure.person
        deadline = evaluation_deadline(measure.kind, measure.saisine_received_on)
        days_left = (deadline - today).days if deadline else None
        public = public_for(person.birth_date, measure.facts_on, measure.public_override,
                            measure.saisine_received_on)
        judged = public_for(person.birth_date, measure.facts_on, None, measure.saisine_received_on)
        adult = person.birth_date is not None and age_on(person.birth_date, today) >= MAJORITY_AGE
        saisines.append(SaisineToConvoke(
            measure_id=measure.id, person=person.full_name, birth_date=person.birth_date,
            parquet_number=measure.parquet_number, saisine_received_on=measure.saisine_received_on,
            deadline=deadline, days_left=days_left, overdue=days_left is not None and days_left < 0,
            public=public.value, public_label=label(public), minor_at_facts=judged == Public.MINEURS,
            adult_today=adult, public_overridden=bool(measure.public_override), phone=person.phone))
    far = dt.date.max
    return sorted(saisines, key=lambda r: (r.deadline or far, r.saisine_received_on, r.measure_id))


def holiday_conflicts(court: CourtSettings, start: dt.date, end: dt.date) -> list[Conflict]:
    """Awaited appointments falling on a public holiday between `start` and `end`.

    Each comes with the next open permanence of the person's public and a free slot
    there; slots proposed to earlier conflicts of the list are not proposed again.
    """
    days = holidays_between(start, end)
    if not days:
        return []
    ranges = [(Appointment.starts_at >= dt.datetime.combine(day, dt.time.min))
              & (Appointment.starts_at < dt.datetime.combine(day + DAY, dt.time.min)) for day in days]
    query = (Appointment.select(Appointment, Measure, Person).join(Measure).join(Person)
             .where((Appointment.status == AppointmentStatus.ATTENDU) & reduce(or_, ranges)
                    & (Measure.kind == MeasureKind.INJONCTION_THERAPEUTIQUE.value))
             .order_by(Appointment.starts_at, Appointment.id))
    conflicts, proposed, cache = [], set(), {}  # type: ignore[var-annotated]
    for appointment in query:
        measure, person = appointment.measure, appointment.measure.person
        public = public_for(person.birth_date, measure.facts_on, measure.public_override,
                            measure.saisine_received_on)
        day = appointment.starts_at.date()
        try:
            following = next_open_permanence(court, public, day)
            slot, _ = find_free_slot(court, public, following.date, exclude=proposed, cache=cache)
            proposed.add(slot)
        except InvalidInput:
            following, slot = None, None
        conflicts.append(Conflict(
            appointment_id=appointment.id, measure_id=measure.id, person=person.full_name,
            starts_at=appointment.starts_at, place=appointment.place, holiday_name=days[day],
            public=public.value, next_permanence=following, proposed_at=slot))
    return conflicts


# --- whom a convocation goes to ----------------------------------------------------------------
@dataclass(frozen=True)
class Addressee:
    name: str
    address: str | None
    representative_of: str | None = None  # the minor's name, for a legal representative
    relationship: str | None = None

    @property
    def designation(self) -> str:
        return f"{self.name} ({self.relationship})" if self.relationship else self.name


def represented(ctx: AppointmentContext) -> bool:
    """Legal representatives are convoked for a minor at the date of the facts who is
    still a minor on the appointment's day: an adult's parents have no authority, and
    writing to them would breach secrecy (our reading; the professional can also untick
    "convoqué" on a representative)."""
    if not ctx.minor_at_facts:
        return False
    birth = ctx.person.birth_date
    return birth is None or age_on(birth, ctx.appointment.starts_at.date()) < MAJORITY_AGE


def addressees_for(ctx: AppointmentContext) -> list[Addressee]:
    """The person first, then each convoked legal representative (in recorded order)."""
    person = ctx.person
    result = [Addressee(person.full_name, person.address)]
    if represented(ctx):
        query = (LegalRepresentative.select()
                 .where((LegalRepresentative.person == person) & (LegalRepresentative.convoked == True))  # noqa: E712
                 .order_by(LegalRepresentative.id))
        result += [Addressee(rep.name, rep.address, person.full_name, rep.relationship) for rep in query]
    return result


def address_warnings(ctx: AppointmentContext) -> list[str]:
    """What makes a convocation impossible to post, and where to fix it (the letter is
    still produced: it can be handed over at the permanence)."""
    addressees = addressees_for(ctx)
    warnings = [f"Pas d'adresse postale pour {a.designation} : ajoutez-la dans le dossier (F3, Entrée, "
                f"{'l' if a.representative_of else 'm'})."
                for a in addressees if not (a.address or "").strip()]
    if represented(ctx) and len(addressees) == 1:
        warnings.append(f"{ctx.person.full_name} est mineur(e) : aucun représentant légal convoqué ; "
                        "ajoutez-le dans le dossier (F3, Entrée, l).")
    return warnings


# --- convocations to send -----------------------------------------------------------------------
@dataclass(frozen=True)
class ConvocationToSend:
    """An appointment booked ahead whose convocation was never printed."""

    appointment_id: int
    person: str
    starts_at: dt.datetime
    kind: str


def _to_send_query(today: dt.date) -> Any:  # a peewee query
    return (Appointment.select(Appointment.id, Appointment.starts_at, Appointment.kind, Person.last_name,
                               Person.first_name)
            .join(Measure).join(Person)
            .where((Appointment.status == AppointmentStatus.ATTENDU) & (Appointment.walk_in == False)  # noqa: E712
                   & Appointment.convocation_printed_on.is_null()
                   & (Appointment.starts_at >= dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
                   & (Measure.status != MeasureStatus.CLOTURE.value))
            .order_by(Appointment.starts_at, Appointment.id))


def count_convocations_to_send(today: dt.date) -> int:
    """How many `convocations_to_send` lists, counted by the base: the agenda shows it at
    every refresh, so it must not load the rows (years of bookings in a big base)."""
    return int(_to_send_query(today).count())


def convocations_to_send(today: dt.date) -> list[ConvocationToSend]:
    """Every appointment from tomorrow on, booked (not a walk-in), whose convocation was
    never printed: « Convocations à envoyer » (one of today can no longer be posted; the
    person is seen or not today, and the agenda's « o » still prints it to hand over)."""
    return [ConvocationToSend(row.id, f"{row.measure.person.last_name.upper()} {row.measure.person.first_name}",
                              row.starts_at, label(row.kind))
            for row in _to_send_query(today)]


def contexts_to_send(today: dt.date) -> list[AppointmentContext]:
    """The same appointments, loaded for printing; refuses (in French) when there is none."""
    from ..printing.context import load_appointment

    ids = [row.id for row in _to_send_query(today)]
    if not ids:
        raise InvalidInput("Aucune convocation à envoyer : toutes les convocations prévues sont déjà imprimées.")
    return [load_appointment(i) for i in ids]


def mark_printed(appointment_ids: list[int], on: dt.date) -> None:
    """The convocations were printed (the document pipeline calls this once the PDF is saved)."""
    with database.atomic():
        (Appointment.update(convocation_printed_on=on)
         .where(Appointment.id.in_(appointment_ids)).execute())
