"""The orientation papers as a doctor, a magistrate or the person reads them: each PDF's text
(pypdf) holds its mandatory items, every date is the deadline engine's, fonts are embedded,
nothing clinical is said of the person; printed through the one pipeline (secrecy guard,
signature, audit) and listed in the dossier's timeline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from injonctions_tui.domain.core.dates import format_fr
from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import Appointment, Measure, Orientation
from injonctions_tui.domain.deadlines.engine import (agreement_deadline, choice_deadline, measure_timeline,
                                                     planned_followups)
from injonctions_tui.domain.documents.catalogue import DOCUMENT_KINDS
from injonctions_tui.domain.documents.produce import produce_document
from injonctions_tui.domain.dossiers import measures
from injonctions_tui.domain.dossiers.detail import dossier_detail
from injonctions_tui.domain.orientation.choice import choose_structure
from injonctions_tui.domain.orientation.letter_pdf import NEVER_ASKED
from injonctions_tui.domain.printing.verification import verify_signature
from tests.conftest import TODAY
from tests.factories.orientation import EVALUATED, Permanence
from tests.pdf_checks import CLINICAL, embedded_font_problems, pages_text, text_of


@pytest.fixture
def chosen(perm: Permanence) -> Permanence:
    """The adult chose the CSAPA (a named doctor), the minor's parents the CJC (the minor agreed);
    the protected adult has not chosen yet."""
    choose_structure(perm.adult.id, entry_id=perm.entry("CSAPA").id, doctor="Dr Ernestine BOUSSOLE (fictive)",
                     chosen_on=EVALUATED, chosen_by="personne")
    choose_structure(perm.minor.id, entry_id=perm.entry("CJC").id, doctor=None, chosen_on=EVALUATED,
                     chosen_by="representants_legaux", minor_agreement=True)
    return perm


def _pdf(key: str, target: object) -> bytes:
    data = DOCUMENT_KINDS[key].build(target, today=TODAY).data
    assert embedded_font_problems(data) == [], key
    return data


def _clinical(text: str) -> list[str]:
    lowered = text.lower()
    return [word for word in CLINICAL if word in lowered]


def _dates(measure: Measure) -> dict[str, str]:
    """What the engine computed for the measure, as the papers must print it."""
    timeline = measure_timeline(measure)
    followups = planned_followups(measure)
    return {"start": format_fr(timeline.start), "end": format_fr(timeline.planned_end),
            "max": format_fr(timeline.max_end), "m3": format_fr(followups[0][1]), "m6": format_fr(followups[1][1]),
            "choice": format_fr(choice_deadline(measure.kind, EVALUATED)),
            "agreement": format_fr(agreement_deadline(measure.kind, EVALUATED))}


def test_the_letter_tells_the_chosen_doctor_the_legal_frame(chosen: Permanence) -> None:
    letter, form = pages_text(_pdf("lettre-soignant", chosen.adult.id))
    dates = _dates(chosen.adult)
    assert dates == {"start": "02/10/2026", "end": "02/04/2027", "max": "02/10/2028", "m3": "02/01/2027",
                     "m6": "02/04/2027", "choice": "29/11/2026", "agreement": "04/12/2026"}
    for item in ("CSAPA Le Phare (fictif)", "À l'attention de : Dr Ernestine BOUSSOLE (fictive)", "3 quai de la Fiction",
                 "La personne concernée vous a choisi le 19/11/2026",
                 "Concerne : TOURNESOL Tryphon, né(e) le 12/05/1980",
                 "Mesure : injonction thérapeutique prononcée le 02/10/2026 par le procureur de la République",
                 "Parquet n° : 26111000001",
                 f"à compter de la décision ({dates['start']}) ; fin prévue le {dates['end']}",
                 f"au plus tard le {dates['max']}",
                 "articles L3413-1 à L3413-4 du code de la santé publique",
                 "Le contenu des soins relève de vous seul",
                 f"({dates['m3']})", f"({dates['m6']})", "tous les 6 mois", "(article R3413-14)",
                 f"accord écrit dans les 15 jours, au plus tard le {dates['agreement']}", "(article R3413-12)",
                 "(article L3413-3)", " ".join(NEVER_ASKED.split()), "Le secret médical demeure entier",
                 "article L1110-4", "article 226-13 du code pénal", "je n'assure pas moi-même les soins",
                 "Fait à Nanterre, le lundi 23 novembre 2026", "Léon PRUNELLE"):
        assert item in letter, item
    for unnecessary in ("26 rue du Labrador", "Mme la substitute"):  # only what the doctor needs
        assert unnecessary not in letter + form
    assert _clinical(letter.replace(" ".join(NEVER_ASKED.split()), "")) == []
    for item in ("ACCORD DE PRISE EN CHARGE", f"Avant le {dates['agreement']}", "15 jours après le choix du 19/11/2026",
                 "TOURNESOL Tryphon", "26111000001", "CSAPA Le Phare (fictif)", "Dr Ernestine BOUSSOLE (fictive)",
                 "accepte d'assurer la prise en charge", "refuse cette prise en charge", "Signature et cachet",
                 "l.prunelle@tilleuls.exemple.invalid", "Page 1 sur 1"):
        assert item in form, item
    assert _clinical(form) == []


def test_the_letter_for_a_minor_says_the_representatives_chose(chosen: Permanence) -> None:
    letter = text_of(_pdf("lettre-soignant", chosen.minor.id))
    assert ("Les représentants légaux de la personne mineure concernée vous ont choisi le 19/11/2026, "
            "l'accord du mineur ayant été recherché") in letter
    assert "LAMPION Séraphin, né(e) le 14/03/2010" in letter and "Irma" not in letter


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Where the documents go (the base lives elsewhere in tmp_path)."""
    path = tmp_path / "documents"
    path.mkdir()
    return path


def test_no_letter_without_an_addressee_nor_what_it_states(chosen: Permanence, folder: Path) -> None:
    with pytest.raises(InvalidInput, match="Aucun soignant n'est choisi pour ce dossier"):
        produce_document("lettre-soignant", chosen.protected.id, folder=folder, today=TODAY)
    Measure.update(decision_on=None).where(Measure.id == chosen.adult.id).execute()
    with pytest.raises(InvalidInput, match="renseignez la date de la décision"):
        produce_document("lettre-soignant", chosen.adult.id, folder=folder, today=TODAY)
    Measure.update(kind="injonction_de_soins").where(Measure.id == chosen.minor.id).execute()
    for key in ("lettre-soignant", "formulaire-choix", "fiche-information"):
        with pytest.raises(InvalidInput, match="il ne s'imprime pas pour une injonction de soins"):
            produce_document(key, chosen.minor.id, folder=folder, today=TODAY)
    assert list(folder.iterdir()) == []


def test_the_choice_form_of_an_adult(chosen: Permanence) -> None:
    (page,) = pages_text(_pdf("formulaire-choix", chosen.adult.id))
    dates = _dates(chosen.adult)
    for item in ("CHOIX DU MÉDECIN OU DE LA STRUCTURE DE SOINS", "articles R3413-11 et R3413-12",
                 "TOURNESOL Tryphon, né(e) le 12/05/1980", "Choix fait par La personne",
                 "À l'issue de l'évaluation du 19/11/2026, la personne est invitée à choisir, immédiatement ou au "
                 f"plus tard dans un délai de 10 jours, soit au plus tard le {dates['choice']}",
                 "confirmera par écrit son accord dans un délai de 15 jours",
                 "Structure choisie CSAPA Le Phare (fictif)", "Praticien Dr Ernestine BOUSSOLE (fictive)",
                 "Téléphone 01 00 00 00 11", "Date du choix 19/11/2026", "La personne TOURNESOL Tryphon",
                 "ne peut pas être ce soignant", "certifie avoir informé la personne", "de ce choix",
                 "Fait à Nanterre, le lundi 23 novembre 2026"):
        assert item in page, item
    assert "Accord du mineur" not in page and "Représentant légal" not in page and _clinical(page) == []


def test_the_choice_form_of_a_minor_one_line_per_signatory(chosen: Permanence) -> None:
    (page,) = pages_text(_pdf("formulaire-choix", chosen.minor.id))
    for item in ("Choix fait par Les représentants légaux",
                 "les représentants légaux de la personne mineure sont invités à choisir",
                 "Accord du mineur sur ce choix, recherché comme le veut l'article R3413-12 : ☒ oui ☐ non",
                 "Représentant légal (mère) Irma LAMPION", "Représentant légal (père) Gustave LAMPION",
                 "La personne mineure (son avis) LAMPION Séraphin"):
        assert item in page, item
    assert "Oncle" not in page  # not convoked: not a signatory


def test_the_choice_form_to_fill_in_for_a_protected_adult(chosen: Permanence) -> None:
    (page,) = pages_text(_pdf("formulaire-choix", chosen.protected.id))
    for item in ("Choix fait par Le tuteur / curateur",
                 "l'administrateur légal ou le tuteur de la personne est invité à choisir",
                 "soit au plus tard le 29/11/2026", "Médecin ou structure choisi ____", "Date du choix ____/____/",
                 "Accord de la personne sur ce choix", "☐ oui ☐ non",
                 "L'administrateur légal ou le tuteur Association tutélaire Les Hérons (fictive)",
                 "La personne (son avis) CASTAFIORE Bianca", "du choix à faire"):
        assert item in page, item
    assert "de ce choix." not in page


def test_after_a_refusal_the_form_counts_from_the_refusal(chosen: Permanence) -> None:
    orientation = Orientation.get(Orientation.measure == chosen.adult.id)
    measures.record_answer(orientation, accepted=False, on=dt.date(2026, 11, 21))
    (page,) = pages_text(_pdf("formulaire-choix", chosen.adult.id))
    assert ("À la suite du refus du soignant précédent le 21/11/2026, la personne est invitée à choisir, "
            "immédiatement ou au plus tard dans un délai de 10 jours, soit au plus tard le 01/12/2026") in page
    assert "Médecin ou structure choisi ____" in page


def test_the_information_sheet_fits_one_page_in_plain_french(chosen: Permanence) -> None:
    (page,) = pages_text(_pdf("fiche-information", chosen.adult.id))
    dates = _dates(chosen.adult)
    for item in ("VOTRE INJONCTION THÉRAPEUTIQUE", "fiche remise le 23/11/2026 à TOURNESOL Tryphon",
                 "prononcée le 02/10/2026 par le procureur de la République (parquet n° 26111000001)",
                 "je ne vous soigne pas moi-même",
                 f"6 mois à compter de la décision ({dates['start']}) ; fin prévue le {dates['end']}",
                 f"au plus tard le {dates['max']}",
                 f"Vous choisissez immédiatement ou dans les 10 jours (au plus tard le {dates['choice']})",
                 "confirme son accord par écrit dans les 15 jours",
                 "Soignant choisi le 19/11/2026 : CSAPA Le Phare (fictif)",
                 f"({dates['m3']})", f"({dates['m6']})", "tous les 6 mois", "Ces entretiens sont obligatoires",
                 "j'adresse un rapport écrit au magistrat", "Le magistrat est informé de",
                 "votre venue à chaque entretien", "sans délai, une absence non excusée",
                 "Il n'est jamais informé de", "ce que vous dites pendant nos entretiens",
                 "l'autorité judiciaire peut engager des poursuites",
                 "L'entretien du 3", f"dont l'échéance est le {dates['m3']}",
                 "Me joindre", "01 02 03 04 05", "l.prunelle@tilleuls.exemple.invalid",
                 "Vos droits", "secret professionnel (article 226-13 du code pénal)", "changer de soignant",
                 "pendant 5 ans après la clôture de votre dossier", "articles 15 et 16"):
        assert item in page, item
    assert _clinical(page) == []


def test_the_sheet_gives_the_next_booked_interview_and_speaks_to_the_parents(chosen: Permanence) -> None:
    Appointment.create(measure=chosen.minor, kind="suivi_m3", starts_at=dt.datetime(2027, 3, 1, 9, 30),
                       place="Tribunal judiciaire de Nanterre", status="attendu")
    (page,) = pages_text(_pdf("fiche-information", chosen.minor.id))
    assert "à LAMPION Séraphin et à ses représentants légaux" in page
    assert "Vos représentants légaux choisissent, en recherchant votre accord" in page
    assert ("lundi 1 mars 2027 à 9h30 — Tribunal judiciaire de Nanterre, 179-191 avenue Joliot-Curie, 92000 "
            "Nanterre (entretien de suivi dans le cadre d'une injonction thérapeutique)") in page


def test_the_list_handed_to_the_person_gives_names_and_addresses_only(chosen: Permanence) -> None:
    (minors,) = pages_text(_pdf("annuaire", "mineurs"))
    assert "MÉDECINS ET STRUCTURES DE SOINS — POUR LES MINEURS" in minors
    for item in ("CJC Le Cerf-Volant (fictif)", "9 rue de la Maquette, 92000 Nanterre", "CSAPA Le Phare (fictif)",
                 "3 quai de la Fiction, 92000 Nanterre", "dans les 10 jours",
                 "vous pouvez aussi choisir un médecin qui ne figure pas sur cette liste"):
        assert item in minors, item
    for absent in ("ARC-EN-CIEL", "01 00 00 00 11", "mssante", "Accueil sans rendez-vous", "TOURNESOL",
                   "secret professionnel"):  # no phone, no e-mail, no notes, no one named: no secrecy notice
        assert absent not in minors, absent
    everyone = text_of(_pdf("annuaire", None))
    assert "ARC-EN-CIEL (fictive) (adultes uniquement)" in everyone
    assert "CJC Le Cerf-Volant (fictif) (mineurs uniquement)" in everyone
    assert DOCUMENT_KINDS["annuaire"].build("majeurs", today=TODAY).filename == "liste-soignants-majeurs-2026-11-23.pdf"


def test_a_typed_name_revealing_care_is_refused_before_printing(chosen: Permanence, folder: Path) -> None:
    orientation = Orientation.get(Orientation.measure == chosen.adult.id)
    orientation.structure = "Centre méthadone (fictif)"
    orientation.save()
    for key in ("lettre-soignant", "formulaire-choix", "fiche-information"):
        with pytest.raises(InvalidInput, match="Le nom de la structure choisie contient « méthadone »"):
            produce_document(key, chosen.adult.id, folder=folder, today=TODAY)
    Appointment.create(measure=chosen.protected, kind="suivi_m3", starts_at=dt.datetime(2027, 3, 4, 9, 30),
                       place="Salle de sevrage, 2e étage", status="attendu")
    with pytest.raises(InvalidInput, match="Le lieu du rendez-vous du 04/03/2027 contient « sevrage »"):
        produce_document("fiche-information", chosen.protected.id, folder=folder, today=TODAY)
    assert list(folder.iterdir()) == []


def test_printed_and_signed_papers_are_listed_in_the_timeline(chosen: Permanence, folder: Path) -> None:
    signed = produce_document("formulaire-choix", chosen.adult.id, folder=folder, sign=True, today=TODAY)
    assert signed.signed and verify_signature(signed.path.read_bytes()).valid
    letter = produce_document("lettre-soignant", chosen.adult.id, folder=folder, today=TODAY)
    assert letter.path.name == "lettre-soignant-2026-11-23-26111000001.pdf"  # never the surname
    assert len(PdfReader(letter.path).pages) == 2
    produce_document("lettre-soignant", chosen.minor.id, folder=folder, today=TODAY)  # another dossier
    events = [(e.what, e.detail) for e in dossier_detail(chosen.adult.id, TODAY).timeline if e.category == "document"]
    assert events == [("Formulaire de choix du soignant", "imprimé, signé électroniquement"),
                      ("Lettre au soignant choisi", "imprimé")]
    orientation = dict(dossier_detail(chosen.adult.id, TODAY).orientation)["CSAPA Le Phare (fictif)"]
    assert orientation.endswith("accord écrit attendu au plus tard le 04/12/2026 — tél. 01 00 00 00 11, "
                                "accueil@phare.exemple-mssante.invalid")


def test_without_a_decision_date_the_sheet_states_no_date_and_a_renewal_is_said(chosen: Permanence) -> None:
    Measure.update(decision_on=None).where(Measure.id == chosen.protected.id).execute()
    (page,) = pages_text(_pdf("fiche-information", chosen.protected.id))
    assert ("6 mois à compter de la décision, renouvelable par périodes de 6 mois, 24 mois au plus." in page
            and "au 3" in page and "fin prévue" not in page)
    assert "Une convocation vous indiquera le jour, l'heure et le lieu." in page  # no cadence date to give
    measures.renew(Measure.get_by_id(chosen.adult.id), dt.date(2026, 11, 20), TODAY)
    (page,) = pages_text(_pdf("fiche-information", chosen.adult.id))
    assert "fin prévue le 02/10/2027 (après 1 renouvellement)" in page


def test_same_input_same_bytes_and_long_names_wrap(chosen: Permanence) -> None:
    for key, target in (("lettre-soignant", chosen.adult.id), ("formulaire-choix", chosen.minor.id),
                        ("fiche-information", chosen.adult.id), ("annuaire", None)):
        assert _pdf(key, target) == _pdf(key, target), key
    orientation = Orientation.get(Orientation.measure == chosen.adult.id)
    orientation.structure = " ".join(["CENTREDESOINSDEMOULINSART"] * 8)[:200]
    orientation.doctor = "W" * 120
    orientation.save()
    for key in ("lettre-soignant", "formulaire-choix"):
        text = "".join(text_of(_pdf(key, chosen.adult.id)).split())
        assert "CENTREDESOINSDEMOULINSART" * 2 in text and "W" * 40 in text
