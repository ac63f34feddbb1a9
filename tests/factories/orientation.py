"""The orientation at a permanence: a directory of fictional structures, an adult, a minor
with two parents and a protected adult, each evaluated on Thursday 19 November 2026 (all
fictional)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from injonctions_tui.domain.core.models import (Appointment, Habilitation, LegalRepresentative, Measure, Person,
                                                Professional)
from injonctions_tui.domain.orientation.directory import DirectoryEntry, check_values, save_entry
from injonctions_tui.domain.store.professionals import create_user
from injonctions_tui.domain.store.settings import CourtSettings, save_court

EVALUATED = dt.date(2026, 11, 19)
DECIDED = dt.date(2026, 10, 2)

STRUCTURES = (
    dict(name="CSAPA Le Phare (fictif)", kind="csapa", address="3 quai de la Fiction, 92000 Nanterre",
         phone="01 00 00 00 11", secure_email="accueil@phare.exemple-mssante.invalid", public="tous",
         notes="Accueil sans rendez-vous le mardi"),
    dict(name="CJC Le Cerf-Volant (fictif)", kind="cjc", address="9 rue de la Maquette, 92000 Nanterre",
         phone="01 00 00 00 12", public="mineurs"),
    dict(name="Dr Colombe ARC-EN-CIEL (fictive)", kind="medecin_liberal",
         address="5 square de l'Essai, 92400 Courbevoie", phone="01 00 00 00 13", public="majeurs"),
)


@dataclass
class Permanence:
    user: Professional
    adult: Measure
    minor: Measure
    protected: Measure
    entries: list[DirectoryEntry]

    def entry(self, start: str) -> DirectoryEntry:
        return next(e for e in self.entries if e.name.startswith(start))


def _measure(person: Person, parquet: str, facts_on: dt.date, **extra: object) -> Measure:
    measure = Measure.create(person=person, parquet_number=parquet, authority="procureur",
                             stage="alternative_poursuites", facts_on=facts_on, decision_on=DECIDED,
                             saisine_received_on=dt.date(2026, 10, 20), status="evaluation",
                             magistrat_referent="Mme la substitute Hermine DÉMO", **extra)
    Appointment.create(measure=measure, kind="evaluation_initiale", place="Tribunal judiciaire de Nanterre",
                       starts_at=dt.datetime.combine(EVALUATED, dt.time(9, 30)), status="present")
    return measure


def permanence() -> Permanence:
    user = create_user(last_name="Prunelle", first_name="Léon", profession="psychologue",
                       rpps_adeli="10101010101", csapa_name="CSAPA Les Tilleuls (fictif)",
                       csapa_address="1 rue de l'Exemple\n92000 Nanterre", civility="monsieur")
    user.phone, user.email = "01 02 03 04 05", "l.prunelle@tilleuls.exemple.invalid"
    user.save()
    Habilitation.create(professional=user, status="habilite", list_year=2026, decision_on=dt.date(2026, 1, 15),
                        decision_reference="ARS-IDF-2026-042", valid_until=dt.date(2026, 12, 31))
    save_court(CourtSettings())
    entries = [save_entry(None, check_values(**values)) for values in STRUCTURES]
    adult = _measure(Person.create(last_name="Tournesol", first_name="Tryphon", birth_date=dt.date(1980, 5, 12),
                                   address="26 rue du Labrador, 92000 Nanterre"), "26111000001", dt.date(2026, 9, 1))
    seraphin = Person.create(last_name="Lampion", first_name="Séraphin", birth_date=dt.date(2010, 3, 14))
    for name, relationship, convoked in (("Irma LAMPION", "mère", True), ("Gustave LAMPION", "père", True),
                                         ("Oncle ÉLOIGNÉ", "oncle", False)):
        LegalRepresentative.create(person=seraphin, name=name, relationship=relationship, convoked=convoked)
    minor = _measure(seraphin, "26222000003", dt.date(2026, 8, 1))
    protected = _measure(Person.create(last_name="Castafiore", first_name="Bianca", birth_date=dt.date(1975, 1, 2),
                                       is_protected_adult=True,
                                       guardian_name="Association tutélaire Les Hérons (fictive)"),
                         "26111000002", dt.date(2026, 9, 2))
    return Permanence(user, adult, minor, protected, entries)
