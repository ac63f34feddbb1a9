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
from ..core.rules import MeasureKind, is_care_order, rules_for
from ..core.vocabulary import AppointmentKind, Public
from ..store.coordinator import load_office
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


#: The same for an injonction de soins (seed 004: « un bilan de la situation »).
CARE_ORDER_FRAME = rules_for(MeasureKind.INJONCTION_DE_SOINS).frame
NEUTRAL_KIND_CARE_ORDER = {
    AppointmentKind.PREMIER_ENTRETIEN_IS.value: f"premier entretien avec le médecin coordonnateur {CARE_ORDER_FRAME}",
    AppointmentKind.BILAN_IS.value: f"entretien de bilan avec le médecin coordonnateur {CARE_ORDER_FRAME}",
}


def neutral_kind(kind: str, measure_kind: str = MeasureKind.INJONCTION_THERAPEUTIQUE.value) -> str:
    if is_care_order(measure_kind):
        return NEUTRAL_KIND_CARE_ORDER.get(kind, f"entretien avec le médecin coordonnateur {CARE_ORDER_FRAME}")
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

    @property
    def care_order(self) -> bool:
        """An injonction de soins: the coordonnateur's words, office and list entry."""
        return is_care_order(self.measure.kind)


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
    office = load_office()
    if office is not None and place == office.name:
        return office.address
    return None


def signing_city(ctx: AppointmentContext, court: CourtSettings, today: dt.date) -> str | None:
    """Where the professional signs: the court's town when printing there on the day of
    a permanence interview, else the CSAPA's town (their seat)."""
    if ctx.care_order and (office := load_office()) is not None:  # the coordonnateur signs at their office
        return city_of(office.address) or city_of(ctx.professional.csapa_address)
    at_court = place_address(ctx.appointment.place, court, ctx.professional) == court.address
    if at_court and ctx.appointment.starts_at.date() == today:
        return city_of(court.address) or city_of(ctx.professional.csapa_address)
    return city_of(ctx.professional.csapa_address) or city_of(court.address)
