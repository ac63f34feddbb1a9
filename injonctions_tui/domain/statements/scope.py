"""Which measures a statement counts: the user's own (the annual statement and the bilan)."""

from __future__ import annotations

from typing import Any

from peewee import fn

from ..core.models import Measure
from ..core.rules import MeasureKind
from ..store.professionals import current_user


def own_measures(kind: str | MeasureKind) -> Any:
    """Measures of `kind` followed by the user: assigned to them, or to nobody yet.

    A measure assigned to a colleague of the register is theirs to declare and count.

    Written with COALESCE (same rows as "IS NULL OR = user") so SQLite cannot drive the
    query from the `professional_id` index, which holds nearly every measure: it then
    starts from the date range instead (appointment.starts_at), 5x faster on 50 000
    measures (bench/RESULTS.md).
    """
    user = current_user()
    condition = Measure.kind == MeasureKind(kind).value
    if user is None:
        return condition & Measure.professional.is_null()
    return condition & (fn.COALESCE(Measure.professional, user.id) == user.id)
