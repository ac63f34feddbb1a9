"""Snapshots of the first start's new steps, the settings, the saisines and their import
preview, at 80x24 and 120x40 (SVGs in tests/ui/__snapshots__/; look at them before accepting)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from injonctions_tui.app import InjonctionsApp, StartupPlan
from injonctions_tui.domain.core.models import Measure
from injonctions_tui.domain.store import storage
from tests.conftest import PASSPHRASE, wait_until
from tests.ui.conftest import demo_app

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


def _fill(app: InjonctionsApp, **values: str) -> None:
    for key, value in values.items():
        app.screen.query_one(f"#{key}", Input).value = value


@SIZES
@pytest.mark.parametrize("step", ["identite", "habilitation"])
def test_wizard_steps(snap_compare, tmp_path: Path, size: tuple[int, int], step: str) -> None:
    async def reach_the_step(pilot) -> None:
        _fill(pilot.app, passphrase=PASSPHRASE, passphrase2=PASSPHRASE)
        await pilot.press("ctrl+n")
        if step == "habilitation":
            from textual.widgets import Select

            _fill(pilot.app, last_name="Prunelle", first_name="Léon", csapa_name="CSAPA Les Tilleuls (fictif)",
                  csapa_address="1 rue de l'Exemple, 92000 Nanterre", csapa_phone="01 02 03 04 05")
            pilot.app.screen.query_one("#profession", Select).value = "psychologue"
            await pilot.press("ctrl+n")
        await pilot.pause()

    app = InjonctionsApp(StartupPlan(db_path=tmp_path / "nouvelle.db", kdf=storage.FAST_KDF))
    assert snap_compare(app, terminal_size=size, run_before=reach_the_step)


@SIZES
def test_settings_screen(snap_compare, demo_db, tmp_path: Path, size: tuple[int, int]) -> None:  # noqa: F811
    assert snap_compare(demo_app(demo_db, tmp_path), terminal_size=size, press=["f6"])


@SIZES
def test_saisines_screen(snap_compare, demo_db, tmp_path: Path, size: tuple[int, int]) -> None:  # noqa: F811
    assert snap_compare(demo_app(demo_db, tmp_path), terminal_size=size, press=["c"])


def _preview(path: Path):  # type: ignore[no-untyped-def]
    """Open the preview of `path` over the agenda and wait for it; the folder is not shown
    (it changes with every run)."""
    async def open_preview(pilot) -> None:
        from injonctions_tui.screens.saisines_import import SaisinesPreviewModal

        pilot.app.push_screen(SaisinesPreviewModal(path))
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SaisinesPreviewModal)
                         and not pilot.app.screen.busy, "l'aperçu")
        pilot.app.screen.query_one("#saisines-import-file", Static).update(path.name)
        await pilot.pause()

    return open_preview


@SIZES
def test_import_preview(snap_compare, demo_db, tmp_path: Path, size: tuple[int, int]) -> None:  # noqa: F811
    known = Measure.select().order_by(Measure.id).first()
    path = tmp_path / "saisines.csv"
    path.write_text("N° parquet;NOM;Prénom(s);Né(e) le;Date de saisine;Magistrat référent;Téléphone\n"
                    "26/900/00001;FICTIF;Ange;14/05/1990;02/11/2026;Mme JUGE-FICTIVE;06 00 00 00 00\n"
                    "26/900/00002;EXEMPLE;Zoé;21/03/2010;05/11/2026;;\n"
                    f"{known.parquet_number};{known.person.last_name};{known.person.first_name};"
                    f"{known.person.birth_date:%d/%m/%Y};{known.saisine_received_on:%d/%m/%Y};;\n", encoding="utf-8")
    assert snap_compare(demo_app(demo_db, tmp_path), terminal_size=size, run_before=_preview(path))


def test_import_preview_with_errors(snap_compare, demo_db, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "erreurs.csv"
    path.write_text("N° parquet;NOM;Prénom;Date de naissance;Date de saisine\n"
                    "26/900/00003;FICTIF;Bruno;31/02/1990;02/11/2026\n"
                    "26/900/00004;;Carla;01/01/1980;01/12/2030\n", encoding="utf-8")
    assert snap_compare(demo_app(demo_db, tmp_path), terminal_size=(80, 24), run_before=_preview(path))
