"""A small caseload for the document tests: a habilitated user, an adult, a minor with
two convoked parents, saisines still to convoke (all fictional)."""

from __future__ import annotations

import datetime as dt

from injonctions_tui.domain.core.models import Appointment, Habilitation, LegalRepresentative, Measure, Person
from injonctions_tui.domain.store.professionals import create_user
from injonctions_tui.domain.store.settings import CourtSettings, save_court

THURSDAY = dt.date(2026, 11, 19)
NEXT_MONDAY = dt.date(2026, 11, 30)


def person(last: str, first: str, born: dt.date, **extra: object) -> Person:
    return Person.create(last_name=last, first_name=first, birth_date=born, **extra)


def measure(person: Person, parquet: str, facts_on: dt.date, status: str = "evaluation") -> Measure:
    return Measure.create(person=person, parquet_number=parquet, authority="procureur",
                          stage="alternative_poursuites", facts_on=facts_on,
                          saisine_received_on=dt.date(2026, 10, 20), status=status)


def appointment(measure: Measure, day: dt.date, hour: int, minute: int, status: str,
                 kind: str = "evaluation_initiale", walk_in: bool = False) -> Appointment:
    return Appointment.create(measure=measure, kind=kind, starts_at=dt.datetime.combine(day, dt.time(hour, minute)),
                              place="Tribunal judiciaire de Nanterre", status=status, walk_in=walk_in)


def document_data() -> dict[str, object]:
    """A user with a current habilitation, an adult, a minor with two parents, saisines."""
    user = create_user(last_name="Prunelle", first_name="Léon", profession="psychologue",
                       rpps_adeli="10101010101", csapa_name="CSAPA Les Tilleuls (fictif)",
                       csapa_address="1 rue de l'Exemple\n92000 Nanterre")
    user.phone = "01 02 03 04 05"
    user.save()
    Habilitation.create(professional=user, status="habilite", list_year=2026, decision_on=dt.date(2026, 1, 15),
                        decision_reference="ARS-IDF-2026-042", valid_until=dt.date(2026, 12, 31))
    save_court(CourtSettings())
    tryphon = person("Tournesol", "Tryphon", dt.date(1980, 5, 12), phone="06 11 22 33 44",
                      address="26 rue du Labrador\n92000 Nanterre")
    adult = measure(tryphon, "26/111/00001", dt.date(2026, 9, 1))
    bianca = measure(person("Castafiore", "Bianca", dt.date(1975, 1, 2)), "26/111/00002", dt.date(2026, 9, 2))
    seraphin = person("Lampion", "Séraphin", dt.date(2010, 3, 14), address="3 allée des Oiseaux\n92000 Nanterre")
    for name, relationship, convoked in (("Irma LAMPION", "mère", True), ("Gustave LAMPION", "père", True),
                                         ("Oncle ÉLOIGNÉ", "oncle", False)):
        LegalRepresentative.create(person=seraphin, name=name, relationship=relationship, convoked=convoked,
                                   address="3 allée des Oiseaux\n92000 Nanterre")
    minor = measure(seraphin, "26/222/00003", dt.date(2026, 8, 1))
    measure(person("Zorrino", "Tchou", dt.date(2011, 6, 6)), "26/222/00004", dt.date(2026, 9, 9), "a_convoquer")
    measure(person("Sponz", "Igor", dt.date(1970, 6, 6)), "26/111/00005", dt.date(2026, 9, 9), "a_convoquer")
    return {
        "user": user,
        "present": appointment(adult, THURSDAY, 9, 30, "present"),
        "absent": appointment(bianca, THURSDAY, 10, 0, "absent"),
        "minor_next": appointment(minor, NEXT_MONDAY, 9, 30, "attendu"),
        "adult_next": appointment(adult, dt.date(2027, 2, 18), 10, 0, "attendu", kind="suivi_m3"),
        "walk_in": appointment(measure(person("Haddock", "Archibald", dt.date(2009, 1, 1)), "26/222/00006",
                                         dt.date(2026, 10, 1)), NEXT_MONDAY, 11, 0, "attendu", walk_in=True),
    }
