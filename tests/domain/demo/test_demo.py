"""The demonstration data: plausible, consistent, fictional and reproducible.

Each check reads the rows back from a real encrypted database, as the screens will,
and most run for several `today` values (a Monday, a public holiday, 29 February).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import holidays
import pytest

from injonctions_tui.domain.core.dates import add_months, age_on
from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import (ALL_MODELS, Appointment, Habilitation, LegalRepresentative, Measure,
                                                Orientation, Person, Professional, Renewal, Report)
from injonctions_tui.domain.core.people import public_for
from injonctions_tui.domain.core.text import search_key
from injonctions_tui.domain.core.vocabulary import (AppointmentKind, AppointmentStatus, HabilitationStatus,
                                                    MeasureStatus, Outcome, Profession, Public, ReportKind,
                                                    ReportStatus)
from injonctions_tui.domain.deadlines.engine import measure_timeline
from injonctions_tui.domain.demo.builder import DemoSummary, populate_demo
from injonctions_tui.domain.reports.drafts import verify_integrity
from injonctions_tui.domain.store import storage
from injonctions_tui.domain.store.professionals import current_user, habilitation_on
from tests.conftest import PASSPHRASE, TODAY

TODAYS = [TODAY, dt.date(2027, 1, 1), dt.date(2028, 2, 29)]
NOW_TIME = dt.time(10, 0)
FORBIDDEN = ("abstinent", "guéri", "guérison", "méthadone", "buprénorphine", "subutex",
             "dépistage", "analyse", "diagnostic", "schizophr", "dépression")
ADHERENCE = {"effective", "partielle", "absente", "non_evaluable"}
PROPOSALS = {"opportune", "poursuite", "modification", "renouvellement", "fin_reussite", "fin_echec",
             "non_opportune"}
COURT = "Tribunal judiciaire de Nanterre"
CSAPA = "CSAPA Les Tilleuls (démo)"


@pytest.fixture(params=TODAYS, ids=str)
def today(request: pytest.FixtureRequest) -> dt.date:
    return request.param


@pytest.fixture
def demo(db: object, today: dt.date) -> DemoSummary:
    return populate_demo(today)


def _public(measure: Measure) -> Public:
    return public_for(measure.person.birth_date, measure.facts_on, measure.public_override,
                      measure.saisine_received_on)


def _french_holidays(today: dt.date) -> holidays.HolidayBase:
    return holidays.France(years=range(today.year - 3, today.year + 3))


def _agenda_day(today: dt.date) -> dt.date:
    """Today if it is a permanence day (Monday, Thursday) and not a holiday, else the next."""
    off, day = _french_holidays(today), today
    while day.weekday() not in (0, 3) or day in off:
        day += dt.timedelta(days=1)
    return day


def _dump() -> dict[str, list[dict]]:
    """Every row, without the MACs: each base has its own key, so its own seals (issue 15)."""
    return {model.__name__: [{k: v for k, v in row.items() if k not in ("mac", "integrity_mac")}
                             for row in model.select().order_by(*model._meta.get_primary_keys()).dicts()]
            for model in ALL_MODELS}


def test_summary_counts_are_in_the_expected_ranges(demo: DemoSummary) -> None:
    assert 55 <= demo.persons <= 70
    assert demo.persons == Person.select().count()
    assert demo.persons < demo.measures <= demo.persons + 5  # a few persons have two measures
    assert 6 <= demo.professionals <= 8
    assert demo.appointments == Appointment.select().count() > 2 * demo.measures
    assert demo.reports == Report.select().count() > demo.measures
    assert demo.legal_representatives == LegalRepresentative.select().count() >= 15


def test_register_covers_every_habilitation_situation(demo: DemoSummary, today: dt.date) -> None:
    colleagues = list(Professional.select().where(Professional.is_user == False))  # noqa: E712
    assert 5 <= len(colleagues) <= 7
    assert {c.profession for c in colleagues} >= {Profession.MEDECIN, Profession.INFIRMIER,
                                                   Profession.PSYCHOLOGUE}
    statuses = {h.status for h in Habilitation.select()}
    assert statuses == set(HabilitationStatus)
    current = [c for c in colleagues if habilitation_on(c, today)]
    expiring = [c for c in current if habilitation_on(c, today).valid_until <= today + dt.timedelta(days=60)]
    expired = [c for c in colleagues if not habilitation_on(c, today) and all(
        h.status == HabilitationStatus.HABILITE for h in c.habilitations)]
    assert len(current) >= 2 and len(expiring) == 1 and len(expired) == 1
    for status in (HabilitationStatus.SUSPENDU, HabilitationStatus.RADIE, HabilitationStatus.RETIRE):
        row = Habilitation.get(Habilitation.status == status)
        assert row.reason and row.status_on <= today
        assert habilitation_on(row.professional, today) is None
    candidate = Habilitation.get(Habilitation.status == HabilitationStatus.CANDIDAT).professional
    assert candidate.profession == Profession.MEDECIN
    assert age_on(candidate.order_registered_on, today) < 3  # the three-year rule is not met
    for professional in Professional.select():
        assert re.fullmatch(r"\d{11}|\d{9}", professional.rpps_adeli)


def test_user_is_fictional_and_habilitated_for_the_whole_period(demo: DemoSummary,
                                                                today: dt.date) -> None:
    user = current_user()
    assert user.full_name == "Séraphine SECCOTINE"
    assert user.csapa_name == CSAPA and "Nanterre" in user.csapa_address
    current = habilitation_on(user, today)
    assert current.list_year == today.year and current.valid_until > today + dt.timedelta(days=60)
    assert re.fullmatch(r"ARS-IDF-DEMO-\d{4}-\d{3}", current.decision_reference)
    oldest = Measure.select().order_by(Measure.saisine_received_on).first().saisine_received_on
    assert habilitation_on(user, oldest) is not None
    assert Measure.select().where(Measure.professional != user).count() == 0


def test_same_today_and_seed_give_identical_databases(db: object, tmp_path: Path) -> None:
    populate_demo(TODAY, seed=7)
    first = _dump()
    db.close()  # type: ignore[attr-defined]
    other = storage.create_database(tmp_path / "b.db", PASSPHRASE, kdf=storage.FAST_KDF)
    try:
        populate_demo(TODAY, seed=7)
        second = _dump()
    finally:
        other.close()
    assert first == second
    assert len(first["Person"]) >= 55 and len(first["Report"]) > 50


def test_another_seed_gives_other_data(db: object, tmp_path: Path) -> None:
    populate_demo(TODAY, seed=1)
    first = [(p["last_name"], p["first_name"], p["birth_date"]) for p in _dump()["Person"]]
    db.close()  # type: ignore[attr-defined]
    other = storage.create_database(tmp_path / "b.db", PASSPHRASE, kdf=storage.FAST_KDF)
    try:
        populate_demo(TODAY, seed=2)
        second = [(p["last_name"], p["first_name"], p["birth_date"]) for p in _dump()["Person"]]
    finally:
        other.close()
    assert first != second


def test_refuses_a_database_that_already_has_data(demo: DemoSummary, today: dt.date) -> None:
    with pytest.raises(InvalidInput, match="déjà"):
        populate_demo(today)
    assert Person.select().count() == demo.persons


def test_every_status_and_every_outcome_is_present(demo: DemoSummary) -> None:
    measures = list(Measure.select())
    assert {m.status for m in measures} == set(MeasureStatus)
    assert {m.outcome for m in measures if m.outcome} == set(Outcome)
    counts = Counter(m.status for m in measures)
    assert counts[MeasureStatus.A_CONVOQUER] >= 3 and counts[MeasureStatus.SUIVI] >= 10


def test_each_status_matches_the_measure_data(demo: DemoSummary, today: dt.date) -> None:
    for measure in Measure.select():
        appointments = list(measure.appointments)
        orientations = [o for o in measure.orientations if o.refused_on is None]
        followups = [a for a in appointments if a.kind != AppointmentKind.EVALUATION_INITIALE]
        if measure.status == MeasureStatus.CLOTURE:
            assert measure.outcome and measure.outcome_on <= today
            continue
        assert measure.outcome is None and measure.outcome_on is None
        if measure.status == MeasureStatus.A_CONVOQUER:
            assert not appointments and measure.saisine_received_on >= today - dt.timedelta(days=10)
        elif measure.status == MeasureStatus.EVALUATION:
            assert appointments and not followups and not orientations
        elif measure.status == MeasureStatus.ORIENTATION:
            assert len(orientations) == 1 and not orientations[0].agreement_on
        else:  # « Suivi »: the chosen doctor has agreed; the measure runs from its decision
            assert orientations[0].agreement_on and measure_timeline(measure).start == measure.decision_on
            # A running measure always has its next interview booked (once follow-up has begun).
            assert not followups or any(a.status == AppointmentStatus.ATTENDU for a in appointments) or \
                measure.planned_end_on <= _agenda_day(today)


def test_dates_follow_the_procedure(demo: DemoSummary, today: dt.date) -> None:
    for measure in Measure.select():
        assert measure.facts_on < measure.decision_on < measure.saisine_received_on <= today
        assert measure.saisine_received_on >= add_months(today, -25)
        evaluations = [a.starts_at.date() for a in measure.appointments
                       if a.kind == AppointmentKind.EVALUATION_INITIALE]
        assert all(day > measure.saisine_received_on for day in evaluations)
        for orientation in measure.orientations:
            assert orientation.chosen_on >= min(evaluations) and orientation.chosen_on <= today
            assert orientation.agreement_on is None or orientation.chosen_on < orientation.agreement_on <= today
        assert measure.start_on is None  # the demo's measures start at their decision
        if measure.planned_end_on:
            renewals = list(measure.renewals)
            assert measure.planned_end_on == add_months(measure.decision_on, 6 * (1 + len(renewals)))
            for renewal in renewals:
                assert renewal.decided_on <= today
                assert renewal.new_end_on <= add_months(measure.decision_on, 24)
    assert Renewal.select().count() >= 5


def test_past_appointments_are_settled_and_future_ones_awaited(demo: DemoSummary,
                                                               today: dt.date) -> None:
    now = dt.datetime.combine(today, NOW_TIME)
    statuses = Counter()
    for appointment in Appointment.select():
        future = appointment.starts_at >= now
        assert (appointment.status == AppointmentStatus.ATTENDU) == future
        statuses[appointment.status] += 1
    assert set(statuses) == set(AppointmentStatus)
    assert statuses[AppointmentStatus.PRESENT] > sum(statuses.values()) / 2
    walk_ins = list(Appointment.select().where(Appointment.walk_in == True))  # noqa: E712
    assert 1 <= len(walk_ins) <= 3 and all(a.status == AppointmentStatus.PRESENT for a in walk_ins)


def test_minors_and_adults(demo: DemoSummary, today: dt.date) -> None:
    minors_at_facts = {m.person_id for m in Measure.select() if _public(m) == Public.MINEURS}
    assert 15 <= len(minors_at_facts) <= 25  # about a third
    adults_now = [p for p in Person.select() if p.id in minors_at_facts and age_on(p.birth_date, today) >= 18]
    assert len(adults_now) >= 2
    for person in Person.select().where(Person.id.in_(minors_at_facts)):
        representatives = list(person.legal_representatives)
        assert 1 <= len(representatives) <= 2
        assert all(re.fullmatch(r"0[167] 00 00 \d\d \d\d", r.phone) for r in representatives)
    protected = list(Person.select().where(Person.is_protected_adult == True))  # noqa: E712
    assert len(protected) >= 2 and all(p.guardian_name and p.id not in minors_at_facts for p in protected)


def test_court_appointments_keep_to_the_permanences(demo: DemoSummary, today: dt.date) -> None:
    off = _french_holidays(today)
    first_slot, last_slot = dt.time(9, 0), dt.time(12, 30)
    for appointment in Appointment.select():
        day, time = appointment.starts_at.date(), appointment.starts_at.time()
        assert day not in off and day.weekday() < 5
        if appointment.place == COURT:
            expected = 0 if _public(appointment.measure) == Public.MINEURS else 3
            assert day.weekday() == expected, appointment.starts_at
            assert first_slot <= time <= last_slot and time.minute in (0, 30)
        else:
            assert appointment.place == CSAPA and day.weekday() not in (0, 3)
    assert Appointment.select().where(Appointment.place == CSAPA).count() >= 5
    starts = [a.starts_at for a in Appointment.select()]
    assert len(starts) == len(set(starts)), "two appointments in the same slot"


def test_agenda_is_full_on_the_first_permanence_day(demo: DemoSummary, today: dt.date) -> None:
    day = _agenda_day(today)
    assert demo.agenda_day == day
    start = dt.datetime.combine(day, dt.time.min)
    rows = list(Appointment.select().where((Appointment.starts_at >= start)
                                           & (Appointment.starts_at < start + dt.timedelta(days=1))))
    assert 6 <= len(rows) <= 10 and demo.agenda_appointments == len(rows)
    kinds = {a.kind for a in rows}
    assert AppointmentKind.EVALUATION_INITIALE in kinds and AppointmentKind.SUIVI_M3 in kinds
    statuses = Counter(a.status for a in rows)
    if day == today:  # the early slots of the morning are already held
        assert statuses[AppointmentStatus.PRESENT] >= 1 and statuses[AppointmentStatus.ATTENDU] >= 4
    else:
        assert set(statuses) == {AppointmentStatus.ATTENDU}


def test_reports_are_non_clinical_and_well_formed(demo: DemoSummary, today: dt.date) -> None:
    reports = list(Report.select())
    assert {r.kind for r in reports} == set(ReportKind)
    for report in reports:
        text = report.observations.casefold()
        assert text and not [word for word in FORBIDDEN if word in text], report.observations
        assert report.adherence is None or report.adherence in ADHERENCE
        assert report.proposal is None or report.proposal in PROPOSALS
        assert report.written_on <= today
        if report.status == ReportStatus.FINAL:
            # Sealed like a real one: frozen facts, and a hash that verifies.
            assert report.finalised_at and report.facts_json and verify_integrity(report.id)
        else:
            assert report.finalised_at is None and report.content_hash is None
    assert sum(r.status == ReportStatus.BROUILLON for r in reports) >= 2


def test_reports_follow_the_interviews(demo: DemoSummary) -> None:
    held = Appointment.select().where(Appointment.status == AppointmentStatus.PRESENT)
    reported = {r.appointment_id: r.kind for r in Report.select() if r.appointment_id}
    for appointment in held:
        expected = (ReportKind.AVIS_MOTIVE if appointment.kind == AppointmentKind.EVALUATION_INITIALE
                    else ReportKind.FICHE_NAVETTE)
        assert reported.get(appointment.id) == expected
        report = Report.get((Report.appointment == appointment) & (Report.version == 1))
        assert 0 <= (report.written_on - appointment.starts_at.date()).days <= 3
    for measure in Measure.select().where(Measure.outcome.is_null(False)):
        assert any(r.kind == ReportKind.FIN_DE_MESURE for r in measure.reports)
    correction = Report.get(Report.version == 2)
    assert correction.previous.version == 1 and correction.previous.status == ReportStatus.FINAL
    assert correction.previous.measure_id == correction.measure_id


def test_names_are_fictional_unique_and_searchable(demo: DemoSummary) -> None:
    persons = list(Person.select())
    assert len({p.full_name for p in persons}) == len(persons)
    assert any("Œ" in p.last_name for p in persons)
    assert any(re.search(r"[ÉÈÊËÀÂÎÏÔÙÛÜÇ]", p.last_name) for p in persons)
    hits = Person.select().where(Person.search_name.contains(search_key("oeillet")))
    assert [p.last_name for p in hits] == ["ŒILLET"]
    for person in persons:
        assert re.fullmatch(r"0[67] 00 00 \d\d \d\d", person.phone)
        assert person.email is None or person.email.endswith("@exemple.invalid")
    numbers = [m.parquet_number for m in Measure.select()]
    assert len(set(numbers)) == len(numbers) and all(re.fullmatch(r"\d{11}", n) for n in numbers)
    assert all(o.structure.endswith("(démo)") for o in Orientation.select())
