"""Documents on paper: the day's papers listed in handing-out order, written, and sent to a
real CUPS printer as ONE job with the copies chosen in Paramètres; a failing printer loses
nothing and says where the documents are."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from injonctions_tui.domain.agenda.papers import ATTESTATION, CONVOCATION, FEUILLE, day_papers
from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import Appointment, AuditEvent, Measure
from injonctions_tui.domain.documents.print_out import print_day_papers, print_documents, produce_day_papers
from injonctions_tui.domain.printing.print_common import PrinterOffline
from injonctions_tui.domain.printing.print_settings import (PrintSettings, load_print_settings, parse_copies,
                                                            save_print_settings)
from injonctions_tui.domain.store.settings import CourtSettings
from tests.conftest import TODAY
from tests.cups_printer import OFFLINE_PRINTER, pages_of, printed_file
from tests.factories.documents import NEXT_MONDAY, THURSDAY


def booked_on(day: dt.date, measure: Measure, starts: dt.datetime, status: str = "attendu") -> Appointment:
    return Appointment.create(measure=measure, kind="suivi_m3", starts_at=starts, place="Tribunal judiciaire de Nanterre",
                              status=status, created_at=dt.datetime.combine(day, dt.time(10, 5)))


@pytest.fixture
def thursday(data: dict) -> dict:
    """Thursday's permanence: Tournesol came (and got his next appointment), Castafiore did
    not; Sponz's saisine was convoked from the desk; one booking was later excused, one is past."""
    adult = data["present"].measure
    Appointment.update(convocation_printed_on=THURSDAY - dt.timedelta(days=30)).execute()  # sent long ago
    data["next"] = booked_on(THURSDAY, adult, dt.datetime(2027, 2, 18, 10))
    sponz = Measure.get(Measure.parquet_number == "26/111/00005")
    data["saisine"] = booked_on(THURSDAY, sponz, dt.datetime.combine(NEXT_MONDAY, dt.time(10)))
    booked_on(THURSDAY, sponz, dt.datetime(2026, 12, 3, 9), status="excuse")
    booked_on(THURSDAY, adult, dt.datetime(2026, 11, 20, 9))  # past on Monday: no convocation any more
    return data


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "documents"
    path.mkdir()
    return path


def test_the_day_s_papers_in_handing_out_order(thursday: dict) -> None:
    papers = day_papers(THURSDAY, court=CourtSettings(), today=TODAY)
    assert papers.items == ((FEUILLE, THURSDAY), (ATTESTATION, thursday["present"].id),
                            (CONVOCATION, thursday["next"].id), (CONVOCATION, thursday["saisine"].id))
    assert papers.describe() == "la feuille de permanence, 1 attestation de présence et 2 convocations"
    # Once the convocations are sent: a permanence day with nobody yet, the feuille alone;
    # a day without anything, nothing.
    Appointment.update(convocation_printed_on=TODAY).execute()
    assert day_papers(dt.date(2026, 12, 7), court=CourtSettings(), today=TODAY).describe() == "la feuille de permanence"
    assert day_papers(dt.date(2026, 11, 24), court=CourtSettings(), today=TODAY).items == ()


def test_a_convocation_not_sent_yet_is_in_the_batch_once(thursday: dict, folder: Path) -> None:
    """A booking of an earlier day never printed is still to send; printing the batch marks
    every convocation printed, so the next batch does not send it again."""
    earlier = booked_on(THURSDAY - dt.timedelta(days=3), thursday["present"].measure, dt.datetime(2027, 1, 7, 9, 30))
    papers, _ = produce_day_papers(THURSDAY, folder=folder, today=TODAY)
    assert (CONVOCATION, earlier.id) in papers.items
    assert Appointment.get_by_id(earlier.id).convocation_printed_on == TODAY
    again = day_papers(THURSDAY, court=CourtSettings(), today=TODAY)
    assert again.count(CONVOCATION) == 0 and again.count(ATTESTATION) == 1


def test_the_orientation_papers_due_that_day_are_in_the_batch(thursday: dict, folder: Path) -> None:
    from injonctions_tui.domain.core.models import Orientation

    measure = thursday["present"].measure
    Orientation.create(measure=measure, structure="CSAPA Le Phare (fictif)", doctor="Dr Ernestine BOUSSOLE (fictive)",
                       chosen_on=THURSDAY, chosen_by="personne")
    papers, produced = produce_day_papers(THURSDAY, folder=folder, today=TODAY)
    assert ("formulaire-choix", measure.id) in papers.items
    assert papers.describe().endswith("et 2 papiers d'orientation")  # the information sheet and the choice form
    assert any(document.path.name.startswith("formulaire-choix-") for document in produced)


def test_nothing_to_print_is_said_in_french(thursday: dict, folder: Path) -> None:
    Appointment.update(convocation_printed_on=TODAY).execute()  # every convocation sent
    with pytest.raises(InvalidInput, match="Rien à imprimer pour le mardi 24 novembre 2026"):
        produce_day_papers(dt.date(2026, 11, 24), folder=folder, today=TODAY)
    assert not list(folder.iterdir())


def test_the_day_s_papers_go_as_one_job_with_the_copies_of_the_settings(thursday: dict, folder: Path,
                                                                         cups: str) -> None:
    save_print_settings(PrintSettings(printer=cups, copies=2))
    printed = print_day_papers(THURSDAY, folder=folder, today=TODAY)
    names = [document.path.name for document in printed.produced]
    assert names == ["feuille-permanence-2026-11-19.pdf", "attestation-presence-2026-11-19-26-111-00001.pdf",
                     "convocation-2027-02-18-26-111-00001.pdf", "convocation-2026-11-30-26-111-00005.pdf",
                     "fiche-information-2026-11-23-26-111-00001.pdf"]  # the evaluation's information sheet
    pages = sum(len(PdfReader(document.path).pages) for document in printed.produced)
    assert printed.job.printer == cups and printed.job.copies == 2 and printed.job.pages == pages
    texts = pages_of(printed_file(printed.job))
    assert len(texts) == 2 * pages
    assert "FEUILLE DE PERMANENCE" in texts[0] and "FEUILLE DE PERMANENCE" in texts[pages]
    convocation_pages = len(PdfReader(printed.produced[3].path).pages)
    fiche_pages = len(PdfReader(printed.produced[4].path).pages)
    assert "SPONZ" in texts[pages - fiche_pages - convocation_pages] and "CONVOCATION" in texts[pages - fiche_pages - 1]
    assert printed.summary().startswith(f"Papiers du 19/11/2026 envoyés à l'imprimante « {cups} » (travail n° ")
    assert printed.summary().endswith(") : la feuille de permanence, 1 attestation de présence, 2 convocations et "
                                      "1 papier d'orientation, "
                                      f"{pages} pages, 2 exemplaires.")
    event = AuditEvent.select().where(AuditEvent.action == "envoi_imprimante").get()
    assert event.details == f"documents=5 pages={pages} exemplaires=2 imprimante={cups}"
    # Named on the command line, a printer and copies win over the settings.
    job = print_documents([printed.produced[1].path], printer=cups, copies=1)
    assert job.copies == 1 and len(pages_of(printed_file(job))) == 1


def test_a_printer_that_fails_loses_nothing_and_says_where_the_documents_are(thursday: dict, folder: Path,
                                                                             cups: str) -> None:
    save_print_settings(PrintSettings(printer=OFFLINE_PRINTER))
    with pytest.raises(PrinterOffline) as caught:
        print_day_papers(THURSDAY, folder=folder, today=TODAY)
    assert caught.value.message == (f"L'imprimante « {OFFLINE_PRINTER} » est hors ligne (arrêtée) ; les 5 documents "
                                    f"restent enregistrés dans {folder}.")
    assert len(list(folder.iterdir())) == 5
    one = next(folder.iterdir())
    with pytest.raises(PrinterOffline, match=f"le document reste enregistré : {one}.$"):
        print_documents([one])
    assert not AuditEvent.select().where(AuditEvent.action == "envoi_imprimante").exists()


def test_print_settings_are_kept_and_checked(db: object) -> None:
    assert load_print_settings() == PrintSettings(None, 1)
    assert PrintSettings().describe() == "imprimante par défaut du poste, 1 exemplaire"
    save_print_settings(PrintSettings("Accueil", 3))
    assert load_print_settings() == PrintSettings("Accueil", 3)
    assert load_print_settings().describe() == "imprimante « Accueil », 3 exemplaires"
    assert parse_copies(" 2 ") == 2
    for typed in ("0", "100", "deux", ""):
        with pytest.raises(InvalidInput, match="Exemplaires : un nombre entre 1 et 99."):
            parse_copies(typed)
    with pytest.raises(InvalidInput):
        save_print_settings(PrintSettings(None, 0))
    assert AuditEvent.select().where(AuditEvent.action == "parametres_impression").count() == 1
