"""The PDFs of the reports to the magistrate: facts, secrecy, fonts, determinism."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import Measure, Person
from injonctions_tui.domain.documents.catalogue import DOCUMENT_KINDS
from injonctions_tui.domain.reports import drafts as rd
from injonctions_tui.domain.reports.drafts import get_report
from injonctions_tui.domain.reports.report_pdf import report_pdf
from injonctions_tui.domain.reports.secrecy import load_lexicon, scan
from tests.conftest import TODAY
from tests.factories.reports import make_dossier
from tests.pdf_checks import CLINICAL, embedded_font_problems, pages_text, text_of

OBSERVATIONS = ("Monsieur TOURNESOL s'est présenté à l'entretien, ponctuel et disponible.\n\n"
                "Il dit s'impliquer dans la prise en charge engagée et souhaite la poursuivre « au-delà » "
                "de l'échéance prévue.")


@pytest.fixture
def dossier(db):
    return make_dossier()


def _report(dossier, kind: str = "fiche_navette", *, text: str = OBSERVATIONS, final: bool = True,
            today: dt.date = TODAY, adherence: str = "effective", proposal: str | None = "renouvellement"):
    report = rd.start_draft(dossier.measure.id, kind, today)
    rd.save_draft(report.id, adherence=adherence, proposal=proposal, observations=text)
    return rd.finalise(report.id, today=today, confirm_flagged=False) if final else report


def test_fiche_navette_states_the_facts(dossier) -> None:
    content = text_of(report_pdf(get_report(_report(dossier).id), today=TODAY))
    for expected in ("FICHE NAVETTE", "TOURNESOL Tryphon", "12/05/1980", "26/111/00001",
                     "Mme Bianca CASTAFIORE, substitut", "magistrat référent", "Parquet de Nanterre",
                     "Procureur de la République — alternative aux poursuites", "04/05/2026", "11/05/2026",
                     "15/06/2026", "15/12/2026", "CSAPA Le Phare (fictif) — Dr Nestor FICTIF",
                     "acceptée par écrit le 15/06/2026", "Absent(e), non excusé(e)", "Absent(e), excusé(e)",
                     "Soit 5 entretien(s) : 3 honorés, 1 excusé, 1 non honoré sans excuse",
                     "Prochain entretien prévu le 18/02/2027 à 10h30", "Adhésion effective",
                     "Renouvellement de la mesure", "« au-delà »", "Habilitation ARS n° ARS-IDF-2026-042",
                     "Fait à Nanterre, le lundi 23 novembre 2026", "Léon PRUNELLE", "R3413-14"):
        assert expected in content, expected
    assert "PROJET" not in content and "Projet non finalisé" not in content


def test_each_kind_has_its_title_and_labels(dossier) -> None:
    cases = {"avis_motive": ("AVIS MOTIVÉ", "non_evaluable", "non_opportune", "Mesure non opportune"),
             "incident": ("RAPPORT D'INCIDENT", "absente", None, "Sans proposition."),
             "fin_de_mesure": ("RAPPORT DE FIN DE MESURE", "partielle", "fin_echec", "Fin de mesure — échec")}
    labels = {"non_evaluable": "Adhésion non évaluable à ce stade", "absente": "Absence d'adhésion",
              "partielle": "Adhésion partielle"}
    for kind, (title, adherence, proposal, proposal_label) in cases.items():
        content = text_of(report_pdf(get_report(_report(dossier, kind, adherence=adherence, proposal=proposal).id), today=TODAY))
        assert title in content and labels[adherence] in content and proposal_label in content, kind


def test_parquet_number_on_every_page_and_nothing_lost(dossier) -> None:
    words = [f"mot{index:04d}" for index in range(560)]
    text = "\n\n".join(" ".join(words[i:i + 40]) for i in range(0, len(words), 40))[:5000]
    pages = pages_text(report_pdf(get_report(_report(dossier, text=text).id), today=TODAY))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "N° de parquet 26/111/00001 — Fiche navette, version 1" in page
        assert f"Page {number} sur {len(pages)}" in page
    joined = " ".join(pages)
    assert all(word in joined for word in text.split())


def test_a_correction_says_what_it_replaces(dossier) -> None:
    first = _report(dossier, today=dt.date(2026, 9, 18))
    second = rd.correct(first.id, TODAY)
    rd.save_draft(second.id, adherence="effective", proposal="poursuite", observations=OBSERVATIONS)
    second = rd.finalise(second.id, today=TODAY, confirm_flagged=False)
    content = text_of(report_pdf(get_report(second.id), today=TODAY))
    assert "Version 2 — annule et remplace la version 1 du 18/09/2026." in content
    assert "Fiche navette, version 2" in content
    assert DOCUMENT_KINDS["fiche-navette"].build(second.id, today=TODAY).filename == \
        "fiche-navette-v2-2026-11-23-26-111-00001.pdf"


def test_boilerplate_holds_no_clinical_word(dossier) -> None:
    lexicon = load_lexicon(None)
    for kind in ("avis_motive", "fiche_navette", "incident", "fin_de_mesure"):
        proposal = rd.proposals_for(kind)[0].value
        content = text_of(report_pdf(get_report(_report(dossier, kind, text="", proposal=proposal).id), today=TODAY))
        assert scan(content, lexicon) == [], kind
        assert not [word for word in CLINICAL if word in content.lower()], kind


def test_fonts_are_embedded_and_metadata_do_not_name_the_person(dossier) -> None:
    for final in (True, False):
        data = report_pdf(get_report(_report(dossier, final=final).id), today=TODAY)
        assert embedded_font_problems(data) == []
        metadata = PdfReader(io.BytesIO(data)).metadata
        assert metadata.title == "Fiche navette" and "TOURNESOL" not in str(dict(metadata))


def test_final_pdf_is_byte_identical_even_after_a_dossier_edit(dossier) -> None:
    report = _report(dossier)
    first = report_pdf(get_report(report.id), today=TODAY)
    assert report_pdf(get_report(report.id), today=TODAY + dt.timedelta(days=40)) == first
    Person.update(last_name="Autrenom").execute()
    Measure.update(parquet_number="26/111/99999").execute()
    assert report_pdf(get_report(report.id), today=TODAY) == first


def test_a_draft_is_a_watermarked_preview_of_the_current_dossier(dossier) -> None:
    draft = _report(dossier, final=False)
    content = text_of(report_pdf(get_report(draft.id), today=TODAY))
    assert "PROJET" in content and "Projet non finalisé" in content
    Measure.update(parquet_number="26/111/77777").execute()
    assert "26/111/77777" in text_of(report_pdf(get_report(draft.id), today=TODAY))
    built = DOCUMENT_KINDS["fiche-navette"].build(draft.id, today=TODAY)
    assert built.filename == "PROJET-fiche-navette-2026-11-23-26-111-77777.pdf"


def test_document_kinds_for_reports(dossier) -> None:
    assert {DOCUMENT_KINDS[key].target for key in ("fiche-navette", "avis-motive", "incident", "fin-de-mesure")} \
        == {"rapport"}
    incident = _report(dossier, "incident", proposal=None)
    with pytest.raises(InvalidInput, match="« incident »"):
        DOCUMENT_KINDS["fiche-navette"].build(incident.id, today=TODAY)
    assert DOCUMENT_KINDS["incident"].build(incident.id, today=TODAY).filename == \
        "rapport-incident-2026-11-23-26-111-00001.pdf"
