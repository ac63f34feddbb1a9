"""Attestation de suivi / de fin de suivi: neutral, never clinical, never the outcome."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import Measure
from injonctions_tui.domain.documents.catalogue import DOCUMENT_KINDS
from injonctions_tui.domain.dossiers.attestation_suivi_pdf import attestation_de_suivi
from injonctions_tui.domain.dossiers.measures import load_measure
from tests.conftest import TODAY
from tests.factories import documents as docs
from tests.factories.documents import THURSDAY
from tests.pdf_checks import CLINICAL, embedded_font_problems, text_of

OUTCOME_WORDS = ("classement", "sans suite", "poursuite", "composition pénale", "caducité", "non opportune",
                 "échec", "succès", "réussi")


@pytest.fixture
def suivi(data) -> Measure:  # noqa: F811 (the fixture imported above)
    """Tryphon TOURNESOL: decision of 02/10/2026, present on 19/11 and 21/11, absent on 20/11."""
    measure = data["present"].measure
    measure.decision_on = dt.date(2026, 10, 2)
    measure.status = "suivi"
    measure.save()
    docs.appointment(measure, dt.date(2026, 11, 20), 10, 0, "absent", kind="suivi_m3")
    docs.appointment(measure, dt.date(2026, 11, 21), 14, 0, "present", kind="suivi_m3")
    return measure


def _close(measure: Measure, outcome: str = "classement_sans_suite") -> None:
    measure.status = "cloture"
    measure.outcome = outcome
    measure.outcome_on = dt.date(2026, 11, 22)
    measure.save()


def _no_forbidden_words(content: str) -> None:
    lowered = content.lower()
    for word in CLINICAL + OUTCOME_WORDS:
        assert word not in lowered, word


def test_ongoing_follow_up_states_the_frame_and_the_interviews(suivi) -> None:
    pdf = attestation_de_suivi(load_measure(suivi.id), today=TODAY)
    content = text_of(pdf)
    assert "ATTESTATION DE SUIVI" in content
    assert "À qui de droit" in content
    assert "TOURNESOL Tryphon" in content and "12/05/1980" in content
    assert "injonction thérapeutique" in content.lower()
    assert "ordonnée le 02/10/2026 par le procureur de la République" in content
    # The measure's one start, the decision (DOMAIN.md step 6), never the first interview.
    assert "mesure en cours depuis le 02/10/2026" in content and f"depuis le {THURSDAY:%d/%m/%Y}" not in content
    assert "2 entretiens" in content  # the absence and the future appointment do not count
    assert "en cours" in content
    assert "Léon PRUNELLE" in content and "Habilitation ARS n° ARS-IDF-2026-042" in content
    assert "Fait à Nanterre, le lundi 23 novembre 2026" in content
    assert "26/111/00001" not in content  # the parquet number is not the employer's business
    _no_forbidden_words(content)
    assert embedded_font_problems(pdf) == []
    assert attestation_de_suivi(load_measure(suivi.id), today=TODAY) == pdf  # invariant


def test_end_of_follow_up_gives_the_period_but_never_the_outcome(suivi) -> None:
    _close(suivi, "poursuites")
    pdf = attestation_de_suivi(load_measure(suivi.id), today=TODAY, ended=True)
    content = text_of(pdf)
    assert "ATTESTATION DE FIN DE SUIVI" in content
    assert f"du {THURSDAY:%d/%m/%Y} au 22/11/2026" in content
    assert "a pris fin" in content
    assert "2 entretiens" in content
    assert "en cours" not in content
    _no_forbidden_words(content)
    assert embedded_font_problems(pdf) == []
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert "TOURNESOL" not in f"{metadata.title} {metadata.author}"


def test_end_of_follow_up_is_refused_on_an_open_measure(suivi) -> None:
    with pytest.raises(InvalidInput, match="n'est pas clôturée"):
        attestation_de_suivi(load_measure(suivi.id), today=TODAY, ended=True)


def test_no_interview_held_means_no_attestation(data) -> None:  # noqa: F811
    measure = docs.measure(docs.person("Tapioca", "Général", dt.date(1960, 1, 1)), "26/111/00099", dt.date(2026, 9, 9))
    with pytest.raises(InvalidInput, match="aucun entretien"):
        attestation_de_suivi(load_measure(measure.id), today=TODAY)
    with pytest.raises(InvalidInput, match="introuvable"):
        attestation_de_suivi(load_measure(999_999), today=TODAY)


def test_one_interview_is_singular(data) -> None:  # noqa: F811
    content = text_of(attestation_de_suivi(load_measure(data["present"].measure.id), today=TODAY))
    assert "1 entretien a été réalisé" in content
    assert "ordonnée par le procureur de la République" in content  # no decision date known


def test_document_kinds_for_the_dossier(suivi) -> None:
    kinds = DOCUMENT_KINDS
    assert kinds["attestation-suivi"].target == kinds["attestation-fin-suivi"].target == "dossier"
    assert {"attestation", "convocation", "permanence", "fiche-navette", "avis-motive", "incident",
            "fin-de-mesure"} <= set(kinds)
    rendered = kinds["attestation-suivi"].build(suivi.id, today=TODAY)
    assert rendered.filename == "attestation-suivi-2026-11-23-26-111-00001.pdf"
    assert rendered.data == attestation_de_suivi(load_measure(suivi.id), today=TODAY)
    with pytest.raises(InvalidInput):
        kinds["attestation-fin-suivi"].build(suivi.id, today=TODAY)
    _close(suivi)
    rendered = kinds["attestation-fin-suivi"].build(suivi.id, today=TODAY)
    assert rendered.filename == "attestation-fin-suivi-2026-11-23-26-111-00001.pdf"
    assert "ATTESTATION DE FIN DE SUIVI" in text_of(rendered.data)


def test_an_attestation_never_says_en_cours_after_the_end(suivi) -> None:
    """Past the planned end (or the 2-year maximum), the attestation de suivi is refused with
    the reason; once closed, the attestation de fin de suivi states the date it ended."""
    after_the_end = dt.date(2027, 4, 3)  # decision 02/10/2026 + 6 months = 02/04/2027
    with pytest.raises(InvalidInput, match="a atteint sa fin prévue le 02/04/2027 ; elle n'est plus en cours"):
        attestation_de_suivi(load_measure(suivi.id), today=after_the_end)
    attestation_de_suivi(load_measure(suivi.id), today=dt.date(2027, 4, 2))  # the last day: still running
    _close(suivi)
    ended = text_of(attestation_de_suivi(load_measure(suivi.id), today=after_the_end, ended=True))
    assert "au 22/11/2026, date à laquelle ce suivi a pris fin" in ended and "en cours" not in ended
