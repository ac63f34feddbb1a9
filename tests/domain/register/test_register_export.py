"""The register for the ARS and the parquet: rows, JSON, text, CSV, PDF, the annual revision,
the start-screen warning, the demo's files and the schema 4 upgrade (fictional people)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from injonctions_tui.domain.core import models
from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import Measure, Person, Professional
from injonctions_tui.domain.demo.builder import populate_demo
from injonctions_tui.domain.dossiers.conflicts import declare_conflict
from injonctions_tui.domain.portability import json_export as export_json
from injonctions_tui.domain.register.eligibility import record_evidence
from injonctions_tui.domain.register.entries import add_professional
from injonctions_tui.domain.register.export import (register_csv, register_filename, register_json, register_pdf,
                                                    register_text)
from injonctions_tui.domain.register.history import history
from injonctions_tui.domain.register.rows import expiring, own_habilitation_warning, register_rows
from injonctions_tui.domain.register.status import set_status
from injonctions_tui.domain.store import migrations, storage
from injonctions_tui.domain.store.professionals import create_user
from tests.conftest import PASSPHRASE, TODAY
from tests.pdf_checks import embedded_font_problems, text_of

D = dt.date
PIECES = ("formation_addictologie", "extrait_b2", "attestation_non_sanction", "declaration_candidature",
          "etat_activites")


@pytest.fixture
def register(db: object) -> dict[str, Professional]:
    """The user (habilitated, expiring in 38 days), a doctor registered 2 years ago (candidate),
    an expired nurse, a struck-off psychologist; one dossier followed by the user."""
    user = create_user(last_name="Tournesol", first_name="Tryphon", profession="psychologue",
                       rpps_adeli="99000000026", csapa_name="CSAPA du Château (test)",
                       csapa_address="1 allée des Œillets, 92000 Moulinsart")
    for item in PIECES:
        record_evidence(user, item, D(2026, 1, 5))
    set_status(user, "habilite", on=D(2026, 1, 15), reason=None, decision_reference="ARS-TEST-2026-001")
    doctor = add_professional(last_name="Haddock", first_name="Archibald", profession="medecin",
                              rpps_adeli="99000000034", order_registered_on=D(2024, 6, 1),
                              csapa_name="CSAPA du Port (test)", departments="92, 78")
    for item in PIECES:
        record_evidence(doctor, item, D(2026, 10, 1))
    set_status(doctor, "candidat", on=D(2026, 10, 2), reason=None, list_year=2027)
    nurse = add_professional(last_name="Lampion", first_name="Séraphin", profession="infirmier",
                             rpps_adeli="929900017", order_registered_on=D(2015, 3, 1),
                             csapa_name="CSAPA du Port (test)")
    set_status(nurse, "habilite", on=D(2025, 9, 1), reason=None, valid_until=D(2026, 8, 31),
               override_reason="Dossier transmis directement à l'ARS (test).")
    struck = add_professional(last_name="Castafiore", first_name="Bianca", profession="psychologue",
                              rpps_adeli="929900025", csapa_name="CSAPA du Château (test)")
    set_status(struck, "habilite", on=D(2026, 1, 15), reason=None, override_reason="Test.")
    set_status(struck, "radie", on=D(2026, 6, 1), reason="N'exerce plus dans un CSAPA (test).")
    person = Person.create(last_name="Œil-de-Lynx", first_name="Zoé", birth_date=D(1990, 1, 1))
    Measure.create(person=person, professional=user, parquet_number="26/00001", authority="procureur",
                   stage="alternative_poursuites", saisine_received_on=D(2026, 2, 1), status="suivi")
    return {"user": user, "doctor": doctor, "nurse": nurse, "struck": struck}


def test_rows_keep_the_screen_fields_and_add_the_file(register: dict) -> None:
    rows = {r.name: r for r in register_rows(TODAY)}
    assert list(rows) == ["Bianca CASTAFIORE", "Archibald HADDOCK", "Séraphin LAMPION", "Tryphon TOURNESOL"]
    user = rows["Tryphon TOURNESOL"]
    assert (user.status, user.habilitated_today, user.expires_soon, user.is_user) == ("Habilité", True, True, True)
    assert (user.valid_until, user.decision_reference, user.list_year, user.caseload) == (
        D(2026, 12, 31), "ARS-TEST-2026-001", 2026, "1 IT")
    assert user.file_complete and user.order == "sans objet"
    doctor = rows["Archibald HADDOCK"]
    assert (doctor.state, doctor.since, doctor.departments) == ("Candidat", D(2026, 10, 2), "92, 78")
    assert doctor.missing == ("inscription à l'ordre (non rempli)",)
    assert doctor.order == "Ordre des médecins depuis le 01/06/2024"
    nurse = rows["Séraphin LAMPION"]
    assert (nurse.state, nurse.expired, nurse.since, nurse.status) == (
        "Habilitation expirée", True, D(2026, 9, 1), "Habilité")
    struck = rows["Bianca CASTAFIORE"]
    assert (struck.status_code, struck.reason) == ("radie", "N'exerce plus dans un CSAPA (test).")
    assert struck.decision_on is None and struck.overrides == 0


def test_annual_revision_lists_expiring_and_expired(register: dict) -> None:
    assert [r.name for r in expiring(TODAY)] == ["Tryphon TOURNESOL", "Séraphin LAMPION"]
    assert [r.name for r in expiring(TODAY, days=30)] == ["Séraphin LAMPION"]


def test_own_habilitation_warning(register: dict) -> None:
    user = register["user"]
    assert own_habilitation_warning(user, D(2026, 10, 31)) is None  # 61 days left
    assert own_habilitation_warning(user, TODAY) == (
        "Votre habilitation expire le 31/12/2026 (dans 38 jours) : demandez son renouvellement à l'ARS "
        "(liste départementale révisée chaque année).")
    assert "(aujourd'hui)" in own_habilitation_warning(user, D(2026, 12, 31))
    assert own_habilitation_warning(user, D(2027, 1, 1)).startswith(
        "Votre habilitation a expiré (elle était valable jusqu'au 31/12/2026) : aucun dossier ne peut vous être "
        "confié ni aucun document signé")
    set_status(user, "suspendu", on=D(2026, 12, 1), reason="Suspension (test).")
    assert own_habilitation_warning(user, D(2026, 12, 2)).startswith("Habilitation : suspendu depuis le 01/12/2026")
    assert own_habilitation_warning(None, TODAY) is None
    assert "Candidature en attente" in own_habilitation_warning(register["doctor"], TODAY)
    newcomer = add_professional(last_name="Dupond", first_name="Jules", profession="autre")
    assert own_habilitation_warning(newcomer, TODAY).startswith("Aucune habilitation en cours")


def test_json_for_the_command_line(register: dict) -> None:
    payload = register_json(TODAY)
    json.dumps(payload)  # serialisable as is
    assert (payload["format"], payload["date"], payload["count"], payload["habilitated"]) == (
        "injonctions-registre", "2026-11-23", 4, 1)
    by_name = {p["name"]: p for p in payload["professionals"]}
    assert payload["expiring"] == [register["user"].id, register["nurse"].id]
    user = by_name["Tryphon TOURNESOL"]
    assert (user["status"], user["valid_until"], user["missing_items"], user["expires_soon"]) == (
        "habilite", "2026-12-31", [], True)
    assert user["caseload"]["persons"] == 1
    assert [k["cap"] for k in user["caseload"]["kinds"]] == [None, 60]
    doctor = by_name["Archibald HADDOCK"]
    assert doctor["status"] == "candidat" and doctor["missing_items"] == ["inscription à l'ordre (non rempli)"]
    order = next(i for i in doctor["checklist"] if i["key"] == "inscription_ordre")
    assert order["state"] == "non_rempli" and "atteints le 01/06/2027" in order["explanation"]
    nurse = by_name["Séraphin LAMPION"]
    assert (nurse["status"], nurse["expired"], nurse["valid_until"]) == ("expire", True, "2026-08-31")
    assert nurse["overrides"] == []  # the override belongs to the expired decision, not to a current one
    assert "Œil-de-Lynx" not in json.dumps(payload, ensure_ascii=False)


def test_text_for_the_terminal(register: dict) -> None:
    text = register_text(TODAY)
    assert text.startswith("Registre des professionnels habilités — situation au 23/11/2026\n"
                           "4 professionnel(s), dont 1 habilité(s) à ce jour\n")
    assert ("Tryphon TOURNESOL (vous) — Psychologue — RPPS 99000000026\n  CSAPA : CSAPA du Château (test)\n"
            "  Ordre : sans objet\n  Statut : Habilité, décision ARS-TEST-2026-001 du 15/01/2026 (liste 2026), "
            "valable jusqu'au 31/12/2026 — EXPIRE DANS 38 JOUR(S)\n  Dossier : complet\n"
            "  Personnes suivies : 1 IT\n") in text
    assert ("Statut : Habilitation expirée depuis le 01/09/2026, décision sans référence du 01/09/2025 "
            "(liste 2025), valable jusqu'au 31/08/2026") in text
    assert "Statut : Radié depuis le 01/06/2026 — motif : N'exerce plus dans un CSAPA (test)." in text


def test_csv_for_spreadsheets(register: dict) -> None:
    data = register_csv(TODAY)
    assert data.startswith("\ufeffNom;Profession;N° RPPS/ADELI;") and "\r\n" in data
    rows = list(csv.DictReader(io.StringIO(data[1:]), delimiter=";"))
    assert [r["Nom"] for r in rows] == ["Bianca CASTAFIORE", "Archibald HADDOCK", "Séraphin LAMPION",
                                        "Tryphon TOURNESOL"]
    user = rows[3]
    assert (user["Statut"], user["Valable jusqu'au"], user["Expire sous 60 jours"], user["Dossier complet"],
            user["Personnes suivies"]) == ("Habilité", "31/12/2026", "oui", "oui", "1")
    assert rows[1]["Éléments manquants"] == "inscription à l'ordre (non rempli)"
    assert rows[0]["Motif"] == "N'exerce plus dans un CSAPA (test)."
    assert register_filename(TODAY, ".csv") == "registre-habilitations-2026-11-23.csv"


def test_pdf_extract_for_the_ars_and_the_parquet(register: dict) -> None:
    data = register_pdf(TODAY)
    assert data.startswith(b"%PDF") and embedded_font_problems(data) == []
    text = text_of(data)
    for expected in ("Registre des professionnels de santé habilités", "situation au lundi 23 novembre 2026",
                     "4 professionnel(s) inscrit(s), dont 1 habilité(s) à cette date.", "Archibald HADDOCK",
                     "inscription à l'ordre (non rempli)", "Habilitation expirée", "Séraphin LAMPION (expirée",
                     "Tryphon TOURNESOL (expire le 31/12/2026)", "R3413-1", "12 mois",
                     "Extrait certifié conforme", "Fait à Moulinsart, le lundi 23 novembre 2026", "Signature",
                     "Registre des habilitations — situation au 23/11/2026", "Page 1 sur"):
        assert expected in text, expected
    assert "Œil-de-Lynx" not in text  # persons under a measure never appear
    assert register_pdf(TODAY) == data  # invariant: same data, same bytes
    assert register_filename(TODAY) == "registre-habilitations-2026-11-23.pdf"


def test_pdf_needs_the_user_identity(db: object) -> None:
    with pytest.raises(InvalidInput, match="identité du professionnel"):
        register_pdf(TODAY)


@pytest.mark.parametrize("today", [TODAY, D(2027, 1, 1), D(2028, 2, 29)], ids=str)
def test_demo_register_shows_complete_and_incomplete_files(db: object, today: dt.date) -> None:
    populate_demo(today)
    rows = {r.name: r for r in register_rows(today)}
    assert rows["Séraphine SECCOTINE"].file_complete and rows["Séraphine SECCOTINE"].habilitated_today
    assert rows["Philémon CUMULUS"].file_complete and rows["Philémon CUMULUS"].overrides == 1
    assert rows["Mélisande FARIBOLE"].missing == ("inscription à l'ordre (non rempli)",)
    assert "extrait B2 (périmé)" in rows["Azélie BERGAMOTE"].missing and rows["Azélie BERGAMOTE"].expires_soon
    assert "absence de sanction disciplinaire (manquant)" in rows["Octave CALEMBOUR"].missing
    assert rows["Honorin ZÉPHYR"].expired
    assert own_habilitation_warning(models.Professional.get(models.Professional.is_user == True), today) is None
    assert len(history()) > 30 and models.ConflictDeclaration.select().count() == 2
    assert register_pdf(today).startswith(b"%PDF")


def test_upgrade_from_version_3_keeps_the_register(db_path: Path) -> None:
    old = storage.create_database(db_path, PASSPHRASE, kdf=storage.FAST_KDF, upgrade_to=3)
    old.execute_sql(
        "INSERT INTO professional (id, last_name, first_name, profession, rpps_adeli, order_registered_on, "
        "is_user, created_at) VALUES (4, 'Haddock', 'Archibald', 'medecin', '99000000034', '2010-05-04', 1, "
        "'2026-01-02 09:00:00')")
    old.execute_sql(
        "INSERT INTO habilitation (professional_id, status, list_year, decision_on, decision_reference, "
        "valid_until, status_on) VALUES (4, 'habilite', 2026, '2026-01-15', 'ARS-3', '2026-12-31', '2026-01-15')")
    old.execute_sql(
        "INSERT INTO person (id, last_name, first_name, is_protected_adult, search_name, created_at) "
        "VALUES (1, 'Lampion', 'Séraphin', 0, 'lampion seraphin', '2026-01-05 10:00:00')")
    old.execute_sql(
        "INSERT INTO measure (id, person_id, professional_id, kind, parquet_number, authority, stage, "
        "saisine_received_on, status, created_at) VALUES (1, 1, 4, 'injonction_therapeutique', '26/1', "
        "'procureur', 'alternative_poursuites', '2026-01-05', 'suivi', '2026-01-05 10:00:00')")
    old.execute_sql(
        "INSERT INTO report (measure_id, kind, status, version, observations, written_on, created_at) "
        "VALUES (1, 'avis_motive', 'final', 1, 'Texte figé.', '2026-02-01', '2026-02-01 10:00:00')")
    old.close()

    upgraded = storage.open_database(db_path, PASSPHRASE)
    try:
        assert migrations.current_version(upgraded) == migrations.LATEST_VERSION >= 4
        doctor = Professional.get_by_id(4)
        assert (doctor.order_registered_on, doctor.without_order, doctor.order_number) == (D(2010, 5, 4), False, None)
        assert models.Habilitation.get().ground is None
        rows = register_rows(TODAY)
        assert rows[0].habilitated_today and rows[0].caseload == "1 IT"
        assert "extrait B2 (manquant)" in rows[0].missing
        record_evidence(doctor, "extrait_b2", TODAY)  # the new tables work
        triggers = [r[0] for r in upgraded.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")]
        assert "report_final_is_immutable" in triggers
        with pytest.raises(Exception, match="modification interdite"):
            upgraded.execute_sql("UPDATE report SET observations = 'autre' WHERE id = 1")
        assert upgraded.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        upgraded.close()


def test_export_round_trip_and_an_older_export_without_the_register_lists(register: dict, tmp_path: Path) -> None:
    """Schema 4's lists travel in the JSON export; an export of schema 3 lacks them and still imports."""
    declare_conflict(register["user"], category="famille", declared_on=TODAY, last_name="Haddock", first_name="Archibald")
    payload = json.loads(json.dumps(export_json.export_all(TODAY)))
    user = next(p for p in payload["professionals"] if p["is_user"])
    assert len(user["eligibility_evidence"]) == 5 and len(user["conflict_declarations"]) == 1
    assert [len(p["habilitation_overrides"]) for p in payload["professionals"]] == [0, 0, 6, 6]  # empty files
    older = json.loads(json.dumps(payload)) | {"schema_version": 3}
    for professional in older["professionals"]:
        for key in ("eligibility_evidence", "habilitation_overrides", "conflict_declarations", "register_events",
                    "order_number", "order_name", "without_order"):
            del professional[key]
        for habilitation in professional["habilitations"]:
            del habilitation["ground"]
    for data, name in ((payload, "a.db"), (older, "b.db")):
        models.database.obj.close()
        fresh = storage.create_database(tmp_path / name, PASSPHRASE, kdf=storage.FAST_KDF)
        try:
            counts = export_json.import_all(data)
            assert counts["professionals"] == 4
            assert counts["register_events"] == (0 if data is older else len(history()))
            if data is payload:
                again = export_json.export_all(TODAY)
                assert _comparable(again) == _comparable(payload)
        finally:
            fresh.close()


def _comparable(payload: dict) -> dict:
    """An export without its date, its seals (each base has its own key) and the import's own
    event (issue 15)."""
    events = [{k: v for k, v in e.items() if k != "mac"} for e in payload["audit_events"]
              if e["action"] != "import_json"]
    reports = [{k: v for k, v in r.items() if k not in ("integrity_mac", "provenance")} for r in payload["reports"]]
    return {k: v for k, v in payload.items() if k not in ("exported_at", "integrity")} | {
        "audit_events": events, "reports": reports}
