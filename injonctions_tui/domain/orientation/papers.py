"""What the orientation papers share: the dossier loaded once, with the dates they print.

The letter to the chosen doctor, the choice form and the person's information sheet all
speak of one measure: its person, the choice standing (the latest one not refused), the
professional who signs, and dates that the deadline engine computed — the measure's
timeline, the cadence of the interviews, the choice and agreement delays. A paper never
computes a date of its own (DOMAIN.md step 6: the same start on every document). These
papers cite the articles of the injonction thérapeutique: they are refused, in French, for
another kind of measure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.errors import InvalidInput
from ..core.models import Appointment, LegalRepresentative, Measure, Orientation, Person, Professional
from ..core.people import measure_public
from ..core.rules import MeasureKind, MeasureRules, rules_for
from ..core.vocabulary import AppointmentKind, AppointmentStatus, ChosenBy, Public
from ..deadlines.engine import Timeline, agreement_deadline, choice_deadline, measure_timeline, planned_followups
from ..dossiers.measures import expected_chooser, load_measure
from ..store.professionals import require_user

IT_ONLY = ("Ce document cite les articles de l'injonction thérapeutique (CSP L3413-1 à L3413-4, R3413-11 et "
           "R3413-12) : il ne s'imprime pas pour une injonction de soins.")


@dataclass(frozen=True)
class OrientationPapers:
    """One dossier as its orientation papers read it."""

    measure: Measure
    person: Person
    professional: Professional
    rules: MeasureRules
    #: The measure's start, planned end and maximum (None while the decision date is unknown).
    timeline: Timeline | None
    #: The choice standing: the latest not refused (waiting for the agreement, or agreed).
    orientation: Orientation | None
    #: The date the evaluation was held (« présent »), if it was.
    evaluated_on: dt.date | None
    #: The latest refusal before the standing choice (or the latest of all without one): the
    #: choice it calls for is due ten days after it.
    refused_on: dt.date | None

    @property
    def public(self) -> Public:
        return measure_public(self.measure)

    def chooser(self, on: dt.date) -> ChosenBy:
        """Who chooses (R3413-12): the recorded chooser of the standing choice, else who the
        law designates on `on`."""
        if self.orientation is not None:
            return ChosenBy(self.orientation.chosen_by)
        return expected_chooser(self.measure, on)

    def representatives(self) -> list[LegalRepresentative]:
        """The legal representatives marked as convoked (those present at the permanence)."""
        return list(LegalRepresentative.select()
                    .where((LegalRepresentative.person == self.person) & (LegalRepresentative.convoked == True))  # noqa: E712
                    .order_by(LegalRepresentative.id))

    def choice_due(self) -> dt.date | None:
        """By when a choice is (or was) to be made (R3413-11): ten days after the evaluation or
        after the refusal it follows (as the deadline engine counts); None before the evaluation."""
        anchor = self.refused_on or self.evaluated_on
        return choice_deadline(self.measure.kind, anchor) if anchor else None

    def agreement_due(self) -> dt.date | None:
        """By when the chosen doctor confirms in writing (R3413-12)."""
        if self.orientation is None:
            return None
        return agreement_deadline(self.measure.kind, self.orientation.chosen_on)

    def followups(self) -> list[tuple[AppointmentKind, dt.date]]:
        """The cadence dates (M3, M6, then every six months up to the planned end)."""
        return planned_followups(self.measure)

    def next_appointment(self, today: dt.date) -> Appointment | None:
        """The first interview booked after `today` (the one the person is told about)."""
        return (Appointment.select()
                .where((Appointment.measure == self.measure) & (Appointment.status == AppointmentStatus.ATTENDU)
                       & (Appointment.starts_at >= dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min)))
                .order_by(Appointment.starts_at).first())


    def expected_places(self) -> list[tuple[str, str]]:
        """(day, place) of every interview still expected: the sheet prints the next one."""
        return [(f"{row.starts_at:%d/%m/%Y}", row.place) for row in Appointment.select(
            Appointment.starts_at, Appointment.place).where(
            (Appointment.measure == self.measure) & (Appointment.status == AppointmentStatus.ATTENDU))]


def standing_orientation(measure: Measure) -> Orientation | None:
    """The latest choice not refused (waiting for the written agreement, or agreed)."""
    return (Orientation.select()
            .where((Orientation.measure == measure) & Orientation.refused_on.is_null())
            .order_by(Orientation.chosen_on.desc(), Orientation.id.desc()).first())


def _evaluated_on(measure: Measure) -> dt.date | None:
    held = (Appointment.select(Appointment.starts_at)
            .where((Appointment.measure == measure) & (Appointment.kind == AppointmentKind.EVALUATION_INITIALE)
                   & (Appointment.status == AppointmentStatus.PRESENT))
            .order_by(Appointment.starts_at).first())
    return held.starts_at.date() if held else None


def load_papers(measure_id: int) -> OrientationPapers:
    """The dossier `measure_id` for its orientation papers (an injonction thérapeutique)."""
    measure = load_measure(measure_id)
    if measure.kind != MeasureKind.INJONCTION_THERAPEUTIQUE:
        raise InvalidInput(IT_ONLY)
    standing = standing_orientation(measure)
    refusals = Orientation.select(Orientation.refused_on).where(
        (Orientation.measure == measure) & Orientation.refused_on.is_null(False))
    if standing is not None:
        refusals = refusals.where(Orientation.refused_on <= standing.chosen_on)
    last = refusals.order_by(Orientation.refused_on.desc()).first()
    return OrientationPapers(measure, measure.person, require_user(), rules_for(measure.kind),
                             measure_timeline(measure), standing, _evaluated_on(measure),
                             last.refused_on if last else None)


def load_chosen(measure_id: int) -> OrientationPapers:
    """The dossier, with a choice standing (the letter needs an addressee) and what the
    letter states about the measure: its decision date and its parquet number."""
    papers = load_papers(measure_id)
    if papers.orientation is None:
        raise InvalidInput("Aucun soignant n'est choisi pour ce dossier (ou le dernier a refusé) : enregistrez le "
                           "choix (touche s du dossier) avant d'imprimer la lettre.")
    missing = [what for what, value in (("la date de la décision", papers.measure.decision_on),
                                        ("le n° de parquet", (papers.measure.parquet_number or "").strip()))
               if not value]
    if missing:
        raise InvalidInput(f"Lettre au soignant impossible : renseignez {' et '.join(missing)} (touche m du dossier) ; "
                           "la lettre les indique au soignant.")
    return papers


def chosen_texts(papers: OrientationPapers) -> dict[str, str]:
    """The typed-in names a paper prints about the choice (checked by the secrecy guard)."""
    orientation = papers.orientation
    if orientation is None:
        return {}
    return {"Le nom de la structure choisie": orientation.structure or "",
            "Le nom du praticien choisi": orientation.doctor or "",
            "L'adresse du soignant choisi": orientation.address or ""}
