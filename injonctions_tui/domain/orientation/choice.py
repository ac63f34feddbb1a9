"""The choice of the treating doctor at the orientation, picked from the directory or typed.

The person (a minor's legal representatives, a protected adult's guardian: R3413-12) picks
from the directory, filtered by the public the person belongs to for care — their age on
the day of the choice, not at the facts (a person who was a minor at the facts and is an
adult now goes to an adults' structure) — or names a new doctor or structure, which joins
the directory so it is never typed twice. The rules of the choice itself (never the user,
dated in the possible, the chooser the law says) stay in dossiers/measures.py.
"""

from __future__ import annotations

import datetime as dt

from ..core.dates import age_on
from ..core.errors import InvalidInput
from ..core.models import Measure, Orientation, Professional, database
from ..core.people import MAJORITY_AGE, measure_public
from ..core.vocabulary import Public, StructurePublic, label
from ..dossiers.measures import choose_orientation, expected_chooser, load_measure
from .directory import EntryValues, publics_for, same_entry, save_entry, structure_row


def care_public(measure: Measure, on: dt.date) -> Public:
    """The public whose structures may receive the person on `on`: their age that day, else
    (no birth date) the public of the measure."""
    birth = measure.person.birth_date
    if birth is None:
        return measure_public(measure)
    return Public.MINEURS if age_on(birth, on) < MAJORITY_AGE else Public.MAJEURS


def choice_defaults(measure_id: int, on: dt.date) -> tuple[Public, str]:
    """What the picker proposes: the public to filter on, and who chooses (R3413-12)."""
    measure = load_measure(measure_id)
    return care_public(measure, on), expected_chooser(measure, on).value


def choose_structure(measure_id: int, *, entry_id: int | None = None, new: EntryValues | None = None,
                     doctor: str | None, chosen_on: dt.date, chosen_by: str, minor_agreement: bool | None = None,
                     user: Professional | None = None) -> Orientation:
    """Record the choice of the directory's entry `entry_id`, or of `new` (added to the
    directory first; an entry already there under the same name and address is reused).
    All or nothing: a refused choice adds nothing to the directory."""
    with database.atomic():
        measure = load_measure(measure_id)
        if entry_id is not None:
            row = structure_row(entry_id)
        elif new is not None:
            row = same_entry(new) or structure_row(save_entry(None, new).id)
        else:
            raise InvalidInput("Choisissez une structure de l'annuaire, ou saisissez-en une nouvelle.")
        public = care_public(measure, chosen_on) if isinstance(chosen_on, dt.date) else None
        if public is not None and row.public not in (publics_for(public) or ()):
            raise InvalidInput(f"« {row.name} » reçoit les {label(StructurePublic(row.public)).lower()} : la personne "
                               f"relève des structures pour les {label(public).lower()} le jour du choix. Choisissez "
                               "une autre structure, ou corrigez le public de celle-ci dans l'annuaire.")
        return choose_orientation(measure, structure=row.name, doctor=doctor, address=row.address,
                                  chosen_on=chosen_on, chosen_by=chosen_by, user=user, treating_structure=row,
                                  minor_agreement=minor_agreement)
