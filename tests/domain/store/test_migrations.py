"""Schema versions: a database from the first release upgrades without losing data."""

from __future__ import annotations

from pathlib import Path

import pytest

from injonctions_tui.domain.core import models
from injonctions_tui.domain.core.errors import InjonctionsError
from injonctions_tui.domain.store import migrations, storage
from tests.conftest import PASSPHRASE


def test_new_database_is_at_latest_version(db) -> None:
    assert migrations.current_version(db) == migrations.LATEST_VERSION
    versions = [row[0] for row in db.execute_sql('SELECT "version" FROM "schema_version" ORDER BY 1')]
    assert versions == list(range(1, migrations.LATEST_VERSION + 1))


def test_models_match_the_migrated_schema(db) -> None:
    """The model classes describe exactly the tables the migrations built."""
    for model in models.ALL_MODELS + models.CREDENTIAL_MODELS + models.CACHE_MODELS + models.INTEGRITY_MODELS:
        table = model._meta.table_name
        columns = {row[1] for row in db.execute_sql(f'PRAGMA table_info("{table}")')}
        expected = {field.column_name for field in model._meta.sorted_fields}
        assert columns == expected, table


def test_upgrade_from_version_1_keeps_everything(db_path: Path) -> None:
    old = storage.create_database(db_path, PASSPHRASE, kdf=storage.FAST_KDF, upgrade_to=1)
    assert migrations.current_version(old) == 1
    old.execute_sql(
        'INSERT INTO person (id, last_name, first_name, birth_date, is_protected_adult, created_at) '
        "VALUES (7, 'Lefèvre', 'Œil', '2008-02-29', 0, '2026-01-05 10:00:00')")
    old.execute_sql(
        "INSERT INTO measure (id, person_id, kind, parquet_number, authority, stage, saisine_received_on, "
        "status, created_at) VALUES (3, 7, 'injonction_therapeutique', '26005000123', 'procureur', "
        "'alternative_poursuites', '2026-01-05', 'suivi', '2026-01-05 10:00:00')")
    old.execute_sql(
        "INSERT INTO appointment (measure_id, kind, starts_at, duration_minutes, place, status, walk_in, "
        "created_at) VALUES (3, 'suivi_m3', '2026-04-06 09:30:00', 30, 'Tribunal', 'present', 0, "
        "'2026-01-05 10:00:00')")
    old.close()

    upgraded = storage.open_database(db_path, PASSPHRASE)
    try:
        assert migrations.current_version(upgraded) == migrations.LATEST_VERSION
        person = models.Person.get_by_id(7)
        assert (person.last_name, person.first_name, str(person.birth_date)) == ("Lefèvre", "Œil", "2008-02-29")
        assert person.search_name == "lefevre oeil"
        measure = models.Measure.get_by_id(3)  # survived the person table being altered
        assert measure.person_id == 7 and measure.parquet_number == "26005000123"
        assert models.Appointment.select().where(models.Appointment.measure == 3).count() == 1
        assert upgraded.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert upgraded.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        upgraded.close()


def test_database_from_a_newer_release_is_refused_untouched(db, db_path: Path) -> None:
    db.execute_sql('INSERT INTO "schema_version" VALUES (?, ?)', (migrations.LATEST_VERSION + 5, "2030-01-01"))
    db.close()
    with pytest.raises(InjonctionsError, match="plus récente"):
        storage.open_database(db_path, PASSPHRASE)


def test_the_directory_migration_keeps_orientations_and_their_triggers(db_path: Path) -> None:
    """The version adding the directory only adds: orientations keep their rows (linked to no
    entry), the deadline-cache triggers on them still fire, the audit trail gets its index."""
    before = migrations.DIRECTORY_VERSION - 1
    old = storage.create_database(db_path, PASSPHRASE, kdf=storage.FAST_KDF, upgrade_to=before)
    old.execute_sql("INSERT INTO person (id, last_name, first_name, is_protected_adult, search_name, created_at) "
                    "VALUES (1, 'Fictif', 'Léa', 0, 'fictif lea', '2026-01-05 10:00:00')")
    old.execute_sql("INSERT INTO measure (id, person_id, kind, parquet_number, authority, stage, saisine_received_on, "
                    "status, created_at) VALUES (1, 1, 'injonction_therapeutique', '26005000999', 'procureur', "
                    "'alternative_poursuites', '2026-01-05', 'orientation', '2026-01-05 10:00:00')")
    old.execute_sql("INSERT INTO orientation (measure_id, structure, chosen_on, chosen_by) "
                    "VALUES (1, 'CSAPA (fictif)', '2026-01-20', 'personne')")
    old.close()
    upgraded = storage.open_database(db_path, PASSPHRASE)
    try:
        assert migrations.current_version(upgraded) == migrations.LATEST_VERSION >= migrations.DIRECTORY_VERSION
        (orientation,) = models.Orientation.select()
        assert orientation.structure == "CSAPA (fictif)" and orientation.treating_structure is None
        indexes = {row[1] for row in upgraded.execute_sql('PRAGMA index_list("audit_event")')}
        assert "audit_event_entity_entity_id" in indexes
        upgraded.execute_sql("DELETE FROM deadline_stale")
        entry = models.TreatingStructure.create(name="CSAPA (fictif)", kind="csapa")
        models.Orientation.update(treating_structure=entry).execute()
        assert [row[0] for row in upgraded.execute_sql("SELECT measure_id FROM deadline_stale")] == [1]
        entry.delete_instance()  # ON DELETE SET NULL: the orientation keeps its names
        assert models.Orientation.get().treating_structure is None
        assert upgraded.execute_sql("PRAGMA foreign_key_check").fetchall() == []
    finally:
        upgraded.close()
