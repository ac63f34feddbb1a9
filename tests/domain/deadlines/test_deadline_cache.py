"""The cached pending deadlines (deadline_cache.py, migration 6) always equal the live
computation of the engine: on the demo, for several days, after every kind of write
through the domain and through raw SQL (the triggers), after an upgrade from schema 5,
and when the engine changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from injonctions_tui.domain.agenda import booking, days as agenda
from injonctions_tui.domain.core.models import (Appointment, DeadlineStale, Measure, Orientation, PendingDeadline,
                                                Person, Renewal, Report)
from injonctions_tui.domain.core.vocabulary import AppointmentKind as AK
from injonctions_tui.domain.deadlines import cache as deadline_cache
from injonctions_tui.domain.deadlines.cache import cached_overdue, pending_deadlines, refresh
from injonctions_tui.domain.deadlines.engine import (Deadline, DeadlineKind as K, deadlines_by_measure, overdue,
                                                     pending_deadlines_live)
from injonctions_tui.domain.demo.builder import populate_demo
from injonctions_tui.domain.dossiers import form as dossier_form, measures, retention
from injonctions_tui.domain.reports import drafts as report_drafts
from injonctions_tui.domain.store import integrity, migrations, storage
from injonctions_tui.domain.store.settings import load_court
from tests.conftest import PASSPHRASE, TODAY

D = dt.date
CSAPA = "CSAPA du test de cache"
#: Days the cache is compared on: it is computed once for all of them.
DAYS = (TODAY, D(2026, 10, 14), D(2027, 1, 26), D(2027, 1, 27), D(2027, 6, 1))
WATCHED = ("measure", "appointment", "orientation", "renewal", "report")


def full(deadlines: list[Deadline]) -> list[tuple[object, ...]]:
    """Every field, `anchor_on` included (equality leaves it out)."""
    return [(d.measure_id, d.kind, d.due_on, d.label, d.source, d.done_on, d.anchor_on) for d in deadlines]


def live_overdue(measure_ids: list[int], today: dt.date) -> dict[int, list[Deadline]]:
    """What the agenda computed before the cache: the engine's bulk load, then `overdue`."""
    return {mid: late for mid, found in deadlines_by_measure(today, measure_ids).items()
            if (late := overdue(found, today))}


def stale() -> set[int]:
    return {mid for (mid,) in DeadlineStale.select(DeadlineStale.measure_id).tuples()}


def assert_cache_is_live(today: dt.date) -> None:
    live = pending_deadlines_live(today)
    assert full(pending_deadlines(today)) == full(live)
    assert not stale()
    assert full(pending_deadlines(today, limit=7)) == full(live[:7])
    assert full(pending_deadlines(today, overdue_only=True)) == full([d for d in live if d.overdue(today)])
    ids = [mid for (mid,) in Measure.select(Measure.id).tuples()]
    some = ids[::3]
    assert (full(pending_deadlines(today, measure_ids=some, limit=20))
            == full(pending_deadlines_live(today, measure_ids=some, limit=20)))
    assert ({mid: full(found) for mid, found in cached_overdue(ids, today).items()}
            == {mid: full(found) for mid, found in live_overdue(ids, today).items()})
    for horizon in (-1, 0, 7, 30):  # the dossier list's « échéance » filters
        assert deadline_cache.measures_due(today, horizon) == sorted(
            {d.measure_id for d in live if d.days_left(today) <= horizon})


def weeks(today: dt.date) -> list[agenda.DayView]:
    court = load_court()
    return [view for offset in range(-3, 3)
            for view in agenda.week_view(court, today + dt.timedelta(weeks=offset), today)]


@pytest.fixture
def demo(db: object) -> object:
    populate_demo(TODAY)
    return db


# ------------------------------------------------------------------ the demo, several days

def test_the_cache_equals_the_engine_on_the_demo_whatever_the_day(demo: object) -> None:
    # Unexcused absences not reported yet (the demo reports all of its own), one of them
    # recorded ahead of its day (an import may carry one): incident reports pending.
    measure = _open_measure_with("appointment")
    for day in (TODAY - dt.timedelta(days=10), TODAY + dt.timedelta(days=20)):
        Appointment.create(measure=measure, kind=AK.SUPPLEMENTAIRE, starts_at=dt.datetime.combine(day, dt.time(9)),
                           place=CSAPA, status="absent")
    absences = sorted({d.anchor_on for d in pending_deadlines(D(2030, 1, 1)) if d.kind == K.INCIDENT_REPORT})
    assert len(absences) == 2 and None not in absences
    days = [TODAY, absences[-1] - dt.timedelta(days=1), absences[-1], absences[0] - dt.timedelta(days=1),
            TODAY - dt.timedelta(days=200), TODAY + dt.timedelta(days=60), D(2030, 1, 1)]
    for today in days:
        assert_cache_is_live(today)
    assert PendingDeadline.select().count() > 0
    # The incident report of the last absence is only listed once it has happened.
    def incident(today: dt.date) -> list[Deadline]:
        return [d for d in pending_deadlines(today) if d.kind == K.INCIDENT_REPORT and d.anchor_on == absences[-1]]
    assert incident(absences[-1]) and not incident(absences[-1] - dt.timedelta(days=1))


@pytest.mark.parametrize("today", [TODAY, TODAY + dt.timedelta(days=10), TODAY - dt.timedelta(days=45)],
                         ids=str)
def test_agenda_flags_are_unchanged(demo: object, today: dt.date, monkeypatch: pytest.MonkeyPatch) -> None:
    cached = weeks(today)
    with monkeypatch.context() as patch:
        patch.setattr(agenda, "_overdue_deadlines", live_overdue)
        live = weeks(today)
    assert cached == live
    rows = [row for view in cached for row in view.rows]
    assert rows and (today != TODAY or any(row.overdue for row in rows))


def test_no_write_and_three_reads_once_fresh(demo: object) -> None:
    refresh()
    assert refresh() == 0
    assert not stale()


# ------------------------------------------------------------------ writes through the domain

def check(measure: Measure) -> list[Deadline]:
    """The write marked the measure (trigger), and the cache then agrees with the engine."""
    assert measure.id in stale()
    for today in DAYS:
        assert_cache_is_live(today)
    return [d for d in pending_deadlines(D(2030, 1, 1)) if d.measure_id == measure.id]


def kinds(found: list[Deadline]) -> set[K]:
    return {d.kind for d in found}


def test_every_write_of_a_measure_s_life_keeps_the_cache_exact(demo: object) -> None:
    refresh()
    person = Person.create(last_name="CACHE", first_name="Séraphin", birth_date=D(1990, 5, 14))
    measure = Measure.create(person=person, parquet_number="26999000001", authority="procureur",
                             stage="alternative_poursuites", saisine_received_on=D(2026, 10, 1),
                             magistrat_referent="Mme la substitute Tapioca (test)")
    assert kinds(check(measure)) == {K.EVALUATION}
    measure.decision_on = D(2026, 9, 25)  # the measure starts: M3, periods, maximum
    measure.save()
    assert kinds(check(measure)) == {K.EVALUATION, K.INTERVIEW_M3, K.INTERVIEW_M6, K.END_OF_INITIAL_PERIOD,
                                     K.MAXIMUM_DURATION}

    evaluation = booking.book(measure.id, AK.EVALUATION_INITIALE, dt.datetime(2026, 10, 13, 10), place=CSAPA,
                              today=D(2026, 10, 12))
    check(measure)
    booking.mark(evaluation.id, "present", D(2026, 10, 13))
    assert {K.REASONED_OPINION, K.DOCTOR_CHOICE} <= kinds(check(measure))

    first = measures.choose_orientation(measure, structure="CSAPA Le Rivage", doctor=None,
                                        chosen_on=D(2026, 10, 15), chosen_by="personne", user=None)
    assert K.WRITTEN_AGREEMENT in kinds(check(measure))
    measures.record_refusal(Orientation.get_by_id(first.id), D(2026, 10, 20))
    assert K.DOCTOR_CHOICE in kinds(check(measure))
    second = measures.choose_orientation(measure, structure="Centre Horizon", doctor=None,
                                         chosen_on=D(2026, 10, 22), chosen_by="personne", user=None)
    check(measure)
    measures.record_agreement(Orientation.get_by_id(second.id), D(2026, 10, 27))
    assert {K.INTERVIEW_M3, K.END_OF_INITIAL_PERIOD} <= kinds(check(measure))

    missed = booking.book(measure.id, AK.SUIVI_M3, dt.datetime(2027, 1, 27, 10), place=CSAPA,
                          today=D(2027, 1, 20))
    check(measure)
    booking.mark(missed.id, "absent", D(2027, 1, 27))
    assert K.INCIDENT_REPORT in kinds(check(measure))
    booking.mark(missed.id, "excuse", D(2027, 1, 27))
    assert K.INCIDENT_REPORT not in kinds(check(measure))
    booking.mark(missed.id, "absent", D(2027, 1, 27))
    check(measure)
    Appointment.get_by_id(missed.id).delete_instance()  # no domain function deletes one
    assert K.INCIDENT_REPORT not in kinds(check(measure))

    measures.renew(Measure.get_by_id(measure.id), D(2027, 3, 20), today=D(2027, 3, 20))
    assert K.END_OF_RENEWAL in kinds(check(measure))

    draft = report_drafts.start_draft(measure.id, "avis_motive", TODAY, evaluation.id)
    check(measure)
    report_drafts.save_draft(draft.id, adherence="effective", proposal="opportune", observations="Reçu.")
    report_drafts.finalise(draft.id, today=TODAY, confirm_flagged=True)
    assert K.REASONED_OPINION not in kinds(check(measure))
    correction = report_drafts.correct(draft.id, TODAY)
    check(measure)
    report_drafts.save_draft(correction.id, adherence="partielle", proposal="opportune",
                             observations="Reçu, corrigé.")
    report_drafts.finalise(correction.id, today=TODAY, confirm_flagged=True)
    check(measure)

    values = dossier_form.values_from(Measure.get_by_id(measure.id))
    values["start_on"] = "02/11/2026"
    dossier_form.save(values, TODAY, measure_id=measure.id)
    assert D(2027, 2, 2) in {d.due_on for d in check(measure) if d.kind == K.INTERVIEW_M3}

    measures.close(Measure.get_by_id(measure.id), "classement_sans_suite", TODAY, TODAY)
    assert check(measure) == []
    assert not PendingDeadline.select().where(PendingDeadline.measure == measure.id).exists()
    measures.reopen(Measure.get_by_id(measure.id), "Décision annulée")
    assert check(measure)
    measures.close(Measure.get_by_id(measure.id), "classement_sans_suite", TODAY, TODAY)
    check(measure)
    retention.delete_dossiers([measure.id])
    assert measure.id in stale()
    assert_cache_is_live(TODAY)
    assert not DeadlineStale.select().exists()


# ------------------------------------------------------------------ raw SQL: the triggers

def _open_measure_with(*tables: str) -> Measure:
    """An open demo measure having rows in each of `tables`."""
    query = Measure.select().where(Measure.outcome.is_null() & (Measure.status != "cloture"))
    for table in tables:
        model = {"appointment": Appointment, "orientation": Orientation, "renewal": Renewal,
                 "report": Report}[table]
        query = query.where(Measure.id.in_(model.select(model.measure)))
    found = query.order_by(Measure.id).first()
    assert found is not None, tables
    return found


def test_every_watched_table_has_its_three_triggers(demo: object) -> None:
    triggers = {name for (name,) in demo.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {f"{table}_deadline_stale_{event}" for table in WATCHED
            for event in ("insert", "update", "delete")} <= triggers


def test_raw_sql_on_each_table_marks_the_measure(demo: object) -> None:
    sql = demo.execute_sql
    one = _open_measure_with("appointment", "orientation", "report")
    other = (Measure.select().where(Measure.outcome.is_null() & (Measure.id != one.id)
                                    & (Measure.status != "cloture")).order_by(Measure.id.desc()).first())

    def after(statement: str, params: tuple = (), *marked: int) -> None:
        """Run `statement`; the measures it touched (`marked`, else `one`) are marked, and
        the cache then agrees with the engine."""
        refresh()
        sql(statement, params)
        if statement.startswith("INSERT INTO measure"):
            marked = (Measure.select(Measure.id).order_by(Measure.id.desc()).scalar(),)
        assert set(marked or (one.id,)) <= stale(), statement
        for today in (TODAY, D(2027, 6, 1)):
            assert_cache_is_live(today)

    after("UPDATE measure SET start_on = '2026-06-01', planned_end_on = NULL WHERE id = ?", (one.id,))
    after("UPDATE measure SET status = 'cloture', outcome = 'caducite', outcome_on = '2026-11-01' WHERE id = ?",
          (one.id,))
    after("UPDATE measure SET status = 'suivi', outcome = NULL, outcome_on = NULL WHERE id = ?", (one.id,))
    after("INSERT INTO appointment (measure_id, kind, starts_at, duration_minutes, place, status, walk_in, "
          "created_at) VALUES (?, 'supplementaire', '2026-11-02 09:00:00', 30, 'CSAPA', 'absent', 0, "
          "'2026-11-02 09:00:00')", (one.id,))
    added = Appointment.select().order_by(Appointment.id.desc()).first()
    after("UPDATE appointment SET status = 'excuse' WHERE id = ?", (added.id,))
    after("UPDATE appointment SET status = 'absent', measure_id = ? WHERE id = ?", (other.id, added.id),
          one.id, other.id)
    after("DELETE FROM appointment WHERE id = ?", (added.id,), other.id)
    after("INSERT INTO orientation (measure_id, structure, chosen_on, chosen_by) "
          "VALUES (?, 'Clinique du Lac', '2026-11-03', 'personne')", (one.id,))
    after("UPDATE orientation SET refused_on = '2026-11-10' WHERE measure_id = ?", (one.id,))
    after("DELETE FROM orientation WHERE measure_id = ? AND structure = 'Clinique du Lac'", (one.id,))
    after("INSERT INTO renewal (measure_id, decided_on, new_end_on) VALUES (?, '2026-11-05', '2027-06-01')",
          (one.id,))
    after("UPDATE renewal SET new_end_on = '2027-07-01' WHERE measure_id = ?", (one.id,))
    after("DELETE FROM renewal WHERE measure_id = ?", (one.id,))
    after("INSERT INTO report (measure_id, kind, status, version, observations, written_on, created_at) "
          "VALUES (?, 'incident', 'brouillon', 1, '', '2026-11-04', '2026-11-04 10:00:00')", (one.id,))
    draft = Report.select().order_by(Report.id.desc()).first()
    after("UPDATE report SET status = 'final' WHERE id = ?", (draft.id,))
    after("UPDATE report SET sent_on = '2026-11-06' WHERE id = ?", (draft.id,))
    after("INSERT INTO measure (person_id, kind, parquet_number, authority, stage, saisine_received_on, "
          "status, created_at) VALUES (?, 'injonction_therapeutique', '26999000002', 'procureur', "
          "'alternative_poursuites', '2026-11-10', 'a_convoquer', '2026-11-10 10:00:00')", (one.person_id,))
    new = Measure.select().order_by(Measure.id.desc()).first()
    assert new.id in {d.measure_id for d in pending_deadlines(TODAY)}
    after("DELETE FROM measure WHERE id = ?", (new.id,), new.id)
    assert not PendingDeadline.select().where(PendingDeadline.measure == new.id).exists()
    with integrity.permit(integrity.PERMIT_RETENTION):  # its final reports go only under a permit (issue 15)
        after("DELETE FROM measure WHERE id = ?", (one.id,))  # cascades to its children


def test_a_refused_change_to_a_final_report_marks_nothing(demo: object) -> None:
    final = Report.select().where(Report.status == "final").first()
    refresh()
    with pytest.raises(Exception, match="modification interdite"):
        demo.execute_sql("UPDATE report SET observations = 'autre' WHERE id = ?", (final.id,))
    assert not stale()
    demo.execute_sql("UPDATE report SET sent_on = '2026-11-20' WHERE id = ?", (final.id,))  # still allowed
    assert stale() == {final.measure_id}


# ------------------------------------------------------------------ upgrade, engine change

def test_a_base_of_the_previous_version_is_upgraded_to_one_timeline(tmp_path: Path) -> None:
    """A base made by the previous version (tests/fixtures/base-v6.db): migration 7 keeps every
    record, clears the starts that version derived from the written agreement (kept in the
    audit trail), and the deadline cache is rebuilt from the decision dates."""
    import shutil

    from injonctions_tui.domain.core.models import AuditEvent
    from injonctions_tui.domain.deadlines.engine import measure_timeline

    fixtures = Path(__file__).resolve().parents[2] / "fixtures"
    db_path = tmp_path / "base-v6.db"
    for name in ("base-v6.db", "base-v6.db.kdf"):
        shutil.copyfile(fixtures / name, tmp_path / name)
    probe = storage.open_with_key(db_path, storage.derive_key_for(db_path, PASSPHRASE), upgrade=False)
    assert migrations.current_version(probe) == 6
    auto = {mid for (mid,) in probe.execute_sql(
        'SELECT m.id FROM measure m WHERE m.start_on IS NOT NULL AND m.start_on = (SELECT MIN(o.agreement_on) '
        'FROM orientation o WHERE o.measure_id = m.id AND o.refused_on IS NULL)').fetchall()}
    counts = {table: probe.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
              for table in ("person", "measure", "appointment", "report", "orientation", "renewal")}
    probe.close()
    assert auto  # that version wrote the agreement's date as the start

    upgraded = storage.open_database(db_path, PASSPHRASE)
    try:
        assert migrations.current_version(upgraded) == migrations.LATEST_VERSION >= 7
        assert {table: upgraded.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                for table in counts} == counts
        for measure in Measure.select().where(Measure.id.in_(list(auto))):
            assert measure.start_on is None
            dates = measure_timeline(measure)
            assert dates is not None and dates.start == measure.decision_on
        kept = AuditEvent.select().where(AuditEvent.action == "mesure_dates_recalculees")
        assert {e.entity_id for e in kept} >= auto and all("debut_auto=" in e.details for e in kept
                                                            if e.entity_id in auto)
        assert refresh() == Measure.select().where(Measure.outcome.is_null() & (Measure.status != "cloture")).count()
        for today in DAYS:
            assert_cache_is_live(today)
        assert upgraded.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        upgraded.close()


def test_another_engine_rebuilds_the_whole_cache(demo: object, monkeypatch: pytest.MonkeyPatch) -> None:
    refresh()
    open_count = Measure.select().where(Measure.outcome.is_null() & (Measure.status != "cloture")).count()
    demo.execute_sql("UPDATE pending_deadline SET label = 'périmé'")  # what an older engine wrote
    assert refresh() == 0  # same engine: the cache is trusted
    monkeypatch.setattr(deadline_cache, "engine_fingerprint", lambda: "moteur 2 (test)")
    assert refresh() == open_count
    assert_cache_is_live(TODAY)
    assert not PendingDeadline.select().where(PendingDeadline.label == "périmé").exists()
    assert deadline_cache.rebuild() == open_count  # on demand, whatever the engine
    assert_cache_is_live(TODAY)


def test_the_fingerprint_follows_the_version_the_rules_and_the_holidays(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from injonctions_tui.domain.core.rules import RULES, MeasureKind

    deadline_cache.engine_fingerprint.cache_clear()
    base = deadline_cache.engine_fingerprint()
    changed = []
    faster = {**RULES, MeasureKind.INJONCTION_THERAPEUTIQUE: dataclasses.replace(
        RULES[MeasureKind.INJONCTION_THERAPEUTIQUE], report_within_days=10)}
    for name, value in (("ENGINE_VERSION", 99), ("RULES", faster),
                        ("holidays_between", lambda first, last: {D(2030, 5, 2): "Pont"})):
        with monkeypatch.context() as patch:
            patch.setattr(deadline_cache, name, value)
            deadline_cache.engine_fingerprint.cache_clear()
            changed.append(deadline_cache.engine_fingerprint())
    deadline_cache.engine_fingerprint.cache_clear()
    assert deadline_cache.engine_fingerprint() == base
    assert len({base, *changed}) == 4
