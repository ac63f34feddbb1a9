"""The injonction de soins in the screens (issue 21): the dossier form in the measure's own
words, the treating practitioner, the coordonnateur's list entry in the register, the état
per JAP from the bilan screen. Thin screens: the domain decides, the screens call it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Input, Select

from injonctions_tui.app import InjonctionsApp, StartupPlan
from injonctions_tui.domain.core import models
from injonctions_tui.domain.store import storage
from injonctions_tui.screens.bilan import BilanScreen
from injonctions_tui.screens.dossier_detail import DossierDetailScreen
from injonctions_tui.screens.dossier_edit import DossierEditScreen
from injonctions_tui.screens.form_modal import FormModal
from injonctions_tui.screens.professional import ProfessionalScreen
from injonctions_tui.widgets.field import Field
from tests.conftest import PASSPHRASE, run_palette_command, wait_until
from tests.factories.care_orders import list_coordinator
from tests.ui.conftest import demo_app


def _app(configured_db_path: Path, *, listed: bool = True) -> InjonctionsApp:
    database = storage.open_database(configured_db_path, PASSPHRASE)
    if listed:
        list_coordinator(models.Professional.get(models.Professional.is_user == True))  # noqa: E712
    return InjonctionsApp(StartupPlan(db_path=configured_db_path, database=database))


def _fill(app: InjonctionsApp, **values: str) -> None:
    for key, value in values.items():
        widget = app.screen.query_one(f"#{key}")
        widget.value = value  # type: ignore[attr-defined]


async def test_the_form_speaks_the_measures_words_and_saves_an_injonction_de_soins(configured_db_path: Path) -> None:
    app = _app(configured_db_path)
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.press("f3", "ctrl+n")
        assert isinstance(app.screen, DossierEditScreen)
        assert not app.screen.query_one("#f-ordonnance_on", Field).display
        app.screen.query_one("#kind", Select).value = "injonction_de_soins"
        await wait_until(pilot, lambda: app.screen.query_one("#f-ordonnance_on", Field).display, "les champs IS")
        assert not app.screen.query_one("#f-public_override", Field).display
        label = str(app.screen.query_one("#f-magistrat_referent .field-label").render())
        assert label == "Juge de l'application des peines"
        assert app.screen.query_one("#authority", Select).value == "jap"
        _fill(app, last_name="Bilboquet", first_name="Anatole", birth_date="12/05/1980",
              parquet_number="26/200/00001", saisine_received_on="10/11/2026", ordonnance_on="06/11/2026",
              decision_on="02/10/2026", obligation_end_on="01/01/2031", magistrat_referent="Mme FICTIVE, JAP")
        app.screen.query_one("#sentence", Select).value = "suivi_socio_judiciaire"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, DossierDetailScreen), "le dossier")
        measure = models.Measure.get()
        assert (measure.kind, measure.ordonnance_on, measure.sentence) == (
            "injonction_de_soins", dt.date(2026, 11, 6), "suivi_socio_judiciaire")
        assert app.screen.check_action("renew", ()) is False  # the court sets the end, not a renewal
        await pilot.press("s")  # the treating doctor or psychologist
        assert isinstance(app.screen, FormModal)
        app.screen.query_one("#role", Select).value = "psychologue_traitant"
        _fill(app, doctor="Mme Iris MODÈLE", chosen_on="20/11/2026")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, DossierDetailScreen), "retour au dossier")
        assert models.Orientation.get().treating_role == "psychologue_traitant"
    app.database.close()


async def test_the_listing_is_recorded_from_the_professionals_screen(configured_db_path: Path) -> None:
    app = _app(configured_db_path, listed=False)
    user = models.Professional.get(models.Professional.is_user == True)  # noqa: E712
    async with app.run_test(size=(110, 40)) as pilot:
        app.push_screen(ProfessionalScreen(user.id))
        await pilot.pause()
        assert "Médecin coordonnateur" in app.screen.query_one("#professional-listing").border_title
        await pilot.press("l")
        assert isinstance(app.screen, FormModal)
        app.screen.query_one("#status", Select).value = "inscrit_liste"
        _fill(app, on="02/11/2026", tribunal="Tribunal judiciaire de Nanterre")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)  # a psychologist: criteria unmet, refused in place
        assert models.CoordinatorListing.select().count() == 0
        _fill(app, override="Dérogation de test, jamais en vrai")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ProfessionalScreen), "la fiche")
        assert models.CoordinatorListing.get().valid_until == dt.date(2029, 11, 1)
    app.database.close()


async def test_the_etat_per_judge_from_the_bilan_screen(demo_db, tmp_path: Path,  # noqa: F811
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INJONCTIONS_DOCUMENTS", str(tmp_path / "docs"))
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await run_palette_command(pilot, "bilan")
        assert isinstance(app.screen, BilanScreen)
        await pilot.press("left", "j")
        await app.workers.wait_for_complete()
        await pilot.pause()
        produced = sorted(p.name for p in (tmp_path / "docs" / "2025").iterdir())
        assert produced == ["etat-justificatif-injonctions-soins-2025.csv",
                            "etat-justificatif-injonctions-soins-2025.pdf"]
        assert any("2 feuillet(s)" in n.message for n in app._notifications)


async def test_the_office_and_the_attestations_interval_in_the_settings(configured_db_path: Path) -> None:
    from injonctions_tui.domain.store.coordinator import attestation_months, load_office

    app = _app(configured_db_path)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("f6")
        await pilot.press("o")
        assert isinstance(app.screen, FormModal)
        assert app.screen.query_one("#name", Input).value == "CSAPA Les Tilleuls (test)"  # the CSAPA by default
        _fill(app, name="Cabinet du Dr Prunelle (test)", address="2 rue de l'Exemple, 92000 Nanterre", months="13")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)  # 13 months: refused in place
        _fill(app, months="2")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, FormModal), "la fermeture")
        assert load_office().name == "Cabinet du Dr Prunelle (test)" and attestation_months() == 2
    app.database.close()


async def test_the_list_entry_about_to_expire_is_recalled_at_start(configured_db_path: Path) -> None:
    database = storage.open_database(configured_db_path, PASSPHRASE)
    list_coordinator(models.Professional.get(models.Professional.is_user == True),  # noqa: E712
                     dt.date(2024, 1, 8))  # valid until 07/01/2027: 45 days left on 23/11/2026
    app = InjonctionsApp(StartupPlan(db_path=configured_db_path, database=database))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: any("coordonnateurs" in n.message for n in app._notifications),
                         "le rappel de la liste")
        reminder = next(n for n in app._notifications if "coordonnateurs" in n.message)
        assert "expire le 07/01/2027" in reminder.message and reminder.title == "Médecin coordonnateur"
    database.close()
