"""The first start (wizard) and every later start (unlock), driven by Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select

from injonctions_tui.app import InjonctionsApp, StartupPlan
from injonctions_tui.domain.core import models
from injonctions_tui.domain.store import audit, settings, storage
from injonctions_tui.domain.store.professionals import current_user
from injonctions_tui.screens.agenda import AgendaScreen
from injonctions_tui.screens.unlock import UnlockScreen
from injonctions_tui.screens.wizard import WizardScreen
from injonctions_tui.widgets.field import Field
from tests.conftest import PASSPHRASE, wait_until


def _app(db_path: Path, database=None) -> InjonctionsApp:
    return InjonctionsApp(StartupPlan(db_path=db_path, database=database))


def _fill(app: InjonctionsApp, **values: str) -> None:
    for key, value in values.items():
        app.screen.query_one(f"#{key}", Input).value = value


async def _fill_identity(app: InjonctionsApp, pilot) -> None:
    _fill(app, last_name="Prunelle", first_name="Léon", rpps_adeli="10000000001",
          csapa_name="CSAPA Les Tilleuls (test)", csapa_address="1 rue de l'Exemple, 92000 Nanterre",
          csapa_phone="0102030405")
    app.screen.query_one("#profession", Select).value = "psychologue"
    app.screen.query_one("#civility", Select).value = "madame"
    await pilot.press("ctrl+n")
    await pilot.pause()


async def _fill_habilitation(app: InjonctionsApp, pilot) -> None:
    _fill(app, hab_reference="ARS-TEST-2026-007", hab_decision_on="15/01/2026")
    await pilot.press("ctrl+n")
    await pilot.pause()


async def test_first_run_wizard_creates_everything_then_opens_the_agenda(db_path: Path) -> None:
    app = InjonctionsApp(StartupPlan(db_path=db_path, kdf=storage.FAST_KDF))
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, WizardScreen)
        await pilot.press(*"court")
        await pilot.press("ctrl+n")
        await pilot.pause()
        error = app.screen.query_one("#f-passphrase", Field)
        assert error.has_class("-invalid")  # too short: error beside the field
        assert not db_path.exists()
        _fill(app, passphrase=PASSPHRASE, passphrase2=PASSPHRASE)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+n")  # identity empty: refused
        await pilot.pause()
        assert app.screen.query_one("#f-last_name", Field).has_class("-invalid")
        await _fill_identity(app, pilot)
        await _fill_habilitation(app, pilot)
        _fill(app, minors_hours="9h-8h")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.query_one("#f-minors_hours", Field).has_class("-invalid")
        assert not db_path.exists()  # nothing written before the last step is valid
        _fill(app, minors_hours="09:00-12:30")
        await pilot.press("ctrl+n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        assert app.current_mode == "agenda"
    assert storage.is_encrypted_file(db_path)
    database = storage.open_database(db_path, PASSPHRASE)
    try:
        user = current_user()
        assert (user.last_name, user.first_name, user.profession) == ("Prunelle", "Léon", "psychologue")
        assert user.civility == "madame"  # asked by the wizard: « Je soussignée … habilitée »
        court = settings.load_court()
        assert court.tribunal == "Tribunal judiciaire de Nanterre"
        assert [(p.weekday, p.start, p.end, p.public) for p in court.permanences] == [
            (0, "09:00", "12:30", "mineurs"), (3, "09:00", "13:00", "majeurs")]
    finally:
        database.close()


async def test_database_created_by_init_starts_at_identity(db, db_path: Path) -> None:
    app = _app(db_path, database=db)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, WizardScreen)
        assert "étape 1 sur 3" in str(app.screen.query_one("#wizard-step").render())
        await _fill_identity(app, pilot)
        await _fill_habilitation(app, pilot)
        await pilot.press("ctrl+n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.current_mode == "agenda"
    assert current_user().csapa_name == "CSAPA Les Tilleuls (test)"


async def test_unlock_refuses_a_wrong_passphrase_then_opens(configured_db_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("injonctions_tui.screens.unlock.FAILURE_DELAYS", (0, 0))
    app = _app(configured_db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press("f3")  # modes are out of reach while locked
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press(*"mauvaise-phrase", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Phrase secrète incorrecte" in str(app.screen.query_one("#unlock-message").render())
        assert app.screen.query_one("#passphrase", Input).value == ""
        await pilot.press("enter")  # empty: refused without trying
        assert "vide" in str(app.screen.query_one("#unlock-message").render())
        app.screen.query_one("#passphrase", Input).value = PASSPHRASE
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        assert models.AuditEvent.select().where(models.AuditEvent.action == "ouverture").count() == 1


async def test_a_crash_shows_a_french_message_and_no_local_variables(configured_db_path: Path, capfd) -> None:
    """Textual's default crash report prints locals (which may hold personal data)."""
    database = storage.open_database(configured_db_path, PASSPHRASE)
    app = _app(configured_db_path, database=database)
    secret_name = "TOURNESOL Tryphon"  # a local that must not be printed

    def explode() -> None:
        person = secret_name  # noqa: F841
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):  # run_test re-raises for the test's sake
        async with app.run_test(size=(80, 24)) as pilot:
            app.call_later(explode)
            await pilot.pause()
    assert app.return_code == 1
    printed = " ".join(capfd.readouterr())
    assert "Erreur inattendue (RuntimeError)" in printed
    assert "TOURNESOL" not in printed and "Traceback" not in printed
    database.close()


async def test_a_damage_found_after_the_agenda_is_shown_closes_the_app(configured_db_path: Path) -> None:
    """The unlock defers `quick_check` to a worker (cold start); what it finds is said in
    a modal, then the app closes: a damaged base is not worked on."""
    from injonctions_tui.screens.error import ErrorScreen

    database = storage.open_database(configured_db_path, PASSPHRASE)
    with database.atomic():
        for i in range(300):
            models.Person.create(last_name=f"CASTAFIORE{i}" * 10, first_name="Bianca" * 10)
    database.close()
    raw = bytearray(configured_db_path.read_bytes())
    raw[len(raw) - storage.PAGE_SIZE * 3 + 100] ^= 0x01  # a page of persons, not read at start
    configured_db_path.write_bytes(bytes(raw))
    database = storage.open_database(configured_db_path, PASSPHRASE, defer_integrity_check=True)
    app = _app(configured_db_path, database=database)
    async with app.run_test(size=(80, 24)) as pilot:
        # The check starts once the agenda is painted, in a worker; its finding comes as a modal.
        # Pushed, then composed: wait for its text, not only for the screen.
        await wait_until(pilot, lambda: isinstance(app.screen, ErrorScreen) and app.screen.query("#error-message"),
                         "la fenêtre « Base endommagée »")
        message = str(app.screen.query_one("#error-message").render())
        assert "endommagée" in message and "va se fermer" in message
        await pilot.press("f3")  # nothing else is reachable
        assert isinstance(app.screen, ErrorScreen)
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 2
    database.close()


async def test_tampering_found_after_the_agenda_is_shown_is_said_and_journaled(configured_db_path: Path) -> None:
    """The same worker checks the seals (issue 15): what was altered is said in a modal, in
    French, the base stays usable, and the finding goes into the chain."""
    from injonctions_tui.screens.error import ErrorScreen

    database = storage.open_database(configured_db_path, PASSPHRASE)
    database.execute_sql('DROP TRIGGER "audit_event_no_update"')
    models.AuditEvent.select().count() or audit.record("creation_base")
    first = models.AuditEvent.select().order_by(models.AuditEvent.id).first().id
    database.execute_sql("UPDATE audit_event SET details = 'réécrit' WHERE id = ?", (first,))
    database.close()
    database = storage.open_database(configured_db_path, PASSPHRASE, defer_integrity_check=True)
    app = _app(configured_db_path, database=database)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ErrorScreen) and app.screen.query("#error-message"),
                         "la fenêtre « Base modifiée », affichée")
        message = str(app.screen.query_one("#error-message").render())
        assert "modifiée en dehors de l'application" in message and f"l'événement n° {first} du" in message
        assert "les protections de la base ont été retirées" in message
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)  # still usable: nothing in it is unreadable
    assert models.AuditEvent.select().where(models.AuditEvent.action == "controle_integrite").count() == 1
    database.close()


async def test_a_healthy_base_is_checked_after_the_agenda_quietly(configured_db_path: Path) -> None:
    database = storage.open_database(configured_db_path, PASSPHRASE, defer_integrity_check=True)
    assert database.integrity_checked is False
    app = _app(configured_db_path, database=database)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        assert [w.name for w in app.workers] == []  # the check ran and ended
    database.close()


async def test_a_damaged_page_met_before_the_check_is_explained_in_french(configured_db_path: Path, capfd) -> None:
    """If a screen reads a damaged page before the deferred check reports, the last-resort
    handler says what it is (as the CLI does), not « erreur inattendue »."""
    from peewee import DatabaseError

    database = storage.open_database(configured_db_path, PASSPHRASE)
    app = _app(configured_db_path, database=database)

    def read_damaged_page() -> None:
        raise DatabaseError("database disk image is malformed")

    with pytest.raises(DatabaseError):
        async with app.run_test(size=(80, 24)) as pilot:
            app.call_later(read_damaged_page)
            await pilot.pause()
    printed = " ".join(capfd.readouterr())
    assert "La base est endommagée" in printed and "Restaurez la dernière sauvegarde" in printed
    assert "Erreur inattendue" not in printed and "Traceback" not in printed
    database.close()


async def test_after_the_wizard_the_first_documents_carry_the_habilitation_and_the_phone(
        db_path: Path, tmp_path: Path) -> None:
    """Attestation, convocation and fiche navette printed right after the first start name the
    ARS decision typed in the wizard and the CSAPA's phone (read back from the PDFs)."""
    import datetime as dt

    from injonctions_tui.domain.documents.produce import produce_document
    from injonctions_tui.domain.reports.drafts import start_draft
    from tests.conftest import TODAY
    from tests.factories.reports import appointment, at
    from tests.pdf_checks import text_of

    app = InjonctionsApp(StartupPlan(db_path=db_path, kdf=storage.FAST_KDF))
    async with app.run_test(size=(80, 24)) as pilot:
        _fill(app, passphrase=PASSPHRASE, passphrase2=PASSPHRASE)
        await pilot.press("ctrl+n")
        await pilot.pause()
        _fill(app, last_name="Prunelle", first_name="Léon", csapa_name="CSAPA Les Tilleuls (test)",
              csapa_address="1 rue de l'Exemple, 92000 Nanterre", csapa_phone="")
        app.screen.query_one("#profession", Select).value = "psychologue"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "obligatoire" in str(app.screen.query_one("#f-csapa_phone", Field).query(".field-error").first().render())
        _fill(app, csapa_phone="+33 1 02 03 04 05")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "étape 3 sur 4" in str(app.screen.query_one("#wizard-step").render())
        _fill(app, hab_reference="ARS-IDF-2026-042", hab_decision_on="31/02/2026")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.query_one("#f-hab_decision_on", Field).has_class("-invalid")
        _fill(app, hab_decision_on="15/01/2026", hab_valid_until="01/01/2026")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.query_one("#f-hab_valid_until", Field).has_class("-invalid")  # before the decision
        _fill(app, hab_valid_until="")  # 31/12 of the list's year
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "étape 4 sur 4" in str(app.screen.query_one("#wizard-step").render())
        await pilot.press("ctrl+n")
        await app.workers.wait_for_complete()
        await wait_until(pilot, lambda: isinstance(app.screen, AgendaScreen), "l'agenda")
    database = storage.open_database(db_path, PASSPHRASE)
    try:
        user = current_user()
        assert user.phone == "01 02 03 04 05"
        person = models.Person.create(last_name="Tournesol", first_name="Tryphon", birth_date=dt.date(1980, 5, 12))
        measure = models.Measure.create(person=person, professional=user, parquet_number="26/111/00001",
                                        authority="procureur", stage="alternative_poursuites",
                                        magistrat_referent="Mme Bianca CASTAFIORE", decision_on=dt.date(2026, 5, 4),
                                        saisine_received_on=dt.date(2026, 5, 11), status="suivi")
        held = appointment(measure, at(TODAY - dt.timedelta(days=4)), "suivi_m6", "present")
        coming = appointment(measure, at(TODAY + dt.timedelta(days=3)), "supplementaire", "attendu")
        report = start_draft(measure.id, "fiche_navette", TODAY, held.id)
        for key, target in (("attestation", held.id), ("convocation", coming.id), ("fiche-navette", report.id)):
            produced = produce_document(key, target, folder=tmp_path)
            text = text_of(produced.path.read_bytes())
            assert "Habilitation ARS n° ARS-IDF-2026-042 du 15/01/2026 (liste 2026)" in text, key
            assert "01 02 03 04 05" in text, key
        assert [e.details for e in models.RegisterEvent.select()] == [
            "Habilitation (décision ARS-IDF-2026-042 du 15/01/2026, liste 2026, valable jusqu'au 31/12/2026) "
            "enregistrée à la première mise en route"]
    finally:
        database.close()


async def test_the_wizard_can_leave_the_habilitation_for_later(db, db_path: Path) -> None:
    """No ARS decision yet: the step is left empty, nothing is invented, the start says so."""
    app = _app(db_path, database=db)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _fill_identity(app, pilot)
        await pilot.press("ctrl+n")  # the habilitation left empty
        await pilot.pause()
        assert "étape 3 sur 3" in str(app.screen.query_one("#wizard-step").render())
        await pilot.press("ctrl+n")
        await app.workers.wait_for_complete()
        await wait_until(pilot, lambda: any(n.title == "Habilitation" for n in app._notifications),
                         "le rappel : aucune habilitation")
        assert any("Aucune habilitation en cours" in n.message for n in app._notifications)
    assert models.Habilitation.select().count() == 0
