"""The one way to produce a document (documents.produce_document): loads once, renders,
signs only what may be signed, saves 0600 and records one audit event in one format."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pypdf import PdfReader

from injonctions_tui.cli.documents import DOCUMENT_KEYS
from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import AuditEvent
from injonctions_tui.domain.documents.catalogue import DOCUMENT_KINDS
from injonctions_tui.domain.documents.produce import produce_document
from injonctions_tui.domain.printing.verification import verify_signature
from injonctions_tui.domain.reports import drafts as rd
from tests.conftest import TODAY
from tests.factories.reports import make_dossier


@pytest.fixture
def dossier(db):
    return make_dossier()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The documents folder (the base lives elsewhere in tmp_path)."""
    path = tmp_path / "documents"
    path.mkdir()
    return path


def _events() -> list[tuple[str, str | None, int | None, str]]:
    return [(e.action, e.entity, e.entity_id, e.details)
            for e in AuditEvent.select().where(AuditEvent.action == "impression").order_by(AuditEvent.id)]


def test_a_final_report_is_signed_and_recorded_once(dossier, folder: Path) -> None:
    report = rd.start_draft(dossier.measure.id, "fiche_navette", TODAY)
    rd.save_draft(report.id, adherence="effective", proposal="poursuite", observations="Présent à chaque rendez-vous.")
    rd.finalise(report.id, today=TODAY, confirm_flagged=False)
    produced = produce_document("fiche-navette", report.id, folder=folder, sign=True, today=TODAY)
    assert produced.signed and not produced.draft
    assert produced.path.parent == folder and stat.S_IMODE(produced.path.stat().st_mode) == 0o600
    assert verify_signature(produced.path.read_bytes()).valid
    assert "PDF signé enregistré" in produced.summary()
    assert _events() == [("impression", "report", report.id, "document=fiche-navette signe=oui")]


def test_a_draft_is_a_projet_never_signed(dossier, folder: Path) -> None:
    report = rd.start_draft(dossier.measure.id, "fiche_navette", TODAY)
    with pytest.raises(InvalidInput, match="Un projet de rapport ne se signe pas"):
        produce_document("fiche-navette", report.id, folder=folder, sign=True, today=TODAY)
    assert list(folder.iterdir()) == [] and _events() == []  # nothing written, nothing recorded
    produced = produce_document("fiche-navette", report.id, folder=folder, today=TODAY)
    assert produced.draft and not produced.signed and produced.path.name.startswith("PROJET-")
    assert "PROJET" in " ".join(page.extract_text() for page in PdfReader(produced.path).pages)
    assert "Projet (non signé)" in produced.summary()
    assert _events() == [("impression", "report", report.id, "document=fiche-navette signe=non projet=oui")]


def test_every_kind_goes_through_the_same_audit_format(dossier, folder: Path) -> None:
    produce_document("permanence", TODAY, folder=folder, today=TODAY)
    produce_document("registre", None, folder=folder, today=TODAY)
    assert _events() == [("impression", None, None, "document=permanence signe=non"),
                         ("impression", None, None, "document=registre signe=non")]
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["feuille-permanence-2026-11-23.pdf", "registre-habilitations-2026-11-23.pdf"]


def test_an_imposed_file_name_and_unknown_kinds(dossier, folder: Path) -> None:
    produced = produce_document("permanence", TODAY, folder=folder, filename="feuille.pdf", today=TODAY)
    assert produced.path == folder / "feuille.pdf"
    with pytest.raises(InvalidInput, match="Document inconnu : « horoscope »"):
        produce_document("horoscope", 1, folder=folder, today=TODAY)


def test_the_cli_lists_every_kind_of_the_catalogue() -> None:
    assert list(DOCUMENT_KEYS) == list(DOCUMENT_KINDS)


def test_a_typed_in_place_that_reveals_care_is_refused_before_anything_is_written(dossier, folder: Path) -> None:
    """The guard covers the free fields of convocations and attestations, not only reports."""
    upcoming = dossier.upcoming
    upcoming.place = "Salle de distribution de méthadone, 2e étage"
    upcoming.save()
    for key in ("convocation", "attestation"):
        with pytest.raises(InvalidInput, match=r"Le lieu du rendez-vous contient « méthadone » \(") as refused:
            produce_document(key, upcoming.id, folder=folder, today=TODAY)
        assert "corrigez-le avant d'imprimer" in str(refused.value)
    assert list(folder.iterdir()) == [] and _events() == []
    upcoming.place = "Centre de soins du tribunal, salle 2"  # « soins » in a structure's name is not a leak
    upcoming.save()
    produced = produce_document("convocation", upcoming.id, folder=folder, today=TODAY)
    assert produced.path.exists()
