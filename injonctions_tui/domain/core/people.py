"""Rules about persons: minority at the date of the facts, the permanence they go to.

Minority is judged at the date of the facts (juvenile criminal law, DOMAIN.md
"Minors"): a person who was 17 then and is 19 now still belongs to the minors'
permanence. The professional may override it (our choice), e.g. when the facts
date is unknown.
"""

from __future__ import annotations

import datetime as dt

from .dates import age_on
from .models import Measure
from .vocabulary import Public

MAJORITY_AGE = 18


def was_minor_at(birth_date: dt.date | None, facts_on: dt.date | None) -> bool | None:
    """Minor on the date of the facts? None when either date is unknown."""
    if birth_date is None or facts_on is None:
        return None
    return age_on(birth_date, facts_on) < MAJORITY_AGE


def public_for(birth_date: dt.date | None, facts_on: dt.date | None,
               override: str | None = None, fallback_on: dt.date | None = None) -> Public:
    """The permanence a person belongs to.

    Order: the manual override; else minority at the facts; else (facts date
    unknown) minority on `fallback_on` (typically the saisine date); else adults.
    """
    if override:
        return Public(override)
    minor = was_minor_at(birth_date, facts_on)
    if minor is None:
        minor = was_minor_at(birth_date, fallback_on)
    return Public.MINEURS if minor else Public.MAJEURS


def measure_public(measure: Measure) -> Public:
    return public_for(measure.person.birth_date, measure.facts_on,
                      measure.public_override, measure.saisine_received_on)


def is_adult_now_but_minor_at_facts(birth_date: dt.date | None, facts_on: dt.date | None,
                                     today: dt.date) -> bool:
    """The case the agenda must flag: seen on Monday although adult today."""
    return bool(was_minor_at(birth_date, facts_on)) and age_on(birth_date, today) >= MAJORITY_AGE  # type: ignore[arg-type]
