"""Tamper-evidence (issue 15, point 2): what someone holding the passphrase does with SQL is
refused by triggers, or, once the triggers are dropped, noticed and said in French."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from peewee import IntegrityError

from injonctions_tui import cli
from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import AuditEvent, Measure, Report, database
from injonctions_tui.domain.documents.produce import produce_document
from injonctions_tui.domain.dossiers import retention
from injonctions_tui.domain.reports import drafts as rd
from injonctions_tui.domain.store import audit, integrity, migrations, storage
from tests.conftest import PASSPHRASE, TODAY
from tests.factories.reports import make_dossier


def _final(dossier) -> Report:
    report = rd.start_draft(dossier.measure.id, "fiche_navette", TODAY)
    rd.save_draft(report.id, adherence="effective", proposal="poursuite", observations="Suivi régulier.")
    return rd.finalise(report.id, today=TODAY, confirm_flagged=False)


@pytest.fixture
def sealed(db):
    dossier = make_dossier()
    return dossier, _final(dossier)


def _problems() -> list[str]:
    return integrity.verify_base().problems


def test_an_untouched_base_verifies(sealed) -> None:
    verdict = integrity.verify_base()
    assert verdict.intact and verdict.reports == 1 and verdict.events >= 2
    assert "Intégrité vérifiée" in verdict.message()


def test_triggers_refuse_changing_or_deleting_a_final_report_and_the_journal(sealed) -> None:
    _, report = sealed
    for statement in (f'DELETE FROM "report" WHERE "id" = {report.id}',
                      f'UPDATE "report" SET "observations" = \'autre\' WHERE "id" = {report.id}',
                      f'UPDATE "report" SET "integrity_mac" = NULL WHERE "id" = {report.id}',
                      'UPDATE "audit_event" SET "details" = \'x\'', 'DELETE FROM "audit_event"'):
        with pytest.raises(IntegrityError):
            database.execute_sql(statement)
    assert _problems() == []


def test_a_final_report_edited_after_dropping_the_triggers_is_noticed_and_not_printed(sealed, tmp_path) -> None:
    _, report = sealed
    database.execute_sql('DROP TRIGGER "report_final_is_immutable"')
    database.execute_sql('UPDATE "report" SET "observations" = \'Texte falsifié.\' WHERE "id" = ?', (report.id,))
    problems = _problems()
    assert problems[0].startswith("les protections de la base ont été retirées")
    assert any(f"rapport définitif n° {report.id} (fiche navette, rédigé le 23/11/2026" in p
               and "a été modifié hors de l'application après sa finalisation (le 23/11/2026 à" in p
               for p in problems)
    out = tmp_path / "documents"
    out.mkdir()
    with pytest.raises(InvalidInput, match="modifié hors de l'application"):
        produce_document("fiche-navette", report.id, folder=out, sign=True)
    assert list(out.iterdir()) == []


def test_a_final_report_deleted_behind_the_app_is_noticed(sealed) -> None:
    _, report = sealed
    database.execute_sql('DROP TRIGGER "report_final_no_delete"')
    database.execute_sql('DELETE FROM "report" WHERE "id" = ?', (report.id,))
    assert any(f"Le rapport définitif n° {report.id} (finalisé le 23/11/2026 à" in p
               and "a disparu de la base sans effacement enregistré" in p for p in _problems())


def test_a_draft_promoted_by_sql_has_no_proof(sealed) -> None:
    dossier, _ = sealed
    draft = rd.start_draft(dossier.measure.id, "incident", TODAY)
    database.execute_sql('UPDATE "report" SET "status" = \'final\' WHERE "id" = ?', (draft.id,))
    assert any("n'a pas de preuve d'intégrité" in p for p in _problems())


def test_an_emptied_journal_is_noticed(sealed) -> None:
    database.execute_sql('DROP TRIGGER "audit_event_no_delete"')
    database.execute_sql('DELETE FROM "audit_event"')
    problems = _problems()
    assert any("les événements qui suivaient ont été supprimés" in p and "il n'en reste aucun" in p
               for p in problems)


def test_an_edited_or_inserted_event_breaks_the_chain_and_says_since_when(sealed) -> None:
    events = list(AuditEvent.select().order_by(AuditEvent.id))
    database.execute_sql('DROP TRIGGER "audit_event_no_update"')
    database.execute_sql('UPDATE "audit_event" SET "details" = \'effacé\' WHERE "id" = ?', (events[1].id,))
    (problem,) = [p for p in _problems() if p.startswith("Journal")]
    assert f"l'événement n° {events[1].id} du 23/11/2026 à" in problem
    assert f"le journal est intact jusqu'au 23/11/2026 à 10:00 (événement n° {events[0].id})" in problem


def test_an_event_written_without_the_app_is_noticed(sealed) -> None:
    AuditEvent.create(actor="inconnu", action="ajout")  # no MAC: not through audit.record
    assert any("a été modifié, ajouté" in p for p in _problems())


def test_retention_erasure_is_lawful_and_recorded(db) -> None:
    dossier = make_dossier()
    report = _final(dossier)
    Measure.update(status="cloture", outcome="classement_sans_suite", outcome_on=dt.date(2019, 1, 1)).where(
        Measure.id == dossier.measure.id).execute()
    retention.delete_dossiers([dossier.measure.id])
    assert not Report.select().where(Report.id == report.id).exists()
    assert AuditEvent.get(AuditEvent.action == "effacement_conservation").entity_id == dossier.measure.id
    assert _problems() == []
    assert database.execute_sql('SELECT count(*) FROM "integrity_permit"').fetchone()[0] == 0


def test_an_existing_base_is_sealed_by_the_migration_as_its_baseline(db_path: Path) -> None:
    old = storage.create_database(db_path, PASSPHRASE, kdf=storage.FAST_KDF, upgrade_to=6)
    old.execute_sql("INSERT INTO person (id, last_name, first_name, is_protected_adult, search_name, created_at) "
                    "VALUES (1, 'Fictif', 'Ange', 0, 'fictif ange', '2026-01-05 10:00:00')")
    old.execute_sql("INSERT INTO measure (id, person_id, kind, parquet_number, authority, stage, "
                    "saisine_received_on, status, created_at) VALUES (1, 1, 'injonction_therapeutique', '26/1', "
                    "'procureur', 'alternative_poursuites', '2026-01-05', 'suivi', '2026-01-05 10:00:00')")
    old.execute_sql("INSERT INTO report (id, measure_id, kind, status, version, observations, written_on, "
                    "finalised_at, created_at) VALUES (1, 1, 'fiche_navette', 'final', 1, 'Ancien', '2026-02-01', "
                    "'2026-02-01 12:00:00', '2026-02-01 11:00:00')")
    for action in ("creation_base", "rapport_finalise"):
        old.execute_sql("INSERT INTO audit_event (at, actor, action, details) VALUES ('2026-02-01 12:00:00', "
                        "'système', ?, '')", (action,))
    old.close()
    upgraded = storage.open_database(db_path, PASSPHRASE)
    try:
        assert migrations.current_version(upgraded) == migrations.LATEST_VERSION >= 8
        verdict = integrity.verify_base()
        assert verdict.intact and verdict.reports == 1 and verdict.events == 2
        assert Report.get_by_id(1).integrity_mac
    finally:
        upgraded.close()


def test_cli_audit_says_when_the_journal_was_altered(configured_db_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("INJONCTIONS_PASSPHRASE", PASSPHRASE)
    db = str(configured_db_path)
    assert cli.main(["audit", "--db", db]) == 0
    assert "Intégrité vérifiée" in capsys.readouterr().err
    with storage.open_database(configured_db_path, PASSPHRASE) as opened:
        opened.execute_sql('DROP TRIGGER "audit_event_no_delete"')
        opened.execute_sql('DELETE FROM "audit_event"')
    assert cli.main(["audit", "--db", db]) == 1
    captured = capsys.readouterr()
    assert "La base a été modifiée en dehors de l'application" in captured.err
    assert "les événements qui suivaient ont été supprimés" in captured.err


def test_events_recorded_in_a_batch_are_chained(db) -> None:
    audit.record_many("import_saisine", "measure", [1, 2, 3])
    assert [e.entity_id for e in AuditEvent.select().order_by(AuditEvent.id)] == [1, 2, 3]
    assert _problems() == []
