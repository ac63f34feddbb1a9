"""The day's papers: what to print for a permanence day, in the order it is handed out.

The feuille de permanence (when the day has a permanence or appointments), then, for each
appointment of the day in time order, the attestation de présence of a person present and
the convocations to send for the same dossier; then the other convocations to send
(saisines convoked from the desk, bookings of earlier days not printed yet). A convocation
is « to send » as agenda.convocations says: awaited, not printed yet, not a walk-in's own
slot, not past; printing it marks it printed, so no batch sends it twice. The orientation
papers due that day are added by documents.print_out (orientation sits beside agenda).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.models import Appointment
from ..core.vocabulary import AppointmentStatus
from ..store.settings import CourtSettings
from .convocations import convocations_to_send
from .days import permanences_on

#: The catalogue's keys (documents.catalogue.DOCUMENT_KINDS) of the agenda's papers.
FEUILLE, ATTESTATION, CONVOCATION = "permanence", "attestation", "convocation"
#: The orientation papers (orientation.due.documents_due_on), counted together.
ORIENTATION_PAPERS = ("fiche-information", "formulaire-choix", "lettre-soignant", "annuaire")


@dataclass(frozen=True)
class DayPapers:
    day: dt.date
    #: (catalogue key, target): a date for the feuille, an appointment id otherwise.
    items: tuple[tuple[str, object], ...]

    def count(self, *keys: str) -> int:
        return sum(1 for kind, _ in self.items if kind in keys)

    def with_items(self, more: list[tuple[str, object]]) -> DayPapers:
        return DayPapers(self.day, self.items + tuple(more))

    def describe(self) -> str:
        """« la feuille de permanence, 2 attestations de présence et 3 convocations »."""
        parts = []
        if self.count(FEUILLE):
            parts.append("la feuille de permanence")
        for keys, one, many in (((ATTESTATION,), "attestation de présence", "attestations de présence"),
                                ((CONVOCATION,), "convocation", "convocations"),
                                (ORIENTATION_PAPERS, "papier d'orientation", "papiers d'orientation")):
            number = self.count(*keys)
            if number:
                parts.append(f"{number} {one if number == 1 else many}")
        if not parts:
            return "aucun document"
        return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} et {parts[-1]}"


def _between(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time.min)
    return start, start + dt.timedelta(days=1)


def day_papers(day: dt.date, *, court: CourtSettings, today: dt.date) -> DayPapers:
    """Every paper of `day` still printable on `today` (see the module's docstring)."""
    start, end = _between(day)
    seen = list(Appointment.select().where((Appointment.starts_at >= start) & (Appointment.starts_at < end))
                .order_by(Appointment.starts_at, Appointment.id))
    to_send = {row.appointment_id for row in convocations_to_send(today)}
    booked = [appointment for appointment in Appointment.select().where(Appointment.id.in_(to_send))
              .order_by(Appointment.starts_at, Appointment.id) if appointment.starts_at >= end]
    items: list[tuple[str, object]] = []
    if seen or permanences_on(court, day):
        items.append((FEUILLE, day))
    handed: set[int] = set()
    for appointment in seen:
        if appointment.status == AppointmentStatus.PRESENT.value and day <= today:
            items.append((ATTESTATION, appointment.id))
        for following in booked:
            if following.measure_id == appointment.measure_id and following.id not in handed:
                items.append((CONVOCATION, following.id))
                handed.add(following.id)
    items += [(CONVOCATION, a.id) for a in booked if a.id not in handed]
    return DayPapers(day, tuple(items))
