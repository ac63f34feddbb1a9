"""Guards and state changes on a measure: habilitation, orientation, renewal, closure.

Why one module: each change checks the conditions DOMAIN.md puts on it, runs in one
transaction (nothing is saved half) and leaves an audit event holding ids and codes
only, never a name; the screens and the CLI share these rules and French messages.
Durations come from core/rules.py and dates from deadlines/engine.py, never from here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal, overload

from ..core.dates import add_months, age_on, format_fr
from ..core.errors import InvalidInput
from ..core.models import Appointment, Measure, Orientation, Person, Professional, Renewal, TreatingStructure, database
from ..core.people import MAJORITY_AGE, measure_public
from ..core.rules import MeasureKind, rules_for
from ..core.text import search_key
from ..core.vocabulary import AppointmentKind, AppointmentStatus, ChosenBy, MeasureStatus, Outcome, Public
from ..deadlines.engine import choice_deadline, measure_timeline
from ..store import audit
from ..store.professionals import check_habilitated, current_user

CLOSED_MESSAGE = "Dossier clôturé : rouvrez-le pour le modifier."
MAX_STRUCTURE = 200
MAX_DOCTOR = 120
MAX_REASON = 1000
_WORD = re.compile(r"[a-z0-9]+")


@overload
def _text(value: str | None, field: str, *, required: Literal[True], limit: int) -> str: ...


@overload
def _text(value: str | None, field: str, *, required: bool = False, limit: int) -> str | None: ...


def _text(value: str | None, field: str, *, required: bool = False, limit: int) -> str | None:
    text = " ".join((value or "").split())
    if required and not text:
        raise InvalidInput(f"{field} : champ obligatoire.")
    if len(text) > limit:
        raise InvalidInput(f"{field} : {len(text)} caractères, c'est trop (au plus {limit}).")
    return text or None


def _required_date(value: dt.date | None, field: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise InvalidInput(f"{field} : date manquante (format JJ/MM/AAAA).")
    return value


def decision_date(value: dt.date | None, field: str, *, today: dt.date, earliest: dt.date, since: str,
                  latest: dt.date | None = None, until: str = "") -> dt.date:
    """A magistrate's decision (renewal, closure) is dated in the possible: not in the future,
    not before `earliest` (what it acts on), not after `latest` when given. One rule for both."""
    value = _required_date(value, field)
    if value > today:
        raise InvalidInput(f"{field} : le {format_fr(value)} est dans le futur.")
    if value < earliest:
        raise InvalidInput(f"{field} : elle ne peut pas précéder {since} ({format_fr(earliest)}).")
    if latest is not None and value > latest:
        raise InvalidInput(f"{field} : elle ne peut pas suivre {until} ({format_fr(latest)}).")
    return value


def load_measure(measure_id: int) -> Measure:
    """One measure with its person (what every document about it names)."""
    measure = Measure.select(Measure, Person).join(Person).where(Measure.id == measure_id).first()
    if measure is None:
        raise InvalidInput(f"Mesure n° {measure_id} introuvable.")
    return measure


def is_closed(measure: Measure) -> bool:
    return bool(measure.outcome) or measure.status == MeasureStatus.CLOTURE


def ensure_editable(measure: Measure) -> None:
    """DOMAIN.md step 7 / issue 4: a closed dossier is read-only until explicitly reopened."""
    if is_closed(measure):
        raise InvalidInput(CLOSED_MESSAGE)


# ------------------------------------------------------------------ habilitation

def assign_professional(measure: Measure, professional: Professional, on: dt.date) -> None:
    """Put a habilitated professional in charge of the measure from `on`."""
    with database.atomic():
        ensure_editable(measure)
        check_habilitated(professional, on)
        measure.professional = professional
        measure.save()
        audit.record("attribution_professionnel", "measure", measure.id,
                     f"professionnel={professional.id}")


# ------------------------------------------------------------------ status

def compute_status(measure: Measure) -> MeasureStatus:
    """The stage the measure's own rows show, so the status never contradicts them:
    clôturé (outcome set), à convoquer (no appointment), évaluation (no orientation
    still standing), orientation (no written agreement yet), suivi (the chosen doctor has
    accepted in writing, on time or late: the care is in place)."""
    if measure.outcome:
        return MeasureStatus.CLOTURE
    kinds = [a.kind for a in Appointment.select(Appointment.kind).where(Appointment.measure == measure)]
    if not kinds:
        return MeasureStatus.A_CONVOQUER
    standing = (Orientation.select()
                .where((Orientation.measure == measure) & Orientation.refused_on.is_null())
                .order_by(Orientation.chosen_on.desc(), Orientation.id.desc()).first())
    if standing is None:
        return MeasureStatus.EVALUATION
    return MeasureStatus.SUIVI if standing.agreement_on else MeasureStatus.ORIENTATION


def refresh_status(measure: Measure) -> MeasureStatus:
    """Save the derived status (after any change to appointments, orientations, outcome)."""
    status = compute_status(measure)
    if measure.status != status:
        measure.status = status.value
        measure.save()
    return status


# ------------------------------------------------------------------ orientation

def _names(user: Professional, text: str | None) -> bool:
    """Does `text` name the user (every word of their first and last names, folded)?"""
    wanted = set(_WORD.findall(search_key(f"{user.last_name} {user.first_name}")))
    return bool(wanted) and wanted <= set(_WORD.findall(search_key(text or "")))


def _evaluated_on(measure: Measure) -> dt.date | None:
    held = (Appointment.select(Appointment.starts_at)
            .where((Appointment.measure == measure)
                   & (Appointment.kind == AppointmentKind.EVALUATION_INITIALE.value)
                   & (Appointment.status == AppointmentStatus.PRESENT.value))
            .order_by(Appointment.starts_at).first())
    return held.starts_at.date() if held else None


def _minor_on(person: Person, on: dt.date) -> bool | None:
    """Is the person a minor on `on`? None when the birth date is unknown."""
    if person.birth_date is None:
        return None
    return age_on(person.birth_date, on) < MAJORITY_AGE


def expected_chooser(measure: Measure, on: dt.date) -> ChosenBy:
    """Who chooses the treating doctor on `on` (CSP R3413-12, DOMAIN.md "Minors"): the legal
    representatives for a minor (the minor's agreement is sought), the guardian for a
    protected adult, else the person. Without a birth date, the public of the measure says
    whether the person is a minor."""
    person = measure.person
    minor = _minor_on(person, on)
    if minor is None:
        minor = measure_public(measure) == Public.MINEURS
    if minor:
        return ChosenBy.REPRESENTANTS_LEGAUX
    return ChosenBy.TUTEUR if person.is_protected_adult else ChosenBy.PERSONNE


def _check_chooser(measure: Measure, chosen_by: ChosenBy, on: dt.date) -> None:
    """Refuses a chooser the law does not allow that day (R3413-12: the injonction thérapeutique's
    rule; another kind of measure keeps what the professional records)."""
    if measure.kind != MeasureKind.INJONCTION_THERAPEUTIQUE:
        return
    person = measure.person
    minor = _minor_on(person, on)
    day = format_fr(on)
    if minor and chosen_by != ChosenBy.REPRESENTANTS_LEGAUX:
        raise InvalidInput(f"Choix fait par : la personne est mineure le {day} ; le soignant est choisi par ses "
                           "représentants légaux, son accord étant recherché (CSP R3413-12).")
    if minor is False and chosen_by == ChosenBy.REPRESENTANTS_LEGAUX:
        raise InvalidInput(f"Choix fait par : la personne est majeure le {day} ; ses représentants légaux ne "
                           "choisissent plus pour elle.")
    if minor:
        return
    if chosen_by == ChosenBy.TUTEUR and not person.is_protected_adult:
        raise InvalidInput("Choix fait par : la personne n'est pas notée majeur protégé (modifiez son identité, "
                           "touche m, si elle est sous tutelle ou curatelle).")
    if chosen_by == ChosenBy.PERSONNE and person.is_protected_adult:
        raise InvalidInput("Choix fait par : pour un majeur protégé, le soignant est choisi par l'administrateur "
                           "légal ou le tuteur (CSP R3413-12).")


def choose_orientation(measure: Measure, *, structure: str, doctor: str | None, chosen_on: dt.date,
                       chosen_by: str, user: Professional | None, address: str | None = None,
                       treating_structure: TreatingStructure | None = None,
                       minor_agreement: bool | None = None) -> Orientation:
    """Record the treating doctor/structure chosen (DOMAIN.md step 3-4), by whom the law says
    (R3413-12: the legal representatives for a minor, with the minor's agreement sought —
    `minor_agreement` when it was asked —, the guardian for a protected adult). Never the
    habilitated professional themself: they never treat the person (step 4)."""
    with database.atomic():
        ensure_editable(measure)
        structure = _text(structure, "Structure de soins", required=True, limit=MAX_STRUCTURE)
        doctor = _text(doctor, "Médecin", limit=MAX_DOCTOR)
        address = _text(address, "Adresse", limit=300)
        try:
            chooser = ChosenBy(chosen_by)
        except ValueError:
            raise InvalidInput("Choix fait par : choisissez dans la liste.") from None
        chosen_by = chooser.value
        chosen_on = _required_date(chosen_on, "Date du choix")
        _check_chooser(measure, chooser, chosen_on)
        if chosen_on < measure.saisine_received_on:
            raise InvalidInput(f"Date du choix : elle ne peut pas précéder la réception de la saisine "
                               f"({format_fr(measure.saisine_received_on)}).")
        evaluated = _evaluated_on(measure)
        if evaluated and chosen_on < evaluated:
            raise InvalidInput(f"Date du choix : elle ne peut pas précéder l'évaluation initiale "
                               f"({format_fr(evaluated)}).")
        user = user or current_user()
        if user is not None and (_names(user, doctor) or _names(user, structure)):
            raise InvalidInput("Orientation refusée : le professionnel habilité qui met en œuvre la "
                               "mesure ne soigne jamais la personne. Choisissez un autre médecin ou "
                               "une autre structure.")
        orientation = Orientation.create(measure=measure, structure=structure, doctor=doctor,
                                         address=address, chosen_on=chosen_on, chosen_by=chosen_by,
                                         treating_structure=treating_structure)
        if chooser == ChosenBy.REPRESENTANTS_LEGAUX and minor_agreement is not None:
            measure.minor_agreement = minor_agreement
            measure.save()
        refresh_status(measure)
        audit.record("choix_orientation", "measure", measure.id, f"orientation={orientation.id}")
        return orientation


def record_agreement(orientation: Orientation, on: dt.date) -> None:
    """The chosen doctor confirms in writing (step 4), within 15 days (core/rules.py) or late:
    a late agreement is recorded, and shown late by the deadline engine, not refused (the
    care is in place all the same). The measure's start does not move: it is the decision's."""
    measure = orientation.measure
    with database.atomic():
        ensure_editable(measure)
        on = _required_date(on, "Date de l'accord écrit")
        rules = rules_for(measure.kind)
        if orientation.refused_on:
            raise InvalidInput(f"Cette structure a refusé la prise en charge le "
                               f"{format_fr(orientation.refused_on)} : enregistrez un nouveau choix.")
        if on < orientation.chosen_on:
            raise InvalidInput(f"Date de l'accord écrit : elle ne peut pas précéder le choix du "
                               f"{format_fr(orientation.chosen_on)}.")
        late = (rules.agreement_within_days is not None
                and on > orientation.chosen_on + dt.timedelta(days=rules.agreement_within_days))
        orientation.agreement_on = on
        orientation.save()
        refresh_status(measure)
        audit.record("accord_orientation", "measure", measure.id,
                     f"orientation={orientation.id}" + (" hors_delai" if late else ""))


# ------------------------------------------------------------------ renewal, closure

def renew(measure: Measure, decided_on: dt.date, today: dt.date) -> Renewal:
    """Extend the measure by one renewal (6 months), never past the maximum duration (2 years)
    counted from its start (DOMAIN.md step 6); the cadence follows (deadlines/engine.py).
    The decision is dated between the start (or the previous renewal) and the current end:
    after the end, the measure has lapsed and cannot be renewed any more."""
    with database.atomic():
        ensure_editable(measure)
        found = measure_timeline(measure)
        if found is None:
            raise InvalidInput("Renouvellement impossible : la date de la décision qui a prononcé la mesure "
                               "n'est pas renseignée (F3, m).")
        rules = rules_for(measure.kind)
        last = (Renewal.select().where(Renewal.measure == measure)
                .order_by(Renewal.decided_on.desc(), Renewal.id.desc()).first())
        earliest, since = ((last.decided_on, "le renouvellement précédent") if last and last.decided_on > found.start
                           else (found.start, "le début de la mesure"))
        decided_on = decision_date(decided_on, "Date du renouvellement", today=today, earliest=earliest,
                                   since=since, latest=found.planned_end, until="la fin de la période en cours")
        if found.planned_end >= found.max_end:
            raise InvalidInput(f"Renouvellement refusé : la mesure atteint déjà sa durée maximale de "
                               f"{rules.max_duration_months} mois (fin le {format_fr(found.max_end)}). Elle ne "
                               "peut plus être prolongée.")
        renewals = Renewal.select().where(Renewal.measure == measure).count()
        months = rules.initial_duration_months + (renewals + 1) * rules.renewal_months
        new_end = add_months(found.start, min(months, rules.max_duration_months))  # from the start: no drift
        renewal = Renewal.create(measure=measure, decided_on=decided_on, new_end_on=new_end)
        measure.planned_end_on = new_end
        measure.save()
        audit.record("renouvellement", "measure", measure.id, f"fin={new_end.isoformat()}")
        return renewal


def close(measure: Measure, outcome: str | None, on: dt.date | None, today: dt.date) -> None:
    """Close with the magistrate's decision and its date (DOMAIN.md step 7)."""
    with database.atomic():
        ensure_editable(measure)
        if not outcome:
            raise InvalidInput("Issue de la mesure : choisissez la décision du magistrat "
                               "(classement sans suite, composition pénale…).")
        try:
            outcome = Outcome(outcome).value
        except ValueError:
            raise InvalidInput(f"Issue de la mesure : « {str(outcome)[:40]} » n'est pas une issue "
                               "connue.") from None
        on = decision_date(on, "Date de la décision", today=today, earliest=measure.saisine_received_on,
                           since="la réception de la saisine")
        measure.outcome, measure.outcome_on = outcome, on
        measure.status = MeasureStatus.CLOTURE.value
        measure.save()
        audit.record("cloture", "measure", measure.id, f"issue={outcome}")


def reopen(measure: Measure, reason: str) -> MeasureStatus:
    """Reopen a closed dossier: the outcome is cleared, the status derived again, the act
    logged (the reason's length only: it may name people)."""
    with database.atomic():
        if not is_closed(measure):
            raise InvalidInput("Ce dossier n'est pas clôturé : il n'y a rien à rouvrir.")
        reason = _text(reason, "Motif de la réouverture", required=True, limit=MAX_REASON)
        measure.outcome = measure.outcome_on = None
        measure.status = compute_status(measure).value
        measure.save()
        audit.record("reouverture", "measure", measure.id, f"motif : {len(reason or '')} caractères")
        return MeasureStatus(measure.status)


def record_refusal(orientation: Orientation, on: dt.date) -> None:
    """The chosen doctor declines (or lets the delay pass): another one must be chosen (step 4)."""
    measure = orientation.measure
    with database.atomic():
        ensure_editable(measure)
        on = _required_date(on, "Date du refus")
        if orientation.agreement_on:
            raise InvalidInput(f"Cette structure a déjà donné son accord le {format_fr(orientation.agreement_on)}.")
        if on < orientation.chosen_on:
            raise InvalidInput(f"Date du refus : elle ne peut pas précéder le choix du "
                               f"{format_fr(orientation.chosen_on)}.")
        orientation.refused_on = on
        orientation.save()
        refresh_status(measure)
        audit.record("refus_orientation", "measure", measure.id, f"orientation={orientation.id}")


def record_answer(orientation: Orientation, *, accepted: bool, on: dt.date) -> dt.date | None:
    """The acceptance form came back (R3413-12): one step whatever the answer, dated the day it
    was received. After a refusal, returns the date by which another doctor is to be chosen
    (the deadline engine's: R3413-11's delay counted from the refusal)."""
    (record_agreement if accepted else record_refusal)(orientation, on)
    return None if accepted else choice_deadline(orientation.measure.kind, on)


def pending_orientation(measure: Measure) -> Orientation | None:
    """The latest choice still waiting for the written agreement, if any."""
    return (Orientation.select()
            .where((Orientation.measure == measure) & Orientation.agreement_on.is_null()
                   & Orientation.refused_on.is_null())
            .order_by(Orientation.chosen_on.desc(), Orientation.id.desc()).first())
