"""What the first start records (identity, phone, habilitation) and the auto-lock bounds."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import AuditEvent, Habilitation, Professional, RegisterEvent, Setting
from injonctions_tui.domain.store.professionals import habilitation_from_text, habilitation_on
from injonctions_tui.domain.store.settings import (LOCK_MINUTES_KEY, CourtSettings, first_configuration, lock_minutes,
                                                   normalise_lock_minutes, save_lock_minutes)

IDENTITY = {"last_name": "Prunelle", "first_name": "Léon", "profession": "psychologue", "rpps_adeli": None,
            "csapa_name": "CSAPA Les Tilleuls (fictif)", "csapa_address": "1 rue de l'Exemple, 92000 Nanterre"}


def typed(reference: str = "ARS-IDF-2026-042", decision_on: str = "15/01/2026", list_year: str = "2026",
          valid_until: str = "") -> dict[str, str]:
    return {"reference": reference, "decision_on": decision_on, "list_year": list_year, "valid_until": valid_until}


def test_the_habilitation_as_typed_defaults_to_the_end_of_the_lists_year() -> None:
    decision = habilitation_from_text(**typed())
    assert decision is not None
    assert (decision.reference, decision.decision_on, decision.list_year, decision.valid_until) == (
        "ARS-IDF-2026-042", dt.date(2026, 1, 15), 2026, dt.date(2026, 12, 31))
    december = habilitation_from_text(**typed(decision_on="2025-12-10", list_year="2026"))
    assert december.valid_until == dt.date(2026, 12, 31)  # a December decision for the next year's list
    assert habilitation_from_text(**typed(reference=" ", decision_on="", list_year="2026")) is None  # not yet


@pytest.mark.parametrize(("values", "field", "message"), [
    (typed(reference=""), "reference", "N° de la décision : obligatoire"),
    (typed(decision_on=""), "decision_on", "date manquante"),
    (typed(decision_on="31/02/2026"), "decision_on", "n'existe pas dans le calendrier"),
    (typed(list_year="deux mille"), "list_year", "Année de la liste"),
    (typed(list_year="2030"), "list_year", "Année de la liste"),
    (typed(valid_until="32/12/2026"), "valid_until", "Valable jusqu'au"),
    (typed(valid_until="14/01/2026"), "valid_until", "précède la décision du 15/01/2026"),
])
def test_each_mistake_names_its_field_in_french(values: dict[str, str], field: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        habilitation_from_text(**values)
    assert caught.value.field == field and message in caught.value.message


def test_first_configuration_records_the_phone_and_the_habilitation_together(db: object) -> None:
    first_configuration(CourtSettings(), habilitation=habilitation_from_text(**typed()), phone="0102030405",
                        **IDENTITY)
    user = Professional.get(Professional.is_user == True)  # noqa: E712
    assert user.phone == "01 02 03 04 05"
    assert habilitation_on(user, dt.date(2026, 11, 23)).decision_reference == "ARS-IDF-2026-042"
    assert RegisterEvent.get().action == "statut"


def test_first_configuration_is_all_or_nothing(db: object) -> None:
    with pytest.raises(InvalidInput, match="Téléphone du CSAPA"):
        first_configuration(CourtSettings(), habilitation=habilitation_from_text(**typed()), phone="12", **IDENTITY)
    assert (Professional.select().count(), Habilitation.select().count(), Setting.select().count()) == (0, 0, 0)


def test_the_lock_delay_is_between_1_and_15_minutes(db: object) -> None:
    assert lock_minutes() == 5  # never set
    for refused in (0, 16, 60, -1):
        with pytest.raises(InvalidInput, match="entre 1 et 15 minutes"):
            save_lock_minutes(refused)
    save_lock_minutes(15)
    assert lock_minutes() == 15 and normalise_lock_minutes() is None


@pytest.mark.parametrize(("stored", "read"), [(0, 15), (-5, 15), (60, 15), (240, 15), (3, 3), ("\"x\"", 5)])
def test_an_older_stored_delay_is_clamped_on_read_then_stored_once(db: object, stored: object, read: int) -> None:
    Setting.replace(key=LOCK_MINUTES_KEY, value=stored if isinstance(stored, str) else json.dumps(stored)).execute()
    assert lock_minutes() == read
    message = normalise_lock_minutes()
    if isinstance(stored, int) and stored != read:
        assert message and f"{read} minutes" in message
        assert json.loads(Setting.get(Setting.key == LOCK_MINUTES_KEY).value) == read
        assert AuditEvent.get().action == "parametres_verrouillage"
    else:
        assert message is None
    assert normalise_lock_minutes() is None  # said once


def test_a_passphrase_longer_than_zxcvbn_accepts_is_estimated_not_a_crash() -> None:
    """The wizard estimates while typing: 80 characters (or keys typed before Tab was seen)
    used to stop the app (zxcvbn refuses more than 72)."""
    from injonctions_tui.domain.store.passphrase import strength_label, weakness

    phrase = ("une phrase secrète assez longue pour tester " * 2).strip()
    assert len(phrase) > 72
    assert strength_label(phrase).startswith("très solide") and weakness(phrase) is None
