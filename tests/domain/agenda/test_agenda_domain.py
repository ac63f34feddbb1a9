"""The agenda's day and week views, their markers, and the text/JSON copies for the CLI."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest

from injonctions_tui.domain.agenda.days import (agenda_json, agenda_text, day_rows, day_view, next_permanence_day,
                                                opening_day, week_view)
from injonctions_tui.domain.agenda.walk_ins import add_walk_in
from injonctions_tui.domain.core.vocabulary import AppointmentKind as AK, AppointmentStatus as AS, MeasureStatus
from injonctions_tui.domain.deadlines import cache as deadline_cache
from injonctions_tui.domain.deadlines.listing import deadline_rows
from injonctions_tui.domain.dossiers import measures
from injonctions_tui.domain.store.settings import CourtSettings
from tests.conftest import TODAY
from tests.factories.agenda import (CSAPA_PLACE, evaluated_and_oriented, final_report, held_evaluation,
                                    make_appointment, make_measure)

COURT = CourtSettings()
D, T = dt.date, dt.datetime


def _monday_morning() -> dict[str, int]:
    """TODAY's minors' permanence: a late evaluation, a fresh one, a late M3, an M3 due today."""
    late = make_measure("LAMPION", "Séraphin", birth=D(2008, 10, 1), facts_on=D(2026, 9, 1),
                        saisine=D(2026, 10, 1), status=MeasureStatus.EVALUATION)
    fresh = make_measure("TOURNESOL", "Tryphon", birth=D(2010, 2, 2), facts_on=D(2026, 9, 1),
                         saisine=D(2026, 11, 10), status=MeasureStatus.EVALUATION)
    behind = make_measure("CASTAFIORE", "Bianca", birth=D(2009, 1, 1), facts_on=D(2026, 3, 1),
                          saisine=D(2026, 5, 1), status=MeasureStatus.SUIVI, start_on=D(2026, 7, 1))
    evaluated_and_oriented(behind, D(2026, 5, 20))
    on_time = make_measure("DUPONT", "Alfred", birth=D(2009, 6, 1), facts_on=D(2026, 3, 1),
                           saisine=D(2026, 5, 1), status=MeasureStatus.SUIVI, start_on=D(2026, 8, 23))
    evaluated_and_oriented(on_time, D(2026, 5, 21))
    ids = {}
    for name, measure, minute, kind in (("late", late, 0, AK.EVALUATION_INITIALE),
                                        ("fresh", fresh, 30, AK.EVALUATION_INITIALE),
                                        ("behind", behind, 60, AK.SUPPLEMENTAIRE),
                                        ("on_time", on_time, 90, AK.SUIVI_M3)):
        at = T(2026, 11, 23, 9, 0) + dt.timedelta(minutes=minute)
        ids[name] = make_appointment(measure, at, kind=kind).id
    return ids


def test_day_view_heading_rows_and_markers(db: object) -> None:
    ids = _monday_morning()
    view = day_view(COURT, TODAY, TODAY)
    assert view.heading == ("Lundi 23 novembre 2026 — permanence mineurs 9h-13h — "
                            "Tribunal judiciaire de Nanterre")
    assert not view.closed and view.holiday_name is None and len(view.permanences) == 1
    rows = {row.appointment_id: row for row in view.rows}
    assert [row.time for row in view.rows] == ["09h00", "09h30", "10h00", "10h30"]
    late, fresh, behind, on_time = (rows[ids[k]] for k in ("late", "fresh", "behind", "on_time"))
    # saisine 1/10 + 1 month:
    assert late.overdue and late.overdue_reason == "Évaluation initiale à tenir (22 j de retard)"
    assert not fresh.overdue and fresh.overdue_reason == ""  # until 10/12
    assert behind.overdue and behind.overdue_reason == "Entretien M3 à tenir (53 j de retard)"  # due 1/10
    assert not on_time.overdue  # M3 due 23/11: due today is not late yet
    late_measures = {r.measure_id for r in deadline_rows(TODAY, limit=None) if r.overdue}
    assert {row.measure_id for row in view.rows if row.overdue} == late_measures  # as the échéances say
    assert late.minor_at_facts and late.adult_today and not fresh.adult_today
    assert fresh.new_referral and not behind.new_referral
    assert not any(row.holiday_conflict for row in view.rows)


def test_a_held_interview_clears_the_cadence_marker(db: object) -> None:
    measure = make_measure(saisine=D(2026, 5, 1), status=MeasureStatus.SUIVI, start_on=D(2026, 7, 1))
    evaluated_and_oriented(measure, D(2026, 5, 21))
    make_appointment(measure, T(2026, 11, 26, 9, 0), kind=AK.SUPPLEMENTAIRE)
    (row,) = day_rows(D(2026, 11, 26), TODAY)
    assert row.overdue and row.overdue_reason == "Entretien M3 à tenir (53 j de retard)"  # due 1/10
    m3 = make_appointment(measure, T(2026, 10, 1, 9, 0), kind=AK.SUIVI_M3, status=AS.PRESENT)
    (row,) = day_rows(D(2026, 11, 26), TODAY)
    assert row.overdue_reason.startswith("Fiche navette à adresser après l'entretien du 01/10/2026")
    final_report(measure, "fiche_navette", D(2026, 10, 5), m3)
    (row,) = day_rows(D(2026, 11, 26), TODAY)
    assert not row.overdue and row.overdue_reason == ""
    assert day_rows(D(2027, 1, 20), D(2027, 1, 20)) == []


def test_the_agenda_and_the_echeances_agree_on_an_overdue_m3(db: object) -> None:
    """No grace period: an M3 due on Friday 20/11, booked at the next Thursday permanence,
    is 3 days late on Monday, in both views, with the same words."""
    measure = make_measure(saisine=D(2026, 5, 1), status=MeasureStatus.SUIVI, start_on=D(2026, 8, 20))
    evaluated_and_oriented(measure, D(2026, 5, 20))
    make_appointment(measure, T(2026, 11, 26, 9, 0), kind=AK.SUIVI_M3)  # booked, not held yet
    late = [(r.label, r.when) for r in deadline_rows(TODAY) if r.measure_id == measure.id and r.overdue]
    assert late == [("Entretien M3 à tenir", "3 j de retard")]
    (row,) = day_rows(D(2026, 11, 26), TODAY)
    assert row.overdue and row.overdue_reason == "Entretien M3 à tenir (3 j de retard)"
    assert "[nouveau" not in agenda_text(COURT, D(2026, 11, 26), False, today=TODAY)  # an avis was sent
    assert "[Entretien M3 à tenir (3 j de retard)]" in agenda_text(COURT, D(2026, 11, 26), False, today=TODAY)


def test_the_agenda_and_the_echeances_agree_when_nothing_is_late(db: object) -> None:
    measure = make_measure(saisine=D(2026, 5, 1), status=MeasureStatus.SUIVI, start_on=D(2026, 8, 27))
    evaluated_and_oriented(measure, D(2026, 5, 20))
    make_appointment(measure, T(2026, 11, 26, 9, 0), kind=AK.SUIVI_M3)  # M3 due 27/11
    pending = [r for r in deadline_rows(TODAY) if r.measure_id == measure.id]
    assert [(r.label, r.when, r.overdue) for r in pending][:1] == [("Entretien M3 à tenir", "dans 4 j", False)]
    assert not any(r.overdue for r in pending)
    (row,) = day_rows(D(2026, 11, 26), TODAY)
    assert not row.overdue and row.overdue_reason == ""
    # A closed measure has nothing pending: never flagged, whatever was missed.
    closed = make_measure("CASTAFIORE", "Bianca", saisine=D(2026, 1, 5), status=MeasureStatus.SUIVI,
                          start_on=D(2026, 3, 2))
    make_appointment(closed, T(2026, 11, 26, 9, 30), kind=AK.SUPPLEMENTAIRE)
    assert next(r for r in day_rows(D(2026, 11, 26), TODAY) if r.measure_id == closed.id).overdue
    measures.close(closed, "classement_sans_suite", D(2026, 11, 20), TODAY)
    assert not any(r.measure_id == closed.id for r in deadline_rows(TODAY))
    assert not any(r.overdue for r in day_rows(D(2026, 11, 26), TODAY))


def test_a_holiday_is_shown_closed_with_its_appointments_flagged(db: object) -> None:
    measure = make_measure("LAMPION", "Séraphin", birth=D(2010, 1, 1), facts_on=D(2027, 1, 10))
    make_appointment(measure, T(2027, 3, 29, 9, 0))
    view = day_view(COURT, D(2027, 3, 29), TODAY)
    assert view.closed and view.holiday_name == "Lundi de Pâques"
    assert view.heading == "Lundi 29 mars 2027 — permanence mineurs 9h-13h FERMÉE (Lundi de Pâques)"
    assert view.rows[0].holiday_conflict


def test_a_day_without_permanence(db: object) -> None:
    view = day_view(COURT, D(2026, 11, 24), TODAY)
    assert view.permanences == [] and not view.closed
    assert view.heading == "Mardi 24 novembre 2026 — pas de permanence au tribunal"
    assert day_view(COURT, D(2026, 12, 25), TODAY).heading.endswith("(férié : Noël)")


def test_week_view_lists_working_days_and_a_weekend_day_only_when_used(db: object) -> None:
    measure = make_measure()
    make_appointment(measure, T(2026, 11, 28, 10, 0), place=CSAPA_PLACE)  # a Saturday
    days = week_view(COURT, D(2026, 11, 25), TODAY)  # a Wednesday: its week is taken
    assert [d.date for d in days] == [D(2026, 11, 23) + dt.timedelta(days=i) for i in range(6)]
    assert [len(d.permanences) for d in days] == [1, 0, 0, 1, 0, 0]
    assert len(days[5].rows) == 1 and days[5].rows[0].place == CSAPA_PLACE


def test_next_permanence_day_moves_between_permanences_including_closed_ones() -> None:
    assert next_permanence_day(COURT, D(2026, 11, 23), +1) == D(2026, 11, 26)
    assert next_permanence_day(COURT, D(2026, 11, 26), +1) == D(2026, 11, 30)
    assert next_permanence_day(COURT, D(2026, 11, 23), -1) == D(2026, 11, 19)
    assert next_permanence_day(COURT, D(2026, 11, 25), -1) == D(2026, 11, 23)
    assert next_permanence_day(COURT, D(2027, 3, 25), +1) == D(2027, 3, 29)  # shown closed
    assert next_permanence_day(CourtSettings(permanences=[]), D(2026, 11, 25), -1) == D(2026, 11, 24)


def test_opening_day_is_the_next_open_permanence() -> None:
    assert opening_day(COURT, TODAY) == TODAY
    assert opening_day(COURT, D(2026, 11, 24)) == D(2026, 11, 26)
    assert opening_day(COURT, D(2027, 3, 29)) == D(2027, 4, 1)  # Easter Monday is closed
    assert opening_day(CourtSettings(permanences=[]), D(2026, 11, 24)) == D(2026, 11, 24)


def test_agenda_text_of_a_day_is_a_usable_paper_backup(db: object) -> None:
    _monday_morning()
    add_walk_in(last_name="Haddock", first_name="Archibald", birth_date=D(1970, 5, 5), parquet_number=None,
                today=TODAY, court=COURT, now=T(2026, 11, 23, 11, 0), confirmed=True)  # an adult on Monday
    text = agenda_text(COURT, TODAY, False, today=TODAY)
    lines = text.splitlines()
    assert lines[0] == "Feuille de permanence du lundi 23 novembre 2026"
    assert "permanence mineurs 9h-13h" in lines[2]
    lampion = next(line for line in lines if "LAMPION Séraphin" in line)
    assert lampion.lstrip().startswith("09h00") and "Évaluation initiale" in lampion
    assert ("[mineur aux faits, majeur aujourd'hui, nouveau, Évaluation initiale à tenir (22 j de retard)]"
            in lampion)
    haddock = next(line for line in lines if "HADDOCK Archibald" in line)
    assert "11h00" in haddock and "à compléter" in haddock and "sans RDV" in haddock
    assert lines[-1].strip() == "5 rendez-vous."


def test_agenda_text_of_a_week_shows_every_day_and_the_closed_ones() -> None:
    text = agenda_text(COURT, D(2027, 5, 5), True, today=TODAY)
    assert text.startswith("Agenda de la semaine du lundi 3 mai 2027\n")
    assert "Lundi 3 mai 2027 — permanence mineurs 9h-13h — Tribunal judiciaire de Nanterre" in text
    assert "Jeudi 6 mai 2027 — permanence majeurs 9h-13h FERMÉE (Ascension)" in text
    assert "Vendredi 7 mai 2027 — pas de permanence au tribunal" in text
    assert "Samedi" not in text and text.count("Aucun rendez-vous.") == 5


@pytest.mark.usefixtures("db")
def test_agenda_json_carries_codes_labels_and_flags() -> None:
    ids = _monday_morning()
    payload = agenda_json(COURT, TODAY, False, today=TODAY)
    json.dumps(payload)  # plain JSON types only
    assert payload["format"] == "injonctions-agenda" and payload["date"] == "2026-11-23"
    (day,) = payload["days"]
    assert day["closed"] is False and day["permanences"][0] == {
        "public": "mineurs", "start": "09:00", "end": "13:00", "place": "Tribunal judiciaire de Nanterre",
        "slot_minutes": 30, "closed": False}
    first = day["appointments"][0]
    assert first["appointment_id"] == ids["late"] and first["starts_at"] == "2026-11-23T09:00:00"
    assert first["kind"] == "evaluation_initiale" and first["kind_label"] == "Évaluation initiale"
    assert first["status"] == "attendu" and first["overdue"] is True and first["adult_today"] is True
    week = agenda_json(COURT, D(2027, 3, 29), True, today=TODAY)
    assert [d["date"] for d in week["days"]][0] == "2027-03-29" and week["days"][0]["closed"] is True
    assert week["days"][0]["holiday"] == "Lundi de Pâques" and len(week["days"]) == 5


def test_a_day_costs_the_same_number_of_queries_for_1_or_20_appointments(db: object,
                                                                         caplog: pytest.LogCaptureFixture) -> None:
    """No per-row query: what keeps the agenda instant on 500 000 appointments. One joined
    query for the rows, three for the cached deadlines (the « retard » flags), once the
    cache is fresh (deadline_cache.py; its refresh is counted in test_deadline_cache.py)."""
    def count_queries(day: dt.date) -> int:
        deadline_cache.refresh()
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="peewee"):
            day_view(COURT, day, TODAY)
        return sum(1 for record in caplog.records if record.name == "peewee")

    make_appointment(make_measure(), T(2026, 11, 30, 9, 0))
    for i in range(20):
        measure = make_measure(f"FIGURANT{i}", "Test", saisine=D(2026, 5, 1), status=MeasureStatus.SUIVI,
                               start_on=D(2026, 7, 1))
        held_evaluation(measure, D(2026, 5, 20))
        make_appointment(measure, T(2026, 12, 7, 9, 0) + dt.timedelta(minutes=10 * i), minutes=10)
    assert count_queries(D(2026, 11, 30)) == count_queries(D(2026, 12, 7)) <= 6


def test_a_late_interview_on_the_agenda_is_a_catch_up_not_an_alarm(db: object) -> None:
    """Its only lateness is the M3 it is booked for: flagged "rattrapage"; once another
    deadline is late too, the row is a plain "retard"."""
    measure = make_measure(saisine=D(2026, 5, 1), status=MeasureStatus.SUIVI, start_on=D(2026, 8, 20))
    evaluated_and_oriented(measure, D(2026, 5, 20))
    make_appointment(measure, T(2026, 11, 26, 9, 0), kind=AK.SUIVI_M3)
    (row,) = day_rows(D(2026, 11, 26), TODAY)
    assert row.overdue and row.catch_up
    other = make_measure("HADDOCK", "Archibald", saisine=D(2026, 5, 1), status=MeasureStatus.SUIVI,
                         start_on=D(2026, 8, 20))
    evaluated_and_oriented(other, D(2026, 5, 20))
    make_appointment(other, T(2026, 11, 26, 9, 30), kind=AK.SUPPLEMENTAIRE)  # not the M3
    row = next(r for r in day_rows(D(2026, 11, 26), TODAY) if r.measure_id == other.id)
    assert row.overdue and not row.catch_up
