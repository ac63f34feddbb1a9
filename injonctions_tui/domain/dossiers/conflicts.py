"""Conflict-of-interest declarations: persons a professional must not follow.

Why: the habilitated professional must have no family, professional or care link with the
person under the measure (DOMAIN.md "The measure", step 4); the médecin coordonnateur of an
injonction de soins no « expertal » one either: they cannot have been the person's expert
(seed 004), declared here or read from the dossier's expert. The professional declares
those persons once; a dossier assigned to them is then refused with a clear message.
Matching is on the folded name (accents, case, hyphens ignored: text.search_key) plus the
birth date when both sides have one; a declaration without a birth date matches on the
name alone and says so, because refusing a namesake is better than following a relative.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..core.dates import format_fr
from ..core.errors import InvalidInput
from ..core.models import ConflictDeclaration, Measure, Person, Professional, database
from ..core.text import search_key
from ..core.validation import clean_text
from ..core.vocabulary import ConflictCategory, label
from ..register.caseload import check_capacity, record_cap_override
from ..register.history import log
from ..store.coordinator import check_may_act
from .measures import assign_professional, names_professional

_WORD = re.compile(r"[a-z0-9]+")


def _words(name: str | None) -> tuple[str, ...]:
    """"Lefèvre-Démo" and "LEFEVRE demo" give the same words."""
    return tuple(_WORD.findall(search_key(name or "")))


@dataclass(frozen=True)
class ConflictMatch:
    declaration: ConflictDeclaration
    #: "personne" (linked to that record), "nom_et_naissance", or "nom_seul".
    basis: str

    @property
    def message(self) -> str:
        d = self.declaration
        who = f"{d.first_name} {d.last_name.upper()}"
        text = (f"Conflit d'intérêts : {d.professional.full_name} a déclaré le {format_fr(d.declared_on)} "
                f"ne pas pouvoir suivre {who} ({label(d.category).lower()}).")
        if self.basis == "nom_seul":
            text += (" Rapprochement sur le nom seul (date de naissance absente de la déclaration ou du "
                     "dossier) : s'il s'agit d'un homonyme, complétez la date de naissance.")
        return text + " Confiez ce dossier à un autre professionnel habilité."


def declare_conflict(professional: Professional, *, category: str, declared_on: dt.date,
                     person: Person | None = None, last_name: str | None = None,
                     first_name: str | None = None, birth_date: dt.date | None = None,
                     note: str | None = None) -> ConflictDeclaration:
    """Declare a person the professional must not follow: a person already in the base, or a
    free name (a relative, a colleague, a patient) with the birth date when known."""
    try:
        category = ConflictCategory(category).value
    except ValueError:
        raise InvalidInput("Nature du lien : choisissez dans la liste (familial, professionnel, de soin, "
                           "d'expertise).") from None
    if not isinstance(declared_on, dt.date):
        raise InvalidInput("Déclaré le : date manquante (format JJ/MM/AAAA).")
    if person is not None:
        last_name, first_name = person.last_name, person.first_name
        birth_date = birth_date or person.birth_date
    last_name = clean_text(last_name, "Nom de la personne", required=True)
    first_name = clean_text(first_name, "Prénom de la personne", required=True)
    if birth_date is not None and (not isinstance(birth_date, dt.date) or birth_date > declared_on):
        raise InvalidInput("Date de naissance : invalide ou postérieure à la déclaration.")
    note = clean_text(note, "Note", limit=500)
    with database.atomic():
        declaration = ConflictDeclaration.create(
            professional=professional, person=person, last_name=last_name, first_name=first_name,
            birth_date=birth_date, category=category, note=note, declared_on=declared_on)
        # The history names the link, never the person (it is printed with the register).
        log(professional, "conflit", f"Déclaration n° {declaration.id} ({label(category).lower()}) "
            f"du {format_fr(declared_on)}", audit_details=f"declaration={declaration.id}")
    return declaration


def end_conflict(declaration: ConflictDeclaration, on: dt.date, reason: str) -> None:
    """The link no longer exists (declared by the professional): the check stops from `on`."""
    reason = clean_text(reason, "Motif", required=True, limit=500)
    if not isinstance(on, dt.date) or on < declaration.declared_on:
        raise InvalidInput(f"Fin de la déclaration : date manquante ou antérieure au "
                           f"{format_fr(declaration.declared_on)}.")
    with database.atomic():
        declaration.ended_on = on
        declaration.save()
        log(declaration.professional, "conflit_fin", f"Déclaration n° {declaration.id} close le "
            f"{format_fr(on)} : {reason}", audit_details=f"declaration={declaration.id}")


def declarations(professional: Professional, *, on: dt.date | None = None) -> list[ConflictDeclaration]:
    """The professional's declarations, those in force on `on` when given."""
    query = ConflictDeclaration.select().where(ConflictDeclaration.professional == professional)
    if on is not None:
        query = query.where((ConflictDeclaration.declared_on <= on)
                            & (ConflictDeclaration.ended_on.is_null() | (ConflictDeclaration.ended_on > on)))
    return list(query.order_by(ConflictDeclaration.declared_on, ConflictDeclaration.id))


def _match(declaration: ConflictDeclaration, person: Person) -> ConflictMatch | None:
    if person.id is not None and declaration.person_id == person.id:
        return ConflictMatch(declaration, "personne")
    if (_words(declaration.last_name) != _words(person.last_name)
            or _words(declaration.first_name) != _words(person.first_name)):
        return None
    if declaration.birth_date and person.birth_date:
        same = declaration.birth_date == person.birth_date
        return ConflictMatch(declaration, "nom_et_naissance") if same else None
    return ConflictMatch(declaration, "nom_seul")


def find_conflicts(professional: Professional, person: Person, *, on: dt.date | None = None) -> list[ConflictMatch]:
    """Every declaration of the professional that designates this person (saved or not yet)."""
    found = [_match(d, person) for d in declarations(professional, on=on)]
    return [m for m in found if m is not None]


def check_conflict(professional: Professional, person: Person, *, on: dt.date | None = None) -> None:
    """Refuse (InvalidInput, in French) when the professional declared this person."""
    matches = find_conflicts(professional, person, on=on)
    if matches:
        raise InvalidInput(matches[0].message)


def check_expertal(professional: Professional, expert_name: str | None) -> None:
    """Seed 004: the coordonnateur has no « expertal » conflict with the person: they cannot
    have been the expert whose psychiatric expertise preceded the measure."""
    if expert_name and names_professional(professional, expert_name):
        raise InvalidInput(f"Conflit d'intérêts ({label(ConflictCategory.EXPERTAL).lower()}) : "
                           f"{professional.full_name} a réalisé l'expertise de cette personne et ne peut pas en "
                           "être le médecin coordonnateur. Le juge de l'application des peines doit en désigner "
                           "un autre.")


def assign_with_checks(measure: Measure, professional: Professional, on: dt.date,
                       override_reason: str | None = None) -> None:
    """Assign a dossier after every check of the register: the right to act on that date (the
    ARS habilitation, or the coordonnateur's list entry for an injonction de soins), no declared
    conflict with the person (nor an expertal one), room under the caseload cap of the measure's
    kind (beyond a legal cap, only with a reason, recorded)."""
    with database.atomic():
        check_may_act(professional, measure.kind, on)
        check_conflict(professional, measure.person, on=on)
        check_expertal(professional, measure.expert_name)
        reason = check_capacity(professional, measure.kind, person=measure.person, override_reason=override_reason)
        if reason:
            measure.cap_override_reason = reason
        assign_professional(measure, professional, on)
        if reason:
            record_cap_override(measure)
