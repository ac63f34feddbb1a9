"""Dossiers by Pilot: create, see errors, edit, search, open."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from injonctions_tui.app import InjonctionsApp, StartupPlan
from injonctions_tui.domain.core import models
from injonctions_tui.domain.store import storage
from injonctions_tui.screens.dossier_detail import DossierDetailScreen
from injonctions_tui.screens.dossier_edit import DossierEditScreen
from injonctions_tui.screens.dossiers import DossiersScreen
from injonctions_tui.widgets.field import Field
from injonctions_tui.widgets.record_table import RecordTable
from tests.conftest import PASSPHRASE, TODAY


def _open_app(configured_db_path: Path) -> InjonctionsApp:
    database = storage.open_database(configured_db_path, PASSPHRASE)
    return InjonctionsApp(StartupPlan(db_path=configured_db_path, database=database))


def _type(app: InjonctionsApp, **values: str) -> None:
    for key, value in values.items():
        app.screen.query_one(f"#{key}", Input).value = value


async def test_create_a_dossier_then_edit_it(configured_db_path: Path) -> None:
    app = _open_app(configured_db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f3", "ctrl+n")
        assert isinstance(app.screen, DossierEditScreen)
        await pilot.press(*"Castafiore")
        _type(app, first_name="Bianca", birth_date="31/02/1990", parquet_number="26 100 000777",
              saisine_received_on="20/11/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DossierEditScreen)  # refused: the date does not exist
        assert app.screen.query_one("#f-birth_date", Field).has_class("-invalid")
        assert models.Measure.select().count() == 0
        _type(app, birth_date="28/02/1990")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DossierDetailScreen)
        measure = models.Measure.get()
        assert (measure.person.last_name, measure.parquet_number) == ("Castafiore", "26100000777")
        await pilot.press("m")
        assert isinstance(app.screen, DossierEditScreen)
        _type(app, magistrat_referent="M. le substitut Hercule DÉMO")
        await pilot.press("escape")  # changes typed: the first Escape only warns
        assert isinstance(app.screen, DossierEditScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DossierDetailScreen)
        assert models.Measure.get().magistrat_referent == "M. le substitut Hercule DÉMO"
        await pilot.press("escape")
        assert isinstance(app.screen, DossiersScreen)
        table = app.screen.query_one("#dossiers-table", RecordTable)
        assert table.row_count == 1
        await pilot.press("ctrl+f", *"castafi")
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("enter")  # one Entrée opens the dossier found
        await pilot.pause()
        assert isinstance(app.screen, DossierDetailScreen)
    app.database.close()


async def test_orientation_agreement_renew_close_reopen(configured_db_path: Path) -> None:
    from textual.widgets import Select

    from injonctions_tui.domain.dossiers.form import save, values_from
    from injonctions_tui.domain.orientation.directory import search_directory
    from injonctions_tui.domain.store.professionals import current_user
    from injonctions_tui.screens.form_modal import FormModal
    from injonctions_tui.screens.orientation import OrientationModal, PapersModal

    app = _open_app(configured_db_path)
    measure = save(values_from(None) | {"last_name": "Haddock", "first_name": "Archibald",
                                        "birth_date": "01/01/1980", "parquet_number": "26100000888",
                                        "saisine_received_on": "02/06/2026", "facts_on": "01/05/2026",
                                        "decision_on": "01/06/2026", "magistrat_referent": "M. Tapioca (test)"},
                   TODAY.replace(month=6, day=2), professional=current_user())
    models.Appointment.create(measure=measure, kind="evaluation_initiale", starts_at="2026-06-04 09:30:00",
                              place="Tribunal judiciaire de Nanterre", status="present")
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(DossierDetailScreen(measure.id))
        await pilot.pause()
        await pilot.press("s")
        assert isinstance(app.screen, OrientationModal)  # an empty directory: a new structure, typed
        await pilot.press("ctrl+n")
        await pilot.press(*"CSAPA Le Phare (test)")
        _type(app, doctor="Dr Léon PRUNELLE", chosen_on="10/06/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "ne soigne jamais" in str(app.screen.query_one("#modal-error").render())  # not the user
        assert models.TreatingStructure.select().count() == 0  # refused: nothing joined the directory
        _type(app, doctor="Dr Tryphon TOURNESOL")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PapersModal)  # its papers are offered at once
        await pilot.press("escape")
        assert isinstance(app.screen, DossierDetailScreen)
        assert [e.name for e in search_directory()[0]] == ["CSAPA Le Phare (test)"]
        await pilot.press("g")
        _type(app, on="20/06/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        measure = models.Measure.get_by_id(measure.id)
        assert measure.status == "suivi" and measure.start_on is None  # the start is the decision's
        assert ("mesure prononcée le 01/06/2026, fin prévue le 01/12/2026, durée maximale le 01/06/2028"
                == dict(app.screen.detail.measure)["Durée"])
        await pilot.press("r")
        await pilot.press("ctrl+s")  # decided today
        await pilot.pause()
        assert models.Measure.get_by_id(measure.id).planned_end_on.isoformat() == "2027-06-01"
        await pilot.press("c")
        assert isinstance(app.screen, FormModal)
        app.screen.query_one("#outcome", Select).value = "classement_sans_suite"
        await pilot.press("ctrl+s")
        await pilot.pause()
        closed = models.Measure.get_by_id(measure.id)
        assert (closed.status, closed.outcome, closed.outcome_on) == ("cloture", "classement_sans_suite", TODAY)
        await pilot.press("m")  # read-only now: the key is not even offered
        assert isinstance(app.screen, DossierDetailScreen)
        await pilot.press("o")
        _type(app, reason="Décision du parquet rapportée")
        await pilot.press("ctrl+s")
        await pilot.pause()
        reopened = models.Measure.get_by_id(measure.id)
        assert reopened.status != "cloture" and reopened.outcome is None
    actions = [e.action for e in models.AuditEvent.select().order_by(models.AuditEvent.id)]
    for action in ("choix_orientation", "accord_orientation", "renouvellement", "cloture", "reouverture"):
        assert action in actions
    app.database.close()


async def test_a_namesake_is_asked_about_then_attached_to_the_same_person(configured_db_path: Path) -> None:
    """The form asks before creating a second person with the same name and birth date;
    « Même personne » attaches the new measure to the person already known."""
    from textual.widgets import Button

    from injonctions_tui.screens.form_modal import ConfirmDialog

    app = _open_app(configured_db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        for parquet in ("26 100 000781", "26 100 000782"):
            await pilot.press("f3", "ctrl+n")
            _type(app, last_name="Tournesol", first_name="Tryphon", birth_date="01/04/1980",
                  parquet_number=parquet, saisine_received_on="20/11/2026")
            await pilot.press("ctrl+s")
            await pilot.pause()
            if parquet.endswith("782"):
                assert isinstance(app.screen, ConfirmDialog)
                assert models.Measure.select().count() == 1  # nothing written before the answer
                assert app.focused is not None and app.focused.id == "cancel"
                app.screen.query_one("#confirm", Button).press()
                await pilot.pause()
            assert isinstance(app.screen, DossierDetailScreen)
            await pilot.press("escape", "escape")
        assert models.Measure.select().count() == 2
        assert models.Person.select().count() == 1
    app.database.close()


async def test_errors_focus_the_first_field_in_form_order_and_go_when_corrected(configured_db_path: Path) -> None:
    app = _open_app(configured_db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f3", "ctrl+n")
        _type(app, last_name="", first_name="Séraphin", birth_date="31/02/1990", parquet_number="x",
              saisine_received_on="20/11/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DossierEditScreen)
        assert app.focused is not None and app.focused.id == "last_name"  # the first field of the form
        assert screen.query_one("#f-birth_date", Field).has_class("-invalid")
        _type(app, birth_date="28/02/1990")
        await pilot.pause()
        assert not screen.query_one("#f-birth_date", Field).has_class("-invalid")
        assert screen.query_one("#f-last_name", Field).has_class("-invalid")
    app.database.close()
