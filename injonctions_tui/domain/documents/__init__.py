"""The printed documents (ReportLab, French, A4, DejaVu embedded).

Each document is rendered to bytes in memory; `save_pdf` is the only place that
writes one to disk. `DOCUMENT_KINDS` lets the UI and the CLI offer the documents
without knowing each one: `DOCUMENT_KINDS["attestation"].build(appointment_id,
today=..., court=...)` gives the bytes and a suggested file name. Later kinds (fiche
navette, avis motivé, attestation de suivi) are added here; a digital signature
(pyHanko) would be applied to `RenderedDocument.data` before `save_pdf`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ..models import Appointment, Measure, Person
from ..settings import CourtSettings, load_court
from .attestation import attestation_de_presence
from .convocation import convocation
from .feuille import feuille_de_permanence
from .pdf import document_filename, safe_filename, save_pdf

Target = Literal["rendez-vous", "jour"]


@dataclass(frozen=True)
class RenderedDocument:
    """PDF bytes (personal data: keep in memory) and the name to offer when saving."""

    data: bytes
    filename: str


@dataclass(frozen=True)
class DocumentKind:
    """One printable document, as the UI lists it and the CLI names it."""

    key: str  # the CLI name: `injonctions print <key>`
    label: str
    target: Target  # what the user picks: an appointment id, or a day
    build: Callable[..., RenderedDocument]


def _name_parts(appointment_id: int) -> tuple[dt.date, str]:
    """Day and last name for the file name (the app said it would write the name)."""
    appointment = (Appointment.select(Appointment, Measure, Person).join(Measure).join(Person)
                   .where(Appointment.id == appointment_id).first())
    return appointment.starts_at.date(), appointment.measure.person.last_name


def build_attestation(appointment_id: int, *, today: dt.date,
                      court: CourtSettings | None = None) -> RenderedDocument:
    data = attestation_de_presence(appointment_id, today=today, court=court)
    return RenderedDocument(data, document_filename("attestation-presence", *_name_parts(appointment_id)))


def build_convocation(appointment_id: int, *, today: dt.date,
                      court: CourtSettings | None = None) -> RenderedDocument:
    data = convocation(appointment_id, today=today, court=court)
    return RenderedDocument(data, document_filename("convocation", *_name_parts(appointment_id)))


def build_feuille(day: dt.date, *, today: dt.date, court: CourtSettings | None = None) -> RenderedDocument:
    data = feuille_de_permanence(day, court=court or load_court(), today=today)
    return RenderedDocument(data, document_filename("feuille-permanence", day))


DOCUMENT_KINDS: dict[str, DocumentKind] = {
    kind.key: kind for kind in (
        DocumentKind("attestation", "Attestation de présence", "rendez-vous", build_attestation),
        DocumentKind("convocation", "Convocation", "rendez-vous", build_convocation),
        DocumentKind("permanence", "Feuille de permanence", "jour", build_feuille),
    )
}

__all__ = [
    "DOCUMENT_KINDS", "DocumentKind", "RenderedDocument", "attestation_de_presence", "build_attestation",
    "build_convocation", "build_feuille", "convocation", "document_filename", "feuille_de_permanence",
    "safe_filename", "save_pdf",
]
