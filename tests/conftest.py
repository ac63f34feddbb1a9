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
