"""Every document signed by the professional's card (SoftHSM2) through produce_document, verified by
pyHanko and by pdfsig; a failed signature loses nothing and writes nothing as if signed; a batch costs
one PIN entry."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from injonctions_tui.domain.core.models import AuditEvent
from injonctions_tui.domain.documents.catalogue import DOCUMENT_KINDS
from injonctions_tui.domain.documents.produce import UNSIGNED_PREFIX, produce_document, produce_documents
from injonctions_tui.domain.printing import pkcs11
from injonctions_tui.domain.printing.pkcs11 import PinIncorrect
from injonctions_tui.domain.printing.verification import verify_signature
from injonctions_tui.domain.reports import drafts as rd
from tests.conftest import TODAY
from tests.factories.reports import make_dossier
from tests.factories.signature import choose_test_card
from tests.pkcs11_token import TokenDir


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "documents"
    path.mkdir()
    return path


def _final_report(measure_id: int, kind: str) -> int:
    report = rd.start_draft(measure_id, kind, TODAY)
    rd.save_draft(report.id, adherence="effective", proposal=rd.proposals_for(kind)[0].value,
                  observations="Présent à chaque rendez-vous, engagé dans la démarche.")
    return rd.finalise(report.id, today=TODAY, confirm_flagged=False).id


def _targets(dossier) -> dict[str, object]:
    """One target for every kind of the catalogue."""
    from injonctions_tui.domain.orientation.directory import check_values, save_entry

    measure = dossier.measure.id
    save_entry(None, check_values(name="CSAPA Le Phare (fictif)", kind="csapa", address="3 quai de la Fiction, "
                                  "92000 Nanterre", public="tous"))
    return {"attestation": dossier.m6.id, "convocations": TODAY, "convocation": dossier.upcoming.id,
            "permanence": TODAY,
            "fiche-information": measure, "formulaire-choix": measure, "lettre-soignant": measure,
            "annuaire": "majeurs",
            "attestation-suivi": measure, "fiche-navette": _final_report(measure, "fiche_navette"),
            "avis-motive": _final_report(measure, "avis_motive"), "incident": _final_report(measure, "incident"),
            "fin-de-mesure": _final_report(measure, "fin_de_mesure"), "registre": None,
            "attestation-fin-suivi": measure}  # last: the measure is closed first


def test_every_document_signed_by_the_card(db, softhsm: TokenDir, folder: Path, tmp_path: Path) -> None:
    from tests import pkcs11_token

    dossier = make_dossier()
    choose_test_card(softhsm)
    targets = _targets(dossier)
    assert set(targets) == set(DOCUMENT_KINDS)
    trusted = pkcs11_token.build_nss_db(tmp_path / "nss", softhsm.ca_pem)
    for key, target in targets.items():
        if key == "attestation-fin-suivi":
            dossier.measure.status, dossier.measure.outcome = "cloture", "classement_sans_suite"
            dossier.measure.outcome_on = TODAY
            dossier.measure.save()
        produced = produce_document(key, target, folder=folder, sign=True, today=TODAY, pin=softhsm.user_pin)
        assert produced.signed and not produced.path.name.startswith(UNSIGNED_PREFIX), key
        report = verify_signature(produced.path.read_bytes())
        assert report.valid and report.signatures[0].signer == "Camille TESTARD-FICTIF", (key, report.lines())
        out = subprocess.run(["pdfsig", "-nssdir", f"sql:{trusted}", "-no-ocsp", str(produced.path)],
                             capture_output=True, text=True, timeout=60).stdout
        assert "Signature Validation: Signature is Valid." in out, (key, out)
        assert "Signer Certificate Common Name: Camille TESTARD-FICTIF" in out, key
    assert len(list(folder.iterdir())) == len(DOCUMENT_KINDS)


def test_a_wrong_pin_keeps_the_unsigned_pdf_as_a_draft(db, softhsm: TokenDir, folder: Path) -> None:
    dossier = make_dossier()
    choose_test_card(softhsm, softhsm.pin_token_label)
    report_id = _final_report(dossier.measure.id, "fiche_navette")
    with pytest.raises(PinIncorrect) as error:
        produce_document("fiche-navette", report_id, folder=folder, sign=True, today=TODAY, pin="999999")
    (kept,) = folder.iterdir()
    assert kept.name.startswith(UNSIGNED_PREFIX + "fiche-navette-2026-11-23")
    assert error.value.message.startswith("Code PIN incorrect : la carte signale des essais erronés")
    assert error.value.message.endswith(f" ; le PDF non signé est gardé comme brouillon : {kept}.")
    assert not verify_signature(kept.read_bytes()).signed  # never written as if signed
    details = [e.details for e in AuditEvent.select().where(AuditEvent.action == "impression")]
    assert details == ["document=fiche-navette signe=non echec_signature=oui"]
    produced = produce_document("fiche-navette", report_id, folder=folder, sign=True, today=TODAY,
                                pin=softhsm.user_pin)
    assert verify_signature(produced.path.read_bytes()).valid


def test_a_batch_is_signed_with_one_pin_entry(db, softhsm: TokenDir, folder: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    dossier = make_dossier()
    choose_test_card(softhsm)
    reports = [_final_report(dossier.measure.id, kind) for kind in ("fiche_navette", "incident", "fiche_navette")]
    logins: list[str] = []
    real_open = pkcs11.open_pkcs11_session
    monkeypatch.setattr(pkcs11, "open_pkcs11_session", lambda *a, **k: logins.append("login") or real_open(*a, **k))
    navettes = [reports[0], reports[2]]
    produced = produce_documents("fiche-navette", navettes, folder=folder, sign=True, today=TODAY,
                                 pin=softhsm.user_pin)
    assert logins == ["login"] and [p.signed for p in produced] == [True, True]
    assert len({p.path for p in produced}) == 2
    assert all(verify_signature(p.path.read_bytes()).valid for p in produced)
    with pytest.raises(PinIncorrect) as error:  # a failed batch: every document kept unsigned
        produce_documents("fiche-navette", navettes, folder=folder, sign=True, today=TODAY, pin="999999")
    assert error.value.message.endswith(f" ; 0 document(s) signé(s) et 2 gardé(s) non signé(s) comme brouillons "
                                        f"dans {folder}.")
    assert len(list(folder.glob(UNSIGNED_PREFIX + "*"))) == 2
    produce_documents("fiche-navette", navettes, folder=folder, sign=True, today=TODAY, pin=softhsm.user_pin)
