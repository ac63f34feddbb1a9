"""The domain's tests: fixtures shared by several capabilities."""

from __future__ import annotations

import pytest

from tests.factories.documents import document_data


@pytest.fixture
def data(db: object) -> dict[str, object]:
    """A user with a current habilitation, an adult, a minor with two parents, saisines."""
    return document_data()
