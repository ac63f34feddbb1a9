"""The choice at the orientation: from the directory or typed (joining it), by whom the law says
(R3413-12), among the structures of the person's public on the day; the answer in one step."""

from __future__ import annotations

import datetime as dt

import pytest

from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import Measure, Orientation, Person, TreatingStructure
from injonctions_tui.domain.core.vocabulary import ChosenBy, Public
from injonctions_tui.domain.deadlines.engine import DeadlineKind, deadlines_for
from injonctions_tui.domain.dossiers import measures
from injonctions_tui.domain.orientation.choice import care_public, choice_defaults, choose_structure
from injonctions_tui.domain.orientation.directory import check_values
from tests.conftest import TODAY
from tests.factories.orientation import EVALUATED, Permanence


def test_a_structure_picked_from_the_directory_is_copied_and_linked(perm: Permanence) -> None:
    phare = perm.entry("CSAPA")
    orientation = choose_structure(perm.adult.id, entry_id=phare.id, doctor="Dr Ernestine BOUSSOLE (fictive)",
                                   chosen_on=EVALUATED, chosen_by="personne")
    assert (orientation.structure, orientation.address, orientation.doctor, orientation.treating_structure_id) == (
        phare.name, phare.address, "Dr Ernestine BOUSSOLE (fictive)", phare.id)
    assert Measure.get_by_id(perm.adult.id).status == "orientation"


def test_a_structure_typed_at_the_choice_joins_the_directory_once(perm: Permanence) -> None:
    new = check_values(name="Cabinet du Dr Anselme ESSAI (fictif)", kind="medecin_liberal",
                       address="7 rue du Test, 92000 Nanterre")
    first = choose_structure(perm.adult.id, new=new, doctor=None, chosen_on=EVALUATED, chosen_by="personne")
    assert TreatingStructure.select().count() == 4
    typed_again = check_values(name="cabinet du dr anselme essai (FICTIF)", kind="medecin_liberal",
                               address="7 Rue du Test, 92000 NANTERRE")
    second = choose_structure(perm.protected.id, new=typed_again, doctor=None, chosen_on=EVALUATED,
                              chosen_by="tuteur")
    assert TreatingStructure.select().count() == 4 and second.treating_structure_id == first.treating_structure_id
    with pytest.raises(InvalidInput, match="Choisissez une structure de l'annuaire"):
        choose_structure(perm.adult.id, doctor=None, chosen_on=EVALUATED, chosen_by="personne")


def test_a_refused_choice_adds_nothing_to_the_directory(perm: Permanence) -> None:
    new = check_values(name="CSAPA Nouveau (fictif)", kind="csapa")
    with pytest.raises(InvalidInput, match="ne soigne jamais"):
        choose_structure(perm.adult.id, new=new, doctor="Léon PRUNELLE", chosen_on=EVALUATED, chosen_by="personne")
    assert TreatingStructure.select().count() == 3 and Orientation.select().count() == 0


def test_the_public_is_the_age_on_the_day_of_the_choice(perm: Permanence) -> None:
    cjc, doctor = perm.entry("CJC"), perm.entry("Dr")
    with pytest.raises(InvalidInput, match="reçoit les mineurs : la personne relève des structures pour les majeurs"):
        choose_structure(perm.adult.id, entry_id=cjc.id, doctor=None, chosen_on=EVALUATED, chosen_by="personne")
    with pytest.raises(InvalidInput, match="reçoit les majeurs : la personne relève des structures pour les mineurs"):
        choose_structure(perm.minor.id, entry_id=doctor.id, doctor=None, chosen_on=EVALUATED,
                         chosen_by="representants_legaux")
    # A minor at the facts, adult on the day of the choice, goes to the adults' structures.
    grown = Person.create(last_name="Lampion", first_name="Gustave-Junior", birth_date=dt.date(2008, 9, 1))
    measure = Measure.create(person=grown, parquet_number="26222000009", authority="procureur",
                             stage="alternative_poursuites", facts_on=dt.date(2026, 8, 1),
                             decision_on=dt.date(2026, 10, 2), saisine_received_on=dt.date(2026, 10, 20))
    assert care_public(measure, EVALUATED) == Public.MAJEURS
    assert choice_defaults(measure.id, EVALUATED) == (Public.MAJEURS, ChosenBy.PERSONNE)
    assert choice_defaults(perm.minor.id, EVALUATED) == (Public.MINEURS, ChosenBy.REPRESENTANTS_LEGAUX)
    assert choice_defaults(perm.protected.id, EVALUATED) == (Public.MAJEURS, ChosenBy.TUTEUR)
    choose_structure(measure.id, entry_id=doctor.id, doctor=None, chosen_on=EVALUATED, chosen_by="personne")


def test_who_chooses_is_who_the_law_says(perm: Permanence) -> None:
    """R3413-12: the legal representatives for a minor (the minor's agreement sought), the guardian
    for a protected adult, the person otherwise."""
    phare = perm.entry("CSAPA").id
    cases = ((perm.minor, "personne", "la personne est mineure le 19/11/2026"),
             (perm.adult, "representants_legaux", "la personne est majeure le 19/11/2026"),
             (perm.adult, "tuteur", "n'est pas notée majeur protégé"),
             (perm.protected, "personne", "pour un majeur protégé, le soignant est choisi par l'administrateur"))
    for measure, chooser, message in cases:
        with pytest.raises(InvalidInput, match=message):
            choose_structure(measure.id, entry_id=phare, doctor=None, chosen_on=EVALUATED, chosen_by=chooser)
    choose_structure(perm.minor.id, entry_id=phare, doctor=None, chosen_on=EVALUATED,
                     chosen_by="representants_legaux", minor_agreement=False)
    assert Measure.get_by_id(perm.minor.id).minor_agreement is False


def test_the_answer_is_one_step_and_a_refusal_calls_for_a_new_choice(perm: Permanence) -> None:
    phare, doctor = perm.entry("CSAPA"), perm.entry("Dr")
    first = choose_structure(perm.adult.id, entry_id=phare.id, doctor=None, chosen_on=EVALUATED,
                             chosen_by="personne")
    refused_on = dt.date(2026, 11, 21)
    choose_by = measures.record_answer(first, accepted=False, on=refused_on)
    due = {d.kind: d for d in deadlines_for(Measure.get_by_id(perm.adult.id), TODAY) if not d.done}
    assert choose_by == due[DeadlineKind.DOCTOR_CHOICE].due_on == dt.date(2026, 12, 1)  # the engine's date
    second = choose_structure(perm.adult.id, entry_id=doctor.id, doctor=None, chosen_on=TODAY,
                              chosen_by="personne")
    assert measures.record_answer(second, accepted=True, on=TODAY) is None
    assert Measure.get_by_id(perm.adult.id).status == "suivi"
    with pytest.raises(InvalidInput, match="a refusé la prise en charge le 21/11/2026"):
        measures.record_answer(Orientation.get_by_id(first.id), accepted=True, on=TODAY)


def test_the_chooser_rule_is_the_injonction_therapeutiques_own(perm: Permanence) -> None:
    """R3413-12 is an article of the injonction thérapeutique: another kind of measure keeps what
    the professional records."""
    Measure.update(kind="injonction_de_soins").where(Measure.id == perm.minor.id).execute()
    orientation = choose_structure(perm.minor.id, entry_id=perm.entry("CJC").id, doctor=None, chosen_on=EVALUATED,
                                   chosen_by="personne")
    assert orientation.chosen_by == "personne"
