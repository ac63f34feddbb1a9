"""Someone not on the list arrives at the permanence: their dossier first, a new one only if none.

Issue 16: a walk-in typed by hand created a second dossier for a person in follow-up,
and the état listed them twice. So the walk-in dialog searches the open dossiers as the
professional types (`dossiers.identity.walk_in_candidates`) and `walk_in_on` records the
unplanned interview on the chosen one, of the right kind: the evaluation if none was
held, the follow-up due within a month, else a supplementary interview. `add_walk_in`
creates a person only when no dossier matches, and refuses a parquet number another
dossier has.

The walk-in takes the slot running now (or the next free one) on today's permanence of
the person's public; outside its hours, on the other public's permanence or on a
holiday it asks first (NeedsConfirmation) and records the confirmed departure.
"""

from __future__ import annotations

import datetime as dt

from ..calendar.slots import PermanenceDay, booked_intervals, overlaps, permanence_occurrences, slots_of
from ..core.dates import WEEKDAYS_FR, age_on, parse_date
from ..core.errors import InvalidInput
from ..core.models import Appointment, Measure, Person, database
from ..core.people import measure_public
from ..core.text import search_key
from ..core.validation import clean_text, parse_parquet_number
from ..core.vocabulary import AppointmentKind, AppointmentStatus, Authority, MeasureStatus, Public, Stage
from ..deadlines.engine import next_interview
from ..dossiers.identity import check_parquet_free, parquet_key
from ..store import audit
from ..store.professionals import current_user
from ..store.settings import CourtSettings
from .booking import confirm_departures, create_appointment, departures, open_measure

AK, AS = AppointmentKind, AppointmentStatus
#: Plausible ages of a person under an injonction (as the dossier form checks).
MIN_AGE, MAX_AGE = 10, 100
#: A walk-in's parquet number is left empty, to complete in the dossier (which shows
#: "à compléter"): a fake number would pass for a real one in letters to the court.
PARQUET_TO_COMPLETE = ""
#: A follow-up interview due within this many days is the one held when the person
#: comes unannounced (our reading: the M3/M6 window; later, it is a supplementary one).
FOLLOW_UP_WINDOW = dt.timedelta(days=31)

__all__ = ["add_walk_in", "walk_in_kind", "walk_in_on"]


def _birth(value: dt.date | str, today: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    birth = value if isinstance(value, dt.date) else parse_date(value, "Date de naissance")
    age = age_on(birth, today)
    if birth > today or not MIN_AGE <= age <= MAX_AGE:
        raise InvalidInput(f"Date de naissance : {age} ans aujourd'hui, ce n'est pas vraisemblable "
                           f"(entre {MIN_AGE} et {MAX_AGE} ans).")
    return birth


def _evaluated(measure: Measure) -> bool:
    return any(a.kind == AK.EVALUATION_INITIALE and a.status == AS.PRESENT for a in measure.appointments)


def walk_in_kind(measure: Measure, today: dt.date) -> AppointmentKind:
    """The interview a person coming unannounced has: the evaluation if none was held,
    the follow-up due within a month (or overdue), else a supplementary interview."""
    if not _evaluated(measure):
        return AK.EVALUATION_INITIALE
    found = next_interview(measure)
    if found is not None and found.start is not None and found.due_on <= today + FOLLOW_UP_WINDOW:
        return found.kind
    return AK.SUPPLEMENTAIRE


def _walk_in_slot(slots: list[dt.datetime], minutes: int, taken: list, now: dt.datetime) -> dt.datetime:
    """The slot running now if free, else the next free one; when none is left, now
    rounded down to the slot grid (the person is here: the morning runs late)."""
    for slot in slots:
        if slot + dt.timedelta(minutes=minutes) > now and not overlaps(slot, minutes, taken):
            return slot
    elapsed = max(0, int((now - slots[0]).total_seconds() // 60))
    return slots[0] + dt.timedelta(minutes=elapsed - elapsed % minutes)


def _today_permanence(court: CourtSettings, public: Public, today: dt.date) -> PermanenceDay:
    """Today's permanence of the person's public, else today's other one (asked first)."""
    occurrences = permanence_occurrences(court, today, today)
    if not occurrences:
        raise InvalidInput(f"Pas de permanence au tribunal le {WEEKDAYS_FR[today.weekday()]} : un accueil sans "
                           "rendez-vous se fait pendant une permanence ; prenez plutôt un rendez-vous (r).")
    same_public = [o for o in occurrences if o.permanence.public == public]
    return (same_public or occurrences)[0]


def _record(measure: Measure, kind: AppointmentKind, court: CourtSettings, today: dt.date,
            now: dt.datetime | None, confirmed: bool) -> Appointment:
    public = measure_public(measure)
    occurrence = _today_permanence(court, public, today)
    permanence = occurrence.permanence
    moment = now if now and now.date() == today else occurrence.starts_at
    slot = _walk_in_slot(slots_of(permanence, today), permanence.slot_minutes,
                         booked_intervals(today, permanence.place), moment)
    found = departures(court, slot, permanence.place, public)
    derogation = confirm_departures(found, confirmed, "Accueillir quand même ?")
    return create_appointment(measure, kind, slot, permanence.place, permanence.slot_minutes, "accueil_sans_rdv",
                   walk_in=True, derogation=derogation)


def walk_in_on(measure_id: int, *, today: dt.date, court: CourtSettings, now: dt.datetime | None = None,
               confirmed: bool = False) -> Appointment:
    """The person of an open dossier came without an appointment: their interview today."""
    with database.atomic():
        measure = open_measure(measure_id)
        for appointment in measure.appointments:
            if appointment.status == AS.ATTENDU and appointment.starts_at.date() == today:
                raise InvalidInput(f"{measure.person.full_name} est déjà sur la liste du jour "
                                   f"({appointment.starts_at:%Hh%M}) : marquez sa présence (p).")
        return _record(measure, walk_in_kind(measure, today), court, today, now, confirmed)


def _reusable_measure(person: Person, number: str) -> Measure | None:
    """The person's open saisine this visit is about: same parquet number, or (none
    typed) the latest one not yet evaluated. Otherwise a new measure is created."""
    for measure in person.measures.order_by(Measure.saisine_received_on.desc(), Measure.id.desc()):
        if measure.status == MeasureStatus.CLOTURE or measure.outcome is not None:
            continue
        if number and parquet_key(measure.parquet_number) in (parquet_key(number), PARQUET_TO_COMPLETE):
            return measure
        if not number and not _evaluated(measure) and measure.status in (MeasureStatus.A_CONVOQUER,
                                                                         MeasureStatus.EVALUATION):
            return measure
    return None


def add_walk_in(*, last_name: str, first_name: str, birth_date: dt.date | str,
                parquet_number: str | None, today: dt.date, court: CourtSettings,
                public_override: str | None = None, now: dt.datetime | None = None,
                confirmed: bool = False) -> Appointment:
    """A person with no dossier in the list arrives: find them by name and birth date or
    create them, and their measure (a parquet number another dossier has is refused,
    naming it); they are put on today's permanence. The dossier is completed later."""
    last = clean_text(last_name, "Nom", required=True) or ""
    first = clean_text(first_name, "Prénom", required=True) or ""
    birth = _birth(birth_date, today)
    number = parse_parquet_number(parquet_number, required=False) or PARQUET_TO_COMPLETE
    override = Public(public_override) if public_override in {p.value for p in Public} else None
    if public_override and override is None:
        raise InvalidInput(f"Public inconnu : « {str(public_override)[:40]} ».")
    with database.atomic():
        person = Person.get_or_none((Person.search_name == search_key(f"{last} {first}"))
                                    & (Person.birth_date == birth))
        measure = _reusable_measure(person, number) if person is not None else None
        if measure is None:
            check_parquet_free(number)
            if person is None:
                person = Person.create(last_name=last, first_name=first, birth_date=birth)
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
        return _record(measure, walk_in_kind(measure, today), court, today, now, confirmed)
