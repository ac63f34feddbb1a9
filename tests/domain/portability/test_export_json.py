"""The JSON export and its import: exact round trip, all or nothing, French messages."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from injonctions_tui.domain.core import models
from injonctions_tui.domain.core.errors import ImportRejected, InjonctionsError
from injonctions_tui.domain.core.models import (Appointment, AuditEvent, Habilitation, LegalRepresentative, Measure,
                                                Orientation, Person, Professional, Renewal, Report, Setting,
                                                TreatingStructure)
from injonctions_tui.domain.portability import json_export as export_json
from injonctions_tui.domain.store import audit, integrity, migrations, storage
from tests.conftest import PASSPHRASE


def populate() -> None:
    """A few records of every model, with accents, ligatures, nulls and booleans."""
    Setting.create(key="court", value=json.dumps({"tribunal": "Tribunal de Moulinsart"}))
    Setting.create(key="montant", value="132.00")
    user = Professional.create(
        last_name="Tournesol", first_name="Tryphon", profession="psychologue",
        rpps_adeli="10000000001", order_registered_on=dt.date(2010, 5, 4),
        csapa_name="CSAPA du Château", csapa_address="1 allée des Œillets\n92000 Moulinsart",
        departments="92, 78", is_user=True, created_at=dt.datetime(2026, 1, 2, 9, 30, 0))
    colleague = Professional.create(last_name="Lampion", first_name="Séraphin",
                                    profession="infirmier", created_at=dt.datetime(2026, 1, 3, 8, 0))
    Habilitation.create(professional=user, status="habilite", list_year=2026,
                        decision_on=dt.date(2026, 1, 15), decision_reference="ARS-2026-Œ1",
                        valid_until=dt.date(2026, 12, 31))
    Habilitation.create(professional=colleague, status="candidat")
    minor = Person.create(last_name="Œil-de-Lynx", first_name="Zoé", birth_date=dt.date(2009, 2, 28),
                          is_protected_adult=False, created_at=dt.datetime(2026, 2, 1, 10, 0))
    adult = Person.create(last_name="Castafiore", first_name="Bianca", birth_date=None,
                          is_protected_adult=True, guardian_name="Nestor",
                          created_at=dt.datetime(2026, 2, 2, 10, 0))
    LegalRepresentative.create(person=minor, name="Mère Œil-de-Lynx", relationship="mère",
                               convoked=True)
    LegalRepresentative.create(person=minor, name="ASE", relationship=None, convoked=False)
    first = Measure.create(person=minor, professional=user, parquet_number="26/001.A",
                           authority="procureur", stage="alternative_poursuites",
                           facts_on=dt.date(2026, 1, 1), decision_on=dt.date(2026, 1, 20),
                           saisine_received_on=dt.date(2026, 2, 1), minor_agreement=True,
                           status="suivi", created_at=dt.datetime(2026, 2, 1, 11, 0))
    second = Measure.create(person=adult, professional=None, parquet_number="26-00002",
                            authority="jap", stage="application_peines",
                            saisine_received_on=dt.date(2026, 3, 1), minor_agreement=False,
                            outcome="classement_sans_suite", outcome_on=dt.date(2026, 9, 1),
                            status="cloture", created_at=dt.datetime(2026, 3, 1, 11, 0))
    Renewal.create(measure=first, decided_on=dt.date(2026, 7, 1), new_end_on=dt.date(2027, 1, 1))
    csapa = TreatingStructure.create(name="CSAPA de Moulinsart", kind="csapa", address="2 rue du Château, 92000 Œ",
                                     phone="01 00 00 00 01", secure_email="csapa@moulinsart.exemple-mssante.invalid",
                                     public="tous", notes="Accueil « jeunes » le mercredi",
                                     created_at=dt.datetime(2026, 1, 5, 9, 0))
    TreatingStructure.create(name="Dr Haddock (fictif)", kind="medecin_liberal", public="majeurs",
                             created_at=dt.datetime(2026, 1, 6, 9, 0), updated_at=dt.datetime(2026, 2, 1, 9, 0))
    Orientation.create(measure=first, structure="CSAPA de Moulinsart", doctor=None,
                       chosen_on=dt.date(2026, 2, 10), chosen_by="representants_legaux", treating_structure=csapa)
    Orientation.create(measure=second, structure="Cabinet Haddock", doctor="Dr Haddock",
                       chosen_on=dt.date(2026, 3, 5), refused_on=dt.date(2026, 3, 9))
    visit = Appointment.create(measure=first, kind="evaluation_initiale",
                               starts_at=dt.datetime(2026, 2, 2, 9, 30), place="Tribunal",
                               status="present", walk_in=True,
                               created_at=dt.datetime(2026, 2, 1, 12, 0))
    Appointment.create(measure=second, kind="suivi_m3", starts_at=dt.datetime(2026, 6, 1, 14, 0),
                       place="CSAPA", created_at=dt.datetime(2026, 3, 1, 12, 0))
    original = Report.create(measure=first, appointment=visit, kind="avis_motive", status="final",
                             observations="Adhésion à la mesure ; « œuvre » en cours.",
                             written_on=dt.date(2026, 2, 2),
                             finalised_at=dt.datetime(2026, 2, 2, 12, 0), content_hash="abc123",
                             created_at=dt.datetime(2026, 2, 2, 11, 0))
    integrity.seal_report(original.id)
    Report.create(measure=first, kind="avis_motive", version=2, previous=original,
                  written_on=dt.date(2026, 2, 3), created_at=dt.datetime(2026, 2, 3, 11, 0))
    audit.record("create", "measure", first.id, at=dt.datetime(2026, 2, 1, 11, 0))


def without_date(payload: dict[str, Any]) -> dict[str, Any]:
    """What a round trip keeps: everything but the date, the seals (each base has its own
    key), the provenance mark of an unproven import and the import's own event (issue 15)."""
    def plain(value: Any) -> Any:
        if isinstance(value, list):
            return [plain(v) for v in value if not (isinstance(v, dict) and v.get("action") == "import_json")]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if k not in ("mac", "integrity_mac", "provenance")}
        return value

    return {key: plain(value) for key, value in payload.items() if key not in ("exported_at", "integrity")}


@pytest.fixture
def fresh_database(db: object, tmp_path: Path) -> Iterator[Callable[[], object]]:
    """Close the `db` database and bind the models to a new, empty one (closed at the end)."""
    opened: list[Any] = []

    def open_fresh() -> object:
        models.database.obj.close()
        opened.append(storage.create_database(tmp_path / "b.db", PASSPHRASE, kdf=storage.FAST_KDF))
        return opened[-1]

    yield open_fresh
    for database in opened:
        database.close()


def test_every_model_is_exported() -> None:
    exported = {section.model for section in export_json.all_sections()}
    assert exported == set(models.ALL_MODELS)


def test_export_shape_and_types(db: object) -> None:
    populate()
    payload = export_json.export_all()
    assert payload["format"] == "injonctions-export"
    assert payload["schema_version"] == migrations.LATEST_VERSION
    assert dt.datetime.fromisoformat(payload["exported_at"])
    tournesol = payload["professionals"][0]
    assert tournesol["is_user"] is True and tournesol["created_at"] == "2026-01-02T09:30:00"
    assert [h["professional_id"] for h in tournesol["habilitations"]] == [tournesol["id"]]
    zoe = payload["persons"][0]
    assert zoe["last_name"] == "Œil-de-Lynx" and zoe["birth_date"] == "2009-02-28"
    assert zoe["search_name"] == "oeil-de-lynx zoe"
    assert len(zoe["legal_representatives"]) == 2
    assert payload["persons"][1]["birth_date"] is None
    first, second = payload["measures"]
    assert first["minor_agreement"] is True and second["minor_agreement"] is False
    assert second["professional_id"] is None
    assert [len(first["renewals"]), len(first["orientations"])] == [1, 1]
    assert payload["reports"][1]["previous_id"] == payload["reports"][0]["id"]
    assert [s["key"] for s in payload["settings"]] == ["court", "montant"]
    directory = payload["treating_structures"]
    assert [(t["name"], t["kind"], t["public"], t["search_name"]) for t in directory] == [
        ("CSAPA de Moulinsart", "csapa", "tous", "csapa de moulinsart 2 rue du chateau, 92000 oe"),
        ("Dr Haddock (fictif)", "medecin_liberal", "majeurs", "dr haddock (fictif)")]
    assert first["orientations"][0]["treating_structure_id"] == directory[0]["id"]
    assert second["orientations"][0]["treating_structure_id"] is None


def test_an_export_before_the_directory_imports_without_it(fresh_database: Callable[[], object]) -> None:
    """An export of the schema before the directory has no « treating_structures » (nor the link of
    each orientation): read as empty; from that schema on, the list is required like every other."""
    populate()
    payload = export_json.export_all()
    for measure in payload["measures"]:
        for orientation in measure["orientations"]:
            del orientation["treating_structure_id"]
    del payload["treating_structures"]
    later = copy.deepcopy(payload)
    payload["schema_version"] = migrations.DIRECTORY_VERSION - 1
    fresh_database()
    with pytest.raises(ImportRejected) as refused:
        export_json.import_all(later)
    assert "$.treating_structures : champ obligatoire absent." in refused.value.problems
    counts = export_json.import_all(payload)
    assert counts["treating_structures"] == 0 and counts["orientations"] == 2
    assert [o.treating_structure for o in Orientation.select()] == [None, None]


def test_round_trip_is_exact(fresh_database: Callable[[], object], tmp_path: Path) -> None:
    populate()
    text = export_json.write_export(tmp_path / "export.json")
    first = json.loads(text)
    fresh_database()
    counts = export_json.import_all(export_json.read_export_file(tmp_path / "export.json"))
    assert counts["persons"] == 2 and counts["legal_representatives"] == 2
    assert counts["reports"] == 2 and counts["habilitations"] == 2 and counts["settings"] == 2
    again = export_json.export_all()
    assert without_date(again) == without_date(first)
    # The objects behave: the ligature is still searchable, the correction points back.
    assert Person.get(Person.search_name.contains("oeil")).first_name == "Zoé"
    assert Report.get(Report.version == 2).previous.kind == "avis_motive"


def test_round_trip_with_correction_before_original(fresh_database: Callable[[], object]) -> None:
    """Ids are kept even when a correction has a lower id than what it corrects."""
    populate()
    payload = export_json.export_all()
    one, two = payload["reports"]
    one["previous_id"], two["previous_id"] = two["id"], None
    fresh_database()
    export_json.import_all(copy.deepcopy(payload))
    assert without_date(export_json.export_all()) == without_date(payload)


def test_written_file_is_private_and_matches(db: object, tmp_path: Path) -> None:
    populate()
    target = tmp_path / "export.json"
    text = export_json.write_export(target)
    assert target.read_text(encoding="utf-8") == text
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert "Œil-de-Lynx" in text  # ensure_ascii=False: readable by a human
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_write_into_missing_folder_is_a_french_error(db: object, tmp_path: Path) -> None:
    with pytest.raises(InjonctionsError, match="n'existe pas"):
        export_json.write_export(tmp_path / "absent" / "export.json")


def test_import_refused_into_non_empty_database(db: object) -> None:
    populate()
    payload = export_json.export_all()
    before = without_date(payload)
    with pytest.raises(InjonctionsError, match="la base contient déjà des données"):
        export_json.import_all(payload)
    assert without_date(export_json.export_all()) == before


def test_newer_schema_version_refused(db: object) -> None:
    payload = export_json.export_all()
    payload["schema_version"] = migrations.LATEST_VERSION + 1
    with pytest.raises(ImportRejected, match="version plus récente") as caught:
        export_json.import_all(payload)
    assert f"schéma {migrations.LATEST_VERSION + 1}" in caught.value.message


def test_wrong_format_refused(db: object) -> None:
    with pytest.raises(ImportRejected, match="n'est pas un export de l'application"):
        export_json.import_all({"format": "autre-chose", "schema_version": 1})


def test_settings_are_replaced_and_audit_events_kept(fresh_database: Callable[[], object]) -> None:
    populate()
    payload = export_json.export_all()
    fresh_database()
    Setting.create(key="court", value="{}")
    Setting.create(key="ancienne", value="1")
    audit.record("creation_base")
    export_json.import_all(payload)
    assert {s.key: s.value for s in Setting.select()} == {
        s["key"]: s["value"] for s in payload["settings"]}
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions == ["create", "creation_base", "import_json"]
    assert integrity.verify_base().intact  # the whole journal chained again, this base's keys


def test_bad_date_refused_and_nothing_imported(fresh_database: Callable[[], object]) -> None:
    populate()
    payload = export_json.export_all()
    payload["measures"][1]["saisine_received_on"] = "31/02/2026"
    payload["persons"][0]["legal_representatives"][0]["convoked"] = "oui"
    fresh_database()
    with pytest.raises(ImportRejected, match="rien n'a été importé") as caught:
        export_json.import_all(payload)
    problems = caught.value.problems
    assert "$.measures[1].saisine_received_on (id 2) : « 31/02/2026 » n'est pas au format AAAA-MM-JJ." in problems
    assert "$.persons[0].legal_representatives[0].convoked (id 1) : true ou false attendu." in problems
    assert Person.select().count() == 0 and Setting.select().count() == 0


def test_unknown_key_names_the_record(fresh_database: Callable[[], object]) -> None:
    populate()
    payload = export_json.export_all()
    payload["persons"][1]["diagnostic"] = "interdit"
    fresh_database()
    with pytest.raises(ImportRejected) as caught:
        export_json.import_all(payload)
    assert caught.value.problems == ["$.persons[1].diagnostic (id 2) : clé inconnue."]
    assert Professional.select().count() == 0


def test_structure_problems_are_listed(db: object) -> None:
    payload = {"format": "injonctions-export", "schema_version": 1, "settings": [],
               "professionals": {}, "persons": [7], "measures": [], "appointments": [],
               "reports": [{"id": 1}]}
    with pytest.raises(ImportRejected) as caught:
        export_json.import_all(payload)
    problems = caught.value.problems
    assert "$.professionals : une liste est attendue." in problems
    assert "$.persons[0] : un objet JSON est attendu." in problems
    assert "$.audit_events : champ obligatoire absent." in problems
    assert "$.reports[0].measure_id (id 1) : champ obligatoire absent." in problems


def test_dangling_reference_and_bad_enum_refused(fresh_database: Callable[[], object]) -> None:
    populate()
    payload = export_json.export_all()
    payload["appointments"][0]["measure_id"] = 99
    payload["measures"][0]["authority"] = "shérif"
    fresh_database()
    with pytest.raises(ImportRejected) as caught:
        export_json.import_all(payload)
    assert any(p.startswith("$.measures[0].authority (id 1) : valeur « shérif » inconnue (valeurs possibles :")
               for p in caught.value.problems)
    # References are checked once every value is valid.
    payload["measures"][0]["authority"] = "procureur"
    with pytest.raises(ImportRejected) as caught:
        export_json.import_all(payload)
    assert caught.value.problems == [
        "$.appointments[0] (id 1) : measure_id = 99 ne correspond à aucun "
        "enregistrement de « measures »."]
    assert Measure.select().count() == 0


def test_old_export_without_search_name_is_completed(db: object) -> None:
    payload = {"format": "injonctions-export", "schema_version": 1, "settings": [],
               "professionals": [], "measures": [], "appointments": [], "reports": [],
               "audit_events": [],
               "persons": [{"id": 4, "last_name": "Cœur", "first_name": "Ève",
                            "is_protected_adult": False, "created_at": "2025-01-01T08:00:00",
                            "legal_representatives": []}]}
    assert export_json.import_all(payload)["persons"] == 1
    person = Person.get_by_id(4)
    assert person.search_name == "coeur eve" and person.birth_date is None


def test_corrupt_json_file_message(tmp_path: Path) -> None:
    target = tmp_path / "abime.json"
    target.write_text('{\n  "format": "injonctions-export",\n    oups\n}', encoding="utf-8")
    with pytest.raises(InjonctionsError) as caught:
        export_json.read_export_file(target)
    assert caught.value.message == (f"Le fichier {target} n'est pas un export JSON valide "
                                    "(ligne 3, colonne 5).")


@pytest.mark.parametrize(("content", "expected"), [
    (b"[1, 2]", "objet JSON attendu"),
    (b"\xff\xfe{}", "encodé en UTF-8"),
])
def test_unexpected_file_content(tmp_path: Path, content: bytes, expected: str) -> None:
    target = tmp_path / "x.json"
    target.write_bytes(content)
    with pytest.raises(InjonctionsError, match=expected):
        export_json.read_export_file(target)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InjonctionsError, match="est introuvable"):
        export_json.read_export_file(tmp_path / "absent.json")
    with pytest.raises(InjonctionsError, match="est un dossier"):
        export_json.read_export_file(tmp_path)


def test_file_over_500_mb_refused(tmp_path: Path) -> None:
    target = tmp_path / "enorme.json"
    with open(target, "wb") as handle:  # sparse: costs no disk space
        handle.truncate(export_json.MAX_FILE_BYTES + 1)
    with pytest.raises(InjonctionsError, match="dépasse 500 Mo"):
        export_json.read_export_file(target)


def test_write_export_without_path_only_returns_text(db: object, tmp_path: Path) -> None:
    populate()
    text = export_json.write_export(None)
    assert json.loads(text)["persons"][0]["first_name"] == "Zoé"
    assert list(tmp_path.glob("*.json")) == []


def test_an_export_of_the_previous_version_still_imports(db: object) -> None:
    """tests/fixtures/export-v6.json, written by the version before one timeline per measure:
    imported whole, then its measures' starts read as that version's base is migrated."""
    import json
    from pathlib import Path

    from injonctions_tui.domain.core.models import AuditEvent, Measure
    from injonctions_tui.domain.deadlines.engine import measure_timeline
    from injonctions_tui.domain.portability.json_export import import_all

    payload = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "export-v6.json").read_text("utf-8"))
    assert payload["schema_version"] == 6
    auto = {m["id"] for m in payload["measures"] if m["start_on"] and m["start_on"] in
            {o["agreement_on"] for o in m["orientations"] if o["agreement_on"] and not o["refused_on"]}}
    counts = import_all(payload)
    assert counts["measures"] == len(payload["measures"]) and auto
    for measure in Measure.select().where(Measure.id.in_(list(auto))):
        assert measure.start_on is None and measure_timeline(measure).start == measure.decision_on
    assert AuditEvent.select().where(AuditEvent.action == "mesure_dates_recalculees").count() >= len(auto)


def test_limits_of_the_forms_are_enforced_with_json_paths(fresh_database: Callable[[], object]) -> None:
    """A far-future appointment, a 100 000-character surname: refused before anything is written."""
    populate()
    payload = export_json.export_all()
    payload["appointments"][0]["starts_at"] = "9999-12-31T23:59:59"
    payload["persons"][0]["last_name"] = "X" * 100_000
    payload["appointments"][1]["duration_minutes"] = -5
    fresh_database()
    with pytest.raises(ImportRejected) as caught:
        export_json.import_all(payload)
    assert caught.value.problems == [
        "$.persons[0].last_name (id 1) : texte trop long (100000 caractères, au plus 120).",
        "$.appointments[0].starts_at (id 1) : la date 31/12/9999 n'est pas vraisemblable (entre 1900 et 2100).",
        "$.appointments[1].duration_minutes (id 2) : valeur -5 hors limites (au moins 1)."]
    assert Person.select().count() == 0


def test_a_proven_import_keeps_the_reports_own_and_a_falsified_one_is_refused(
        fresh_database: Callable[[], object]) -> None:
    populate()
    payload = export_json.export_all()
    fresh_database()
    export_json.import_all(copy.deepcopy(payload), source_passphrase=PASSPHRASE)
    final = Report.get(Report.status == "final")
    assert final.provenance is None and integrity.verify_base().intact
    assert without_date(export_json.export_all()) == without_date(payload)


def test_a_falsified_export_is_refused_with_the_key_and_unproven_without(
        fresh_database: Callable[[], object]) -> None:
    populate()
    payload = export_json.export_all()
    payload["reports"][0]["observations"] = "Texte réécrit après coup."
    payload["audit_events"][0]["action"] = "autre"
    fresh_database()
    with pytest.raises(ImportRejected) as caught:
        export_json.import_all(copy.deepcopy(payload), source_passphrase=PASSPHRASE)
    assert caught.value.problems[:2] == [
        "$.reports[0] (id 1) : ce rapport définitif ne correspond pas à sa preuve d'intégrité (modifié après "
        "l'export, ou autre phrase secrète).",
        "$.audit_events[0] (id 1) : la chaîne du journal est rompue ici (événement modifié, ajouté ou supprimé "
        "après l'export)."]
    assert Person.select().count() == 0
    export_json.import_all(copy.deepcopy(payload))  # without the key: imported, marked
    final = Report.get(Report.status == "final")
    assert final.provenance == integrity.UNPROVEN and integrity.verify_base().intact
    from injonctions_tui.domain.documents.produce import produce_document

    with pytest.raises(InjonctionsError, match="importé sans preuve d'intégrité"):
        produce_document("avis-motive", final.id, folder=Path("/tmp"), sign=True)


def test_hostile_kdf_parameters_in_an_export_are_refused_at_once(fresh_database: Callable[[], object]) -> None:
    populate()
    payload = export_json.export_all()
    fresh_database()
    for name, value in (("time_cost", 10 ** 9), ("memory_cost_kib", 2 ** 40), ("parallelism", 2 ** 30)):
        hostile = copy.deepcopy(payload)
        hostile["integrity"]["kdf"][name] = value
        with pytest.raises(InjonctionsError, match="hors limites"):  # refused before deriving (it would hang)
            export_json.import_all(hostile, source_passphrase=PASSPHRASE)


def test_the_published_schema_is_current() -> None:
    published = Path(__file__).resolve().parents[3] / "docs" / "export-schema.json"
    assert json.loads(published.read_text(encoding="utf-8")) == export_json.json_schema(), \
        "docs/export-schema.json : régénérez-le (python -m injonctions_tui.domain.portability.json_export)"


def test_two_dossiers_with_one_parquet_number_are_refused(fresh_database: Callable[[], object]) -> None:
    """One dossier per parquet number, here as in the form: the same number written another
    way (« 26/001.A » and « 26 001 A ») is the same number; both dossiers are named."""
    populate()
    payload = export_json.export_all()
    payload["measures"][1]["parquet_number"] = "26 001 A"
    fresh_database()
    with pytest.raises(ImportRejected) as refused:
        export_json.import_all(payload)
    assert any("n° de parquet 26 001 A déjà donné à $.measures[0]" in problem
               for problem in refused.value.problems), refused.value.problems
    assert Measure.select().count() == 0
