"""Walk-ins find the existing dossier first (issue 16, point 1) and follow the court's
permanences (point 2)."""

from __future__ import annotations

import datetime as dt

import pytest

from injonctions_tui.domain.agenda.walk_ins import add_walk_in, walk_in_kind, walk_in_on
from injonctions_tui.domain.core.errors import InvalidInput, NeedsConfirmation
from injonctions_tui.domain.core.models import Appointment, AuditEvent, Measure, Person
from injonctions_tui.domain.core.vocabulary import AppointmentKind as AK, AppointmentStatus as AS, MeasureStatus
from injonctions_tui.domain.dossiers.identity import ParquetAlreadyKnown, walk_in_candidates
from injonctions_tui.domain.statements.statement import annual_statement
from injonctions_tui.domain.store.settings import CourtSettings
from tests.conftest import TODAY
from tests.factories.agenda import held_evaluation, make_appointment, make_measure

COURT = CourtSettings()
D, T = dt.date, dt.datetime
MONDAY_10H = T(2026, 11, 23, 10, 5)
THURSDAY = D(2026, 11, 26)


def _lanterne_in_m6() -> Measure:
    """LANTERNE Zéphyrin, adult, measure from 27/05/2026: M3 held, M6 due on 27/11/2026."""
    measure = make_measure("LANTERNE", "Zéphyrin", birth=D(1990, 3, 12), facts_on=D(2026, 5, 17),
                           saisine=D(2026, 5, 20), status=MeasureStatus.SUIVI)
    Measure.update(parquet_number="26060254602").where(Measure.id == measure.id).execute()
    held_evaluation(measure, D(2026, 6, 4))
    make_appointment(measure, T(2026, 8, 27, 9, 0), kind=AK.SUIVI_M3, status=AS.PRESENT)
    return Measure.get_by_id(measure.id)


def test_the_dossier_is_found_by_name_parquet_number_or_birth_date(db: object) -> None:
    measure = _lanterne_in_m6()
    make_measure("LANTERNEAU", "Barnabé", status=MeasureStatus.CLOTURE, outcome="classement_sans_suite")
    for typed in ("lanterne", "LANTERNE zeph", "26060254602", "0254602", "12/03/1990"):
        found = walk_in_candidates(typed)
        assert [c.row.measure_id for c in found] == [measure.id], typed  # closed dossiers are not offered
    assert walk_in_candidates("12/03/1990")[0].by_birth_date
    assert walk_in_candidates("l") == [] and walk_in_candidates("inconnu") == []


def test_a_known_person_walking_in_gets_the_follow_up_due_on_their_own_dossier(db: object) -> None:
    """The issue's case: no second dossier, the état lists the person once."""
    measure = _lanterne_in_m6()
    appointment = walk_in_on(measure.id, today=THURSDAY, court=COURT, now=T(2026, 11, 26, 9, 40))
    assert appointment.measure_id == measure.id and appointment.kind == AK.SUIVI_M6 and appointment.walk_in
    assert appointment.starts_at == T(2026, 11, 26, 9, 30)
    assert Measure.select().count() == 1 and Person.select().count() == 1
    appointment.status = AS.PRESENT
    appointment.save()
    rows = annual_statement(2026, today=D(2026, 12, 31), identity_fields=("name",)).rows
    assert [row.name for row in rows].count("LANTERNE Zéphyrin") == 1


def test_the_kind_is_the_evaluation_the_follow_up_due_or_a_supplementary_interview(db: object) -> None:
    fresh = make_measure("HADDOCK", "Archibald")
    assert walk_in_kind(fresh, TODAY) == AK.EVALUATION_INITIALE
    followed = _lanterne_in_m6()
    assert walk_in_kind(followed, TODAY) == AK.SUIVI_M6  # due on 27/11: within the month
    assert walk_in_kind(followed, D(2026, 10, 1)) == AK.SUPPLEMENTAIRE  # M6 two months away
    make_appointment(followed, T(2026, 11, 26, 9, 0), kind=AK.SUIVI_M6, status=AS.PRESENT)
    assert walk_in_kind(Measure.get_by_id(followed.id), TODAY) == AK.SUPPLEMENTAIRE


def test_someone_already_on_the_day_s_list_is_not_added_twice(db: object) -> None:
    measure = _lanterne_in_m6()
    make_appointment(measure, T(2026, 11, 26, 10, 0), kind=AK.SUIVI_M6)
    with pytest.raises(InvalidInput, match=r"LANTERNE Zéphyrin est déjà sur la liste du jour \(10h00\)"):
        walk_in_on(measure.id, today=THURSDAY, court=COURT, now=T(2026, 11, 26, 9, 40))
    assert Appointment.select().count() == 3


def test_a_parquet_number_already_known_is_refused_naming_the_dossier(db: object) -> None:
    _lanterne_in_m6()
    for written in ("26060254602", "26/060/254602", " 26-0602-54602 "):
        with pytest.raises(ParquetAlreadyKnown, match="déjà celui du dossier de LANTERNE Zéphyrin, né\\(e\\) le "
                                                      "12/03/1990, parquet 26060254602, suivi"):
            add_walk_in(last_name="Lanterne", first_name="Zephirin", birth_date="12/03/1991",
                        parquet_number=written, today=THURSDAY, court=COURT, now=T(2026, 11, 26, 9, 40))
    assert Measure.select().count() == 1 and Person.select().count() == 1
    # The same person typed exactly, with their number: their own dossier, not a refusal.
    appointment = add_walk_in(last_name="LANTERNE", first_name="zéphyrin", birth_date="12/03/1990",
                              parquet_number="26060254602", today=THURSDAY, court=COURT,
                              now=T(2026, 11, 26, 9, 40))
    assert Measure.select().count() == 1 and appointment.kind == AK.SUIVI_M6


def test_a_walk_in_after_the_permanence_s_hours_is_asked_then_recorded(db: object) -> None:
    """Issue 16: a walk-in was booked at 14h30 on the minors' Monday 9h-13h without a word."""
    minor = make_measure("LAMPION", "Séraphin", birth=D(2010, 1, 1), facts_on=D(2026, 9, 1))
    with pytest.raises(NeedsConfirmation) as asked:
        walk_in_on(minor.id, today=TODAY, court=COURT, now=T(2026, 11, 23, 14, 30))
    assert asked.value.reasons == ("14h30 est en dehors de la permanence du lundi (9h-13h, mineurs).",)
    assert asked.value.question == "Accueillir quand même ?" and Appointment.select().count() == 0
    appointment = walk_in_on(minor.id, today=TODAY, court=COURT, now=T(2026, 11, 23, 14, 30), confirmed=True)
    assert appointment.starts_at == T(2026, 11, 23, 14, 30)
    event = AuditEvent.get(AuditEvent.action == "accueil_sans_rdv")
    assert event.details.endswith("derogation=hors_horaires") and "LAMPION" not in event.details.upper()


def test_a_minor_on_the_adults_thursday_is_asked_first(db: object) -> None:
    minor = make_measure("LAMPION", "Séraphin", birth=D(2010, 1, 1), facts_on=D(2026, 9, 1))
    with pytest.raises(NeedsConfirmation, match="La permanence du jeudi reçoit les majeurs"):
        walk_in_on(minor.id, today=THURSDAY, court=COURT, now=T(2026, 11, 26, 9, 5))
    walk_in_on(minor.id, today=THURSDAY, court=COURT, now=T(2026, 11, 26, 9, 5), confirmed=True)
    assert "derogation=public" in AuditEvent.get(AuditEvent.action == "accueil_sans_rdv").details


def test_no_walk_in_on_a_day_without_permanence_nor_on_a_closed_dossier(db: object) -> None:
    measure = _lanterne_in_m6()
    with pytest.raises(InvalidInput, match="Pas de permanence au tribunal le mardi"):
        walk_in_on(measure.id, today=D(2026, 11, 24), court=COURT, now=T(2026, 11, 24, 9, 5), confirmed=True)
    closed = make_measure("DUPONT", "Alfred", status=MeasureStatus.CLOTURE, outcome="classement_sans_suite")
    with pytest.raises(InvalidInput, match="clôturée"):
        walk_in_on(closed.id, today=THURSDAY, court=COURT, now=T(2026, 11, 26, 9, 5))
