"""Guards and state changes on a measure (measures.py): French refusals, audit, no half saves."""

from __future__ import annotations

import datetime as dt

import pytest

from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import (Appointment, AuditEvent, Habilitation, Measure, Orientation, Person,
                                                Professional, Renewal)
from injonctions_tui.domain.core.vocabulary import AppointmentKind as AK, MeasureStatus as S
from injonctions_tui.domain.dossiers import measures
from injonctions_tui.domain.store.professionals import create_user
from tests.conftest import TODAY

D = dt.date


@pytest.fixture
def user(db: object) -> Professional:
    """Tryphon Tournesol, habilitated for 2026 (decision of 15/01/2026)."""
    professional = create_user(last_name="Tournesol", first_name="Tryphon", profession="psychologue",
                               rpps_adeli=None, csapa_name="CSAPA du Château (test)",
                               csapa_address="1 allée des Œillets, 92000 Moulinsart")
    Habilitation.create(professional=professional, status="habilite", list_year=2026,
                        decision_on=D(2026, 1, 15), valid_until=D(2026, 12, 31))
    return professional


def make_measure(saisine: dt.date = D(2026, 1, 5), **fields: object) -> Measure:
    person = Person.create(last_name="Lampion", first_name="Séraphin", birth_date=D(1980, 3, 3))
    return Measure.create(person=person, parquet_number=f"26/{person.id:05d}", authority="procureur",
                          stage="alternative_poursuites", saisine_received_on=saisine, **fields)


def visit(measure: Measure, kind: str, day: dt.date, status: str = "present") -> Appointment:
    return Appointment.create(measure=measure, kind=kind, starts_at=dt.datetime.combine(day, dt.time(9)),
                              place="Tribunal de Moulinsart", status=status)


def actions(measure: Measure) -> list[tuple[str, str]]:
    events = AuditEvent.select().where(AuditEvent.entity_id == measure.id).order_by(AuditEvent.id)
    return [(e.action, e.details) for e in events]


def refused(match: str, call, *args, **kwargs) -> str:  # noqa: ANN001
    with pytest.raises(InvalidInput, match=match) as caught:
        call(*args, **kwargs)
    return caught.value.message


# --------------------------------------------------------------- habilitation

def test_a_current_habilitation_is_required_on_the_date_of_the_act(user: Professional) -> None:
    assert measures.check_habilitated(user, D(2026, 6, 1)).list_year == 2026
    message = refused("n'est pas habilité", measures.check_habilitated, user, D(2027, 1, 5))
    assert message == ("Tryphon TOURNESOL n'est pas habilité(e) à la date du 05/01/2027 "
                       "(habilitation expirée le 31/12/2026).")
    assert "décidée seulement le 15/01/2026" in refused("10/01/2026", measures.check_habilitated,
                                                          user, D(2026, 1, 10))


def test_a_suspension_ends_the_habilitation_from_its_date(user: Professional) -> None:
    Habilitation.create(professional=user, status="suspendu", status_on=D(2026, 7, 1),
                        reason="Suspension ordinale (test)")
    assert measures.check_habilitated(user, D(2026, 6, 30))
    assert "suspendu depuis le 01/07/2026" in refused("02/07/2026", measures.check_habilitated,
                                                       user, D(2026, 7, 2))


def test_a_candidate_or_unknown_professional_is_not_habilitated(db: object) -> None:
    candidate = Professional.create(last_name="Haddock", first_name="Archibald", profession="medecin")
    assert "aucune habilitation" in refused("Archibald HADDOCK", measures.check_habilitated,
                                            candidate, TODAY)
    Habilitation.create(professional=candidate, status="candidat")
    assert "candidature" in refused("pas habilité", measures.check_habilitated, candidate, TODAY)
    refused("Aucun professionnel", measures.check_habilitated, None, TODAY)


def test_assigning_checks_the_habilitation(user: Professional) -> None:
    measure = make_measure()
    refused("31/12/2026", measures.check_habilitated, user, D(2027, 2, 1))  # sanity
    refused("expirée", measures.assign_professional, measure, user, D(2027, 2, 1))
    assert Measure.get_by_id(measure.id).professional is None and actions(measure) == []
    measures.assign_professional(measure, user, D(2026, 2, 1))
    assert Measure.get_by_id(measure.id).professional_id == user.id
    assert actions(measure) == [("attribution_professionnel", f"professionnel={user.id}")]


# --------------------------------------------------------------- orientation

@pytest.mark.parametrize(("structure", "doctor"), [
    ("Cabinet médical", "Dr Tryphon TOURNESOL"),
    ("Cabinet médical", "tournesol tryphon"),
    ("Cabinet du Dr Tournesol (Tryphon)", None),
])
def test_the_habilitated_professional_never_treats_the_person(user: Professional, structure: str,
                                                             doctor: str | None) -> None:
    measure = make_measure()
    message = refused("Orientation refusée", measures.choose_orientation, measure, structure=structure,
                      doctor=doctor, chosen_on=D(2026, 2, 1), chosen_by="personne", user=user)
    assert "ne soigne jamais" in message
    assert Orientation.select().count() == 0 and actions(measure) == []


def test_self_orientation_matches_without_accents_or_case(db: object) -> None:
    accented = Professional.create(last_name="Œil-de-Lynx", first_name="Zoé", profession="infirmier")
    measure = make_measure()
    refused("Orientation refusée", measures.choose_orientation, measure, structure="CSAPA",
            doctor="Dr ZOE OEIL DE LYNX", chosen_on=D(2026, 2, 1), chosen_by="personne", user=accented)
    namesake = measures.choose_orientation(measure, structure="CSAPA", doctor="Dr Lucie Œil-de-Lynx",
                                           chosen_on=D(2026, 2, 1), chosen_by="personne", user=accented)
    assert namesake.doctor == "Dr Lucie Œil-de-Lynx"  # same family name, another person


def test_choice_dates_and_fields_are_checked(user: Professional) -> None:
    measure = make_measure(D(2026, 2, 2))
    visit(measure, AK.EVALUATION_INITIALE, D(2026, 2, 12))
    args = dict(structure="CSAPA du Château", doctor=None, chosen_by="personne", user=user)
    refused("précéder l'évaluation initiale \\(12/02/2026\\)", measures.choose_orientation, measure,
            chosen_on=D(2026, 2, 11), **args)
    refused("réception de la saisine", measures.choose_orientation, measure, chosen_on=D(2026, 1, 30),
            **args)
    refused("Structure de soins : champ obligatoire", measures.choose_orientation, measure,
            **{**args, "structure": "  "}, chosen_on=D(2026, 2, 12))
    refused("Choix fait par", measures.choose_orientation, measure, **{**args, "chosen_by": "voisin"},
            chosen_on=D(2026, 2, 12))
    orientation = measures.choose_orientation(measure, chosen_on=D(2026, 2, 12), **args)
    assert Measure.get_by_id(measure.id).status == S.ORIENTATION
    assert actions(measure) == [("choix_orientation", f"orientation={orientation.id}")]


def test_a_written_agreement_is_recorded_even_late_and_never_moves_the_start(user: Professional) -> None:
    """The agreement is due within 15 days; one received later is recorded and shown late
    (DOMAIN.md step 4), the dossier goes to « Suivi », the measure still starts at the decision."""
    from injonctions_tui.domain.deadlines.engine import DeadlineKind, deadlines_for, measure_timeline
    from injonctions_tui.domain.dossiers.detail import dossier_detail

    measure = make_measure(D(2026, 2, 2), decision_on=D(2026, 1, 26))
    visit(measure, AK.EVALUATION_INITIALE, D(2026, 2, 12))
    orientation = measures.choose_orientation(measure, structure="CSAPA du Château", doctor=None,
                                              chosen_on=D(2026, 2, 16), chosen_by="personne", user=user)
    refused("précéder le choix du 16/02/2026", measures.record_agreement, orientation, D(2026, 2, 15))
    measures.record_agreement(orientation, D(2026, 3, 4))  # one day past the 15 days
    measure = Measure.get_by_id(measure.id)
    assert Orientation.get_by_id(orientation.id).agreement_on == D(2026, 3, 4)
    assert measure.status == S.SUIVI and measure.start_on is None
    assert measure_timeline(measure)[:3] == (D(2026, 1, 26), D(2026, 7, 26), D(2028, 1, 26))
    agreement = [d for d in deadlines_for(measure, TODAY) if d.kind == DeadlineKind.WRITTEN_AGREEMENT]
    assert [(d.due_on, d.done_on) for d in agreement] == [(D(2026, 3, 3), D(2026, 3, 4))]  # done, late
    assert actions(measure)[-1] == ("accord_orientation", f"orientation={orientation.id} hors_delai")
    orientation_line = dossier_detail(measure.id, TODAY).orientation[0][1]
    assert "accord écrit le 04/03/2026 — hors délai (attendu au plus tard le 03/03/2026)" in orientation_line


def test_a_refused_orientation_cannot_be_agreed(db: object) -> None:
    measure = make_measure()
    orientation = Orientation.create(measure=measure, structure="Cabinet Haddock",
                                     chosen_on=D(2026, 2, 1), refused_on=D(2026, 2, 5))
    refused("a refusé la prise en charge le 05/02/2026", measures.record_agreement, orientation,
            D(2026, 2, 6))


# --------------------------------------------------------------- renewal

def test_renewals_extend_by_six_months_up_to_the_two_year_cap(db: object) -> None:
    measure = make_measure(D(2026, 7, 1), start_on=D(2026, 8, 31), planned_end_on=D(2027, 2, 28))
    ends = [measures.renew(measure, decided, today=decided).new_end_on
            for decided in (D(2027, 2, 1), D(2027, 8, 1), D(2028, 2, 1))]
    assert ends == [D(2027, 8, 31), D(2028, 2, 29), D(2028, 8, 31)]  # counted from the start
    assert Measure.get_by_id(measure.id).planned_end_on == D(2028, 8, 31)
    message = refused("durée maximale", measures.renew, measure, D(2028, 8, 1), D(2028, 8, 1))
    assert message == ("Renouvellement refusé : la mesure atteint déjà sa durée maximale de 24 mois "
                       "(fin le 31/08/2028). Elle ne peut plus être prolongée.")
    assert Renewal.select().count() == 3
    assert [a for a, _ in actions(measure)] == ["renouvellement"] * 3


def test_a_renewal_is_clamped_at_the_cap(db: object) -> None:
    measure = make_measure(D(2026, 2, 2), start_on=D(2026, 3, 15))
    for decided in (D(2026, 9, 1), D(2027, 3, 1)):
        measures.renew(measure, decided, today=decided)
    assert measures.renew(measure, D(2027, 9, 1), D(2027, 9, 1)).new_end_on == D(2028, 3, 15)
    assert actions(measure)[-1] == ("renouvellement", "fin=2028-03-15")


def test_renewal_needs_a_start_and_a_decision_dated_in_the_possible(db: object) -> None:
    """A renewal is decided between the start (or the previous renewal) and the end of the
    period in course, and never in the future: one rule, shared with the closure."""
    unstarted = make_measure()
    refused("date de la décision qui a prononcé la mesure n'est pas renseignée", measures.renew, unstarted,
            TODAY, TODAY)
    measure = make_measure(D(2026, 2, 2), decision_on=D(2026, 1, 30), start_on=D(2026, 3, 15))
    refused("précéder le début de la mesure \\(15/03/2026\\)", measures.renew, measure, D(2026, 3, 1), TODAY)
    refused("le 01/01/2030 est dans le futur", measures.renew, measure, D(2030, 1, 1), TODAY)
    refused("suivre la fin de la période en cours \\(15/09/2026\\)", measures.renew, measure, D(2026, 9, 16),
            TODAY)
    measures.renew(measure, D(2026, 9, 1), TODAY)
    refused("précéder le renouvellement précédent", measures.renew, measure, D(2026, 8, 1), TODAY)
    assert Measure.get_by_id(measure.id).planned_end_on == D(2027, 3, 15)
    assert Renewal.select().count() == 1


# --------------------------------------------------------------- closure, read-only, reopening

@pytest.mark.parametrize(("outcome", "on", "match"), [
    (None, D(2026, 6, 1), "Issue de la mesure : choisissez"),
    ("", D(2026, 6, 1), "Issue de la mesure : choisissez"),
    ("acquittement", D(2026, 6, 1), "« acquittement » n'est pas une issue connue"),
    ("classement_sans_suite", None, "Date de la décision : date manquante"),
    ("classement_sans_suite", D(2026, 1, 4), "précéder la réception de la saisine \\(05/01/2026\\)"),
    ("classement_sans_suite", TODAY + dt.timedelta(days=1), "le 24/11/2026 est dans le futur"),
])
def test_closing_requires_an_outcome_and_a_valid_date(db: object, outcome: str | None,
                                                      on: dt.date | None, match: str) -> None:
    measure = make_measure()
    refused(match, measures.close, measure, outcome, on, TODAY)
    stored = Measure.get_by_id(measure.id)
    assert (stored.outcome, stored.status) == (None, S.A_CONVOQUER) and actions(measure) == []


def test_a_closed_dossier_is_read_only(user: Professional) -> None:
    measure = make_measure(start_on=D(2026, 2, 1))
    measures.close(measure, "classement_sans_suite", TODAY, TODAY)
    stored = Measure.get_by_id(measure.id)
    assert (stored.outcome, stored.outcome_on, stored.status) == ("classement_sans_suite", TODAY, S.CLOTURE)
    closed = measures.CLOSED_MESSAGE
    assert closed == "Dossier clôturé : rouvrez-le pour le modifier."
    refused(closed, measures.ensure_editable, stored)
    refused(closed, measures.renew, stored, TODAY, TODAY)
    refused(closed, measures.close, stored, "poursuites", TODAY, TODAY)
    refused(closed, measures.assign_professional, stored, user, D(2026, 6, 1))
    refused(closed, measures.choose_orientation, stored, structure="CSAPA", doctor=None,
            chosen_on=TODAY, chosen_by="personne", user=user)
    assert actions(measure) == [("cloture", "issue=classement_sans_suite")]


def test_reopening_needs_a_reason_and_is_logged_without_it(db: object) -> None:
    measure = make_measure()
    refused("n'est pas clôturé", measures.reopen, measure, "Erreur de saisie")
    visit(measure, AK.EVALUATION_INITIALE, D(2026, 1, 15))
    measures.close(measure, "non_opportune", D(2026, 2, 1), TODAY)
    refused("Motif de la réouverture : champ obligatoire", measures.reopen, measure, "   ")
    reason = "Décision de M. Tapioca annulée"
    assert measures.reopen(measure, reason) == S.EVALUATION
    stored = Measure.get_by_id(measure.id)
    assert (stored.outcome, stored.outcome_on, stored.status) == (None, None, S.EVALUATION)
    measures.ensure_editable(stored)  # editable again
    assert actions(measure)[-1] == ("reouverture", f"motif : {len(reason)} caractères")
    assert all("Tapioca" not in details and "Lampion" not in details for _, details in actions(measure))


def test_status_is_derived_from_the_rows(db: object) -> None:
    measure = make_measure()
    assert measures.compute_status(measure) == S.A_CONVOQUER
    visit(measure, AK.EVALUATION_INITIALE, D(2026, 1, 15), "absent")
    assert measures.compute_status(measure) == S.EVALUATION
    Orientation.create(measure=measure, structure="Cabinet Haddock", chosen_on=D(2026, 1, 20),
                       refused_on=D(2026, 1, 25))
    assert measures.compute_status(measure) == S.EVALUATION  # a refusal leaves no orientation
    standing = Orientation.create(measure=measure, structure="CSAPA du Château", chosen_on=D(2026, 1, 28))
    assert measures.compute_status(measure) == S.ORIENTATION  # the agreement is awaited
    Orientation.update(agreement_on=D(2026, 2, 2)).where(Orientation.id == standing.id).execute()
    assert measures.refresh_status(measure) == S.SUIVI  # agreed: the care is in place
    measure.outcome = "classement_sans_suite"
    assert measures.compute_status(measure) == S.CLOTURE
