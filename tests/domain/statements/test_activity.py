"""The bilan d'activité: figures on a hand-built dataset, exports, no names, speed."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from pathlib import Path

import pytest

from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.formats import plain
from injonctions_tui.domain.core.models import (Appointment, Habilitation, LegalRepresentative, Measure, Orientation,
                                                Person, Professional, Renewal, Report, database)
from injonctions_tui.domain.demo.builder import populate_demo
from injonctions_tui.domain.statements.activity import activity_csv, activity_json, activity_report
from injonctions_tui.domain.statements.activity_pdf import activity_pdf
from injonctions_tui.domain.statements.outputs import activity_text, bilan_command, etat_command
from injonctions_tui.domain.statements.statement import annual_statement
from injonctions_tui.domain.store.professionals import create_user
from tests.conftest import TODAY
from tests.pdf_checks import embedded_font_problems, text_of

D = dt.date
YEAR = (D(2026, 1, 1), D(2026, 12, 31))
PRODUCED = D(2027, 1, 15)


@pytest.fixture
def user(db) -> Professional:
    user = create_user(last_name="Prunelle", first_name="Léon", profession="psychologue", rpps_adeli=None,
                       csapa_name="CSAPA Les Tilleuls (fictif)", csapa_address="1 rue de l'Exemple\n92000 Nanterre")
    Habilitation.create(professional=user, status="habilite", list_year=2026, decision_on=D(2026, 1, 5),
                        decision_reference="ARS-IDF-2026-011", valid_until=D(2027, 12, 31))
    return user


def _measure(last: str, born: D, saisine: D, **extra: object) -> Measure:
    who = Person.create(last_name=last, first_name="Prénom" + last, birth_date=born)
    return Measure.create(person=who, parquet_number=f"P-{last}", authority="procureur",
                          stage="alternative_poursuites", facts_on=extra.pop("facts_on", D(2025, 12, 1)),
                          saisine_received_on=saisine, magistrat_referent="Magistrate Secrète", **extra)


def _at(m: Measure, day: D, status: str, kind: str = "suivi_m3") -> Appointment:
    return Appointment.create(measure=m, kind=kind, starts_at=dt.datetime.combine(day, dt.time(10)),
                              place="Tribunal judiciaire de Nanterre", status=status)


def _report(m: Measure, kind: str, day: D, status: str = "final", previous: Report | None = None) -> Report:
    return Report.create(measure=m, kind=kind, written_on=day, status=status, previous=previous)


@pytest.fixture
def dataset(user) -> dict[str, Measure]:
    """Five measures whose figures are worked out by hand in the tests below."""
    m1 = _measure("Alpha", D(1990, 1, 1), D(2026, 1, 5), outcome="classement_sans_suite", outcome_on=D(2026, 9, 15))
    _at(m1, D(2026, 1, 20), "present", "evaluation_initiale")  # 15 days
    Orientation.create(measure=m1, structure="CSAPA Discret", doctor="Dr Confidentiel", chosen_on=D(2026, 1, 25),
                       agreement_on=D(2026, 2, 4))  # 10 days
    _at(m1, D(2026, 4, 20), "present")
    _at(m1, D(2026, 7, 20), "absent", "suivi_m6")
    _at(m1, D(2026, 7, 30), "present", "supplementaire")
    Renewal.create(measure=m1, decided_on=D(2026, 7, 1), new_end_on=D(2027, 1, 25))
    _report(m1, "avis_motive", D(2026, 1, 21))
    navette = _report(m1, "fiche_navette", D(2026, 4, 22))
    _report(m1, "fiche_navette", D(2026, 4, 25), previous=navette)  # a correction
    _report(m1, "incident", D(2026, 7, 21))
    _report(m1, "fin_de_mesure", D(2026, 9, 16))
    m2 = _measure("Bravo", D(2009, 6, 1), D(2026, 1, 10), planned_end_on=D(2026, 10, 1))  # 16 at the facts
    LegalRepresentative.create(person=m2.person, name="Parent Caché", relationship="mère")
    _at(m2, D(2026, 2, 20), "present", "evaluation_initiale")  # 41 days: late
    Orientation.create(measure=m2, structure="Maison Ado", chosen_on=D(2026, 2, 25), refused_on=D(2026, 3, 5))
    Orientation.create(measure=m2, structure="CMP Jeunes", chosen_on=D(2026, 3, 8),
                       agreement_on=D(2026, 3, 30))  # 22 days
    _at(m2, D(2026, 6, 23), "reporte")
    _at(m2, D(2026, 6, 30), "excuse")
    _at(m2, D(2026, 7, 7), "present")
    _at(m2, D(2026, 12, 7), "attendu", "suivi_m6")
    _report(m2, "avis_motive", D(2026, 2, 21))
    _report(m2, "fiche_navette", D(2026, 7, 8), status="brouillon")
    m3 = _measure("Charlie", D(1985, 3, 3), D(2026, 2, 1), outcome="non_opportune", outcome_on=D(2026, 3, 10))
    _at(m3, D(2026, 2, 12), "absent", "evaluation_initiale")
    _at(m3, D(2026, 2, 26), "present", "evaluation_initiale")  # 25 days
    _report(m3, "avis_motive", D(2026, 2, 27))
    m4 = _measure("Delta", D(1970, 1, 1), D(2025, 12, 20), public_override="mineurs")  # received before
    _at(m4, D(2026, 1, 8), "present", "evaluation_initiale")  # 19 days
    _measure("Echo", D(1995, 5, 5), D(2026, 3, 1), outcome="caducite", outcome_on=D(2026, 5, 1))
    colleague = Professional.create(last_name="Tintin", first_name="Reporter", profession="medecin")
    _measure("Foxtrot", D(1990, 1, 1), D(2026, 3, 2), professional=colleague)
    _measure("Golf", D(1990, 1, 1), D(2026, 3, 3), kind="injonction_de_soins")
    return {"m1": m1, "m2": m2, "m3": m3, "m4": m4}


def test_period_figures_on_the_known_dataset(dataset) -> None:
    f = activity_report(*YEAR, today=PRODUCED).total
    assert (f.received, f.minors, f.adults) == (4, 1, 3)
    assert f.evaluations == 4
    assert f.evaluation_delay_median_days == 22.0  # 15, 19, 25, 41
    assert f.evaluations_within_deadline_share == 0.75  # Bravo's was late
    assert (f.orientations, f.agreements, f.refusals) == (3, 2, 1)
    assert f.agreement_delay_median_days == 16.0  # 10 and 22
    assert f.agreements_within_deadline_share == 0.5
    assert (f.followups_kept, f.followups_missed, f.followups_excused, f.followups_postponed) == (3, 1, 1, 1)
    assert f.reports == {"avis_motive": 3, "fiche_navette": 1, "incident": 1, "fin_de_mesure": 1}
    assert (f.reports_sent, f.corrections, f.renewals) == (6, 1, 1)
    assert f.outcomes == {"classement_sans_suite": 1, "composition_penale": 0, "poursuites": 0,
                          "non_opportune": 1, "caducite": 1}
    assert f.closed == 3 and f.closed_duration_mean_days == 117.0  # 253, 37 and 61 days
    assert round(f.closed_duration_mean_months, 2) == 3.84


def test_by_month_figures(dataset) -> None:
    report = activity_report(*YEAR, today=PRODUCED)
    months = {m.month.month: m.figures for m in report.months}
    assert [m.month for m in report.months] == [D(2026, n, 1) for n in range(1, 13)]
    assert [(months[n].received, months[n].minors) for n in (1, 2, 3, 4)] == [(2, 1), (1, 0), (1, 0), (0, 0)]
    assert (months[1].evaluations, months[1].evaluation_delay_median_days,
            months[1].evaluations_within_deadline_share) == (2, 17.0, 1.0)
    assert (months[2].evaluations, months[2].evaluation_delay_median_days,
            months[2].evaluations_within_deadline_share) == (2, 33.0, 0.5)
    assert months[4].evaluation_delay_median_days is None and months[4].evaluations_within_deadline_share is None
    assert (months[2].agreements, months[2].agreement_delay_median_days) == (1, 10.0)
    assert (months[3].orientations, months[3].refusals, months[3].agreements) == (1, 1, 1)
    assert (months[6].followups_postponed, months[6].followups_excused) == (1, 1)
    assert (months[7].followups_kept, months[7].followups_missed, months[7].renewals) == (2, 1, 1)
    assert months[4].reports["fiche_navette"] == 1 and months[4].corrections == 1
    assert months[7].reports_sent == 1  # the incident; the draft fiche navette is not sent
    assert (months[3].closed, months[5].closed, months[9].closed) == (1, 1, 1)
    assert months[9].closed_duration_mean_days == 253.0
    assert sum(m.figures.received for m in report.months) == report.total.received


def test_a_shorter_period_counts_only_its_events(dataset) -> None:
    f = activity_report(D(2026, 2, 1), D(2026, 2, 28), today=PRODUCED).total
    assert (f.received, f.evaluations, f.agreements, f.closed) == (1, 2, 1, 0)
    assert f.reports["avis_motive"] == 2
    with pytest.raises(InvalidInput):
        activity_report(D(2026, 3, 1), D(2026, 2, 1), today=PRODUCED)


def test_json_and_csv_exports(dataset) -> None:
    report = activity_report(*YEAR, today=PRODUCED)
    payload = activity_json(report)
    assert json.loads(json.dumps(payload)) == payload
    assert payload["format"] == "injonctions-bilan" and payload["start"] == "2026-01-01"
    assert payload["total"]["evaluations_within_deadline_share"] == 0.75
    assert payload["total"]["closed_duration_mean_months"] == 3.8
    assert payload["months"][1]["month"] == "2026-02" and payload["months"][1]["received"] == 1
    # Persons followed: seen at least once in the period (the état's rule), each once.
    seen = {a.measure.person_id for a in Appointment.select() if a.status == "present"
            and YEAR[0] <= a.starts_at.date() <= YEAR[1]}
    assert payload["total"]["persons_followed"] == len(seen) == 4
    content = activity_csv(report)
    assert content.startswith("\ufeffMois;Mesures reçues;dont mineurs;dont majeurs;Personnes suivies;Évaluations initiales;")
    lines = content[1:].split("\r\n")
    assert len(lines) == 1 + 12 + 1 + 1  # header, months, total, final newline
    assert lines[2].startswith("2026-02;1;0;1;2;2;33,0;50,0;1;1;0;10,0;100,0;")
    assert lines[13].startswith("Total 01/01/2026-31/12/2026;4;1;3;4;4;22,0;75,0;3;2;1;16,0;50,0;"
                                "3;1;1;1;6;3;1;1;1;1;1;3;")
    assert lines[13].endswith(";117,0")


def test_pdf_has_figures_charts_in_dejavu_and_is_invariant(dataset) -> None:
    report = activity_report(*YEAR, today=PRODUCED)
    data = activity_pdf(report, today=PRODUCED)
    content = plain(text_of(data))
    for expected in ("Bilan d'activité du 01/01/2026 au 31/12/2026", "Mesures reçues 4", "Délai médian depuis la "
                     "saisine 22 j", "75 %", "Mesures reçues par mois", "Issues des mesures clôturées",
                     "janv. 26", "Classement sans suite", "Détail mensuel", "3,8 mois", "117 j", "Léon PRUNELLE"):
        assert expected in content, expected
    assert embedded_font_problems(data) == []
    assert b"Helvetica" not in data and b"Times-Roman" not in data
    assert data == activity_pdf(activity_report(*YEAR, today=PRODUCED), today=PRODUCED)


def _names() -> set[str]:
    """Every name of a person, representative, doctor or magistrate in the database."""
    names = set()
    for p in Person.select():
        names |= {p.last_name, p.first_name}
    names |= {r.name for r in LegalRepresentative.select()}
    for o in Orientation.select():
        names |= {o.structure, o.doctor or ""}
    names |= {m.magistrat_referent or "" for m in Measure.select()}
    names |= {m.parquet_number for m in Measure.select()}
    return {n for n in names if len(n) > 3}


def _leaks(names: set[str], content: str) -> list[str]:
    """Names found as whole words (« Séraphin » is not in « Séraphine », the user)."""
    return [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", content, re.IGNORECASE)]


def _outputs(report, today: D) -> dict[str, str]:
    return {"text": activity_text(report), "json": json.dumps(activity_json(report), ensure_ascii=False),
            "csv": activity_csv(report), "pdf": text_of(activity_pdf(report, today=today))}


def test_no_name_in_any_output(dataset) -> None:
    report = activity_report(*YEAR, today=PRODUCED)
    names = _names()
    assert "Alpha" in names and "Parent Caché" in names and "Dr Confidentiel" in names
    for fmt, content in _outputs(report, PRODUCED).items():
        assert _leaks(names, content) == [], fmt
    assert "Alpha" in _leaks(names, etat_command(2026, "text", None, PRODUCED))  # the check does see names


def test_bilan_command(dataset, tmp_path: Path) -> None:
    text = bilan_command(*YEAR, "text", None, PRODUCED)
    assert "Mesures reçues" in text and "janv. 26" in text and "\u202f" not in text
    assert json.loads(bilan_command(*YEAR, "json", None, PRODUCED))["total"]["received"] == 4
    message = bilan_command(*YEAR, "pdf", tmp_path, PRODUCED)
    assert (tmp_path / "bilan-activite-2026-01-01-2026-12-31.pdf").exists() and "enregistré" in message
    with pytest.raises(InvalidInput):
        bilan_command(*YEAR, "docx", None, PRODUCED)  # type: ignore[arg-type]


def test_bilan_on_demo_data_has_no_names(db) -> None:
    populate_demo(TODAY)
    report = activity_report(D(TODAY.year - 1, 1, 1), TODAY, today=TODAY)
    total = report.total
    assert total.received > 20 and total.minors > 0 and total.evaluations > 20 and total.closed > 5
    assert sum(total.outcomes.values()) == total.closed
    assert 0 < total.evaluations_within_deadline_share <= 1
    assert len(report.months) == 23
    names = _names()
    for fmt, content in _outputs(report, TODAY).items():
        assert _leaks(names, content) == [], fmt


# --------------------------------------------------------------------------- speed


def _bulk(model: type, fields: list, rows: list[tuple]) -> None:
    """executemany with values stored as peewee stores them: 20 times faster than insert_many."""
    def stored(value: object) -> object:
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return value.isoformat() if isinstance(value, D) else value

    columns = ", ".join(field.column_name for field in fields)
    sql = (f'INSERT INTO "{model._meta.table_name}" ({columns}) '
           f'VALUES ({", ".join("?" * len(fields))})')
    database.cursor().executemany(sql, [tuple(stored(v) for v in row) for row in rows])


def _fifty_thousand_measures() -> None:
    """Persons, measures over five years, three interviews, a choice and a report each."""
    rng = random.Random(7)
    count, now = 50_000, dt.datetime(2025, 1, 1)
    _bulk(Person, [Person.last_name, Person.first_name, Person.birth_date, Person.search_name,
                   Person.is_protected_adult, Person.created_at],
          [(f"Nom{i}", "Prénom", D(1960 + i % 45, 1 + i % 12, 1), f"nom{i} prenom", False, now)
           for i in range(count)])
    rows = []
    for pid in range(1, count + 1):
        saisine = D(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 1800))
        closed = rng.random() < 0.6
        rows.append((pid, "injonction_therapeutique", f"N{pid}", "procureur", "alternative_poursuites",
                     saisine - dt.timedelta(days=50), saisine, saisine + dt.timedelta(days=200),
                     "cloture" if closed else "suivi", "classement_sans_suite" if closed else None,
                     saisine + dt.timedelta(days=220) if closed else None, now))
    _bulk(Measure, [Measure.person, Measure.kind, Measure.parquet_number, Measure.authority, Measure.stage,
                    Measure.facts_on, Measure.saisine_received_on, Measure.planned_end_on, Measure.status,
                    Measure.outcome, Measure.outcome_on, Measure.created_at], rows)
    appointments, orientations, reports = [], [], []
    for mid, (*_, saisine, _end, _status, _outcome, _on, _now) in enumerate(rows, start=1):
        for n, kind in enumerate(("evaluation_initiale", "suivi_m3", "suivi_m6")):
            at = dt.datetime.combine(saisine + dt.timedelta(days=20 + 90 * n), dt.time(9))
            appointments.append((mid, kind, at, 30, "Tribunal", rng.choice(("present", "present", "absent")),
                                 False, now))
        orientations.append((mid, "CSAPA", saisine + dt.timedelta(days=25), "personne",
                             saisine + dt.timedelta(days=35)))
        reports.append((mid, "fiche_navette", "final", 1, "", saisine + dt.timedelta(days=111), now))
    _bulk(Appointment, [Appointment.measure, Appointment.kind, Appointment.starts_at,
                        Appointment.duration_minutes, Appointment.place, Appointment.status, Appointment.walk_in,
                        Appointment.created_at], appointments)
    _bulk(Orientation, [Orientation.measure, Orientation.structure, Orientation.chosen_on, Orientation.chosen_by,
                        Orientation.agreement_on], orientations)
    _bulk(Report, [Report.measure, Report.kind, Report.status, Report.version, Report.observations,
                   Report.written_on, Report.created_at], reports)


def test_fifty_thousand_measures_are_all_counted(user) -> None:
    """At the benchmark's scale (its figures: bench/run.py), the bulk queries still count
    every measure: no page or chunk is dropped."""
    with database.atomic():
        _fifty_thousand_measures()
    assert Measure.select().count() == 50_000
    statement = annual_statement(2023, today=D(2024, 1, 10))
    report = activity_report(D(2022, 1, 1), D(2023, 12, 31), today=D(2024, 1, 10))
    assert statement.persons > 10_000 and report.total.received > 15_000 and report.total.evaluations > 10_000
