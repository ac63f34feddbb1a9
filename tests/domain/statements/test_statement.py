"""The état justificatif annuel: the pay rule at its edges, CSV, PDF, reminder, CLI."""

from __future__ import annotations

import datetime as dt
import io
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.formats import plain
from injonctions_tui.domain.core.models import Appointment, Habilitation, Measure, Person, Professional
from injonctions_tui.domain.demo.builder import populate_demo
from injonctions_tui.domain.statements.outputs import etat_command
from injonctions_tui.domain.statements.settings import PayRules, pay_rules, save_pay_rules
from injonctions_tui.domain.statements.statement import (annual_statement, last_statement_produced,
                                                         mark_statement_produced, pending_statement_reminder,
                                                         statement_csv, statement_reminder)
from injonctions_tui.domain.statements.statement_pdf import statement_pdf
from injonctions_tui.domain.store.professionals import create_user
from tests.conftest import TODAY
from tests.pdf_checks import embedded_font_problems, text_of

JANUARY = dt.date(2026, 1, 12)  # when the 2025 statement is written


@pytest.fixture
def user(db) -> Professional:
    user = create_user(last_name="Prunelle", first_name="Léon", profession="psychologue", rpps_adeli=None,
                       csapa_name="CSAPA Les Tilleuls (fictif)", csapa_address="1 rue de l'Exemple\n92000 Nanterre")
    Habilitation.create(professional=user, status="habilite", list_year=2025, decision_on=dt.date(2025, 1, 10),
                        decision_reference="ARS-IDF-2025-007", valid_until=dt.date(2026, 12, 31))
    return user


def person(last: str, first: str = "Jean", born: dt.date = dt.date(1990, 4, 2)) -> Person:
    return Person.create(last_name=last, first_name=first, birth_date=born)


def measure(who: Person, parquet: str, saisine: dt.date, *, end: dt.date | None = None,
            outcome: str | None = None, outcome_on: dt.date | None = None, **extra: object) -> Measure:
    return Measure.create(person=who, parquet_number=parquet, authority="procureur", stage="alternative_poursuites",
                          facts_on=saisine - dt.timedelta(days=60), saisine_received_on=saisine, planned_end_on=end,
                          outcome=outcome, outcome_on=outcome_on, status="cloture" if outcome else "suivi", **extra)


def interview(m: Measure, day: dt.date, status: str = "present", kind: str = "suivi_m3") -> Appointment:
    return Appointment.create(measure=m, kind=kind, starts_at=dt.datetime.combine(day, dt.time(9, 30)),
                              place="Tribunal judiciaire de Nanterre", status=status)


def only_row(year: int = 2025):
    statement = annual_statement(year, today=JANUARY)
    assert statement.persons == 1
    return statement.rows[0]


# --------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(("held", "amount", "reduced"), [
    (0, "66.00", True), (1, "66.00", True), (2, "66.00", True), (3, "132.00", False)])
def test_amount_is_halved_at_two_followup_interviews_or_fewer(user, held, amount, reduced) -> None:
    m = measure(person("Tournesol"), "25/001", dt.date(2025, 1, 6), end=dt.date(2025, 12, 31))
    interview(m, dt.date(2025, 1, 20), kind="evaluation_initiale")  # seen: on the statement
    for month in range(held):
        interview(m, dt.date(2025, 3 + 3 * month, 10))
    row = only_row()
    assert (row.followups, row.amount, row.reduced) == (held, Decimal(amount), reduced)


def test_a_person_never_seen_in_the_year_is_not_declared(user) -> None:
    """DOMAIN.md "Other documents" (binding): on year Y's statement only if at least one
    interview was held with them in Y — not « à convoquer » nor seen only the year before."""
    waiting = measure(person("Attente"), "25/090", dt.date(2025, 11, 20))
    interview(waiting, dt.date(2025, 12, 4), "attendu")
    missed = measure(person("Absent"), "25/091", dt.date(2025, 3, 3))
    interview(missed, dt.date(2025, 3, 20), "absent", kind="evaluation_initiale")
    before = measure(person("Avant"), "24/092", dt.date(2024, 3, 3), end=dt.date(2025, 9, 3))
    interview(before, dt.date(2024, 11, 14))
    assert annual_statement(2025, today=JANUARY).rows == ()
    interview(before, dt.date(2025, 1, 9))
    assert [r.name for r in annual_statement(2025, today=JANUARY).rows] == ["AVANT Jean"]


def test_missed_excused_postponed_and_expected_interviews_do_not_count(user) -> None:
    m = measure(person("Castafiore"), "25/002", dt.date(2025, 1, 6), end=dt.date(2026, 6, 30))
    interview(m, dt.date(2025, 4, 10))
    interview(m, dt.date(2025, 5, 10), "absent")
    interview(m, dt.date(2025, 6, 10), "excuse")
    interview(m, dt.date(2025, 7, 10), "reporte")
    interview(m, dt.date(2025, 10, 10))
    interview(m, dt.date(2025, 12, 30), "attendu")
    row = only_row()
    assert row.followup_dates == (dt.date(2025, 4, 10), dt.date(2025, 10, 10))
    assert row.amount == Decimal("66.00")


def test_the_initial_evaluation_is_not_a_followup_interview(user) -> None:
    m = measure(person("Lampion"), "25/003", dt.date(2025, 1, 6), end=dt.date(2025, 12, 31))
    interview(m, dt.date(2025, 1, 20), kind="evaluation_initiale")
    interview(m, dt.date(2025, 4, 10), kind="suivi_m3")
    interview(m, dt.date(2025, 7, 10), kind="suivi_m6")
    assert only_row().amount == Decimal("66.00")
    interview(m, dt.date(2025, 8, 1), kind="supplementaire")  # an extra interview is a follow-up one
    row = only_row()
    assert (row.followups, row.amount) == (3, Decimal("132.00"))


def test_a_measure_spanning_two_years_is_counted_in_each_with_that_years_interviews(user) -> None:
    m = measure(person("Haddock"), "24/004", dt.date(2024, 9, 2), outcome="classement_sans_suite",
                outcome_on=dt.date(2026, 1, 20), end=dt.date(2025, 12, 31))
    interview(m, dt.date(2024, 9, 20), kind="evaluation_initiale")
    for day in (dt.date(2024, 12, 12), dt.date(2025, 3, 13), dt.date(2025, 9, 11), dt.date(2025, 12, 11)):
        interview(m, day)
    assert (only_row(2024).followups, only_row(2024).amount) == (1, Decimal("66.00"))
    assert (only_row(2025).followups, only_row(2025).amount) == (3, Decimal("132.00"))
    assert annual_statement(2026, today=dt.date(2027, 1, 5)).persons == 0  # closed in 2026, never seen then
    assert annual_statement(2023, today=JANUARY).persons == 0


def test_a_person_with_two_measures_counts_once_with_all_their_interviews(user) -> None:
    who = person("Sponz", "Igor")
    first = measure(who, "24/005", dt.date(2024, 10, 1), outcome="composition_penale",
                    outcome_on=dt.date(2025, 5, 2))
    second = measure(who, "25/006", dt.date(2025, 6, 2), end=dt.date(2025, 12, 2))
    interview(first, dt.date(2025, 1, 9))
    interview(second, dt.date(2025, 9, 4))
    interview(second, dt.date(2025, 12, 4))
    interview(first, dt.date(2025, 12, 4))  # both measures seen the same day: met once
    row = only_row()
    assert row.parquet_numbers == ("24/005", "25/006")
    assert (row.followups, row.amount) == (3, Decimal("132.00"))


def test_a_measure_closed_in_february_is_followed_that_year(user) -> None:
    m = measure(person("Zorrino"), "24/007", dt.date(2024, 6, 3), outcome="classement_sans_suite",
                outcome_on=dt.date(2025, 2, 10), end=dt.date(2024, 12, 3))
    interview(m, dt.date(2024, 9, 5))
    interview(m, dt.date(2025, 1, 16))
    row = only_row()
    assert (row.followup_dates, row.amount) == ((dt.date(2025, 1, 16),), Decimal("66.00"))
    closed_earlier = measure(person("Abdallah"), "24/008", dt.date(2024, 1, 3), outcome="caducite",
                             outcome_on=dt.date(2024, 12, 20))
    interview(closed_earlier, dt.date(2024, 12, 1))
    assert [r.name for r in annual_statement(2025, today=JANUARY).rows] == ["ZORRINO Jean"]


def test_open_and_stale_measures_and_an_interview_after_the_planned_end(user) -> None:
    measure(person("Attente"), "25/009", dt.date(2025, 11, 20))  # running but never seen: not declared
    stale = measure(person("Oubli"), "23/010", dt.date(2023, 1, 5), end=dt.date(2023, 7, 5))
    assert [r.name for r in annual_statement(2025, today=JANUARY).rows] == []
    interview(stale, dt.date(2025, 2, 6))  # seen after the planned end, decision awaited
    assert [r.name for r in annual_statement(2025, today=JANUARY).rows] == ["OUBLI Jean"]


def test_only_the_users_measures_of_the_kind_are_declared(user) -> None:
    colleague = Professional.create(last_name="Tintin", first_name="Reporter", profession="medecin")
    for who, parquet, extra in (("Collègue", "25/011", {"professional": colleague}),
                                ("Soins", "25/012", {"kind": "injonction_de_soins"}),
                                ("Mienne", "25/013", {"professional": user}), ("Personne", "25/014", {})):
        interview(measure(person(who), parquet, dt.date(2025, 2, 3), **extra), dt.date(2025, 2, 19))
    assert [r.name for r in annual_statement(2025, today=JANUARY).rows] == ["MIENNE Jean", "PERSONNE Jean"]
    soins = annual_statement(2025, today=JANUARY, kind="injonction_de_soins")
    # Seed 004: 700 EUR, « réduite de moitié » at 2 follow-up interviews or fewer (issue 21).
    assert [(r.name, r.amount, r.reduced) for r in soins.rows] == [("SOINS Jean", Decimal("350.00"), True)]


def test_totals_and_amounts_follow_the_settings(user) -> None:
    for index, held in enumerate((0, 3, 4)):
        m = measure(person(f"Nom{index}"), f"25/1{index}", dt.date(2025, 1, 6), end=dt.date(2025, 12, 31))
        interview(m, dt.date(2025, 1, 20), kind="evaluation_initiale")
        for n in range(held):
            interview(m, dt.date(2025, 2 + 2 * n, 10))
    statement = annual_statement(2025, today=JANUARY)
    assert (statement.persons, statement.full_rate, statement.reduced_rate) == (3, 2, 1)
    assert statement.total == Decimal("330.00") and isinstance(statement.total, Decimal)
    save_pay_rules("injonction_therapeutique", PayRules(Decimal("150.00"), Decimal("0.5"), 3))
    assert pay_rules().annual_amount_eur == Decimal("150.00")
    statement = annual_statement(2025, today=JANUARY)
    assert [r.amount for r in statement.rows] == [Decimal("75.00"), Decimal("75.00"), Decimal("150.00")]
    assert statement.total == Decimal("300.00")
    with pytest.raises(InvalidInput):
        save_pay_rules("injonction_therapeutique", PayRules(Decimal("150"), Decimal("2"), 2))


def test_identity_is_limited_to_the_fields_asked(user) -> None:
    interview(measure(person("Tournesol", "Tryphon", dt.date(1980, 5, 12)), "25/015", dt.date(2025, 3, 3)),
              dt.date(2025, 3, 19))
    statement = annual_statement(2025, today=JANUARY, identity_fields=("initials", "birth_year"))
    content = statement_csv(statement)
    assert "T.T." in content and "1980" in content
    assert "Tournesol".upper() not in content.upper() and "25/015" not in content
    with pytest.raises(InvalidInput):
        annual_statement(2025, today=JANUARY, identity_fields=("adresse",))


# --------------------------------------------------------------------------- CSV and PDF


def _two_persons() -> None:
    full = measure(person("Tournesol", "Tryphon", dt.date(1980, 5, 12)), "25/020", dt.date(2025, 1, 6),
                   end=dt.date(2025, 12, 31))
    for day in (dt.date(2025, 4, 3), dt.date(2025, 7, 3), dt.date(2025, 10, 2)):
        interview(full, day)
    reduced = measure(person("Castafiore", "Bianca", dt.date(1975, 1, 2)), "25/021", dt.date(2025, 9, 1))
    interview(reduced, dt.date(2025, 12, 4))


def test_csv_is_for_a_french_spreadsheet(user) -> None:
    _two_persons()
    content = statement_csv(annual_statement(2025, today=JANUARY))
    assert content.startswith("\ufeffN°;Nom et prénom;Année de naissance;N° de parquet;")
    lines = content[1:].split("\r\n")
    assert lines[1] == "1;CASTAFIORE Bianca;1975;25/021;04/12/2025;1;réduit;66,00"
    assert lines[2] == "2;TOURNESOL Tryphon;1980;25/020;03/04/2025, 03/07/2025, 02/10/2025;3;plein;132,00"
    assert lines[3] == "Total;;;;;4;1 plein / 1 réduit;198,00"


def test_csv_cells_never_become_formulas(user) -> None:
    interview(measure(person("=HYPERLINK(\"x\")", "Eve"), "25/022", dt.date(2025, 3, 3)), dt.date(2025, 3, 19))
    content = statement_csv(annual_statement(2025, today=JANUARY))
    assert ';"\'=HYPERLINK' in content  # shown as text by the spreadsheet


def test_pdf_states_title_rule_rows_totals_reading_and_deadline(user) -> None:
    _two_persons()
    data = statement_pdf(annual_statement(2025, today=JANUARY), today=JANUARY)
    content = plain(text_of(data))
    for expected in ("État justificatif annuel — année 2025", "Agence régionale de santé",
                     "132,00 € brut par personne suivie", "réduite de moitié (66,00 €)",
                     "TOURNESOL Tryphon", "03/04/2025, 03/07/2025, 02/10/2025", "132,00 €", "66,00 €",
                     "Montant total demandé (brut) 198,00 €", "n'est pas compté comme un entretien de suivi",
                     "au plus tard le samedi 31 janvier 2026", "Léon PRUNELLE", "ARS-IDF-2025-007"):
        assert expected in content, expected
    assert embedded_font_problems(data) == []
    assert b"Helvetica" not in data
    assert data == statement_pdf(annual_statement(2025, today=JANUARY), today=JANUARY)
    assert PdfReader(io.BytesIO(data)).metadata.title == "État justificatif annuel — année 2025"


def test_a_long_statement_paginates_with_its_header_on_every_page(user) -> None:
    for index in range(70):
        interview(measure(person(f"Personne{index:02d}"), f"25/{index:03d}", dt.date(2025, 3, 3)),
                  dt.date(2025, 3, 19))
    data = statement_pdf(annual_statement(2025, today=JANUARY), today=JANUARY)
    pages = [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) >= 3
    assert all("Nom et prénom" in page for page in pages[:-1])
    assert "PERSONNE69" in " ".join(pages) and "70 personne(s)" in pages[-1]


# --------------------------------------------------------------------------- reminder


@pytest.mark.parametrize(("today", "last", "expected"), [
    (dt.date(2026, 11, 30), 2025, None),
    (dt.date(2026, 12, 1), 2025, "État justificatif annuel 2026 à adresser à l'ARS au plus tard le dimanche "
                                 "31 janvier 2027 (dans 61 jours)."),
    (dt.date(2027, 1, 31), 2025, "au plus tard le dimanche 31 janvier 2027 (dans 0 jour)."),
    (dt.date(2027, 2, 1), 2025, "État justificatif annuel 2026 en retard : il devait parvenir à l'ARS au plus "
                                "tard le dimanche 31 janvier 2027 (1 jour de retard)."),
    (dt.date(2027, 2, 1), 2026, None),
    (dt.date(2026, 12, 1), 2026, None),
    (dt.date(2027, 1, 5), None, "État justificatif annuel 2026 à adresser"),
])
def test_reminder_from_december_until_produced(today, last, expected) -> None:
    message = statement_reminder(today, last)
    if expected is None:
        assert message is None
    else:
        assert message is not None and expected in message


def test_production_is_recorded_and_never_goes_back(user) -> None:
    assert last_statement_produced() is None
    mark_statement_produced(2025, on=JANUARY)
    mark_statement_produced(2024)
    assert last_statement_produced() == 2025
    followed = measure(person("Suivie"), "26/001", dt.date(2026, 3, 3))
    assert pending_statement_reminder(dt.date(2026, 12, 1)) is None  # nobody seen in 2026 yet
    interview(followed, dt.date(2026, 3, 19))
    assert pending_statement_reminder(dt.date(2026, 12, 1)) is not None
    mark_statement_produced(2026)
    assert pending_statement_reminder(dt.date(2026, 12, 1)) is None


def test_no_reminder_when_nobody_was_followed(user) -> None:
    assert pending_statement_reminder(dt.date(2026, 2, 1)) is None


# --------------------------------------------------------------------------- CLI and demo


def test_etat_command_text_csv_pdf_and_files(user, tmp_path: Path) -> None:
    _two_persons()
    text = etat_command(2025, "text", None, JANUARY)
    assert "TOURNESOL Tryphon" in text and "Montant total : 198,00 €" in text
    assert last_statement_produced() is None  # looking is not producing
    message = etat_command(2025, "csv", tmp_path, JANUARY)
    saved = tmp_path / "etat-justificatif-2025.csv"
    assert str(saved) in message and saved.read_text(encoding="utf-8-sig").startswith("N°;")
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert last_statement_produced() == 2025
    etat_command(2026, "pdf", None, dt.date(2026, 12, 5))  # a December preview of the running year
    assert last_statement_produced() == 2025
    etat_command(2025, "pdf", tmp_path / "etat.pdf", JANUARY)
    assert (tmp_path / "etat.pdf").read_bytes().startswith(b"%PDF")
    assert isinstance(etat_command(2025, "pdf", None, JANUARY), bytes)
    with pytest.raises(InvalidInput):
        etat_command(2025, "xls", None, JANUARY)  # type: ignore[arg-type]


def test_statement_on_demo_data(db, tmp_path: Path) -> None:
    populate_demo(TODAY)
    for year in (TODAY.year - 1, TODAY.year):
        statement = annual_statement(year, today=TODAY)
        assert statement.persons > 20
        assert statement.total == sum(r.amount for r in statement.rows)
        assert all(r.amount == (Decimal("66.00") if r.followups <= 2 else Decimal("132.00")) for r in statement.rows)
        assert statement.full_rate + statement.reduced_rate == statement.persons
        assert len({r.name for r in statement.rows}) == statement.persons
        data = statement_pdf(statement, today=TODAY)
        assert embedded_font_problems(data) == []
        assert f"{statement.persons} personne(s)" in text_of(data)
        provisional = year == TODAY.year  # the year is not over: one more line says so
        assert statement.provisional == provisional
        assert statement_csv(statement).count("\r\n") == statement.persons + 2 + provisional


def test_before_the_year_is_over_the_statement_is_provisional_and_certifies_nothing(user) -> None:
    """DOMAIN.md "Other documents": produced before 1 January of Y+1, the état says
    « PROVISOIRE » on every page (and the CSV on its first line) and nothing is « certifié exact »."""
    for index in range(45):  # enough rows for several pages
        interview(measure(person(f"Personne{index:02d}"), f"26/{index:03d}", dt.date(2026, 3, 3)),
                  dt.date(2026, 3, 19))
    december = dt.date(2026, 12, 15)
    draft = annual_statement(2026, today=december)
    assert draft.provisional
    pages = [" ".join((page.extract_text() or "").split())
             for page in PdfReader(io.BytesIO(statement_pdf(draft, today=december))).pages]
    assert len(pages) >= 2 and all("PROVISOIRE" in page for page in pages)
    assert not any("Certifié exact" in page or "certifie avoir assuré" in page for page in pages)
    assert "ne vaut pas état justificatif" in " ".join(pages)
    assert statement_csv(draft).lstrip("\ufeff").startswith("PROVISOIRE — état établi le 15/12/2026")
    final = annual_statement(2026, today=dt.date(2027, 1, 4))
    assert not final.provisional
    content = text_of(statement_pdf(final, today=dt.date(2027, 1, 4)))
    assert "PROVISOIRE" not in content and "Certifié exact et sincère." in content
    assert statement_csv(final).lstrip("\ufeff").startswith("N°;")
