"""The register by Pilot: add a professional, complete the checklist, habilitate, radiate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Select

from injonctions_tui.app import InjonctionsApp, StartupPlan
from injonctions_tui.domain.core import models
from injonctions_tui.domain.register.eligibility import checklist
from injonctions_tui.domain.store import storage
from injonctions_tui.domain.store.professionals import habilitation_on
from injonctions_tui.screens.form_modal import FormModal
from injonctions_tui.screens.professional import ProfessionalScreen
from injonctions_tui.screens.register import RegisterScreen
from injonctions_tui.widgets.record_table import RecordTable
from tests.conftest import PASSPHRASE, TODAY


def _fill(app: InjonctionsApp, **values: str) -> None:
    for key, value in values.items():
        widget = app.screen.query_one(f"#{key}")
        if isinstance(widget, Select):
            widget.value = value
        else:
            widget.value = value  # type: ignore[attr-defined]


async def test_add_complete_habilitate_and_radiate(configured_db_path: Path) -> None:
    database = storage.open_database(configured_db_path, PASSPHRASE)
    app = InjonctionsApp(StartupPlan(db_path=configured_db_path, database=database))
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("f5")
        assert isinstance(app.screen, RegisterScreen)
        await pilot.press("n")
        _fill(app, last_name="Tournesol", first_name="Tryphon", profession="psychologue", rpps_adeli="123",
              csapa_name="CSAPA Le Phare (test)")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)  # 3 digits: refused in place
        _fill(app, rpps_adeli="929911111")
        await pilot.press("ctrl+s")
        await pilot.pause()
        professional = models.Professional.get(models.Professional.last_name == "Tournesol")
        table = app.screen.query_one("#register-table", RecordTable)
        table.move_cursor(row=[r.value for r in table.rows].index(str(professional.id)))
        await pilot.press("enter")
        assert isinstance(app.screen, ProfessionalScreen)
        # Habilitating with an unmet criterion is refused...
        await pilot.press("h")
        _fill(app, on="10/11/2026", reference="ARS-TEST-9")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
        assert habilitation_on(professional, TODAY) is None
        await pilot.press("escape")
        # ...so the file is completed, piece by piece.
        for item in ("formation_addictologie", "extrait_b2", "attestation_non_sanction", "declaration_candidature",
                     "etat_activites"):
            await pilot.press("p")
            _fill(app, item=item, on="01/11/2026", reference="pièce (test)")
            await pilot.press("ctrl+s")
            await pilot.pause()
        missing = [i.label for i in checklist(professional, TODAY).unmet]
        await pilot.press("h")
        _fill(app, on="10/11/2026", reference="ARS-TEST-9",
              override="Dossier transmis par l'ARS (test)" if missing else "")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProfessionalScreen)
        assert habilitation_on(professional, TODAY) is not None
        await pilot.press("r")
        _fill(app, reason="Condition d'exercice cessée (test)")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert habilitation_on(professional, TODAY + dt.timedelta(days=1)) is None
        title = str(app.screen.query_one("#professional-title").render())
        assert "Radié" in title
    database.close()
