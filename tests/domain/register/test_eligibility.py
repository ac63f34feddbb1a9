"""The habilitation register's domain: the four criteria, the file, status changes, history.

Every person here is invented (comic-strip names); dates revolve around TODAY (23/11/2026).
"""

from __future__ import annotations

import datetime as dt

import pytest

from injonctions_tui.domain.core.errors import InvalidInput, NotHabilitated
from injonctions_tui.domain.core.models import (AuditEvent, Habilitation, HabilitationOverride, Measure, Person,
                                                Professional, RegisterEvent)
from injonctions_tui.domain.dossiers import measures
from injonctions_tui.domain.register import eligibility, history as register_history
from injonctions_tui.domain.register.eligibility import ItemKey, ItemState, checklist, missing_items, record_evidence
from injonctions_tui.domain.register.entries import add_professional, update_professional
from injonctions_tui.domain.register.status import set_status, status_view
from injonctions_tui.domain.store.professionals import create_user, habilitation_on
from tests.conftest import TODAY

D = dt.date
OCTOBER_1 = D(2026, 10, 1)
JANUARY_15 = D(2026, 1, 15)
ALL_PIECES = ("formation_addictologie", "extrait_b2", "attestation_non_sanction", "declaration_candidature",
              "etat_activites")


def colleague(profession: str = "psychologue", registered: dt.date | None = None, number: str = "929900099",
              **extra: object) -> Professional:
    return add_professional(last_name="Lampion", first_name="Séraphin", profession=profession,
                            rpps_adeli=number, order_registered_on=registered,
                            csapa_name="CSAPA du Château (test)", departments="92", **extra)


def complete_file(professional: Professional, on: dt.date = OCTOBER_1) -> None:
    for item in ALL_PIECES:
        record_evidence(professional, item, on, reference=f"réf-{item[:5]}")


def state(professional: Professional, key: ItemKey, on: dt.date = TODAY) -> ItemState:
    return checklist(professional, on).item(key).state


# --------------------------------------------------------------------------- criteria


def test_an_empty_file_lists_every_piece_missing(db: object) -> None:
    nurse = colleague("infirmier")
    found = checklist(nurse, TODAY)
    assert not found.complete
    assert {i.key: i.state for i in found.items} == {
        ItemKey.FORMATION: ItemState.MISSING, ItemKey.ORDRE: ItemState.MISSING, ItemKey.B2: ItemState.MISSING,
        ItemKey.SANCTION: ItemState.MISSING, ItemKey.CANDIDATURE: ItemState.MISSING,
        ItemKey.ACTIVITES: ItemState.MISSING, ItemKey.ATTESTATION: ItemState.MISSING, ItemKey.CSAPA: ItemState.MET}
    assert "Ordre national des infirmiers" in found.item(ItemKey.ORDRE).explanation
    # The certificate serves criterion 4 and the file: named once in the short list.
    assert missing_items(nurse, TODAY) == [
        "formation en addictologie (manquant)", "inscription à l'ordre (manquant)", "extrait B2 (manquant)",
        "absence de sanction disciplinaire (manquant)", "déclaration de candidature (manquant)",
        "état des activités professionnelles (manquant)"]


def test_a_complete_file_meets_every_item(db: object) -> None:
    psychologist = colleague()
    complete_file(psychologist)
    found = checklist(psychologist, TODAY)
    assert found.complete and missing_items(psychologist, TODAY) == []
    assert "les psychologues ne relèvent d'aucun ordre" in found.item(ItemKey.ORDRE).explanation
    b2 = found.item(ItemKey.B2)
    assert b2.explanation == "Vérifié le 01/10/2026 (réf. réf-extra), valable jusqu'au 30/09/2027."
    assert b2.expires_on == D(2027, 9, 30)
    # Evidence dated after the day asked does not count yet.
    assert state(psychologist, ItemKey.B2, D(2026, 9, 30)) == ItemState.MISSING


@pytest.mark.parametrize("item, key", [("extrait_b2", ItemKey.B2),
                                       ("attestation_non_sanction", ItemKey.SANCTION),
                                       ("attestation_non_sanction", ItemKey.ATTESTATION)])
def test_b2_and_certificate_go_stale_after_twelve_months(db: object, item: str, key: ItemKey) -> None:
    psychologist = colleague()
    record_evidence(psychologist, item, D(2025, 11, 23))
    assert eligibility.B2_VALID_MONTHS == eligibility.SANCTION_CERTIFICATE_VALID_MONTHS == 12
    assert state(psychologist, key, D(2026, 11, 22)) == ItemState.MET
    assert state(psychologist, key, D(2026, 11, 23)) == ItemState.STALE
    explanation = checklist(psychologist, TODAY).item(key).explanation
    assert "plus valable depuis le 23/11/2026 (validité retenue : 12 mois)" in explanation
    record_evidence(psychologist, item, D(2026, 11, 2))  # checked again: the newest copy counts
    assert state(psychologist, key) == ItemState.MET


def test_training_does_not_expire(db: object) -> None:
    psychologist = colleague()
    record_evidence(psychologist, "formation_addictologie", D(2001, 6, 30), reference="DU d'addictologie")
    assert state(psychologist, ItemKey.FORMATION) == ItemState.MET


def test_a_doctor_needs_three_years_of_registration(db: object) -> None:
    two_years = colleague("medecin", registered=D(2023, 11, 24))
    item = checklist(two_years, TODAY).item(ItemKey.ORDRE)
    assert item.state == ItemState.UNMET
    assert "soit 2 ans au 23/11/2026" in item.explanation and "atteints le 24/11/2026" in item.explanation
    assert state(two_years, ItemKey.ORDRE, D(2026, 11, 24)) == ItemState.MET
    three_years = add_professional(last_name="Haddock", first_name="Archibald", profession="medecin",
                                   order_registered_on=D(2023, 11, 23), order_number="92/12345")
    item = checklist(three_years, TODAY).item(ItemKey.ORDRE)
    assert item.state == ItemState.MET and item.explanation == (
        "Inscrit(e) au tableau (Ordre des médecins, n° 92/12345) depuis le 23/11/2023 (3 ans).")


def test_a_nurse_needs_a_registration_of_any_length(db: object) -> None:
    nurse = colleague("infirmier", registered=D(2026, 9, 1))
    assert state(nurse, ItemKey.ORDRE) == ItemState.MET
    assert state(nurse, ItemKey.ORDRE, D(2026, 8, 31)) == ItemState.UNMET  # not registered yet


def test_other_professions_declare_whether_they_have_an_order(db: object) -> None:
    other = colleague("autre")
    assert state(other, ItemKey.ORDRE) == ItemState.MISSING
    update_professional(other, without_order=True)
    assert state(other, ItemKey.ORDRE) == ItemState.MET
    midwife = add_professional(last_name="Castafiore", first_name="Bianca", profession="autre",
                               order_name="Ordre des sages-femmes", order_registered_on=D(2015, 1, 1))
    assert "Ordre des sages-femmes" in checklist(midwife, TODAY).item(ItemKey.ORDRE).explanation


def test_the_protocol_wants_a_csapa_employer(db: object) -> None:
    freelance = add_professional(last_name="Tournesol", first_name="Tryphon", profession="psychologue")
    assert state(freelance, ItemKey.CSAPA) == ItemState.MISSING
    assert "CSAPA employeur (manquant)" in missing_items(freelance, TODAY)


# --------------------------------------------------------------------------- entering professionals


@pytest.mark.parametrize("fields, message", [
    ({"rpps_adeli": "1234567890"}, "11 chiffres pour le RPPS, 9 pour ADELI"),
    ({"rpps_adeli": "12345678A01"}, "invalide"),
    ({"last_name": "  "}, "Nom : champ obligatoire"),
    ({"profession": "sorcier"}, "Profession : choisissez"),
    ({"departments": "92, 20"}, "« 20 » n'est pas un numéro de département"),
    ({"order_registered_on": D(2010, 1, 1)}, "Les psychologues ne relèvent d'aucun ordre"),
    ({"profession": "medecin", "without_order": True}, "cette profession a un ordre"),
    ({"email": "pas-un-courriel"}, "Courriel"),
])
def test_add_professional_refuses_bad_input_in_french(db: object, fields: dict, message: str) -> None:
    values = {"last_name": "Lampion", "first_name": "Séraphin", "profession": "psychologue"} | fields
    with pytest.raises(InvalidInput, match=message):
        add_professional(**values)
    assert Professional.select().count() == 0


def test_add_professional_cleans_and_logs(db: object) -> None:
    nurse = add_professional(last_name=" Lampion ", first_name="Séraphin", profession="infirmier",
                             rpps_adeli="929 900 099", departments="92 78;92", order_registered_on=D(2019, 4, 1))
    assert (nurse.last_name, nurse.rpps_adeli, nurse.departments) == ("Lampion", "929900099", "92, 78")
    assert not nurse.is_user
    with pytest.raises(InvalidInput, match="déjà inscrit au registre"):
        add_professional(last_name="Haddock", first_name="Archibald", profession="medecin", rpps_adeli="929900099")
    assert update_professional(nurse, csapa_name="CSAPA du Port (test)", departments="92") == [
        "CSAPA employeur", "Département(s)"]
    assert update_professional(nurse, departments="92") == []
    details = [h.details for h in register_history.history(nurse)]
    assert details[0] == "CSAPA employeur : — → CSAPA du Port (test); Département(s) : 92, 78 → 92"
    assert details[1] == "Séraphin LAMPION, infirmier·ère"


# --------------------------------------------------------------------------- status changes


def test_habilitation_with_an_unmet_criterion_needs_a_recorded_override(db: object) -> None:
    doctor = colleague("medecin", registered=D(2024, 6, 1))
    complete_file(doctor)
    set_status(doctor, "candidat", on=D(2026, 10, 2), reason=None)
    with pytest.raises(InvalidInput, match=r"Habilitation refusée : 1 élément\(s\).*inscription à l'ordre "
                                           r"\(non rempli\).*dérogation motivée"):
        set_status(doctor, "habilite", on=TODAY, reason=None, decision_reference="ARS-TEST-2026-007")
    assert habilitation_on(doctor, TODAY) is None
    row = set_status(doctor, "habilite", on=TODAY, reason=None, decision_reference="ARS-TEST-2026-007",
                     override_reason="Expérience hospitalière en addictologie retenue par l'ARS (test).")
    assert habilitation_on(doctor, TODAY) == row
    assert (row.valid_until, row.list_year) == (D(2026, 12, 31), 2026)  # the list's year by default
    override = HabilitationOverride.get(HabilitationOverride.habilitation == row)
    assert override.item == "inscription_ordre" and "2 ans" in override.unmet
    assert override.reason.startswith("Expérience hospitalière") and override.decided_on == TODAY
    assert override.decided_by == "système"  # no user in this database
    actions = [e.action for e in RegisterEvent.select().order_by(RegisterEvent.id)]
    assert actions[-2:] == ["derogation", "statut"]


def test_a_complete_file_habilitates_without_override(db: object) -> None:
    psychologist = colleague()
    complete_file(psychologist)
    row = set_status(psychologist, "habilite", on=D(2026, 10, 5), reason=None, decision_reference="ARS-1",
                     list_year=2027, valid_until=D(2027, 12, 31))
    assert HabilitationOverride.select().count() == 0
    assert status_view(psychologist, TODAY).label == "Habilité"
    assert row.list_year == 2027
    with pytest.raises(InvalidInput, match="Valable jusqu'au"):
        set_status(psychologist, "habilite", on=D(2026, 10, 6), reason=None, valid_until=D(2026, 10, 1))


def habilitated(on: dt.date = JANUARY_15, number: str = "929900099") -> Professional:
    professional = colleague(number=number)
    complete_file(professional, on)
    set_status(professional, "habilite", on=on, reason=None, decision_reference="ARS-TEST-2026-001")
    return professional


def test_suspension_stops_the_right_to_act_from_its_date(db: object) -> None:
    professional = habilitated()
    with pytest.raises(InvalidInput, match="Motif : obligatoire"):
        set_status(professional, "suspendu", on=D(2026, 7, 1), reason="  ")
    set_status(professional, "suspendu", on=D(2026, 7, 1), reason="Suspension notifiée par l'ordre (test).")
    assert habilitation_on(professional, D(2026, 6, 30)) is not None
    assert habilitation_on(professional, D(2026, 7, 1)) is None
    with pytest.raises(NotHabilitated, match="suspendu depuis le 01/07/2026"):
        measures.check_habilitated(professional, D(2026, 7, 2))
    view = status_view(professional, D(2026, 7, 2))
    assert (view.code, view.since) == ("suspendu", D(2026, 7, 1))
    # Lifted: not the same day (it would read as still suspended), from the next day on.
    with pytest.raises(InvalidInput, match="le lendemain au plus tôt"):
        set_status(professional, "habilite", on=D(2026, 7, 1), reason=None)
    lifted = set_status(professional, "habilite", on=D(2026, 9, 1), reason="Fin de la suspension.")
    assert lifted.valid_until == D(2026, 12, 31)  # the interrupted habilitation's end
    assert measures.check_habilitated(professional, D(2026, 9, 1)) == lifted


def test_radiation_then_a_new_candidacy(db: object) -> None:
    professional = habilitated()
    with pytest.raises(InvalidInput, match="Fondement"):
        set_status(professional, "radie", on=D(2026, 5, 1), reason="x", ground="caprice")
    row = set_status(professional, "radie", on=D(2026, 5, 4), reason="Demande motivée du parquet (test).",
                     ground="demande_magistrat", decision_reference="ARS-RAD-1")
    assert (row.ground, row.decision_on, row.list_year) == ("demande_magistrat", D(2026, 5, 4), 2026)
    with pytest.raises(NotHabilitated, match="radié depuis le 04/05/2026"):
        measures.check_habilitated(professional, D(2026, 5, 4))
    with pytest.raises(InvalidInput, match="une nouvelle candidature doit d'abord être déposée"):
        set_status(professional, "habilite", on=D(2026, 6, 1), reason=None)
    set_status(professional, "candidat", on=D(2026, 6, 1), reason=None, list_year=2027)
    assert status_view(professional, TODAY).label == "Candidat"
    details = register_history.history(professional)[1].details
    assert details == ("Habilité → Radié le 04/05/2026 (décision ARS-RAD-1) ; fondement : demande motivée "
                       "d'un magistrat ; motif : Demande motivée du parquet (test).")


def test_withdrawal_at_the_professionals_request(db: object) -> None:
    professional = habilitated()
    row = set_status(professional, "retire", on=D(2026, 8, 31), reason=None)
    assert (row.reason, row.ground) == ("À sa demande.", "demande_professionnel")
    assert habilitation_on(professional, D(2026, 9, 1)) is None
    other = habilitated(number="929900100")
    with pytest.raises(InvalidInput, match="Radiation à la demande du professionnel"):
        set_status(other, "radie", on=D(2026, 8, 31), reason="x", ground="demande_professionnel")


@pytest.mark.parametrize("status", ["suspendu", "radie"])
def test_only_a_habilitated_professional_can_be_suspended_or_struck_off(db: object, status: str) -> None:
    candidate = colleague()
    set_status(candidate, "candidat", on=D(2026, 10, 1), reason=None)
    with pytest.raises(InvalidInput, match="passer de « Candidat » à"):
        set_status(candidate, status, on=TODAY, reason="Motif de test.")


def test_decisions_are_recorded_in_date_order(db: object) -> None:
    professional = habilitated(D(2026, 3, 1))
    with pytest.raises(InvalidInput, match="précède la dernière décision enregistrée \\(le 01/03/2026\\)"):
        set_status(professional, "suspendu", on=D(2026, 2, 1), reason="Motif de test.")


def test_expiry_shows_in_the_view(db: object) -> None:
    professional = habilitated()
    view = status_view(professional, D(2027, 1, 1))
    assert view.expired and view.label == "Habilitation expirée"
    assert (view.since, view.valid_until) == (D(2027, 1, 1), D(2026, 12, 31))
    with pytest.raises(NotHabilitated, match="expirée le 31/12/2026"):
        measures.check_habilitated(professional, D(2027, 1, 1))
    renewed = set_status(professional, "habilite", on=D(2027, 1, 20), reason=None, override_reason="B2 en cours.")
    overridden = [o.item for o in HabilitationOverride.select().where(HabilitationOverride.habilitation == renewed)]
    assert renewed.list_year == 2027 and overridden == ["extrait_b2", "absence_sanction", "attestation_non_sanction"]


def test_refusal_to_act_blocks_the_assignment(db: object) -> None:
    user = create_user(last_name="Tournesol", first_name="Tryphon", profession="psychologue", rpps_adeli=None,
                       csapa_name="CSAPA du Château (test)", csapa_address="1 allée des Œillets, 92000 Moulinsart")
    complete_file(user, D(2026, 1, 2))
    set_status(user, "habilite", on=D(2026, 1, 15), reason=None)
    set_status(user, "suspendu", on=D(2026, 11, 1), reason="Suspension (test).")
    person = Person.create(last_name="Lampion", first_name="Séraphin", birth_date=D(1980, 3, 3))
    measure = Measure.create(person=person, parquet_number="26/00001", authority="procureur",
                             stage="alternative_poursuites", saisine_received_on=D(2026, 10, 1))
    with pytest.raises(NotHabilitated, match="suspendu depuis le 01/11/2026"):
        measures.assign_professional(measure, user, TODAY)
    assert Measure.get_by_id(measure.id).professional is None
    measures.assign_professional(measure, user, D(2026, 10, 20))  # before the suspension
    # The history names the user as the author of each change.
    assert {h.actor for h in register_history.history(user)} == {"Tryphon TOURNESOL"}


def test_every_register_change_is_in_the_history_and_the_audit_trail(db: object) -> None:
    professional = colleague()
    record_evidence(professional, "extrait_b2", D(2026, 10, 1), reference="B2-42", note="RAS")
    piece = record_evidence(professional, "etat_activites", D(2026, 10, 2))
    eligibility.remove_evidence(piece, "Pièce d'un homonyme.")
    set_status(professional, "candidat", on=D(2026, 10, 3), reason="Candidature spontanée.")
    rows = register_history.history(professional)
    assert [r.action for r in rows] == ["Changement de statut", "Pièce du dossier retirée",
                                        "Pièce du dossier enregistrée", "Pièce du dossier enregistrée",
                                        "Inscription au registre"]
    assert rows[0].details == "Aucune décision → Candidat le 03/10/2026 ; motif : Candidature spontanée."
    assert rows[1].details.endswith("retirée : Pièce d'un homonyme.")
    assert rows[3].details == "Extrait du bulletin n° 2 du casier judiciaire du 01/10/2026 (réf. B2-42)"
    assert all(r.professional == "Séraphin LAMPION" and r.at for r in rows)
    audit = [e.action for e in AuditEvent.select().where(AuditEvent.entity == "professional")]
    assert audit == ["registre.ajout", "registre.piece", "registre.piece", "registre.piece_retiree",
                     "registre.statut"]
    assert all("Lampion" not in e.details for e in AuditEvent.select())
    assert Habilitation.select().count() == 1


def test_evidence_input_is_checked(db: object) -> None:
    professional = colleague()
    with pytest.raises(InvalidInput, match="Pièce du dossier : choisissez"):
        record_evidence(professional, "horoscope", TODAY)
    with pytest.raises(InvalidInput, match="Date de la pièce"):
        record_evidence(professional, "extrait_b2", None)  # type: ignore[arg-type]

