"""What the per-appointment documents share: loading, neutral wording, places.

Kept apart from pdf.py (layout) so the later documents (fiche navette, attestation
de suivi) reuse the same facts and the same neutral words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.errors import InvalidInput
from ..core.models import Appointment, Measure, Person, Professional
from ..core.people import measure_public
from ..core.vocabulary import AppointmentKind, Public
from ..store.professionals import require_user
from ..store.settings import CourtSettings
from .pdf import city_of

FRAME = "dans le cadre d'une injonction thérapeutique"

#: The kind of interview as a person (or a court clerk) may read it: procedural, never clinical.
NEUTRAL_KIND = {
    AppointmentKind.EVALUATION_INITIALE.value: f"entretien initial {FRAME}",
    AppointmentKind.SUIVI_M3.value: f"entretien de suivi {FRAME}",
    AppointmentKind.SUIVI_M6.value: f"entretien de suivi {FRAME}",
    AppointmentKind.SUIVI_SEMESTRIEL.value: f"entretien de suivi {FRAME}",
}


def neutral_kind(kind: str) -> str:
    return NEUTRAL_KIND.get(kind, f"entretien {FRAME}")


@dataclass(frozen=True)
class AppointmentContext:
    """An appointment with everything a document about it needs."""

    appointment: Appointment
    measure: Measure
    person: Person
    professional: Professional

    @property
    def minor_at_facts(self) -> bool:
        return measure_public(self.measure) == Public.MINEURS


def load_appointment(appointment_id: int) -> AppointmentContext:
    """The appointment and its measure, person and the signing professional."""
    appointment = (Appointment.select(Appointment, Measure, Person).join(Measure).join(Person)
                   .where(Appointment.id == appointment_id).first())
    if appointment is None:
        raise InvalidInput(f"Rendez-vous n° {appointment_id} introuvable.")
    return AppointmentContext(appointment, appointment.measure, appointment.measure.person, require_user())


def time_fr(moment: dt.datetime) -> str:
    """"9h30", "14h00": how times are written on French forms."""
    return f"{moment.hour}h{moment.minute:02d}"


def place_address(place: str, court: CourtSettings, professional: Professional) -> str | None:
    """The street address of a known place (the court, the CSAPA), else None."""
    known_court = {court.tribunal, *(p.place for p in court.permanences)}
    if place in known_court:
        return court.address
    if professional.csapa_name and place == professional.csapa_name:
        return professional.csapa_address
    return None


def signing_city(ctx: AppointmentContext, court: CourtSettings, today: dt.date) -> str | None:
    """Where the professional signs: the court's town when printing there on the day of
    a permanence interview, else the CSAPA's town (their seat)."""
    at_court = place_address(ctx.appointment.place, court, ctx.professional) == court.address
    if at_court and ctx.appointment.starts_at.date() == today:
        return city_of(court.address) or city_of(ctx.professional.csapa_address)
    return city_of(ctx.professional.csapa_address) or city_of(court.address)
