"""The attestations de suivi delivered to a person under an injonction de soins.

Why recorded: seed 004 asks for them « à intervalles réguliers »; the deadline engine counts
the next one from the last delivered (deadlines/engine.py), and the next attestation covers
the period since the previous one. Written when the document is produced
(documents/catalogue.py), never by a preview.
"""

from __future__ import annotations

import datetime as dt

from ..core.models import AttestationDelivery, Measure
from ..core.rules import is_care_order
from ..core.vocabulary import MeasureStatus
from ..store import audit


def previous_delivery(measure: Measure, before: dt.date) -> dt.date | None:
    """The last attestation delivered before `before` (the period of the next one starts there)."""
    row = (AttestationDelivery.select(AttestationDelivery.delivered_on)
           .where((AttestationDelivery.measure == measure) & (AttestationDelivery.delivered_on < before))
           .order_by(AttestationDelivery.delivered_on.desc()).first())
    return row.delivered_on if row else None


def record_delivery(measure_id: int, today: dt.date) -> None:
    """An attestation de suivi was printed for the person: the deadline engine counts the next
    one from today (once a day at most)."""
    measure = Measure.get_or_none(Measure.id == measure_id)
    if measure is None or not is_care_order(measure.kind) or measure.status == MeasureStatus.CLOTURE:
        return
    if not AttestationDelivery.select().where((AttestationDelivery.measure == measure)
                                              & (AttestationDelivery.delivered_on == today)).exists():
        delivery = AttestationDelivery.create(measure=measure, delivered_on=today)
        audit.record("attestation_suivi_remise", "measure", measure.id, f"remise={delivery.id}")


def deliveries(measure_id: int) -> list[dt.date]:
    """The days attestations were delivered, oldest first (the dossier's timeline)."""
    return [row.delivered_on for row in AttestationDelivery.select(AttestationDelivery.delivered_on)
            .where(AttestationDelivery.measure == measure_id).order_by(AttestationDelivery.delivered_on)]
