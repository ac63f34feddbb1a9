"""Conflict-of-interest declarations, checked when a dossier is assigned (fictional people)."""

from __future__ import annotations

import datetime as dt

import pytest

from injonctions_tui.domain.core.errors import InvalidInput, NotHabilitated
from injonctions_tui.domain.core.models import AuditEvent, ConflictDeclaration, Measure, Person, Professional
from injonctions_tui.domain.dossiers import conflicts
from injonctions_tui.domain.dossiers.conflicts import assign_with_checks, check_conflict, declare_conflict
from injonctions_tui.domain.register import history as register_history
from injonctions_tui.domain.register.entries import add_professional
from injonctions_tui.domain.register.status import set_status
from tests.conftest import TODAY

D = dt.date


def professional(last_name: str = "Tournesol", number: str = "929900011") -> Professional:
    """Habilitated for 2026 with an override (the file does not matter here)."""
    found = add_professional(last_name=last_name, first_name="Tryphon", profession="psychologue", rpps_adeli=number,
                             csapa_name="CSAPA du Château (test)")
    set_status(found, "habilite", on=D(2026, 1, 15), reason=None, override_reason="Dossier tenu par l'ARS (test).")
    return found


BORN = D(1990, 4, 2)


def dossier(last_name: str = "Lefèvre-Démo", first_name: str = "Zoé", birth: dt.date | None = BORN) -> Measure:
    person = Person.create(last_name=last_name, first_name=first_name, birth_date=birth)
    return Measure.create(person=person, parquet_number=f"26/{person.id:05d}", authority="procureur",
                          stage="alternative_poursuites", saisine_received_on=D(2026, 10, 1))


def test_a_declared_relative_is_refused_whatever_the_accents(db: object) -> None:
    tournesol = professional()
    declare_conflict(tournesol, category="famille", declared_on=D(2026, 2, 1), last_name="LEFEVRE demo",
                     first_name="zoe", birth_date=D(1990, 4, 2), note="Nièce")
    measure = dossier()
    with pytest.raises(InvalidInput) as caught:
        assign_with_checks(measure, tournesol, TODAY)
    message = caught.value.message
    assert message.startswith("Conflit d'intérêts : Tryphon TOURNESOL a déclaré le 01/02/2026 ne pas pouvoir "
                              "suivre zoe LEFEVRE DEMO (lien familial).")
    assert "autre professionnel habilité" in message and "nom seul" not in message
    assert Measure.get_by_id(measure.id).professional is None
    # Another habilitated professional takes the dossier.
    other = professional("Lampion", "929900012")
    assign_with_checks(measure, other, TODAY)
    assert Measure.get_by_id(measure.id).professional_id == other.id


def test_a_namesake_born_another_day_is_not_a_conflict(db: object) -> None:
    tournesol = professional()
    declare_conflict(tournesol, category="professionnel", declared_on=D(2026, 2, 1), last_name="Lefèvre-Démo",
                     first_name="Zoé", birth_date=D(1975, 1, 1))
    measure = dossier()
    assign_with_checks(measure, tournesol, TODAY)
    assert Measure.get_by_id(measure.id).professional_id == tournesol.id


def test_a_declaration_without_birth_date_matches_on_the_name_and_says_so(db: object) -> None:
    tournesol = professional()
    declare_conflict(tournesol, category="medical", declared_on=D(2026, 2, 1), last_name="Lefèvre-Démo",
                     first_name="Zoé")
    with pytest.raises(InvalidInput, match="lien de soin.*Rapprochement sur le nom seul.*complétez la date de "
                                           "naissance"):
        check_conflict(tournesol, dossier().person)
    # A person without a birth date matches a dated declaration on the name too.
    other = professional("Lampion", "929900012")
    declare_conflict(other, category="famille", declared_on=D(2026, 2, 1), last_name="Haddock",
                     first_name="Archibald", birth_date=D(1960, 5, 5))
    with pytest.raises(InvalidInput, match="nom seul"):
        check_conflict(other, dossier("Haddock", "Archibald", None).person)


def test_a_declaration_linked_to_a_person_follows_the_record(db: object) -> None:
    tournesol = professional()
    measure = dossier()
    declaration = declare_conflict(tournesol, category="famille", declared_on=D(2026, 2, 1), person=measure.person)
    assert (declaration.last_name, declaration.birth_date) == ("Lefèvre-Démo", D(1990, 4, 2))
    Person.update(last_name="Lefèvre").where(Person.id == measure.person_id).execute()  # married name
    with pytest.raises(InvalidInput, match="Conflit d'intérêts"):
        check_conflict(tournesol, Person.get_by_id(measure.person_id))


def test_an_ended_declaration_no_longer_blocks(db: object) -> None:
    tournesol = professional()
    declaration = declare_conflict(tournesol, category="professionnel", declared_on=D(2026, 2, 1),
                                   last_name="Lefèvre-Démo", first_name="Zoé")
    with pytest.raises(InvalidInput, match="antérieure"):
        conflicts.end_conflict(declaration, D(2026, 1, 1), "Fin du lien.")
    conflicts.end_conflict(declaration, D(2026, 9, 1), "Fin du contrat commun.")
    check_conflict(tournesol, dossier().person, on=TODAY)
    with pytest.raises(InvalidInput):
        check_conflict(tournesol, dossier().person, on=D(2026, 8, 31))
    assert [d.id for d in conflicts.declarations(tournesol, on=TODAY)] == []


def test_an_unsaved_person_is_checked_too(db: object) -> None:
    """The dossier form can check before saving the person."""
    tournesol = professional()
    declare_conflict(tournesol, category="famille", declared_on=D(2026, 2, 1), last_name="Lampion",
                     first_name="Séraphin")
    with pytest.raises(InvalidInput, match="Conflit"):
        check_conflict(tournesol, Person(last_name="LAMPION", first_name="Seraphin"))


def test_assignment_still_refuses_a_professional_without_habilitation(db: object) -> None:
    candidate = add_professional(last_name="Lampion", first_name="Séraphin", profession="infirmier")
    with pytest.raises(NotHabilitated, match="aucune habilitation enregistrée"):
        assign_with_checks(dossier(), candidate, TODAY)


def test_declarations_are_validated_and_logged_without_the_persons_name(db: object) -> None:
    tournesol = professional()
    with pytest.raises(InvalidInput, match="Nature du lien"):
        declare_conflict(tournesol, category="voisin", declared_on=TODAY, last_name="X", first_name="Y")
    with pytest.raises(InvalidInput, match="Prénom de la personne : champ obligatoire"):
        declare_conflict(tournesol, category="famille", declared_on=TODAY, last_name="Haddock")
    with pytest.raises(InvalidInput, match="postérieure à la déclaration"):
        declare_conflict(tournesol, category="famille", declared_on=TODAY, last_name="Haddock",
                         first_name="Archibald", birth_date=TODAY + dt.timedelta(days=1))
    declaration = declare_conflict(tournesol, category="famille", declared_on=TODAY, last_name="Haddock",
                                   first_name="Archibald")
    latest = register_history.history(tournesol)[0]
    assert latest.details == f"Déclaration n° {declaration.id} (lien familial) du 23/11/2026"
    assert all("Haddock" not in e.details for e in AuditEvent.select())
    assert ConflictDeclaration.select().count() == 1
