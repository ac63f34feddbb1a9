"""The demo's injonctions de soins (issue 21, point 7): a newcomer sees the coordonnateur's
caseload beside the IT — a dozen persons, two JAPs, the procureur's list entry, quarterly
interviews at the office, annual reports sealed, deadlines and one sheet per judge."""

from __future__ import annotations

import datetime as dt

import pytest

from injonctions_tui.domain.core.models import Appointment, Measure, Report
from injonctions_tui.domain.core.vocabulary import ReportStatus
from injonctions_tui.domain.deadlines.engine import DeadlineKind, deadlines_for
from injonctions_tui.domain.demo.builder import populate_demo
from injonctions_tui.domain.register.coordinator import listing_view, own_listing_warning
from injonctions_tui.domain.reports.drafts import verify_integrity
from injonctions_tui.domain.statements.statement import annual_statement
from injonctions_tui.domain.store.coordinator import listing_on
from injonctions_tui.domain.store.professionals import current_user, habilitation_on
from tests.conftest import TODAY

IS = Measure.kind == "injonction_de_soins"
CSAPA = "CSAPA Les Tilleuls (démo)"


@pytest.fixture(params=[TODAY, dt.date(2027, 1, 1)], ids=str)
def today(request) -> dt.date:
    return request.param


@pytest.fixture
def demo(db, today: dt.date):
    return populate_demo(today)


def test_a_dozen_persons_for_two_judges(demo, today: dt.date) -> None:
    care_orders = list(Measure.select().where(IS))
    assert 10 <= len(care_orders) <= 14 and len({m.person_id for m in care_orders}) == len(care_orders)
    assert len({m.magistrat_referent for m in care_orders}) == 2
    assert all(m.ordonnance_on and m.sentence and m.obligation_end_on and m.authority in ("tribunal", "jap")
               for m in care_orders)
    assert {m.status for m in care_orders} >= {"a_convoquer", "orientation", "suivi", "cloture"}


def test_the_user_is_listed_and_habilitated_two_roles(demo, today: dt.date) -> None:
    user = current_user()
    assert user.profession == "medecin" and habilitation_on(user, today) is not None
    assert listing_view(user, today).listed and own_listing_warning(user, today) is None
    for measure in Measure.select().where(IS):
        assert listing_on(user, measure.ordonnance_on) is not None


def test_interviews_at_the_office_and_reports_to_the_jap(demo, today: dt.date) -> None:
    appointments = list(Appointment.select().join(Measure).where(IS))
    assert appointments and all(a.place == CSAPA and a.kind in ("premier_entretien_is", "bilan_is")
                                for a in appointments)
    assert {a.status for a in appointments} >= {"present", "absent", "attendu"}
    reports = list(Report.select().join(Measure).where(IS))
    assert {r.kind for r in reports} == {"rapport_annuel", "incident"}
    for report in reports:
        assert report.status != ReportStatus.FINAL or verify_integrity(report.id)


def test_the_deadlines_and_the_statement_show_the_measure(demo, today: dt.date) -> None:
    kinds = {d.kind for m in Measure.select().where(IS) for d in deadlines_for(m, today) if not d.done}
    assert {DeadlineKind.QUARTERLY_CONVOCATION, DeadlineKind.ANNUAL_REPORT} <= kinds
    statement = annual_statement(today.year - 1, today=today, kind="injonction_de_soins")
    assert len(statement.sheets) == 2 and statement.persons >= 6
    assert any(row.reduced for row in statement.rows) or all(row.followups > 2 for row in statement.rows)
