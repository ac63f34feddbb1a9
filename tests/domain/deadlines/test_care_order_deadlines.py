"""The injonction de soins' deadlines (issue 21, point 2): a convocation per quarter (« au moins 4
fois par an »), the annual report to the JAP, the attestations de suivi at the interval of the
settings, an incident reported to the JAP without delay — with their own kinds and sources in
the échéances (cache) and `echeances --json`, never an IT article. Real encrypted base."""

from __future__ import annotations

import datetime as dt

import pytest

from injonctions_tui.domain.core.models import AttestationDelivery, Report
from injonctions_tui.domain.deadlines.engine import DeadlineKind as DK, deadlines_for
from injonctions_tui.domain.deadlines.listing import deadline_rows, deadlines_json
from injonctions_tui.domain.dossiers.attestations import record_delivery
from injonctions_tui.domain.store.coordinator import save_attestation_months
from tests.conftest import TODAY
from tests.factories.care_orders import interview, list_coordinator, make_care_order
from tests.factories.reports import make_user

ORDONNANCE = dt.date(2025, 10, 6)  # 13 months before TODAY (Monday 23/11/2026)
IS_KINDS = {DK.QUARTERLY_CONVOCATION, DK.ANNUAL_REPORT, DK.FOLLOW_UP_ATTESTATION, DK.JAP_INCIDENT,
            DK.OBLIGATION_END}


@pytest.fixture
def measure(db):
    user = make_user()
    list_coordinator(user, dt.date(2025, 1, 6))
    return make_care_order(user, TODAY, ordonnance_on=ORDONNANCE)


def _of(measure, kind: DK) -> list:
    return [d for d in deadlines_for(measure, TODAY) if d.kind == kind]


def test_only_the_measures_own_kinds_and_sources(measure) -> None:
    found = deadlines_for(measure, TODAY)
    assert {d.kind for d in found} <= IS_KINDS and {DK.QUARTERLY_CONVOCATION, DK.ANNUAL_REPORT} <= {
        d.kind for d in found}
    for deadline in found:
        assert "seed 004" in deadline.source and "R3413" not in deadline.source and "L3413" not in deadline.source
        assert "semestriel" not in deadline.label.lower()


def test_one_convocation_per_quarter_settled_by_an_interview_held_or_missed(measure) -> None:
    quarters = _of(measure, DK.QUARTERLY_CONVOCATION)
    # Quarters 1 to 5 have begun by 23/11/2026 (the fifth runs from 06/10/2026 to 05/01/2027).
    assert [q.due_on for q in quarters] == [dt.date(2026, 1, 5), dt.date(2026, 4, 5), dt.date(2026, 7, 5),
                                            dt.date(2026, 10, 5), dt.date(2027, 1, 5)]
    assert all(q.overdue(TODAY) for q in quarters[:4])
    interview(measure, dt.datetime(2025, 11, 12, 15), kind="premier_entretien_is")
    interview(measure, dt.datetime(2026, 2, 11, 15), status="absent")
    interview(measure, dt.datetime(2026, 5, 13, 15), status="excuse")
    done = [q.done_on for q in _of(measure, DK.QUARTERLY_CONVOCATION)]
    assert done[:3] == [dt.date(2025, 11, 12), dt.date(2026, 2, 11), None]  # excused: to convoke again


def test_an_unexcused_absence_is_an_incident_to_report_to_the_jap(measure) -> None:
    interview(measure, dt.datetime(2026, 11, 18, 15), status="absent")
    (incident,) = _of(measure, DK.JAP_INCIDENT)
    assert incident.due_on == dt.date(2026, 11, 19) and incident.overdue(TODAY)
    assert "absence non excusée du 18/11/2026" in incident.label
    Report.create(measure=measure, kind="incident", status="final", written_on=dt.date(2026, 11, 19),
                  observations="Absence signalée.")
    assert _of(measure, DK.JAP_INCIDENT)[0].done


def test_the_annual_report_is_due_at_each_anniversary_of_the_ordonnance(measure) -> None:
    first, second = _of(measure, DK.ANNUAL_REPORT)  # the second year has begun: listed, not late
    assert first.due_on == dt.date(2026, 10, 6) and first.overdue(TODAY) and "n° 1" in first.label
    assert second.due_on == dt.date(2027, 10, 6) and not second.overdue(TODAY)
    Report.create(measure=measure, kind="rapport_annuel", status="final", written_on=dt.date(2026, 10, 1),
                  observations="Bilan.", proposal="poursuite")
    assert _of(measure, DK.ANNUAL_REPORT)[0].done_on == dt.date(2026, 10, 1)


def test_attestations_follow_the_interval_of_the_settings(measure) -> None:
    assert [a.due_on for a in _of(measure, DK.FOLLOW_UP_ATTESTATION)] == [dt.date(2026, 1, 6)]  # 3 months
    record_delivery(measure.id, dt.date(2026, 10, 20))
    assert AttestationDelivery.select().count() == 1
    after = _of(measure, DK.FOLLOW_UP_ATTESTATION)
    assert after[0].done_on == dt.date(2026, 10, 20) and after[-1].due_on == dt.date(2027, 1, 20)
    save_attestation_months(6)
    assert _of(measure, DK.FOLLOW_UP_ATTESTATION)[-1].due_on == dt.date(2027, 4, 20)
    rows = [r for r in deadline_rows(TODAY) if r.kind == DK.FOLLOW_UP_ATTESTATION]
    assert rows == [] or rows[0].due_on == dt.date(2027, 4, 20)  # the cache was marked stale and recomputed


def test_the_echeances_view_and_json_carry_kinds_and_sources(measure) -> None:
    rows = deadline_rows(TODAY)
    kinds = {row.kind for row in rows}
    assert {DK.QUARTERLY_CONVOCATION.value, DK.ANNUAL_REPORT.value} <= kinds and kinds <= {k.value for k in IS_KINDS}
    payload = deadlines_json(rows, TODAY)["echeances"]
    annual = next(row for row in payload if row["kind"] == "rapport_annuel_jap")
    assert annual["due_on"] == "2026-10-06" and annual["overdue"] is True
    assert "L3711-1" in annual["source"] and "rapport au JAP" in annual["source"]


def test_the_obligations_end_closes_the_computation(db) -> None:
    user = make_user()
    list_coordinator(user, dt.date(2025, 1, 6))
    measure = make_care_order(user, TODAY, ordonnance_on=ORDONNANCE, obligation_end_on="06/04/2026")
    quarters = _of(measure, DK.QUARTERLY_CONVOCATION)
    assert [q.due_on for q in quarters] == [dt.date(2026, 1, 5), dt.date(2026, 4, 5)]
    assert not _of(measure, DK.ANNUAL_REPORT)  # ended before its first anniversary
    (end,) = _of(measure, DK.OBLIGATION_END)
    assert end.due_on == dt.date(2026, 4, 6) and "clôture" in end.label
