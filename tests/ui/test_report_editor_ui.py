"""The report editor by Pilot: from the agenda, secrecy guard, autosave, finalise, signed PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Select

from injonctions_tui.domain.core import models
from injonctions_tui.domain.printing.verification import verify_signature_async
from injonctions_tui.screens.finalise import FinaliseDialog
from injonctions_tui.screens.report_editor import ReportEditorScreen
from injonctions_tui.widgets.record_table import RecordTable
from injonctions_tui.widgets.secrecy_text_area import HIGHLIGHT, SecrecyTextArea
from tests.conftest import wait_until
from tests.ui.conftest import demo_app


async def test_write_finalise_and_sign_a_fiche_navette(demo_db, tmp_path: Path,  # noqa: F811
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "docs"
    monkeypatch.setenv("INJONCTIONS_DOCUMENTS", str(docs))
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(110, 34)) as pilot:
        rows = app.screen.rows
        index = next(i for i, r in enumerate(rows) if r.status_value == "attendu" and r.kind_value.startswith("suivi"))
        app.screen.query_one("#agenda-table", RecordTable).move_cursor(row=index)
        await pilot.press("p")  # the cursor moves on to the next person: back to this one to write
        app.screen.query_one("#agenda-table", RecordTable).move_cursor(row=index)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ReportEditorScreen)
        report_id = app.screen.report_id
        area = app.screen.query_one("#observations", SecrecyTextArea)
        area.text = ""
        area.insert("Monsieur est venu à chaque rendez-vous. Il est sous méthadone.")
        await pilot.pause()
        assert [f.text for f in area.flags] == ["méthadone"]
        assert any(h[2] == HIGHLIGHT for line in area._highlights.values() for h in line)
        assert "méthadone" in str(app.screen.query_one("#report-flags").render())
        app.screen.query_one("#adherence", Select).value = "effective"
        app.screen.query_one("#proposal", Select).value = "poursuite"  # a fiche navette's proposal
        # The autosave fires one second after the last change.
        await wait_until(pilot, lambda: "méthadone" in models.Report.get_by_id(report_id).observations,
                         "le brouillon enregistré")
        assert "méthadone" in models.Report.get_by_id(report_id).observations
        # Finalising is a decision: a dialog shows what will be frozen and the flagged terms;
        # « Retour » has the focus (Enter changes nothing), the button waits for the box.
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, FinaliseDialog)
        assert "méthadone" in str(app.screen.query_one("#finalise-flags").render())
        assert app.screen.query_one("#finalise-confirm", Button).disabled
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReportEditorScreen)
        assert models.Report.get_by_id(report_id).status == "brouillon"
        assert "Finalisation annulée" in str(app.screen.query_one("#report-message").render())
        area.text = "Monsieur est venu à chaque rendez-vous et s'est engagé dans la démarche de soins."
        await pilot.pause()
        assert area.flags == []
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, FinaliseDialog) and not app.screen.query("#finalise-flags")
        await pilot.click("#finalise-confirm")
        await pilot.pause()
        final = models.Report.get_by_id(report_id)
        assert final.status == "final" and final.content_hash and "méthadone" not in final.observations
        assert isinstance(app.screen, ReportEditorScreen) and app.screen.query_one("#observations").read_only
        await pilot.press("ctrl+o")
        await app.workers.wait_for_complete()
        await pilot.pause()
    (pdf,) = list(docs.rglob("fiche-navette-*.pdf"))
    status = await verify_signature_async(pdf.read_bytes())
    assert status.valid and status.signatures[0].intact


async def test_a_correction_is_a_new_version(demo_db, tmp_path: Path) -> None:  # noqa: F811
    final = models.Report.select().where(models.Report.status == "final",
                                         models.Report.kind == "fiche_navette").order_by(models.Report.id).first()
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(110, 34)) as pilot:
        app.push_screen(ReportEditorScreen(final.id))
        await pilot.pause()
        assert app.screen.query_one("#observations").read_only
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReportEditorScreen) and app.screen.report_id != final.id
        correction = models.Report.get_by_id(app.screen.report_id)
        assert (correction.version, correction.previous_id, correction.status) == (final.version + 1, final.id,
                                                                                   "brouillon")
        assert "version 2" in str(app.screen.query_one("#report-title").render())
    assert models.Report.get_by_id(final.id).status == "final"  # the sent version never changes


async def test_writing_the_avis_of_a_dossier_whose_avis_is_final_opens_it(demo_db, tmp_path: Path) -> None:  # noqa: F811
    """The key that writes the report of an evaluation opens the final avis motivé, read-only,
    rather than a new blank one (one opinion per measure; Ctrl+R corrects it)."""
    from injonctions_tui.screens.reports import open_new_report

    final = models.Report.select().where(models.Report.status == "final",
                                         models.Report.kind == "avis_motive").order_by(models.Report.id).first()
    drafts_before = models.Report.select().where(models.Report.status == "brouillon").count()
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(110, 34)) as pilot:
        open_new_report(app.screen, final.measure_id, "avis_motive", final.appointment_id)
        await pilot.pause()
        assert isinstance(app.screen, ReportEditorScreen) and app.screen.report_id == final.id
        assert app.screen.query_one("#observations").read_only
    assert models.Report.select().where(models.Report.status == "brouillon").count() == drafts_before
