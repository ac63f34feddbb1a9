"""The audit trail: who did what, when, to which record (issue 8 extends it)."""

from __future__ import annotations

from ..core.models import AuditEvent
from .professionals import current_user


def record(action: str, entity: str | None = None, entity_id: int | None = None,
           details: str = "") -> None:
    """Append one event. `details` must never hold personal data beyond ids."""
    user = current_user()
    actor = user.full_name if user else "système"
    AuditEvent.create(actor=actor, action=action, entity=entity, entity_id=entity_id,
                      details=details[:500])
