"""A dossier in follow-up, for the report tests: every person here is fictional."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from injonctions_tui.domain.core.models import Appointment, Habilitation, Measure, Orientation, Person, Professional
from injonctions_tui.domain.store.professionals import create_user
from injonctions_tui.domain.store.settings import CourtSettings, save_court
from tests.conftest import TODAY

HABILITATION_UNTIL = dt.date(2026, 12, 31)


@dataclass
class Dossier:
    user: Professional
    person: Person
    measure: Measure
    evaluation: Appointment
    m3: Appointment
    missed: Appointment
    excused: Appointment
    m6: Appointment
    upcoming: Appointment


def at(day: dt.date, hour: int = 9, minute: int = 30) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def appointment(measure: Measure, when: dt.datetime, kind: str, status: str, *, walk_in: bool = False) -> Appointment:
    return Appointment.create(measure=measure, kind=kind, starts_at=when, status=status, walk_in=walk_in,
                              place="Tribunal judiciaire de Nanterre")


def make_user(*, habilitated: bool = True) -> Professional:
    user = create_user(last_name="Prunelle", first_name="Léon", profession="psychologue",
                       rpps_adeli="10101010101", csapa_name="CSAPA Les Tilleuls (fictif)",
                       csapa_address="1 rue de l'Exemple\n92000 Nanterre")
    user.phone = "01 02 03 04 05"
    user.save()
    if habilitated:
        Habilitation.create(professional=user, status="habilite", list_year=2026, decision_on=dt.date(2026, 1, 15),
                            decision_reference="ARS-IDF-2026-042", valid_until=HABILITATION_UNTIL)
    save_court(CourtSettings())
    return user


def make_dossier(*, habilitated: bool = True) -> Dossier:
    """Tryphon TOURNESOL: evaluated in May, cared for since June, M3 held, one absence, one
    excused absence, M6 held on Thursday 19 November, the next interview in February."""
    user = make_user(habilitated=habilitated)
    person = Person.create(last_name="Tournesol", first_name="Tryphon", birth_date=dt.date(1980, 5, 12))
    measure = Measure.create(person=person, professional=user, parquet_number="26/111/00001",
                             authority="procureur", stage="alternative_poursuites",
                             magistrat_referent="Mme Bianca CASTAFIORE, substitut", facts_on=dt.date(2026, 3, 2),
                             decision_on=dt.date(2026, 5, 4), saisine_received_on=dt.date(2026, 5, 11),
                             start_on=dt.date(2026, 6, 15), planned_end_on=dt.date(2026, 12, 15), status="suivi")
    Orientation.create(measure=measure, structure="CSAPA Le Phare (fictif)", doctor="Dr Nestor FICTIF",
                       chosen_on=dt.date(2026, 6, 1), agreement_on=dt.date(2026, 6, 15))
    return Dossier(
        user=user, person=person, measure=measure,
        evaluation=appointment(measure, at(dt.date(2026, 5, 28)), "evaluation_initiale", "present"),
        m3=appointment(measure, at(dt.date(2026, 9, 17), 10), "suivi_m3", "present"),
        missed=appointment(measure, at(dt.date(2026, 10, 8)), "supplementaire", "absent"),
        excused=appointment(measure, at(dt.date(2026, 10, 15)), "supplementaire", "excuse"),
        m6=appointment(measure, at(TODAY - dt.timedelta(days=4), 11), "suivi_m6", "present"),
        upcoming=appointment(measure, at(dt.date(2027, 2, 18), 10), "suivi_semestriel", "attendu"),
    )
