"""The permanence morning of issue 16, by Pilot on the demonstration base: walk-ins
that find the dossier, bookings that ask before departing from the court's
permanences, convocations to send, keys found in the palette, French everywhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Input, OptionList

from injonctions_tui.domain.core import models
from injonctions_tui.screens.agenda import AgendaScreen
from injonctions_tui.screens.document_ready import DocumentReadyModal
from injonctions_tui.screens.dossier_detail import DossierDetailScreen
from injonctions_tui.screens.dossiers import DossiersScreen
from injonctions_tui.screens.form_modal import ConfirmDialog, FormModal
from injonctions_tui.screens.palette import NO_MATCHES
from injonctions_tui.screens.walk_in import WalkInDialog
from injonctions_tui.widgets.record_table import RecordTable
from tests.conftest import TODAY, at, wait_until
from tests.ui.conftest import demo_app


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "documents"
    monkeypatch.setenv("INJONCTIONS_DOCUMENTS", str(folder))
    return folder


def _prompt_text(prompt: object) -> str:
    """An option's text, whatever Textual wrapped it in (Content, Text, Align)."""
    if hasattr(prompt, "plain"):
        return str(prompt.plain)
    if hasattr(prompt, "renderable"):
        return _prompt_text(prompt.renderable)
    return str(prompt)


def _followed_person() -> models.Measure:
    """A demo person in follow-up, not on today's list, whose surname is theirs alone."""
    today = dt.datetime.combine(TODAY, dt.time.min)
    for measure in (models.Measure.select().join(models.Person)
                    .where(models.Measure.status == "suivi").order_by(models.Measure.id)):
        namesakes = models.Person.select().where(models.Person.last_name == measure.person.last_name).count()
        on_list = measure.appointments.where((models.Appointment.starts_at >= today)
                                             & (models.Appointment.starts_at < today + dt.timedelta(days=1)))
        if namesakes == 1 and not on_list.exists():
            return measure
    raise AssertionError("la démo n'a personne en suivi")


async def test_a_known_person_walking_in_is_found_as_you_type(demo_db, tmp_path: Path) -> None:
    """Issue 16, point 1: no second dossier; n, a few letters, Entrée, Entrée."""
    app = demo_app(demo_db, tmp_path)
    measure = _followed_person()
    measures = models.Measure.select().count()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, WalkInDialog)
        await pilot.press(*measure.person.last_name[:5].lower())
        options = app.screen.query_one("#walk-candidates", OptionList)
        assert options.display and any(measure.person.last_name in str(options.get_option_at_index(i).prompt)
                                        for i in range(options.option_count))
        index = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == str(measure.id))
        await pilot.press("enter", *["down"] * index, "enter")
        await pilot.pause()
        if isinstance(app.screen, ConfirmDialog):  # an adult on the minors' Monday: asked, then confirmed
            assert "majeurs" in " ".join(app.screen.reasons)
            await pilot.press("tab", "enter")
            await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        assert models.Measure.select().count() == measures
        walk_in = models.Appointment.select().order_by(models.Appointment.id.desc()).get()
        assert walk_in.measure_id == measure.id and walk_in.walk_in and walk_in.starts_at.date() == TODAY


async def test_a_known_parquet_number_typed_as_a_new_person_shows_the_dossier(demo_db, tmp_path: Path) -> None:
    app = demo_app(demo_db, tmp_path)
    measure = _followed_person()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        dialog = app.screen
        for key, value in (("last_name", "Fictif"), ("first_name", "Autre"), ("birth_date", "01/01/1990"),
                           ("parquet", measure.parquet_number)):
            dialog.query_one(f"#{key}", Input).value = value
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WalkInDialog)
        error = str(app.screen.query_one("#modal-error").render())
        assert f"déjà celui du dossier de {measure.person.full_name}" in error
        assert app.focused is app.screen.query_one("#walk-candidates")
        options = app.screen.query_one("#walk-candidates", OptionList)
        assert options.get_option_at_index(0).id == str(measure.id)


async def test_a_walk_in_after_the_permanence_asks_first(demo_db, tmp_path: Path) -> None:
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        at(dt.datetime.combine(TODAY, dt.time(14, 30)))
        await pilot.press("n")
        await pilot.press(*"Zygomar Ange", "enter", *"01/01/2010", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.reasons == ("14h30 est en dehors de la permanence du lundi (9h-13h, mineurs).",)
        assert app.focused is app.screen.query_one("#cancel")  # Entrée alone changes nothing
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WalkInDialog)
        assert not models.Person.select().where(models.Person.last_name == "ZYGOMAR").exists()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        event = models.AuditEvent.select().where(models.AuditEvent.action == "accueil_sans_rdv").order_by(
            models.AuditEvent.id.desc()).get()
        assert event.details.endswith("derogation=hors_horaires")


async def test_a_booking_on_a_day_without_permanence_asks_first_and_errors_follow_their_field(
        demo_db, tmp_path: Path, documents: Path) -> None:
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one("#agenda-table", RecordTable)
        present = next(i for i, row in enumerate(app.screen.rows) if row.status_value in ("present", "attendu")
                       and row.kind_value == "evaluation_initiale")
        table.move_cursor(row=present)
        await pilot.press("r")
        if not isinstance(app.screen, FormModal):
            pytest.fail("aucun rendez-vous proposé")
        modal = app.screen
        modal.query_one("#day", Input).value = "31/11/2026"
        await pilot.press("enter")
        await pilot.pause()
        assert "n'existe pas" in str(modal.query_one("#modal-error").render())
        assert app.focused is modal.query_one("#day") and modal.query_one("#f-day").has_class("-invalid")
        modal.query_one("#day", Input).value = "01/12/2026"  # a Tuesday: no permanence
        await pilot.pause()
        assert str(modal.query_one("#modal-error").render()) == ""  # corrected: the error is gone
        modal.query_one("#time", Input).value = "9h00"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.reasons == ("Il n'y a pas de permanence au tribunal le mardi.",)
        await pilot.press("tab", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DocumentReadyModal), "la convocation écrite")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, AgendaScreen), "la réservation")
        booked = models.Appointment.select().order_by(models.Appointment.id.desc()).get()
        assert booked.starts_at == dt.datetime(2026, 12, 1, 9, 0)
        event = models.AuditEvent.select().where(models.AuditEvent.action == "rdv_creation").order_by(
            models.AuditEvent.id.desc()).get()
        assert "derogation=hors_horaires" in event.details


async def test_the_convocations_to_send_are_one_key_away(demo_db, tmp_path: Path, documents: Path) -> None:
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        summary = str(app.screen.query_one("#agenda-empty").render())
        assert "convocation(s) à envoyer (l)" in summary
        await pilot.press("l")
        await wait_until(pilot, lambda: list(documents.rglob("convocations-a-envoyer-*.pdf")), "le PDF")
        await wait_until(pilot, lambda: isinstance(app.screen, DocumentReadyModal), "l'offre d'imprimer")
        await pilot.press("escape")
        await wait_until(pilot, lambda: "à envoyer (l)" not in str(app.screen.query_one("#agenda-empty").render()),
                         "le compte mis à jour")


async def test_every_key_of_the_agenda_is_in_the_palette_in_french(demo_db, tmp_path: Path) -> None:
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        assert CommandPalette.is_open(app)
        for name in ("Convocation", "Feuille", "À envoyer", "Rapport", "Sans RDV"):
            await pilot.press(*name)

            def found(name: str = name) -> bool:
                matches = app.screen.query_one(CommandList)
                return any(name.casefold() in _prompt_text(matches.get_option_at_index(i).prompt).casefold()
                           for i in range(matches.option_count))

            await wait_until(pilot, found, f"« {name} » dans la palette")
            app.screen.query_one(Input).value = ""
        await pilot.press(*"xyzzy")

        def no_match_said() -> bool:
            matches = app.screen.query_one(CommandList)
            return any(NO_MATCHES in _prompt_text(matches.get_option_at_index(i).prompt)
                       for i in range(matches.option_count))

        await wait_until(pilot, no_match_said, "« Aucune commande ne correspond »")
        assert app.screen.query_one(Input).placeholder.startswith("Rechercher une commande")


async def test_the_dossier_list_searches_as_you_type_and_one_enter_opens(demo_db, tmp_path: Path) -> None:
    app = demo_app(demo_db, tmp_path)
    measure = _followed_person()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        assert isinstance(app.screen, DossiersScreen)
        assert app.focused is app.screen.query_one("#dossiers-table")
        await pilot.press(*measure.person.last_name.lower())
        search = app.screen.query_one("#dossiers-search", Input)
        assert search.value == measure.person.last_name.lower() and app.focused is search
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DossierDetailScreen) and app.screen.measure_id == measure.id
