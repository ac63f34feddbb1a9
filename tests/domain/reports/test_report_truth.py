"""Every report states what is true (issue 14): the secrecy statement only when true, a report
to the court complete or not finalised, proposals that fit the kind, letters addressed to the
right magistrate, the professional's own civility, observations that follow the facts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import AuditEvent, Measure, Person
from injonctions_tui.domain.documents.produce import produce_document
from injonctions_tui.domain.reports import drafts as rd
from injonctions_tui.domain.reports.report_pdf import SECRECY_NOTE, SECRECY_NOTE_KEPT, report_pdf
from injonctions_tui.domain.store.professionals import set_civility
from tests.conftest import TODAY
from tests.factories.reports import make_dossier
from tests.pdf_checks import embedded_font_problems, pages_text, text_of


@pytest.fixture
def dossier(db):
    return make_dossier()


def _final(dossier, kind: str = "fiche_navette", text: str = "Présent et ponctuel à chaque rendez-vous.",
           proposal: str | None = None, confirm: bool = False):
    report = rd.start_draft(dossier.measure.id, kind, TODAY)
    rd.save_draft(report.id, adherence="effective", proposal=proposal or rd.proposals_for(kind)[0].value,
                  observations=text)
    return rd.finalise(report.id, today=TODAY, confirm_flagged=confirm)


def _plain(report) -> str:
    return " ".join(text_of(report_pdf(rd.get_report(report.id), today=TODAY)).split())


def test_the_no_medical_information_claim_only_when_true(dossier) -> None:
    clean = _final(dossier)
    assert " ".join(SECRECY_NOTE.split()) in _plain(clean)
    flagged = _final(dossier, "incident", "Sous méthadone 60 mg, tests urinaires négatifs, abstinent.",
                     confirm=True)
    content = _plain(flagged)
    assert "aucune information médicale" not in content and " ".join(SECRECY_NOTE_KEPT.split()) in content
    confirmed = AuditEvent.select().where((AuditEvent.action == "rapport_termes_confirmes")
                                          & (AuditEvent.entity_id == flagged.id))
    assert confirmed.count() == 1 and rd.confirmed_terms(flagged)  # the terms, and when, are kept


@pytest.mark.parametrize(("field", "value", "missing"), [
    ("parquet_number", "", "le numéro de parquet"),
    ("magistrat_referent", None, "le magistrat référent"),
    ("decision_on", None, "la date de la décision"),
])
def test_a_report_to_the_court_is_complete_or_not_finalised(dossier, field: str, value: object,
                                                            missing: str) -> None:
    Measure.update({getattr(Measure, field): value}).where(Measure.id == dossier.measure.id).execute()
    report = rd.start_draft(dossier.measure.id, "fiche_navette", TODAY)
    rd.save_draft(report.id, adherence="effective", proposal="poursuite", observations="Ponctuel.")
    with pytest.raises(InvalidInput, match=f"Rapport incomplet : il ne peut pas être finalisé sans {missing}"):
        rd.finalise(report.id, today=TODAY, confirm_flagged=False)
    assert rd.get_report(report.id).status == "brouillon"
    assert rd.finalisation_preview(report.id, TODAY).missing == [missing]


def test_a_person_without_birth_date_is_not_an_identity_for_the_court(dossier) -> None:
    Person.update(birth_date=None).where(Person.id == dossier.person.id).execute()
    report = rd.start_draft(dossier.measure.id, "fiche_navette", TODAY)
    rd.save_draft(report.id, adherence="effective", proposal="poursuite", observations="Ponctuel.")
    with pytest.raises(InvalidInput, match="l'identité de la personne"):
        rd.finalise(report.id, today=TODAY, confirm_flagged=False)


def test_an_incomplete_final_report_is_never_signed(dossier, tmp_path: Path) -> None:
    """A report an earlier version finalised without a decision date: corrected, never signed."""
    from injonctions_tui.domain.core.models import Report
    from injonctions_tui.domain.reports.facts import canonical_json

    draft = rd.start_draft(dossier.measure.id, "fiche_navette", TODAY)
    frozen = rd.report_facts(draft, TODAY).to_dict() | {"decision_on": None}
    old = Report.create(measure=dossier.measure, kind="fiche_navette", status="final", written_on=TODAY,
                        adherence="effective", proposal="poursuite", observations="Ponctuel.",
                        facts_json=canonical_json(frozen), content_hash="0" * 64, finalised_at=dt.datetime(2026, 11, 2))
    from injonctions_tui.domain.store import integrity

    integrity.seal_report(old.id)  # as migration 8 sealed what the earlier version had finalised
    folder = tmp_path / "documents"
    folder.mkdir()
    with pytest.raises(InvalidInput, match="ne peut pas être signé sans la date de la décision"):
        produce_document("fiche-navette", old.id, folder=folder, sign=True, today=TODAY)
    assert list(folder.iterdir()) == []


def test_the_avis_motive_proposes_an_opinion_on_the_measure(dossier) -> None:
    report = rd.start_draft(dossier.measure.id, "avis_motive", TODAY, dossier.evaluation.id)
    with pytest.raises(InvalidInput, match="« Fin de mesure — échec » ne convient pas à un\\(e\\) avis motivé"):
        rd.save_draft(report.id, adherence="effective", proposal="fin_echec", observations="")
    rd.save_draft(report.id, adherence="effective", proposal="opportune", observations="Orientation acceptée.")
    assert [p.value for p in rd.proposals_for("avis_motive")] == ["opportune", "non_opportune"]
    final = rd.finalise(report.id, today=TODAY, confirm_flagged=False)
    assert "Mesure opportune — orientation proposée" in _plain(final)


def test_writing_the_avis_again_opens_the_final_one(dossier) -> None:
    assert rd.final_opinion(dossier.measure.id) is None
    final = _final(dossier, "avis_motive", proposal="opportune")
    assert rd.final_opinion(dossier.measure.id).id == final.id


@pytest.mark.parametrize(("authority", "expected", "absent"), [
    ("procureur", "À l'attention de Mme Bianca CASTAFIORE, substitut, magistrat référent Procureur de la "
                  "République — Parquet de Nanterre", None),
    ("juge_enfants", "À l'attention de Mme Bianca CASTAFIORE, substitut, juge des enfants Tribunal judiciaire "
                     "de Nanterre", "Parquet de Nanterre"),
    ("juge_instruction", "juge d'instruction Tribunal judiciaire de Nanterre", "Parquet de Nanterre"),
])
def test_a_report_is_addressed_to_the_magistrate_who_ordered_the_measure(dossier, authority: str, expected: str,
                                                                         absent: str | None) -> None:
    Measure.update(authority=authority).where(Measure.id == dossier.measure.id).execute()
    first_page = pages_text(report_pdf(rd.get_report(_final(dossier).id), today=TODAY))[0]
    assert expected in first_page
    if absent:
        assert absent not in first_page


@pytest.mark.parametrize(("civility", "signer", "absent"), [
    ("madame", "professionnelle de santé habilitée", "habilité(e)"),
    ("monsieur", "professionnel de santé habilité", "habilité(e)"),
    (None, "professionnel(le) de santé habilité(e)", "habilitée"),
])
def test_the_signature_speaks_of_the_professional_as_they_asked(dossier, civility: str | None, signer: str,
                                                                absent: str) -> None:
    set_civility(dossier.user, civility)
    content = _plain(_final(dossier))
    assert signer in content and absent not in content


def test_the_observations_follow_the_facts_on_page_one(dossier) -> None:
    """No page 1 half empty: long observations start right after the facts and flow on."""
    words = "Monsieur TOURNESOL se présente à chaque rendez-vous, ponctuel et disponible. " * 10
    text = "\n\n".join([words] * 6)  # under the 5 000 characters of a report
    pages = pages_text(report_pdf(rd.get_report(_final(dossier, text=text).id), today=TODAY))
    assert len(pages) >= 2
    assert "Observations du professionnel habilité" in pages[0]
    assert pages[0].count("se présente à chaque rendez-vous") >= 4  # page 1 filled with the text
    assert "Fait à Nanterre" in pages[-1]  # the signature, with the secrecy note, on the last page


def test_a_report_shows_the_one_timeline(dossier) -> None:
    content = _plain(_final(dossier))
    for expected in ("Date de la décision 04/05/2026", "Début de la mesure (fixé par la saisine) 15/06/2026",
                     "Fin prévue 15/12/2026", "Durée maximale jusqu'au 15/06/2028"):
        assert expected in content


def test_reports_keep_their_fonts_embedded_with_the_new_blocks(dossier) -> None:
    assert embedded_font_problems(report_pdf(rd.get_report(_final(dossier).id), today=TODAY)) == []
