"""The habilitation register as a list (issue 6 adds eligibility and revision)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .models import Professional
from .professionals import habilitation_on, latest_habilitation
from .vocabulary import label

EXPIRY_WARNING_DAYS = 60


@dataclass(frozen=True)
class RegisterRow:
    professional_id: int
    name: str
    profession: str
    rpps_adeli: str
    csapa: str
    status: str
    valid_until: dt.date | None
    habilitated_today: bool
    expires_soon: bool
    is_user: bool


def register_rows(today: dt.date) -> list[RegisterRow]:
    rows = []
    for professional in Professional.select().order_by(Professional.last_name, Professional.first_name):
        current = habilitation_on(professional, today)
        latest = current or latest_habilitation(professional)
        valid_until = latest.valid_until if latest else None
        rows.append(RegisterRow(
            professional_id=professional.id,
            name=professional.full_name,
            profession=label(professional.profession),
            rpps_adeli=professional.rpps_adeli or "",
            csapa=professional.csapa_name or "",
            status=label(latest.status) if latest else "Aucune décision",
            valid_until=valid_until,
            habilitated_today=current is not None,
            expires_soon=bool(current and valid_until
                              and (valid_until - today).days <= EXPIRY_WARNING_DAYS),
            is_user=professional.is_user,
        ))
    return rows
