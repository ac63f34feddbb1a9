"""The orientation papers due on a given day, for the batch of the day.

Why a function of its own: « the batch of the day » prints every document due that day in
one job; it asks each capability which of its documents are due. Here: the information
sheet for each evaluation of the day (handed at the interview, CSP R3413-11), the choice
form and the letter to the chosen doctor for each choice recorded that day (the doctor is
informed of the legal frame as soon as chosen, R3413-12), and the list of doctors and
structures once for each public seen at an evaluation that day (when the directory has
entries for it). Only papers that can be printed as the dossier stands are listed: a
letter needs the decision date and the parquet number it states.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.models import Appointment, Measure, Orientation
from ..core.rules import MeasureKind
from ..core.vocabulary import AppointmentKind, AppointmentStatus
from ..deadlines.engine import is_open
from .choice import care_public
from .directory import search_directory


@dataclass(frozen=True)
class DueDocument:
    """One document to print: its key in documents/catalogue.py and its target, with why
    (in French, without a name: the batch may list it)."""

    key: str
    #: A dossier's id, or for the list a public (« mineurs », « majeurs »).
    target: int | str
    why: str


def documents_due_on(day: dt.date) -> list[DueDocument]:
    """Every orientation paper due on `day`, in the order of the day (evaluations by time,
    then the choices recorded, then the lists)."""
    start = dt.datetime.combine(day, dt.time.min)
    evaluations = (Appointment.select(Appointment, Measure).join(Measure)
                   .where((Appointment.starts_at >= start) & (Appointment.starts_at < start + dt.timedelta(days=1))
                          & (Appointment.kind == AppointmentKind.EVALUATION_INITIALE)
                          & Appointment.status.in_((AppointmentStatus.ATTENDU, AppointmentStatus.PRESENT))
                          & (Measure.kind == MeasureKind.INJONCTION_THERAPEUTIQUE) & is_open())
                   .order_by(Appointment.starts_at, Appointment.id))
    due: list[DueDocument] = []
    publics: list[str] = []
    for visit in evaluations:
        due.append(DueDocument("fiche-information", visit.measure.id,
                               f"évaluation initiale de {visit.starts_at:%Hh%M}"))
        public = care_public(visit.measure, day).value
        if public not in publics:
            publics.append(public)
    choices = (Orientation.select(Orientation, Measure).join(Measure)
               .where((Orientation.chosen_on == day) & Orientation.refused_on.is_null()
                      & (Measure.kind == MeasureKind.INJONCTION_THERAPEUTIQUE) & is_open())
               .order_by(Orientation.id))
    for choice in choices:
        due.append(DueDocument("formulaire-choix", choice.measure.id, "choix du soignant enregistré ce jour"))
        if choice.measure.decision_on and (choice.measure.parquet_number or "").strip():
            due.append(DueDocument("lettre-soignant", choice.measure.id, "soignant choisi ce jour, à informer"))
    for public in publics:
        if search_directory("", public, limit=1)[1]:
            due.append(DueDocument("annuaire", public, f"liste des soignants remise aux {public}"))
    return due
