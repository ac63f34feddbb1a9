"""The injonction de soins' papers (issue 21, point 3): convocation, attestation de suivi,
incident report and annual report to the JAP — the annual report with the secrecy guard and
the finalisation rules of the IT reports — each citing the IS's own articles, never an IT
one. Produced through produce_document on a real encrypted base, read back with pypdf."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from injonctions_tui.domain.agenda.booking import book
from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import AttestationDelivery
from injonctions_tui.domain.documents.produce import produce_document
from injonctions_tui.domain.reports import drafts as rd
from tests.conftest import TODAY
from tests.factories.care_orders import JAP_A, OFFICE, interview, list_coordinator, make_care_order
from tests.factories.reports import make_dossier
from tests.pdf_checks import text_of

ORDONNANCE = dt.date(2025, 10, 6)
IT_WORDS = ("L3413", "R3413", "L. 3413", "injonction thérapeutique", "professionnel de santé habilité")


@pytest.fixture
def measure(db):
    dossier = make_dossier()  # the same user follows an IT too: both caseloads in one base
    list_coordinator(dossier.user, dt.date(2025, 1, 6))
    measure = make_care_order(dossier.user, TODAY, ordonnance_on=ORDONNANCE)
    interview(measure, dt.datetime(2025, 11, 12, 15), kind="premier_entretien_is")
    interview(measure, dt.datetime(2026, 2, 11, 15))
    interview(measure, dt.datetime(2026, 11, 18, 15), status="absent")
    return measure


def _text(key: str, target: object, folder: Path, **options: object) -> str:
    produced = produce_document(key, target, folder=folder, today=TODAY, **options)
    return " ".join(text_of(produced.path.read_bytes()).split())


def _is_paper(text: str) -> None:
    assert "L3711" in text, text[:400]
    assert not [word for word in IT_WORDS if word in text], [word for word in IT_WORDS if word in text]


def test_the_convocation_to_the_office(measure, tmp_path: Path) -> None:
    booked = book(measure.id, "bilan_is", dt.datetime(2026, 12, 9, 15, 0), place=OFFICE, today=TODAY)
    text = _text("convocation", booked.id, tmp_path)
    _is_paper(text)
    assert "médecin coordonnateur" in text and "juge de l'application des peines" in text
    assert "mercredi 9 décembre 2026" in text.lower()


def test_the_attestation_de_suivi_is_delivered_and_counted(measure, tmp_path: Path) -> None:
    text = _text("attestation-suivi", measure.id, tmp_path)
    _is_paper(text)
    assert "injonction de soins" in text.lower() and "médecin coordonnateur" in text
    assert [d.delivered_on for d in AttestationDelivery.select()] == [TODAY]


def test_the_incident_report_to_the_jap(measure, tmp_path: Path) -> None:
    report = rd.start_draft(measure.id, "incident", TODAY)
    rd.save_draft(report.id, adherence="absente", proposal=None,
                  observations="Absent à la convocation du 18/11/2026 sans nouvelles malgré une relance.")
    rd.finalise(report.id, today=TODAY, confirm_flagged=False)
    text = _text("incident", report.id, tmp_path)
    _is_paper(text)
    assert JAP_A in text and "18/11/2026" in text


def test_the_annual_report_keeps_the_secrecy_guard_and_the_finalisation_rules(measure, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="ne se rédige pas"):
        rd.start_draft(measure.id, "fiche_navette", TODAY)  # an IT report, not on an IS
    report = rd.start_draft(measure.id, "rapport_annuel", TODAY)
    assert {p.value for p in rd.proposals_for("rapport_annuel", "injonction_de_soins")} == {"poursuite",
                                                                                            "modification"}
    rd.save_draft(report.id, adherence="effective", proposal=None,
                  observations="Le patient est sevré, traitement par méthadone, dépistage négatif.")
    with pytest.raises(InvalidInput, match="Proposition"):
        rd.finalise(report.id, today=TODAY, confirm_flagged=False)
    rd.save_draft(report.id, adherence="effective", proposal="poursuite",
                  observations="Le patient est sevré, traitement par méthadone, dépistage négatif.")
    with pytest.raises(rd.FlaggedTermsRemain):  # the same guard as the IT reports
        rd.finalise(report.id, today=TODAY, confirm_flagged=False)
    draft = _text("rapport-annuel", report.id, tmp_path)
    assert "PROJET" in draft
    with pytest.raises(InvalidInput, match="ne se signe pas|finalisez"):
        produce_document("rapport-annuel", report.id, folder=tmp_path, sign=True, today=TODAY)
    rd.save_draft(report.id, adherence="effective", proposal="poursuite",
                  observations="Présent aux convocations de l'année ; suivi régulier auprès du soignant traitant.")
    final = rd.finalise(report.id, today=TODAY, confirm_flagged=False)
    assert rd.verify_integrity(final.id)
    with pytest.raises(rd.ReportLocked):
        rd.save_draft(final.id, adherence="effective", proposal="poursuite", observations="Changé.")
    text = _text("rapport-annuel", final.id, tmp_path)
    _is_paper(text)
    assert "PROJET" not in text and JAP_A in text and "Rapport annuel" in text
    assert "07/09/2026" not in text  # nothing invented: the ordonnance is the 06/10/2025
    assert "06/10/2025" in text


def test_the_it_papers_are_unchanged(measure, tmp_path: Path) -> None:
    text = _text("attestation-suivi", 1, tmp_path)  # the IT dossier of the same user
    assert "injonction thérapeutique" in text.lower() and "L3711" not in text and "coordonnateur" not in text
