"""Convocations that can be posted (issue 16, point 4): the lead time, « Convocations à
envoyer » as one PDF marked printed, and the warning when no postal address is known."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from injonctions_tui.domain.agenda.convocations import (contexts_to_send, convocations_to_send,
                                                        count_convocations_to_send)
from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import Appointment, LegalRepresentative, Person
from injonctions_tui.domain.core.vocabulary import AppointmentStatus as AS
from injonctions_tui.domain.documents.produce import produce_document
from injonctions_tui.domain.store.settings import CourtSettings, load_court, parse_lead_days, save_court
from tests.conftest import TODAY
from tests.factories.agenda import make_appointment, make_measure
from tests.factories.reports import make_user
from tests.pdf_checks import embedded_font_problems

D, T = dt.date, dt.datetime


@pytest.fixture
def folder(db: object, tmp_path: Path) -> Path:
    make_user()  # the professional who signs the letters
    path = tmp_path / "documents"
    path.mkdir()
    return path


def _text(path: Path) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(path).pages)


def _with_address(measure, address: str = "12 rue des Essais, 92000 Nanterre"):  # noqa: ANN001, ANN202
    Person.update(address=address).where(Person.id == measure.person_id).execute()
    return measure


def test_the_convocations_to_send_are_printed_as_one_pdf_then_no_longer_listed(db: object, folder: Path) -> None:
    first = make_appointment(_with_address(make_measure()), T(2026, 12, 3, 9, 0))
    second = make_appointment(_with_address(make_measure("CASTAFIORE", "Bianca")), T(2026, 12, 10, 9, 30))
    make_appointment(make_measure("DUPONT", "Alfred"), T(2026, 11, 19, 9, 0))  # past: nothing to post
    make_appointment(make_measure("LAMPION", "Séraphin"), T(2026, 11, 23, 11, 0))  # today: too late to post
    walk_in = make_appointment(make_measure("DUPOND", "Jérôme"), T(2026, 11, 23, 9, 0))
    Appointment.update(walk_in=True).where(Appointment.id == walk_in.id).execute()
    make_appointment(make_measure("HADDOCK", "Archibald"), T(2026, 12, 3, 10, 0), status=AS.EXCUSE)
    assert [c.appointment_id for c in convocations_to_send(TODAY)] == [first.id, second.id]
    assert count_convocations_to_send(TODAY) == 2  # the agenda's count, by the base
    produced = produce_document("convocations", TODAY, folder=folder, today=TODAY)
    text = _text(produced.path)
    assert "TOURNESOL" in text and "CASTAFIORE" in text and text.count("CONVOCATION") == 2
    assert len(PdfReader(produced.path).pages) == 2 and produced.warnings == ()
    assert embedded_font_problems(produced.path.read_bytes()) == []
    assert produced.path.name == "convocations-a-envoyer-2026-11-23.pdf"
    assert convocations_to_send(TODAY) == []
    assert Appointment.get_by_id(first.id).convocation_printed_on == TODAY
    with pytest.raises(InvalidInput, match="Aucune convocation à envoyer"):
        contexts_to_send(TODAY)


def test_printing_one_convocation_takes_it_off_the_list(db: object, folder: Path) -> None:
    appointment = make_appointment(_with_address(make_measure()), T(2026, 12, 3, 9, 0))
    assert len(convocations_to_send(TODAY)) == 1
    produce_document("convocation", appointment.id, folder=folder, today=TODAY)
    assert convocations_to_send(TODAY) == []


def test_a_convocation_without_a_postal_address_warns_and_says_where_to_add_it(db: object, folder: Path) -> None:
    adult = make_appointment(make_measure(), T(2026, 12, 3, 9, 0))
    produced = produce_document("convocation", adult.id, folder=folder, today=TODAY)
    assert produced.warnings == ("Pas d'adresse postale pour TOURNESOL Tryphon : ajoutez-la dans le dossier "
                                 "(F3, Entrée, m).",)
    minor = make_measure("LAMPION", "Séraphin", birth=D(2012, 1, 1), facts_on=D(2026, 9, 1))
    _with_address(minor)
    appointment = make_appointment(minor, T(2026, 11, 30, 9, 0))
    produced = produce_document("convocation", appointment.id, folder=folder, today=TODAY)
    assert produced.warnings == ("LAMPION Séraphin est mineur(e) : aucun représentant légal convoqué ; "
                                 "ajoutez-le dans le dossier (F3, Entrée, l).",)
    LegalRepresentative.create(person=minor.person_id, name="Mme Lampion (mère)", relationship="mère",
                               convoked=True)
    produced = produce_document("convocation", appointment.id, folder=folder, today=TODAY)
    assert produced.warnings == ("Pas d'adresse postale pour Mme Lampion (mère) (mère) : ajoutez-la dans le "
                                 "dossier (F3, Entrée, l).",)


def test_the_lead_time_is_a_setting_between_0_and_60_days(db: object) -> None:
    assert load_court().convocation_lead_days == 10
    save_court(CourtSettings(convocation_lead_days=14))
    assert load_court().convocation_lead_days == 14
    assert parse_lead_days(" 7 j") == 7 and parse_lead_days("0") == 0
    for bad in ("", "dix", "61", "-3"):
        with pytest.raises(InvalidInput, match="Délai minimal de convocation"):
            parse_lead_days(bad)
    with pytest.raises(InvalidInput, match="entre 0 et 60 jours"):
        save_court(CourtSettings(convocation_lead_days=90))
    assert load_court().convocation_lead_days == 14


def test_an_upgraded_base_lists_only_the_future_convocations_never_printed(tmp_path: Path) -> None:
    """The base of the previous version (tests/fixtures/base-v6.db): past appointments and
    convocations the audit trail shows printed are not « à envoyer » after the upgrade."""
    import shutil

    from injonctions_tui.domain.core import clock
    from injonctions_tui.domain.core.models import AuditEvent
    from injonctions_tui.domain.store import storage
    from tests.conftest import PASSPHRASE

    fixtures = Path(__file__).resolve().parents[2] / "fixtures"
    for name in ("base-v6.db", "base-v6.db.kdf"):
        shutil.copyfile(fixtures / name, tmp_path / name)
    upgraded = storage.open_database(tmp_path / "base-v6.db", PASSPHRASE)
    try:
        now = clock.now()
        assert not Appointment.select().where((Appointment.starts_at < now)
                                              & Appointment.convocation_printed_on.is_null()).exists()
        printed = {e.entity_id for e in AuditEvent.select().where(
            (AuditEvent.action == "impression") & (AuditEvent.details.startswith("document=convocation ")))}
        future = Appointment.select().where(Appointment.starts_at >= now)
        assert future.exists()
        for appointment in future:
            assert (appointment.convocation_printed_on is not None) == (appointment.id in printed)
    finally:
        upgraded.close()
