"""Every printable document, as the UI lists it and the CLI names it.

Each kind says what the user picks (an appointment, a day, a report, a dossier, or
nothing), how that target is loaded (once), and how the loaded object is rendered;
`produce.produce_document` is the one way to turn a kind and a target into a file.
The renderers live with their capability (agenda, dossiers, reports, register) and are
imported here only when a document is produced: ReportLab stays off the start-up path.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Literal

from ..agenda.convocations import address_warnings, contexts_to_send, mark_printed
from ..core.errors import InvalidInput
from ..core.models import Measure, Person, Report
from ..core.vocabulary import DOCUMENT_TITLES, ReportKind, ReportStatus, label
from ..dossiers.measures import load_measure
from ..orientation.directory import DirectoryList, list_filename_stem, load_list
from ..orientation.papers import OrientationPapers, chosen_texts, load_chosen, load_papers
from ..printing.context import AppointmentContext, load_appointment
from ..printing.saving import document_filename, person_reference
from ..reports.drafts import check_signable, get_report
from ..store.settings import CourtSettings, file_name_style, load_court

Target = Literal["rendez-vous", "jour", "rapport", "dossier", "aucun"]


@dataclass(frozen=True)
class RenderedDocument:
    """PDF bytes (personal data: keep in memory) and the name to offer when saving."""

    data: bytes
    filename: str
    #: A report not finalised: printed as « PROJET », never signed.
    draft: bool = False
    #: What the professional should fix, in French (the document is still produced).
    warnings: tuple[str, ...] = ()
    #: Run once the file is written (a convocation is then no longer « à envoyer »).
    saved: Callable[[], None] | None = None


def _renderer(module: str, name: str) -> Callable[..., bytes]:
    """A renderer, imported on first use (ReportLab is heavy and not needed to start)."""
    return getattr(importlib.import_module(f"..{module}", __package__), name)


def _reference(measure: Measure, person: Person | None = None) -> str:
    """The dossier as a file name shows it: parquet number or initials (a setting), no surname."""
    person = person or measure.person
    return person_reference(measure.parquet_number, person.last_name, person.first_name, file_name_style())


def _appointment(ctx: AppointmentContext, key: str, module: str, name: str, *, today: dt.date,
                 court: CourtSettings) -> RenderedDocument:
    data = _renderer(module, name)(ctx, today=today, court=court)
    return RenderedDocument(data, document_filename(key, ctx.appointment.starts_at.date(), _reference(ctx.measure, ctx.person)))


def render_attestation(ctx: AppointmentContext, *, today: dt.date, court: CourtSettings) -> RenderedDocument:
    return _appointment(ctx, "attestation-presence", "agenda.attestation_pdf", "attestation_de_presence",
                        today=today, court=court)


def render_convocation(ctx: AppointmentContext, *, today: dt.date, court: CourtSettings) -> RenderedDocument:
    document = _appointment(ctx, "convocation", "agenda.convocation_pdf", "convocation", today=today, court=court)
    return replace(document, warnings=tuple(address_warnings(ctx)),
                   saved=partial(mark_printed, [ctx.appointment.id], today))


def render_convocations_to_send(contexts: list[AppointmentContext], *, today: dt.date,
                                court: CourtSettings) -> RenderedDocument:
    """« Convocations à envoyer »: every convocation booked and never printed, one PDF."""
    data = _renderer("agenda.convocation_pdf", "convocations")(contexts, today=today, court=court)
    warnings = tuple(warning for ctx in contexts for warning in address_warnings(ctx))
    return RenderedDocument(data, document_filename("convocations-a-envoyer", today), warnings=warnings,
                            saved=partial(mark_printed, [ctx.appointment.id for ctx in contexts], today))


def render_feuille(day: dt.date, *, today: dt.date, court: CourtSettings) -> RenderedDocument:
    data = _renderer("agenda.feuille_pdf", "feuille_de_permanence")(day, court=court, today=today)
    return RenderedDocument(data, document_filename("feuille-permanence", day))


def _follow_up(ended: bool) -> Callable[..., RenderedDocument]:
    stem = "attestation-fin-suivi" if ended else "attestation-suivi"

    def render(measure: Measure, *, today: dt.date, court: CourtSettings) -> RenderedDocument:
        data = _renderer("dossiers.attestation_suivi_pdf", "attestation_de_suivi")(
            measure, today=today, ended=ended, court=court)
        return RenderedDocument(data, document_filename(stem, today, _reference(measure)))

    render.__name__ = f"render_{stem.replace('-', '_')}"
    return render


def render_report(report: Report, *, today: dt.date, court: CourtSettings | None = None,
                  image: bytes | None = None) -> RenderedDocument:
    """Any report to the magistrate (its court comes from its own facts, not `court`)."""
    module = importlib.import_module("..reports.report_pdf", __package__)
    data = module.report_pdf(report, today=today, image=image)
    final = report.status == ReportStatus.FINAL
    day = report.written_on if final else today
    return RenderedDocument(data, document_filename(module.file_stem(report), day, _reference(report.measure)),
                            draft=not final)


def _orientation_paper(stem: str, module: str, name: str) -> Callable[..., RenderedDocument]:
    """A paper about one dossier's orientation (orientation/*_pdf.py), its file named like every
    other dossier's paper: by parquet number or initials, never by surname."""

    def render(papers: OrientationPapers, *, today: dt.date, court: CourtSettings) -> RenderedDocument:
        data = _renderer(module, name)(papers, today=today, court=court)
        return RenderedDocument(data, document_filename(stem, today, _reference(papers.measure, papers.person)))

    render.__name__ = f"render_{stem.replace('-', '_')}"
    return render


def render_directory_list(listing: DirectoryList, *, today: dt.date, court: CourtSettings) -> RenderedDocument:
    """The list handed to the person: it names no one, its file neither."""
    data = _renderer("orientation.directory_pdf", "liste_des_soignants")(listing, today=today, court=court)
    return RenderedDocument(data, document_filename(list_filename_stem(listing.public), today))


def render_register(_: None, *, today: dt.date, court: CourtSettings) -> RenderedDocument:
    from ..register.export import register_filename, register_pdf

    return RenderedDocument(register_pdf(today), register_filename(today))


def _report_of_kind(kind: ReportKind) -> Callable[[int], Report]:
    def load(report_id: int) -> Report:
        report = get_report(report_id)
        if report.kind != kind:
            raise InvalidInput(f"Le rapport n° {report_id} est un(e) {label(report.kind).lower()}, pas un(e) "
                               f"{label(kind).lower()} : imprimez-le avec « {REPORT_KEYS[report.kind][1]} ».")
        return report
    return load


@dataclass(frozen=True)
class DocumentKind:
    """One printable document."""

    key: str  # the CLI name: `injonctions print <key>`
    label: str
    target: Target
    #: The target (an id, a day, nothing) -> the object the renderer needs, loaded once.
    load: Callable[[Any], Any]
    render: Callable[..., RenderedDocument]
    #: What the audit event names (an id's table), None for a day or the register.
    entity: str | None
    #: Refuses (in French) to sign the loaded object when it may not be signed as it is.
    check_signable: Callable[[Any], None] | None = None
    #: The loaded object -> its free texts printed as typed ({what it is, in French: text}),
    #: which the secrecy guard checks before printing (a report's own text is checked by
    #: its finalisation, where the professional may keep a term deliberately).
    free_texts: Callable[[Any], dict[str, str]] | None = None

    def build(self, target: Any, *, today: dt.date, court: CourtSettings | None = None) -> RenderedDocument:
        """Load and render in memory (no file, no audit): previews and tests."""
        return self.render(self.load(target), today=today, court=court or load_court())


#: Report kind -> (label, CLI key).
REPORT_KEYS: dict[str, tuple[str, str]] = {
    ReportKind.FICHE_NAVETTE.value: ("Fiche navette", "fiche-navette"),
    ReportKind.AVIS_MOTIVE.value: ("Avis motivé", "avis-motive"),
    ReportKind.INCIDENT.value: ("Rapport d'incident", "incident"),
    ReportKind.FIN_DE_MESURE.value: ("Rapport de fin de mesure", "fin-de-mesure"),
}


def _same(value: Any) -> Any:
    return value


def _appointment_texts(ctx: AppointmentContext) -> dict[str, str]:
    return {"Le lieu du rendez-vous": ctx.appointment.place or ""}


def _places(contexts: list[AppointmentContext]) -> dict[str, str]:
    return {f"Le lieu du rendez-vous du {ctx.appointment.starts_at:%d/%m/%Y à %Hh%M}": ctx.appointment.place or ""
            for ctx in contexts}


def _information_texts(papers: OrientationPapers) -> dict[str, str]:
    """The choice, and the place of any interview still expected (the next one is printed)."""
    places = {f"Le lieu du rendez-vous du {day}": place for day, place in papers.expected_places()}
    return {**chosen_texts(papers), **places}


DOCUMENT_KINDS: dict[str, DocumentKind] = {
    kind.key: kind for kind in (
        DocumentKind("attestation", DOCUMENT_TITLES["attestation"], "rendez-vous", load_appointment,
                     render_attestation, "appointment", free_texts=_appointment_texts),
        DocumentKind("convocation", DOCUMENT_TITLES["convocation"], "rendez-vous", load_appointment,
                     render_convocation, "appointment", free_texts=_appointment_texts),
        DocumentKind("permanence", "Feuille de permanence", "jour", _same, render_feuille, None),
        DocumentKind("convocations", "Convocations à envoyer", "jour", contexts_to_send,
                     render_convocations_to_send, None, free_texts=_places),
        DocumentKind("attestation-suivi", DOCUMENT_TITLES["attestation-suivi"], "dossier", load_measure,
                     _follow_up(False), "measure"),
        DocumentKind("attestation-fin-suivi", DOCUMENT_TITLES["attestation-fin-suivi"], "dossier", load_measure,
                     _follow_up(True), "measure"),
        DocumentKind("fiche-information", DOCUMENT_TITLES["fiche-information"], "dossier", load_papers,
                     _orientation_paper("fiche-information", "orientation.information_pdf", "fiche_information"),
                     "measure", free_texts=_information_texts),
        DocumentKind("formulaire-choix", DOCUMENT_TITLES["formulaire-choix"], "dossier", load_papers,
                     _orientation_paper("formulaire-choix", "orientation.choice_form_pdf", "formulaire_de_choix"),
                     "measure", free_texts=chosen_texts),
        DocumentKind("lettre-soignant", DOCUMENT_TITLES["lettre-soignant"], "dossier", load_chosen,
                     _orientation_paper("lettre-soignant", "orientation.letter_pdf", "lettre_au_soignant"),
                     "measure", free_texts=chosen_texts),
        DocumentKind("annuaire", "Liste des médecins et structures de soins", "aucun", load_list,
                     render_directory_list, None),
        *(DocumentKind(key, name, "rapport", _report_of_kind(ReportKind(kind)), render_report, "report",
                       check_signable)
          for kind, (name, key) in REPORT_KEYS.items()),
        DocumentKind("registre", "Extrait du registre des habilitations", "aucun", _same, render_register, None),
    )
}


def document_kind(key: str) -> DocumentKind:
    """The kind named `key`, or a French error listing the possible ones."""
    kind = DOCUMENT_KINDS.get(key)
    if kind is None:
        raise InvalidInput(f"Document inconnu : « {key[:40]} ». Possibles : {', '.join(DOCUMENT_KINDS)}.")
    return kind


def report_document_kind(report: Report) -> DocumentKind:
    return DOCUMENT_KINDS[REPORT_KEYS[report.kind][1]]
