"""The card in the app, by Pilot (real SoftHSM2 token): chosen in Paramètres from the certificates read
from it, its PIN asked in a password dialog at signing time, errors said in French, nothing lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from injonctions_tui.domain.core import models
from injonctions_tui.domain.printing.signer_choice import pkcs11_choice
from injonctions_tui.domain.printing.verification import verify_signature_async
from injonctions_tui.screens.document_ready import DocumentReadyModal
from injonctions_tui.screens.form_modal import FormModal
from injonctions_tui.screens.report_editor import ReportEditorScreen
from injonctions_tui.screens.settings import SettingsScreen
from injonctions_tui.screens.signature_card import SignatureCardModal
from injonctions_tui.widgets.record_table import RecordTable
from tests.conftest import wait_until
from tests.factories.signature import choose_test_card
from tests.pkcs11_token import TokenDir
from tests.ui.conftest import demo_app


def _final_report() -> int:
    return (models.Report.select().where(models.Report.status == "final", models.Report.kind == "fiche_navette")
            .order_by(models.Report.id).first().id)


def _messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def _offered(app) -> str:
    """What the dialog offering to print the written document says (empty until it is up)."""
    return app.screen.summary if isinstance(app.screen, DocumentReadyModal) else ""


async def _ask_to_sign(app, pilot) -> FormModal:
    app.push_screen(ReportEditorScreen(_final_report()))
    await pilot.pause()
    await pilot.press("ctrl+o")
    await wait_until(pilot, lambda: isinstance(app.screen, FormModal), "la demande du code PIN")
    return app.screen


async def test_the_pin_dialog_then_the_card_signs(demo_db, softhsm: TokenDir, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "docs"
    monkeypatch.setenv("INJONCTIONS_DOCUMENTS", str(docs))
    choose_test_card(softhsm)
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(110, 34)) as pilot:
        modal = await _ask_to_sign(app, pilot)
        field = modal.query_one("#pin", Input)
        assert field.password and app.focused is field  # typed, never shown
        assert "carte « CPS-TEST »" in str(modal.query_one(".step-intro").render())
        await pilot.press("enter")  # empty: refused in place
        assert "Tapez le code PIN" in str(modal.query_one("#modal-error").render())
        await pilot.press(*softhsm.user_pin, "enter")
        await wait_until(pilot, lambda: "PDF signé enregistré" in _offered(app), "le PDF signé")
        assert not isinstance(app.screen, FormModal)
    (pdf,) = list(docs.rglob("fiche-navette-*.pdf"))
    report = await verify_signature_async(pdf.read_bytes())
    assert report.valid and report.signatures[0].signer == "Camille TESTARD-FICTIF"


async def test_cancel_or_a_wrong_pin_writes_nothing_as_signed(demo_db, softhsm: TokenDir, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "docs"
    monkeypatch.setenv("INJONCTIONS_DOCUMENTS", str(docs))
    choose_test_card(softhsm, softhsm.pin_token_label)
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(110, 34)) as pilot:
        await _ask_to_sign(app, pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: any("Signature annulée" in m for m in _messages(app)), "l'annulation")
        assert not docs.exists() or not list(docs.rglob("*.pdf"))
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, FormModal), "la demande du code PIN")
        await pilot.press(*"999999", "enter")
        await wait_until(pilot, lambda: any(m.startswith("Code PIN incorrect") for m in _messages(app)),
                         "le code PIN refusé")
        assert isinstance(app.screen, ReportEditorScreen)  # a toast, not a dialog: typing it again mends it
        await pilot.press("ctrl+o")  # the right PIN resets the card's count of failures
        await wait_until(pilot, lambda: isinstance(app.screen, FormModal), "la demande du code PIN")
        await pilot.press(*softhsm.user_pin, "enter")
        await wait_until(pilot, lambda: "PDF signé enregistré" in _offered(app), "le PDF signé")
    (kept,) = list(docs.rglob("NON-SIGNE-*.pdf"))
    assert not (await verify_signature_async(kept.read_bytes())).signed
    assert len(list(docs.rglob("fiche-navette-*.pdf"))) == 1


async def test_choose_the_card_in_the_settings(demo_db, softhsm: TokenDir, tmp_path: Path) -> None:
    app = demo_app(demo_db, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f6")
        assert isinstance(app.screen, SettingsScreen)
        assert "certificat autosigné" in str(app.screen.query_one("#settings-signature").render())
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, SignatureCardModal), "le choix de la carte")
        modal = app.screen
        modal.query_one("#library", Input).value = "/opt/absent/libcps3_pkcs11_lux.so"
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: "introuvable" in str(modal.query_one("#modal-error").render()),
                         "la bibliothèque introuvable")
        modal.query_one("#library", Input).value = softhsm.lib_path
        await pilot.press("ctrl+r")
        table = modal.query_one("#card-certificates", RecordTable)
        await wait_until(pilot, lambda: table.row_count == 4, "les certificats de signature des cartes")
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert {row[0] for row in rows} == {"CPS-TEST", "CPS-EXPIREE", "CPS-PIN", "CPS-BLOCAGE"}
        card = next(i for i, row in enumerate(rows) if row[0] == "CPS-TEST")
        assert rows[card][:4] == ["CPS-TEST", "Signature", "Camille TESTARD-FICTIF", "AC Santé fictive de test"]
        expired = next(i for i, row in enumerate(rows) if row[0] == "CPS-EXPIREE")
        table.move_cursor(row=expired)
        await pilot.press("enter")
        await pilot.pause()
        assert "a expiré le" in str(modal.query_one("#modal-error").render()) and pkcs11_choice() is None
        table.move_cursor(row=card)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen), "le retour aux paramètres")
        assert "carte « CPS-TEST »" in str(app.screen.query_one("#settings-signature").render())
        assert any("le code PIN sera demandé à chaque signature" in m for m in _messages(app))
    assert pkcs11_choice().token == "CPS-TEST"
