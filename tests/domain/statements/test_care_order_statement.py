"""The injonction de soins' état justificatif (issue 21, point 5): 700 EUR per person followed
in the civil year, halved at 2 follow-up interviews or fewer, a person listed only if seen that
year, one sheet per JAP (each to be visé by that judge), the judge on every CSV row, due 31
January; the IT's statement unchanged. Real encrypted base, real PDF read with pypdf."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import Measure, Person
from injonctions_tui.domain.statements.outputs import etat_command
from injonctions_tui.domain.statements.statement import annual_statement, statement_csv, statement_reminder
from tests.factories.care_orders import JAP_A, JAP_B, interview, list_coordinator
from tests.factories.reports import make_dossier
from tests.pdf_checks import pages_text

JANUARY = dt.date(2026, 1, 12)  # when the 2025 statements are written


def _care_order(user, last: str, judge: str | None, number: str, court: str | None = None) -> Measure:
    person = Person.create(last_name=last, first_name="Anatole", birth_date=dt.date(1979, 3, 4))
    return Measure.create(person=person, professional=user, kind="injonction_de_soins", parquet_number=number,
                          authority="jap", stage="application_peines", magistrat_referent=judge, jap_tribunal=court,
                          saisine_received_on=dt.date(2024, 6, 3), ordonnance_on=dt.date(2024, 6, 1),
                          status="suivi")


def _at(month: int, day: int, year: int = 2025) -> dt.datetime:
    return dt.datetime(year, month, day, 15)


@pytest.fixture
def caseload(db):
    """Four persons for two JAPs: 4, 2 and 3 interviews in 2025, one seen only in 2024."""
    user = make_dossier().user  # an IT in follow-up too (its statement must not change)
    list_coordinator(user, dt.date(2024, 1, 8))
    alpha = _care_order(user, "Alpha", JAP_A, "25/400/00001")
    for month in (2, 5, 8, 11):
        interview(alpha, _at(month, 12))
    beta = _care_order(user, "Beta", JAP_A, "25/400/00002")
    interview(beta, _at(3, 4), kind="premier_entretien_is")
    interview(beta, _at(6, 4))
    interview(beta, _at(9, 4), status="absent")  # missed: not counted
    gamma = _care_order(user, "Gamma", JAP_B, "25/400/00003", court="Tribunal judiciaire de Versailles")
    for month in (1, 4, 7):
        interview(gamma, _at(month, 20))
    delta = _care_order(user, "Delta", JAP_B, "25/400/00004")
    interview(delta, _at(12, 2, 2024))  # seen in 2024 only
    return user


def test_pay_700_halved_at_two_interviews_or_fewer_and_one_sheet_per_judge(caseload) -> None:
    statement = annual_statement(2025, today=JANUARY, kind="injonction_de_soins")
    amounts = {row.name: (row.followups, row.amount) for row in statement.rows}
    assert amounts == {"ALPHA Anatole": (4, Decimal("700.00")), "BETA Anatole": (2, Decimal("350.00")),
                       "GAMMA Anatole": (3, Decimal("700.00"))}  # Delta was not seen in 2025
    assert statement.total == Decimal("1750.00") and not statement.provisional
    sheets = {sheet.judge: sheet for sheet in statement.sheets}  # in the judges' alphabetical order
    assert {(j, s.persons, s.total) for j, s in sheets.items()} == {(JAP_A, 2, Decimal("1050.00")),
                                                                   (JAP_B, 1, Decimal("700.00"))}
    assert sheets[JAP_B].court == "Tribunal judiciaire de Versailles" and [s.number for s in statement.sheets] == [1, 2]
    it = annual_statement(2025, today=JANUARY)  # the IT's own statement, the IS never on it
    assert all(row.name not in amounts for row in it.rows)


def test_the_csv_names_the_judge_on_every_row(caseload) -> None:
    lines = statement_csv(annual_statement(2025, today=JANUARY, kind="injonction_de_soins")).lstrip(
        "\ufeff").splitlines()
    assert lines[0].startswith("Juge de l'application des peines;Tribunal;Feuillet;N°")
    body = [line for line in lines[1:] if not line.split(";")[3].startswith("Total")]
    assert len(body) == 5 and all(line.split(";")[0] in (JAP_A, JAP_B) for line in body)  # 3 rows, 2 subtotals
    assert lines[-1].split(";")[3] == "Total" and lines[-1].endswith("1750,00")


def test_the_pdf_has_one_sheet_per_judge_to_visa(caseload, tmp_path: Path) -> None:
    message = etat_command(2025, "pdf", tmp_path, JANUARY, "injonction_de_soins")
    assert "2 feuillet(s)" in message
    (pdf,) = tmp_path.glob("etat-justificatif-injonctions-soins-2025*.pdf")
    pages = [" ".join(page.split()) for page in pages_text(pdf.read_bytes())]
    sheets = [page for page in pages if "feuillet 1 sur 2" in page or "feuillet 2 sur 2" in page]
    assert len(sheets) == 2
    assert any(JAP_A in page and "ALPHA" in page and "BETA" in page and "GAMMA" not in page for page in sheets)
    assert any(JAP_B in page and "GAMMA" in page and "ALPHA" not in page for page in sheets)
    whole = " ".join(pages)
    assert whole.count("Visa du juge de l'application des peines") == 2
    assert "L3711" in whole and "L3413" not in whole and "31 janvier 2026" in whole
    assert "700,00" in whole and "350,00" in whole


def test_the_cli_option_and_the_it_default(caseload, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="inconnue"):
        etat_command(2025, "text", None, JANUARY, "obligation_de_soins")
    it_default = etat_command(2025, "text", None, JANUARY)
    assert it_default == etat_command(2025, "text", None, JANUARY, "injonction_therapeutique")
    assert "ALPHA" not in it_default
    text = etat_command(2025, "text", None, JANUARY, "injonction_de_soins")
    assert JAP_A in text and JAP_B in text and "ALPHA" in text


def test_the_reminder_names_the_sheets_per_judge() -> None:
    reminder = statement_reminder(JANUARY, 2024, "injonction_de_soins")
    assert "injonctions de soins" in reminder and "un feuillet par juge" in reminder and "31 janvier" in reminder
    assert statement_reminder(JANUARY, 2025, "injonction_de_soins") is None
