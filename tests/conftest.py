"""Shared fixtures: a real encrypted SQLCipher database in a temporary folder.

Tests use cheap argon2 parameters (`FAST_KDF`) so each fresh database costs
milliseconds; one test in test_storage.py checks the production parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from injonctions_tui.domain import storage

PASSPHRASE = "phrase de test suffisamment longue"

#: A Monday, so the minors' permanence is "today" in tests that need a fixed date.
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "donnees" / "injonctions.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[object]:
    """A fresh, migrated, encrypted database bound to the models."""
    database = storage.create_database(db_path, PASSPHRASE, kdf=storage.FAST_KDF)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def configured_db_path(db, db_path: Path) -> Path:
    """A closed database with a user and court settings, as after the wizard."""
    from injonctions_tui.domain.professionals import create_user
    from injonctions_tui.domain.settings import CourtSettings, save_court

    from injonctions_tui.domain.professionals import record_habilitation

    user = create_user(last_name="Prunelle", first_name="Léon", profession="psychologue", rpps_adeli=None,
                       csapa_name="CSAPA Les Tilleuls (test)", csapa_address="1 rue de l'Exemple, 92000 Nanterre")
    record_habilitation(user, decision_on=dt.date(2026, 1, 15), reference="ARS-TEST-2026-001",
                        valid_until=dt.date(2026, 12, 31))
    save_court(CourtSettings())
    db.close()
    return db_path
