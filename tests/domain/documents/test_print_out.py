"""Documents on paper: the day's papers (feuille, attestations, orientation papers due, the
convocations to send) listed in the order they are used, written, and sent to a real CUPS
printer as ONE job with the copies chosen in Paramètres, the convocations then marked
printed; a failing printer loses nothing, says where the documents are, and leaves the
convocations « à envoyer »."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from injonctions_tui.domain.agenda.convocations import convocations_to_send, mark_printed
from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import Appointment, AuditEvent, Measure
from injonctions_tui.domain.documents.day_papers import ATTESTATION, CONVOCATIONS, FEUILLE, day_papers
from injonctions_tui.domain.documents.print_out import print_day_papers, print_documents, produce_day_papers
from injonctions_tui.domain.orientation.choice import choose_structure
from injonctions_tui.domain.orientation.directory import check_values, save_entry
from injonctions_tui.domain.printing.print_common import PrinterOffline
from injonctions_tui.domain.printing.print_settings import (PrintSettings, load_print_settings, parse_copies,
                                                            save_print_settings)
from injonctions_tui.domain.store.settings import CourtSettings
from tests.conftest import TODAY
from tests.cups_printer import OFFLINE_PRINTER, pages_of, printed_file
from tests.factories.documents import NEXT_MONDAY, THURSDAY
from tests.factories.orientation import STRUCTURES


def booked_on(day: dt.date, measure: Measure, starts: dt.datetime, status: str = "attendu") -> Appointment:
    return Appointment.create(measure=measure, kind="suivi_m3", starts_at=starts, place="Tribunal judiciaire de Nanterre",
                              status=status, created_at=dt.datetime.combine(day, dt.time(10, 5)))


@pytest.fixture
def thursday(data: dict) -> dict:
    """Thursday's permanence: Tournesol came for his evaluation (and chose his doctor, and got
    his next appointment), Castafiore did not; Sponz's saisine was convoked from the desk; one
    booking was later excused, one is past; the convocations booked were never printed."""
    adult = data["present"].measure
    Measure.update(decision_on=dt.date(2026, 10, 2)).where(Measure.id == adult.id).execute()
    data["phare"] = save_entry(None, check_values(**STRUCTURES[0]))  # receives adults and minors
    choose_structure(adult.id, entry_id=data["phare"].id, doctor=None, chosen_on=THURSDAY, chosen_by="personne")
    data["next"] = booked_on(THURSDAY, adult, dt.datetime(2027, 2, 18, 10))
    sponz = Measure.get(Measure.parquet_number == "26/111/00005")
    data["saisine"] = booked_on(THURSDAY, sponz, dt.datetime.combine(NEXT_MONDAY, dt.time(10)))
    booked_on(THURSDAY, sponz, dt.datetime(2026, 12, 3, 9), status="excuse")
    booked_on(THURSDAY, adult, dt.datetime(2026, 11, 20, 9))  # past on Monday: no convocation any more
    return data


#: The batch of Thursday 19 November printed on Monday 23: named by parquet number, never by surname.
NAMES = ["feuille-permanence-2026-11-19.pdf", "attestation-presence-2026-11-19-26-111-00001.pdf",
         "fiche-information-2026-11-23-26-111-00001.pdf", "formulaire-choix-2026-11-23-26-111-00001.pdf",
         "lettre-soignant-2026-11-23-26-111-00001.pdf", "liste-soignants-majeurs-2026-11-23.pdf",
         "convocations-a-envoyer-2026-11-23.pdf"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "documents"
    path.mkdir()
    return path


def test_the_day_s_papers_in_the_order_they_are_used(thursday: dict) -> None:
    adult = thursday["present"].measure.id
    papers = day_papers(THURSDAY, court=CourtSettings(), today=TODAY)
    assert papers.items == ((FEUILLE, THURSDAY), (ATTESTATION, thursday["present"].id),
                            ("fiche-information", adult), ("formulaire-choix", adult), ("lettre-soignant", adult),
                            ("annuaire", "majeurs"), (CONVOCATIONS, TODAY))
    # The convocations to send: every one booked and never printed, from today (Thursday is past):
    # the minor's, Sponz's, and Tournesol's two; not the walk-in's, the excused, the past one.
    assert papers.convocations == len(convocations_to_send(TODAY)) == 4
    assert papers.describe() == ("la feuille de permanence, 1 attestation de présence, 4 papiers d'orientation et "
                                 "4 convocations à envoyer")
    # A permanence day with nobody yet: the feuille and the letters to post from that day on
    # (Tournesol's two of February); a day without permanence: the letters alone.
    assert day_papers(dt.date(2026, 12, 7), court=CourtSettings(), today=TODAY).describe() == (
        "la feuille de permanence et 2 convocations à envoyer")
    tuesday = dt.date(2026, 11, 24)
    assert day_papers(tuesday, court=CourtSettings(), today=TODAY).items == ((CONVOCATIONS, tuesday),)


def test_nothing_to_print_is_said_in_french(thursday: dict, folder: Path) -> None:
    mark_printed([c.appointment_id for c in convocations_to_send(TODAY)], TODAY)
    with pytest.raises(InvalidInput, match="Rien à imprimer pour le 24/11/2026 : ni permanence, ni rendez-vous, ni "
                                           "papier d'orientation, ni convocation à envoyer."):
        produce_day_papers(dt.date(2026, 11, 24), folder=folder, today=TODAY)
    assert not list(folder.iterdir())


def test_the_day_s_papers_go_as_one_job_with_the_copies_of_the_settings(thursday: dict, folder: Path,
                                                                         cups: str) -> None:
    save_print_settings(PrintSettings(printer=cups, copies=2))
    printed = print_day_papers(THURSDAY, folder=folder, today=TODAY)
    names = [document.path.name for document in printed.produced]
    assert names == NAMES
    counts = [len(PdfReader(document.path).pages) for document in printed.produced]
    pages = sum(counts)
    assert printed.job.printer == cups and printed.job.copies == 2 and printed.job.pages == pages
    texts = pages_of(printed_file(printed.job))
    assert len(texts) == 2 * pages  # every page of the seven documents, twice, in one job
    assert "FEUILLE DE PERMANENCE" in texts[0] and "FEUILLE DE PERMANENCE" in texts[pages]
    first_letter = sum(counts[:-1])  # the convocations to post come last, in date order
    assert "CONVOCATION" in texts[first_letter] and "LAMPION" in texts[first_letter]
    assert "CONVOCATION" in texts[pages - 1] and "TOURNESOL" in texts[pages - 1]
    assert printed.summary().startswith(f"Papiers du 19/11/2026 envoyés à l'imprimante « {cups} » (travail n° ")
    assert printed.summary().endswith(") : la feuille de permanence, 1 attestation de présence, 4 papiers "
                                      f"d'orientation et 4 convocations à envoyer, {pages} pages, 2 exemplaires.")
    event = AuditEvent.select().where(AuditEvent.action == "envoi_imprimante").get()
    assert event.details == f"documents=7 pages={pages} exemplaires=2 imprimante={cups}"
    assert convocations_to_send(TODAY) == []  # sent: no longer « à envoyer »
    # Named on the command line, a printer and copies win over the settings.
    job = print_documents([printed.produced[1].path], printer=cups, copies=1)
    assert job.copies == 1 and len(pages_of(printed_file(job))) == 1


def test_a_printer_that_fails_loses_nothing_and_says_where_the_documents_are(thursday: dict, folder: Path,
                                                                             cups: str) -> None:
    save_print_settings(PrintSettings(printer=OFFLINE_PRINTER))
    with pytest.raises(PrinterOffline) as caught:
        print_day_papers(THURSDAY, folder=folder, today=TODAY)
    assert caught.value.message == (f"L'imprimante « {OFFLINE_PRINTER} » est hors ligne (arrêtée) ; les 7 documents "
                                    f"restent enregistrés dans {folder}.")
    assert sorted(path.name for path in folder.iterdir()) == sorted(NAMES)
    assert len(convocations_to_send(TODAY)) == 4  # not on paper: still « à envoyer »
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
