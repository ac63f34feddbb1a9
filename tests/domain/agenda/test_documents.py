"""The printed documents: facts, secrecy, embedded fonts, determinism, safe saving."""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import re
import stat
from pathlib import Path

import pytest
from pypdf import PdfReader

from injonctions_tui.domain.agenda.attestation_pdf import attestation_de_presence
from injonctions_tui.domain.agenda.convocation_pdf import convocation
from injonctions_tui.domain.agenda.feuille_pdf import feuille_de_permanence
from injonctions_tui.domain.core.errors import InjonctionsError, InvalidInput
from injonctions_tui.domain.core.models import Appointment, Measure, Person
from injonctions_tui.domain.documents.catalogue import DOCUMENT_KINDS
from injonctions_tui.domain.printing.context import load_appointment
from injonctions_tui.domain.printing.pdf import CONFIDENTIALITY
from injonctions_tui.domain.printing.saving import document_filename, safe_filename, save_pdf
from injonctions_tui.domain.store.settings import CourtSettings, save_file_name_style
from tests.conftest import TODAY
from tests.factories.documents import NEXT_MONDAY, THURSDAY
from tests.pdf_checks import CLINICAL, embedded_font_problems, pages_text, text_of


def all_documents(data: dict[str, object]) -> dict[str, bytes]:
    court = CourtSettings()
    return {
        "attestation": attestation_de_presence(load_appointment(data["present"].id), today=TODAY),
        "convocation": convocation(load_appointment(data["minor_next"].id), today=TODAY),
        "feuille": feuille_de_permanence(NEXT_MONDAY, court=court, today=TODAY),
    }


# --------------------------------------------------------------------------- attestation


def test_attestation_states_the_facts_and_nothing_clinical(data) -> None:
    content = text_of(attestation_de_presence(load_appointment(data["present"].id), today=TODAY))
    for expected in ("ATTESTATION DE PRÉSENCE", "À qui de droit", "TOURNESOL Tryphon", "12/05/1980",
                     "jeudi 19 novembre 2026 à 9h30", "Tribunal judiciaire de Nanterre",
                     "179-191 avenue Joliot-Curie", "injonction thérapeutique", "Léon PRUNELLE",
                     "Psychologue", "RPPS : 10101010101", "ARS-IDF-2026-042", "du 15/01/2026",
                     "CSAPA Les Tilleuls (fictif)", "Fait à Nanterre, le lundi 23 novembre 2026",
                     CONFIDENTIALITY, "Page 1 sur 1"):
        assert expected in content, expected
    assert not [word for word in CLINICAL if word in content.lower()]
    assert "26/111/00001" not in content  # the person may show it elsewhere: no case number


def test_attestation_is_refused_unless_the_person_came(data) -> None:
    with pytest.raises(InvalidInput, match="Absent.*Marquez d'abord la personne présente"):
        attestation_de_presence(load_appointment(data["absent"].id), today=TODAY)
    with pytest.raises(InvalidInput, match="Attendu"):
        attestation_de_presence(load_appointment(data["minor_next"].id), today=TODAY)
    with pytest.raises(InvalidInput, match="introuvable"):
        attestation_de_presence(load_appointment(999_999), today=TODAY)


def test_letterhead_says_when_no_habilitation_is_current(data) -> None:
    later = dt.date(2027, 2, 1)  # the 2026 list has expired
    content = text_of(attestation_de_presence(load_appointment(data["present"].id), today=later))
    assert "Habilitation ARS : non renseignée à cette date" in content
    assert "ARS-IDF-2026-042" not in content


def test_documents_need_the_professional_identity(db) -> None:
    with pytest.raises(InvalidInput, match="identité du professionnel"):
        feuille_de_permanence(TODAY, court=CourtSettings(), today=TODAY)


# --------------------------------------------------------------------------- convocation


def test_convocation_of_a_minor_goes_to_each_convoked_representative(data) -> None:
    pdf = convocation(load_appointment(data["minor_next"].id), today=TODAY)
    pages = pages_text(pdf)
    assert len(pages) == 3  # the minor, the mother, the father; not the uncle
    assert pages[0].startswith("CSAPA") and "LAMPION Séraphin 3 allée des Oiseaux" in pages[0]
    assert "Irma LAMPION (mère)" in pages[1] and "représentant légal (mère) de LAMPION Séraphin" in pages[1]
    assert "Gustave LAMPION (père)" in pages[2]
    for page in pages:
        for expected in ("CONVOCATION", "lundi 30 novembre 2026", "9h30", "Tribunal judiciaire de Nanterre",
                         "pièce d'identité", "accompagnée d'un représentant légal", "01 02 03 04 05",
                         "L3413-1 et suivants du code de la santé publique", "Page 1 sur 1", CONFIDENTIALITY,
                         "Convocation adressée à : LAMPION Séraphin ; Irma LAMPION (mère) ; Gustave LAMPION (père)"):
            assert expected in page, expected
        assert "ÉLOIGNÉ" not in page
        assert not [word for word in CLINICAL if word in page.lower()]


def test_convocation_of_an_adult_is_a_single_letter(data) -> None:
    pages = pages_text(convocation(load_appointment(data["adult_next"].id), today=TODAY))
    assert len(pages) == 1
    assert "TOURNESOL Tryphon 26 rue du Labrador" in pages[0]
    assert "jeudi 18 février 2027" in pages[0] and "10h00" in pages[0] and "entretien de suivi" in pages[0]
    assert "représentant" not in pages[0] and "adressée à" not in pages[0]


def test_an_adult_today_minor_at_the_facts_is_convoked_alone(data) -> None:
    """The parents of an adult have no authority: writing to them would breach secrecy."""
    seraphin = Person.get(Person.last_name == "Lampion")
    seraphin.birth_date = dt.date(2008, 9, 1)  # 17 at the facts, 18 on the appointment day
    seraphin.save()
    pages = pages_text(convocation(load_appointment(data["minor_next"].id), today=TODAY))
    assert len(pages) == 1 and "représentant" not in pages[0]


def test_convocation_is_refused_for_a_past_or_settledappointment(data) -> None:
    with pytest.raises(InvalidInput, match="Présent"):
        convocation(load_appointment(data["present"].id), today=TODAY)
    with pytest.raises(InvalidInput, match="passée"):
        convocation(load_appointment(data["minor_next"].id), today=dt.date(2026, 12, 1))


# --------------------------------------------------------------------------- feuille de permanence


def test_feuille_lists_the_day_and_the_referrals_to_convoke(data) -> None:
    pdf = feuille_de_permanence(NEXT_MONDAY, court=CourtSettings(), today=TODAY)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    content = text_of(pdf)
    for expected in ("FEUILLE DE PERMANENCE — lundi 30 novembre 2026", "Tribunal judiciaire de Nanterre",
                     "Parquet de Nanterre", "9h00-13h00", "mineurs", "9h30", "LAMPION Séraphin", "14/03/2010",
                     "26/222/00003", "Évaluation initiale", "Attendu", "Présent Absent Excusé", "☐ ☐ ☐",
                     "HADDOCK Archibald", "sans convocation", "mineur aux faits",
                     "Saisines à convoquer", "ZORRINO Tchou", "26/222/00004", "20/11/2026", "dépassé",
                     CONFIDENTIALITY, "à détruire", "Page 1 sur 1"):
        assert expected in content, expected
    assert "SPONZ" not in content  # an adult saisine belongs to Thursday's sheet
    assert "TOURNESOL" not in content


def test_feuille_of_a_holiday_and_of_a_day_without_permanence(data) -> None:
    easter_monday = text_of(feuille_de_permanence(dt.date(2027, 3, 29), court=CourtSettings(), today=TODAY))
    assert "Jour férié (Lundi de Pâques) : permanence fermée" in easter_monday
    assert "Aucun rendez-vous enregistré ce jour" in easter_monday
    tuesday = text_of(feuille_de_permanence(dt.date(2026, 12, 1), court=CourtSettings(), today=TODAY))
    assert "Pas de permanence prévue ce jour" in tuesday
    assert "ZORRINO" in tuesday and "SPONZ" in tuesday  # no permanence: every saisine
    # The same list as the app's saisines to convoke: an evaluation missed is to convoke again.
    assert "CASTAFIORE Bianca" in tuesday and "TOURNESOL" not in tuesday


@pytest.mark.parametrize("long_value", [
    " ".join(["TOURNESOLDEMOULINSART"] * 300)[:5000],  # many words
    "W" * 5000,  # one unbreakable word, the widest letter
])
def test_feuille_with_a_5000_character_name_phone_and_parquet_still_prints(data, long_value: str) -> None:
    """A row cannot break across pages: a pasted paragraph in a cell used to raise a LayoutError.
    Long values are cut with « … », wrap in their column, and the rest of the sheet follows."""
    for person in Person.select().where(Person.last_name.in_(["Lampion", "Zorrino"])):
        person.last_name, person.phone = long_value, "<tél> & " + long_value
        person.save()
    Measure.update(parquet_number="<n°> & " + long_value).where(
        Measure.parquet_number.in_(["26/222/00003", "26/222/00004"])).execute()
    pdf = feuille_de_permanence(NEXT_MONDAY, court=CourtSettings(), today=TODAY)
    pages = pages_text(pdf)
    assert len(pages) <= 3
    content = re.sub(r"\s+", "", " ".join(pages))
    assert long_value[:60].replace(" ", "") in content
    assert "…" in content and "<tél>&" in content and "<n°>&" in content  # cut, and printed verbatim
    assert long_value.replace(" ", "") not in content
    for expected in ("HADDOCKArchibald", "Saisinesàconvoquer", "àdétruire"):  # the rest of the sheet follows
        assert expected in content, expected
    assert embedded_font_problems(pdf) == []
    assert b"Helvetica" not in pdf


def test_feuille_short_values_print_verbatim_in_dejavu(data) -> None:
    """Cells without markup are drawn as plain strings: markup characters print as typed,
    in DejaVu (the table style), never in the Helvetica of ReportLab's cell default."""
    person = Person.get(Person.last_name == "Lampion")
    person.phone = "06 <b>11</b> & 22"
    person.save()
    Measure.update(parquet_number="26/<i>2</i>&3").where(Measure.parquet_number == "26/222/00003").execute()
    pdf = feuille_de_permanence(NEXT_MONDAY, court=CourtSettings(), today=TODAY)
    content = text_of(pdf)
    assert "06 <b>11</b> & 22" in content and "26/<i>2</i>&3" in content
    assert content.count("☐ ☐ ☐") == 2 + 3  # présent, absent, excusé: the day's rows + walk-in rows
    assert embedded_font_problems(pdf) == [] and b"Helvetica" not in pdf


def test_feuille_has_three_boxes_per_row_and_ticks_the_recorded_status(data) -> None:
    """Présent, absent, excusé: each a box to tick by hand; a status already recorded is ticked."""
    Appointment.update(status="excuse").where(Appointment.id == data["walk_in"].id).execute()
    pdf = feuille_de_permanence(NEXT_MONDAY, court=CourtSettings(), today=TODAY)
    boxes = "".join(char for char in text_of(pdf) if char in "☐☒")  # drawn row by row, left to right
    assert boxes == "☐☐☐" + "☐☐☒" + "☐☐☐" * 3  # Lampion expected, Haddock excused, 3 walk-in rows
    assert "Excusé" in text_of(pdf) and embedded_font_problems(pdf) == []


def test_feuille_never_leaves_a_heading_alone_at_the_foot_of_a_page(data) -> None:
    """Day after day more people are booked: wherever the page breaks, each heading is on
    the page of its table's first row (without the rule, 2 to 3 more persons left
    « Saisines à convoquer » as the last line of page 1)."""
    from tests.factories.documents import appointment, measure, person

    page_counts = set()
    for n in range(20):
        booked = measure(person(f"Fictif{n}", "Ange", dt.date(2009, 1, 1)), f"26/333/{n:05d}", dt.date(2026, 10, 1))
        appointment(booked, NEXT_MONDAY, 9, 0, "attendu")
        pages = pages_text(feuille_de_permanence(NEXT_MONDAY, court=CourtSettings(), today=TODAY))
        page_counts.add(len(pages))
        for heading, first_row in (("Rendez-vous du jour", "FICTIF0 Ange"),
                                   ("Saisines à convoquer", "ZORRINO Tchou")):
            (on_page,) = [i for i, page in enumerate(pages) if heading in page]
            assert first_row in pages[on_page], (n, heading)
    assert page_counts == {1, 2, 3}  # the loop did cross page breaks


# --------------------------------------------------------------------------- every document


def test_every_font_is_embedded_and_none_is_a_standard_14(data) -> None:
    for name, pdf in all_documents(data).items():
        assert embedded_font_problems(pdf) == [], name
        assert b"Helvetica" not in pdf and b"Times-Roman" not in pdf, name


def test_same_input_gives_byte_identical_pdfs(data) -> None:
    first, second = all_documents(data), all_documents(data)
    for name in first:
        assert first[name] == second[name], name


@pytest.mark.parametrize("long_name", [
    " ".join(["TOURNESOLDEMOULINSART"] * 14)[:300],  # many words
    "W" * 300,  # one unbreakable word
])
def test_a_300_character_name_wraps_without_crashing(data, long_name: str) -> None:
    person = Person.get(Person.last_name == "Lampion")
    person.last_name, person.first_name = long_name, "<Séraphin & Cie>"
    person.save()
    Appointment.update(status="present").where(Appointment.id == data["walk_in"].id).execute()
    assert len(long_name) == 300
    documents = [convocation(load_appointment(data["minor_next"].id), today=TODAY),
                 feuille_de_permanence(NEXT_MONDAY, court=CourtSettings(), today=TODAY)]
    Appointment.update(measure=data["minor_next"].measure).where(Appointment.id == data["walk_in"].id).execute()
    documents.append(attestation_de_presence(load_appointment(data["walk_in"].id), today=NEXT_MONDAY))
    for pdf in documents:
        content = re.sub(r"\s+", "", text_of(pdf))
        assert long_name[:40].replace(" ", "") in content
        assert "<Séraphin&Cie>" in content  # markup characters printed, not interpreted


def test_document_kinds_build_bytes_and_a_sortable_file_name(data) -> None:
    assert set(DOCUMENT_KINDS) == {"attestation", "convocation", "permanence", "convocations",
                                   "fiche-navette", "avis-motive", "incident", "fin-de-mesure",
                                   "attestation-suivi", "attestation-fin-suivi", "registre",
                                   "fiche-information", "formulaire-choix", "lettre-soignant", "annuaire"}
    built = DOCUMENT_KINDS["attestation"].build(data["present"].id, today=TODAY)
    assert built.filename == "attestation-presence-2026-11-19-26-111-00001.pdf"  # no surname (issue 15)
    assert built.data == attestation_de_presence(load_appointment(data["present"].id), today=TODAY)
    assert DOCUMENT_KINDS["convocation"].build(data["minor_next"].id, today=TODAY).filename == \
        "convocation-2026-11-30-26-222-00003.pdf"
    save_file_name_style("initiales")
    assert DOCUMENT_KINDS["attestation"].build(data["present"].id, today=TODAY).filename == \
        "attestation-presence-2026-11-19-TT.pdf"
    day = DOCUMENT_KINDS["permanence"]
    assert day.target == "jour" and day.build(NEXT_MONDAY, today=TODAY).filename == \
        "feuille-permanence-2026-11-30.pdf"


def test_file_names_are_safe() -> None:
    assert document_filename("attestation-presence", THURSDAY, "26/../00001 é") == \
        "attestation-presence-2026-11-19-26-..-00001-é.pdf"
    assert safe_filename("../../etc/passwd") == "etc-passwd.pdf"
    assert safe_filename('a:b*c?"d<e>f|g\\h\x00i') == "a-b-c-d-e-f-g-h-i.pdf"
    assert safe_filename("...") == "document.pdf"
    assert safe_filename("rapport.PDF") == safe_filename("rapport") == "rapport.pdf"


# --------------------------------------------------------------------------- saving


def test_save_pdf_writes_a_private_file_and_never_overwrites(tmp_path: Path) -> None:
    first = save_pdf(b"%PDF-1 un", tmp_path, "attestation-presence-2026-11-19-26-111-00001.pdf")
    assert first == tmp_path / "attestation-presence-2026-11-19-26-111-00001.pdf"
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    second = save_pdf(b"%PDF-1 deux", tmp_path, first.name)
    third = save_pdf(b"%PDF-1 trois", tmp_path, first.name)
    assert second.name == "attestation-presence-2026-11-19-26-111-00001 (2).pdf"
    assert third.name == "attestation-presence-2026-11-19-26-111-00001 (3).pdf"
    assert first.read_bytes() == b"%PDF-1 un" and second.read_bytes() == b"%PDF-1 deux"
    assert stat.S_IMODE(third.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first.name, second.name, third.name])
    escaped = save_pdf(b"%PDF", tmp_path, "../../dehors.pdf")
    assert escaped.parent == tmp_path and escaped.name == "dehors.pdf"


def test_save_pdf_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InjonctionsError, match="Le dossier .* n'existe pas"):
        save_pdf(b"%PDF", tmp_path / "absent", "a.pdf")
    a_file = tmp_path / "fichier.txt"
    a_file.write_text("x")
    with pytest.raises(InjonctionsError, match="n'est pas un dossier"):
        save_pdf(b"%PDF", a_file, "a.pdf")


def test_save_pdf_refuses_a_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "lecture-seule"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.geteuid() == 0:
            # root ignores the mode: simulate the kernel's answer for this folder.
            real_open = os.open

            def refusing_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
                if Path(path).parent == folder:
                    raise PermissionError(errno.EACCES, "Permission denied", str(path))
                return real_open(path, flags, *args, **kwargs)

            monkeypatch.setattr(os, "open", refusing_open)
        with pytest.raises(InjonctionsError, match="lecture seule") as caught:
            save_pdf(b"%PDF", folder, "a.pdf")
        assert "Errno" not in caught.value.message
    finally:
        folder.chmod(0o700)
    assert list(folder.iterdir()) == []
    # A folder that cannot exist, because its parent is a regular file (works as root too).
    blocker = tmp_path / "un-fichier"
    blocker.write_text("x")
    with pytest.raises(InjonctionsError, match="n'existe pas"):
        save_pdf(b"%PDF", blocker / "sous-dossier", "a.pdf")


def test_save_pdf_on_a_full_disk_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(InjonctionsError, match="Le disque est plein"):
        save_pdf(b"%PDF" * 1000, tmp_path, "a.pdf")
    assert list(tmp_path.iterdir()) == []


def test_page_numbers_restart_for_each_letter(data) -> None:
    """A long letter flows onto a second page; the next letter is again "Page 1 sur n"."""
    person = Person.get(Person.last_name == "Lampion")
    person.last_name = "W" * 300
    person.save()
    numbers = [re.search(r"Page (\d+) sur (\d+)", page).groups()
               for page in pages_text(convocation(load_appointment(data["minor_next"].id), today=TODAY))]
    letters, index = [], 0
    while index < len(numbers):
        assert numbers[index][0] == "1"
        total = int(numbers[index][1])
        assert [int(n) for n, _ in numbers[index:index + total]] == list(range(1, total + 1))
        letters.append(total)
        index += total
    assert len(letters) == 3 and max(letters) >= 2
