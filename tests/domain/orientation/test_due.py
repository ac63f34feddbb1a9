"""The orientation papers due on a day, for the batch of the day (documents_due_on)."""

from __future__ import annotations

import datetime as dt

from injonctions_tui.domain.core.models import Appointment, Measure
from injonctions_tui.domain.documents.catalogue import DOCUMENT_KINDS
from injonctions_tui.domain.orientation.choice import choose_structure
from injonctions_tui.domain.orientation.due import DueDocument, documents_due_on
from tests.conftest import TODAY
from tests.factories.orientation import EVALUATED, Permanence


def test_the_papers_due_on_a_permanence_day(perm: Permanence) -> None:
    choose_structure(perm.adult.id, entry_id=perm.entry("CSAPA").id, doctor=None, chosen_on=EVALUATED,
                     chosen_by="personne")
    choose_structure(perm.minor.id, entry_id=perm.entry("CJC").id, doctor=None, chosen_on=EVALUATED,
                     chosen_by="representants_legaux")
    Measure.update(decision_on=None).where(Measure.id == perm.minor.id).execute()  # its letter cannot say it
    Appointment.create(measure=perm.protected, kind="evaluation_initiale", starts_at=dt.datetime.combine(EVALUATED, dt.time(11)),
                       place="Tribunal judiciaire de Nanterre", status="absent")  # absent: no sheet handed
    due = documents_due_on(EVALUATED)
    assert due == [
        DueDocument("fiche-information", perm.adult.id, "évaluation initiale de 09h30"),
        DueDocument("fiche-information", perm.minor.id, "évaluation initiale de 09h30"),
        DueDocument("fiche-information", perm.protected.id, "évaluation initiale de 09h30"),
        DueDocument("formulaire-choix", perm.adult.id, "choix du soignant enregistré ce jour"),
        DueDocument("lettre-soignant", perm.adult.id, "soignant choisi ce jour, à informer"),
        DueDocument("formulaire-choix", perm.minor.id, "choix du soignant enregistré ce jour"),
        DueDocument("annuaire", "majeurs", "liste des soignants remise aux majeurs"),
        DueDocument("annuaire", "mineurs", "liste des soignants remise aux mineurs"),
    ]
    for document in due:  # each can be printed as the dossier stands, in one batch
        assert DOCUMENT_KINDS[document.key].build(document.target, today=EVALUATED).data.startswith(b"%PDF")
    assert documents_due_on(TODAY) == []


def test_closed_and_other_measures_have_nothing_due(perm: Permanence) -> None:
    Measure.update(outcome="non_opportune", outcome_on=EVALUATED, status="cloture").where(
        Measure.id == perm.adult.id).execute()
    Measure.update(kind="injonction_de_soins").where(Measure.id == perm.minor.id).execute()
    assert [(d.key, d.target) for d in documents_due_on(EVALUATED)] == [
        ("fiche-information", perm.protected.id), ("annuaire", "majeurs")]
