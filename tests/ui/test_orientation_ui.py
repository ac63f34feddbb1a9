"""The orientation by Pilot: the directory screen (search, filter, add, edit, remove, import, print),
the choice from the directory in a dossier with its papers, and the answer of the chosen doctor."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Select

from injonctions_tui.domain.core import models
from injonctions_tui.domain.core.people import measure_public
from injonctions_tui.domain.core.vocabulary import Public
from injonctions_tui.domain.orientation.directory import search_directory
from injonctions_tui.screens.directory import DirectoryScreen
from injonctions_tui.screens.document_ready import DocumentReadyModal
from injonctions_tui.screens.dossier_detail import DossierDetailScreen
from injonctions_tui.screens.form_modal import FormModal
from injonctions_tui.screens.orientation import OrientationModal, PapersModal
from injonctions_tui.widgets.record_table import RecordTable
from tests.conftest import TODAY, run_palette_command, wait_until
from tests.ui.conftest import demo_app


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "documents"
    monkeypatch.setenv("INJONCTIONS_DOCUMENTS", str(folder))
    return folder


def _messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def _rows(app) -> int:
    return app.screen.query_one("#directory-table", RecordTable).row_count


async def test_the_directory_screen(demo_db, tmp_path: Path, documents: Path) -> None:
    app = demo_app(demo_db, tmp_path)
    bad = tmp_path / "mauvais.csv"
    bad.write_text("Nom;Type\nCSAPA (fictif);boulangerie\n", encoding="utf-8")
    good = tmp_path / "annuaire.csv"
    good.write_text("Nom de la structure;Type;Ville;Public\nCSAPA Importé (fictif);csapa;Nanterre;majeurs\n",
                    encoding="cp1252")
    async with app.run_test(size=(100, 32)) as pilot:
        await run_palette_command(pilot, "Annuaire")
        assert isinstance(app.screen, DirectoryScreen) and _rows(app) == 7
        await pilot.press("ctrl+f", *"nanterre")
        await wait_until(pilot, lambda: _rows(app) == 3, "la recherche filtre")
        app.screen.query_one("#directory-search", Input).value = ""
        app.screen.query_one("#directory-public", Select).value = "mineurs"
        await wait_until(pilot, lambda: _rows(app) == 4, "le public filtre")  # theirs and « tous publics »
        app.screen.query_one("#directory-public", Select).clear()
        await wait_until(pilot, lambda: _rows(app) == 7, "tout l'annuaire")
        # Add one, with a wrong phone first: refused in place, nothing saved.
        app.screen.query_one("#directory-table", RecordTable).focus()
        await pilot.press("n")
        assert isinstance(app.screen, FormModal)
        await pilot.press(*"Dr Anselme ESSAI (fictif)")
        app.screen.query_one("#phone", Input).value = "12345"
        app.screen.query_one("#kind", Select).value = "medecin_liberal"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "n'est pas un numéro de téléphone" in str(app.screen.query_one("#modal-error").render())
        app.screen.query_one("#phone", Input).value = "06 00 00 00 99"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, DirectoryScreen) and _rows(app) == 8, "l'ajout")
        added = models.TreatingStructure.get(models.TreatingStructure.name == "Dr Anselme ESSAI (fictif)")
        assert (added.kind, added.phone, added.public) == ("medecin_liberal", "06 00 00 00 99", "tous")
        # Edit it (Enter on its row), then remove it.
        table = app.screen.query_one("#directory-table", RecordTable)
        table.move_cursor(row=next(i for i in range(table.row_count)
                                   if table.coordinate_to_cell_key((i, 0)).row_key.value == str(added.id)))
        await pilot.press("enter")
        assert isinstance(app.screen, FormModal) and app.screen.query_one("#name", Input).value == added.name
        app.screen.query_one("#address", Input).value = "7 rue du Test, 92000 Nanterre"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, DirectoryScreen), "la modification")
        assert models.TreatingStructure.get_by_id(added.id).address == "7 rue du Test, 92000 Nanterre"
        await pilot.press("d")
        assert isinstance(app.screen, FormModal)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: _rows(app) == 7, "la suppression")
        # Import: a bad file is refused with its line, a good one imported.
        await pilot.press("i")
        app.screen.query_one("#path", Input).value = str(bad)
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(app.screen.query_one("#modal-error").render())
        assert "Import refusé : 1 ligne(s) en erreur (ligne 2)" in error and "type « boulangerie » inconnu" in error
        app.screen.query_one("#path", Input).value = str(good)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: _rows(app) == 8, "l'import")
        assert any("1 structure(s) ajoutée(s)" in m and "Windows-1252" in m for m in _messages(app))
        # Print the list for the public chosen in the filter.
        app.screen.query_one("#directory-public", Select).value = "mineurs"
        await pilot.press("p")
        await wait_until(pilot, lambda: list(documents.rglob("liste-soignants-mineurs-*.pdf")), "la liste imprimée")
        await wait_until(pilot, lambda: isinstance(app.screen, DocumentReadyModal), "l'offre d'imprimer")
        await pilot.press("escape", "escape")  # the offer closed (the PDF stays), then the directory
        assert not isinstance(app.screen, DirectoryScreen)


def _evaluated_minor() -> models.Measure:
    """A minor evaluated today, with no doctor chosen yet (the demo's first evaluation)."""
    return next(m for m in models.Measure.select().where(models.Measure.status == "evaluation")
                if measure_public(m) == Public.MINEURS and m.orientations.count() == 0 and any(
                    a.status == "present" and a.kind == "evaluation_initiale" for a in m.appointments))


async def test_choosing_from_the_directory_and_printing_its_papers(demo_db, tmp_path: Path,
                                                                   documents: Path) -> None:
    measure = _evaluated_minor()
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(DossierDetailScreen(measure.id))
        await pilot.pause()
        await pilot.press("s")
        assert isinstance(app.screen, OrientationModal)
        options = app.screen.query_one("#orientation-list", OptionList)
        assert options.option_count == search_directory("", "mineurs")[1] == 4  # minors' and everyone's
        assert app.screen.query_one("#chosen_by", Select).value == "representants_legaux"
        await pilot.press(*"phare")
        await wait_until(pilot, lambda: options.option_count == 1, "la recherche dans l'annuaire")
        await pilot.press("enter", "enter")  # to the list, then pick
        assert app.screen.focused is app.screen.query_one("#doctor", Input)
        await pilot.press(*"Dr Ernestine BOUSSOLE")
        app.screen.query_one("#minor_agreement", Select).value = "oui"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, PapersModal), "les papiers proposés")
        orientation = models.Orientation.get(models.Orientation.measure == measure.id)
        assert (orientation.structure, orientation.doctor, orientation.chosen_on, orientation.chosen_by) == (
            "CSAPA Le Phare (démo)", "Dr Ernestine BOUSSOLE", TODAY, "representants_legaux")
        assert orientation.treating_structure.name == "CSAPA Le Phare (démo)"
        assert models.Measure.get_by_id(measure.id).minor_agreement is True
        await pilot.press("enter")  # the choice form, to sign now
        await wait_until(pilot, lambda: list(documents.rglob("formulaire-choix-*.pdf")), "le formulaire de choix")
        await wait_until(pilot, lambda: isinstance(app.screen, DocumentReadyModal), "l'offre d'imprimer")
        await pilot.press("escape")
        await pilot.press("d", "down", "enter")  # the letter to the chosen doctor
        await wait_until(pilot, lambda: list(documents.rglob("lettre-soignant-*.pdf")), "la lettre au soignant")
        await wait_until(pilot, lambda: isinstance(app.screen, DocumentReadyModal), "l'offre d'imprimer")
        await pilot.press("escape")

        def listed() -> list[str]:
            return [e.what for e in app.screen.detail.timeline if e.category == "document"]

        await wait_until(pilot, lambda: listed() == ["Formulaire de choix du soignant", "Lettre au soignant choisi"],
                         "les papiers dans la chronologie")


async def test_a_refusal_is_recorded_in_one_step_and_opens_a_new_choice(demo_db, tmp_path: Path) -> None:
    pending = (models.Orientation.select().where(models.Orientation.agreement_on.is_null()
                                                 & models.Orientation.refused_on.is_null())
               .join(models.Measure).where(models.Measure.status == "orientation").first())
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(DossierDetailScreen(pending.measure_id))
        await pilot.pause()
        await pilot.press("g")
        assert isinstance(app.screen, FormModal)
        app.screen.query_one("#answer", Select).value = "refuse"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, OrientationModal), "le nouveau choix")
        assert models.Orientation.get_by_id(pending.id).refused_on == TODAY
        assert any(m.startswith("Refus enregistré : choisissez un autre soignant avant le 03/12/2026")
                   for m in _messages(app))
        await pilot.press("escape")
        assert isinstance(app.screen, DossierDetailScreen)
        assert models.Measure.get_by_id(pending.measure_id).status == "evaluation"  # waiting for a new choice
        assert any(e.what == "Refus du soignant" for e in app.screen.detail.timeline)
