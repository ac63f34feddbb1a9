"""The orientation's tests: a permanence of Thursday 19 November 2026 on the real encrypted base."""

from __future__ import annotations

import pytest

from tests.factories.orientation import Permanence, permanence


@pytest.fixture
def perm(db: object) -> Permanence:
    """A user, a directory of three fictional structures, an adult, a minor and a protected adult evaluated."""
    return permanence()
