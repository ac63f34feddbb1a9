"""The injonction de soins in the JSON export (issue 21): its columns and tables go out and come
back exactly, and an export of the version before it still imports. Real encrypted bases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from injonctions_tui.domain.core import models
from injonctions_tui.domain.core.models import AttestationDelivery, CoordinatorListing, Measure
from injonctions_tui.domain.dossiers import measures
from injonctions_tui.domain.dossiers.attestations import record_delivery
from injonctions_tui.domain.portability import json_export
from injonctions_tui.domain.store import migrations, storage
from tests.conftest import PASSPHRASE, TODAY
from tests.factories.care_orders import interview, list_coordinator, make_care_order
from tests.factories.reports import make_dossier


@pytest.fixture
def fresh_database(db: object, tmp_path: Path) -> Iterator[Callable[[], object]]:
    opened: list[Any] = []

    def open_fresh() -> object:
        models.database.obj.close()
        opened.append(storage.create_database(tmp_path / "b.db", PASSPHRASE, kdf=storage.FAST_KDF))
        return opened[-1]

    yield open_fresh
    for database in opened:
        database.close()


def _populate() -> None:
    user = make_dossier().user
    list_coordinator(user, dt.date(2025, 1, 6))
    measure = make_care_order(user, TODAY, ordonnance_on=dt.date(2025, 10, 6), jap_tribunal="TJ de Versailles",
                              cap_override_reason="")
    interview(measure, dt.datetime(2025, 11, 12, 15), kind="premier_entretien_is")
    measures.choose_orientation(measure, structure="Cabinet des Lilas", doctor="Mme Iris MODÈLE",
                                chosen_on=dt.date(2025, 11, 12), chosen_by="personne", user=user,
                                treating_role="psychologue_traitant")
    record_delivery(measure.id, dt.date(2026, 2, 10))
    ended = make_care_order(user, TODAY, ordonnance_on=dt.date(2025, 10, 6), last="Termine", number="26/200/00002",
                            obligation_end_on="01/11/2026")
    measures.close(ended, "fin_obligation", dt.date(2026, 11, 1), TODAY)


def _plain(payload: dict[str, Any]) -> dict[str, Any]:
    def strip(value: Any) -> Any:
        if isinstance(value, list):
            return [strip(v) for v in value if not (isinstance(v, dict) and v.get("action") == "import_json")]
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("mac", "integrity_mac", "provenance")}
        return value

    return {k: strip(v) for k, v in payload.items() if k not in ("exported_at", "integrity")}


def test_the_injonction_de_soins_goes_out_and_comes_back(fresh_database) -> None:
    _populate()
    first = json_export.export_all()
    (professional,) = first["professionals"]
    assert professional["coordinator_listings"][0]["status"] == "inscrit_liste"
    is_measures = [m for m in first["measures"] if m["kind"] == "injonction_de_soins"]
    assert {m["outcome"] for m in is_measures} == {None, "fin_obligation"}
    assert is_measures[0]["ordonnance_on"] == "2025-10-06" and is_measures[0]["attestation_deliveries"]
    assert is_measures[0]["orientations"][0]["treating_role"] == "psychologue_traitant"
    fresh_database()
    json_export.import_all(first)
    assert _plain(json_export.export_all()) == _plain(first)
    assert CoordinatorListing.select().count() == 1 and AttestationDelivery.select().count() == 1


def test_an_export_of_the_version_before_still_imports(fresh_database) -> None:
    make_dossier()
    payload = json_export.export_all()
    before = migrations.version_of(migrations._v11_injonction_de_soins) - 1
    payload["schema_version"] = before
    for professional in payload["professionals"]:
        del professional["coordinator_listings"]
        for key in ("psychiatrist_since", "specialist_since"):
            del professional[key]
    for measure in payload["measures"]:
        del measure["attestation_deliveries"]
        for key in ("ordonnance_on", "ordonnance_reference", "sentence", "obligation_end_on", "expert_name",
                    "jap_tribunal", "cap_override_reason"):
            del measure[key]
        for orientation in measure["orientations"]:
            del orientation["treating_role"]
    fresh_database()
    counts = json_export.import_all(payload)
    assert counts["measures"] == 1 and counts["coordinator_listings"] == 0
    assert Measure.get().ordonnance_on is None and Measure.get().kind == "injonction_therapeutique"
