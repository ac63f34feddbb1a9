"""The printed documents (ReportLab, French, A4, DejaVu embedded).

Each document is rendered to bytes in memory; `save_pdf` is the only place that
writes one to disk. `DOCUMENT_KINDS` lets the UI and the CLI offer the documents
without knowing each one: `DOCUMENT_KINDS["attestation"].build(appointment_id,
today=..., court=...)` gives the bytes and a suggested file name. Later kinds (fiche
navette, avis motivé, attestation de suivi) are added here; the reports to the
magistrate take a report id (target "rapport"). A digital signature (signing.py,
pyHanko) is applied to `RenderedDocument.data` before `save_pdf`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ..agenda.attestation_pdf import attestation_de_presence
from ..agenda.convocation_pdf import convocation
from ..agenda.feuille_pdf import feuille_de_permanence
from ..core.errors import InvalidInput
from ..core.models import Appointment, Measure, Person
from ..core.vocabulary import ReportKind, ReportStatus, label
from ..dossiers.attestation_suivi_pdf import attestation_de_suivi
from ..printing.saving import document_filename, safe_filename, save_pdf
from ..reports.drafts import get_report
from ..reports.report_pdf import file_stem, report_pdf
from ..store.settings import CourtSettings, load_court

Target = Literal["rendez-vous", "jour", "rapport", "dossier"]


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
    target: Target  # what the user picks: an appointment id, a day, a report id, a measure id ("dossier")
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


def _measure_name(measure_id: int) -> str:
    measure = Measure.select(Measure, Person).join(Person).where(Measure.id == measure_id).first()
    if measure is None:
        raise InvalidInput(f"Mesure n° {measure_id} introuvable.")
    return measure.person.last_name


def build_attestation_suivi(measure_id: int, *, today: dt.date,
                            court: CourtSettings | None = None) -> RenderedDocument:
    """The follow-up is ongoing (measure id, target "dossier")."""
    name = _measure_name(measure_id)
    data = attestation_de_suivi(measure_id, today=today, court=court)
    return RenderedDocument(data, document_filename("attestation-suivi", today, name))


def build_attestation_fin_suivi(measure_id: int, *, today: dt.date,
                                court: CourtSettings | None = None) -> RenderedDocument:
    """The follow-up has ended (the measure must be closed); no outcome is stated."""
    name = _measure_name(measure_id)
    data = attestation_de_suivi(measure_id, today=today, ended=True, court=court)
    return RenderedDocument(data, document_filename("attestation-fin-suivi", today, name))


def build_report(report_id: int, *, today: dt.date, court: CourtSettings | None = None,
                 image: bytes | None = None) -> RenderedDocument:
    """Any report to the magistrate (its court comes from its own facts, not `court`)."""
    report = get_report(report_id)
    data = report_pdf(report_id, today=today, image=image)
    day = report.written_on if report.status == ReportStatus.FINAL else today
    return RenderedDocument(data, document_filename(file_stem(report), day, report.measure.person.last_name))


def _report_builder(kind: ReportKind, key: str) -> Callable[..., RenderedDocument]:
    def build(report_id: int, *, today: dt.date, court: CourtSettings | None = None,
              image: bytes | None = None) -> RenderedDocument:
        report = get_report(report_id)
        if report.kind != kind:
            raise InvalidInput(f"Le rapport n° {report_id} est un(e) {label(report.kind).lower()}, pas un(e) "
                               f"{label(kind).lower()} : imprimez-le avec « {_REPORT_KEYS[report.kind][1]} ».")
        return build_report(report_id, today=today, court=court, image=image)
    build.__name__ = f"build_{key.replace('-', '_')}"
    return build


#: Report kind -> (label, CLI key).
_REPORT_KEYS: dict[str, tuple[str, str]] = {
    ReportKind.FICHE_NAVETTE.value: ("Fiche navette", "fiche-navette"),
    ReportKind.AVIS_MOTIVE.value: ("Avis motivé", "avis-motive"),
    ReportKind.INCIDENT.value: ("Rapport d'incident", "incident"),
    ReportKind.FIN_DE_MESURE.value: ("Rapport de fin de mesure", "fin-de-mesure"),
}

DOCUMENT_KINDS: dict[str, DocumentKind] = {
    kind.key: kind for kind in (
        DocumentKind("attestation", "Attestation de présence", "rendez-vous", build_attestation),
        DocumentKind("convocation", "Convocation", "rendez-vous", build_convocation),
        DocumentKind("permanence", "Feuille de permanence", "jour", build_feuille),
        DocumentKind("attestation-suivi", "Attestation de suivi", "dossier", build_attestation_suivi),
        DocumentKind("attestation-fin-suivi", "Attestation de fin de suivi", "dossier",
                     build_attestation_fin_suivi),
        *(DocumentKind(key, name, "rapport", _report_builder(ReportKind(kind), key))
          for kind, (name, key) in _REPORT_KEYS.items()),
    )
}

__all__ = [
    "DOCUMENT_KINDS", "DocumentKind", "RenderedDocument", "attestation_de_presence", "attestation_de_suivi",
    "build_attestation", "build_attestation_fin_suivi", "build_attestation_suivi",
    "build_convocation", "build_feuille", "build_report", "convocation", "report_pdf", "document_filename", "feuille_de_permanence",
    "safe_filename", "save_pdf",
]
