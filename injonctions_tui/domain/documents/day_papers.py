"""The day's papers: everything to print for a permanence day, as one batch.

Each capability says which of its papers are due: the agenda the feuille de permanence
(a permanence or appointments that day) and the attestation de présence of each person
present (not before the day itself); the orientation its papers (`orientation.due`: the
information sheet of each evaluation, the choice form and the letter to the doctor chosen
that day, the list of structures for each public seen); and the agenda again the
« convocations à envoyer » (`agenda.convocations`: every appointment booked, not a walk-in,
never printed, from the day on — or from today for a day gone by: a letter for a past date
is no use). They come in the order they are used: the feuille first, the attestations, the
orientation papers handed at the interviews, then the convocations to post (one document,
a letter each). Here, above both capabilities, because neither may reach into the other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..agenda.convocations import convocations_to_send
from ..agenda.days import permanences_on
from ..core.models import Appointment
from ..core.vocabulary import AppointmentStatus
from ..orientation.due import documents_due_on
from ..store.settings import CourtSettings

#: The catalogue's keys (documents.catalogue.DOCUMENT_KINDS) of the agenda's papers.
FEUILLE, ATTESTATION, CONVOCATIONS = "permanence", "attestation", "convocations"


@dataclass(frozen=True)
class DayPapers:
    day: dt.date
    #: (catalogue key, target): a date for the feuille and the convocations, an appointment
    #: id for an attestation, a dossier id or a public for an orientation paper.
    items: tuple[tuple[str, object], ...]
    #: The letters in the convocations document (one per appointment).
    convocations: int = 0

    def count(self, key: str) -> int:
        return sum(1 for kind, _ in self.items if kind == key)

    def describe(self) -> str:
        """« la feuille de permanence, 2 attestations de présence, 3 papiers d'orientation et
        4 convocations à envoyer »."""
        orientation = len(self.items) - self.count(FEUILLE) - self.count(ATTESTATION) - self.count(CONVOCATIONS)
        parts = ["la feuille de permanence"] if self.count(FEUILLE) else []
        for number, one, many in ((self.count(ATTESTATION), "attestation de présence", "attestations de présence"),
                                  (orientation, "papier d'orientation", "papiers d'orientation"),
                                  (self.convocations, "convocation à envoyer", "convocations à envoyer")):
            if number:
                parts.append(f"{number} {one if number == 1 else many}")
        if not parts:
            return "aucun document"
        return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} et {parts[-1]}"


def day_papers(day: dt.date, *, court: CourtSettings, today: dt.date) -> DayPapers:
    """Every paper of `day` still printable on `today` (see the module's docstring)."""
    start = dt.datetime.combine(day, dt.time.min)
    seen = list(Appointment.select(Appointment.id, Appointment.status)
                .where((Appointment.starts_at >= start) & (Appointment.starts_at < start + dt.timedelta(days=1)))
                .order_by(Appointment.starts_at, Appointment.id))
    items: list[tuple[str, object]] = []
    if seen or permanences_on(court, day):
        items.append((FEUILLE, day))
    if day <= today:
        items += [(ATTESTATION, a.id) for a in seen if a.status == AppointmentStatus.PRESENT.value]
    items += [(document.key, document.target) for document in documents_due_on(day)]
    since = max(day, today)
    letters = len(convocations_to_send(since))
    if letters:
        items.append((CONVOCATIONS, since))
    return DayPapers(day, tuple(items), letters)
