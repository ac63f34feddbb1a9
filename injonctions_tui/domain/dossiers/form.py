"""The dossier form: identity of the person and the measure, validated as a whole.

A form is a dict of strings (what the screen's inputs hold). `validate` returns the
clean values and, per field, the French error to show beside it; `save` writes the
person and the measure in one transaction, or nothing at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any

from ..core.dates import age_on, format_fr, parse_date
from ..core.errors import InvalidInput, NeedsConfirmation
from ..core.models import Measure, Person, Professional, database
from ..core.validation import MAX_TEXT, clean_text, parse_email, parse_parquet_number, parse_phone
from ..core.vocabulary import Authority, MeasureStatus, Public, Stage
from ..store import audit

MIN_AGE, MAX_AGE = 10, 100


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    target: str  # "person" or "measure": the model the value belongs to
    kind: str = "text"  # text, date, choice, bool (the screen picks the widget)
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""


def _choices(enum: type[StrEnum], *, blank: str | None = None) -> tuple[tuple[str, str], ...]:
    from ..core.vocabulary import LABELS

    items = tuple((LABELS[m], m.value) for m in enum)
    return ((blank, ""),) + items if blank else items


FIELDS: tuple[FormField, ...] = (
    FormField("last_name", "Nom", "person", required=True),
    FormField("first_name", "Prénom", "person", required=True),
    FormField("birth_date", "Date de naissance", "person", "date", required=True),
    FormField("address", "Adresse", "person"),
    FormField("phone", "Téléphone", "person"),
    FormField("email", "Courriel", "person"),
    FormField("is_protected_adult", "Majeur protégé", "person", "bool"),
    FormField("guardian_name", "Tuteur / curateur", "person"),
    FormField("guardian_contact", "Contact du tuteur", "person"),
    FormField("parquet_number", "N° de parquet", "measure", required=True),
    FormField("authority", "Autorité", "measure", "choice", required=True, choices=_choices(Authority)),
    FormField("stage", "Stade de la procédure", "measure", "choice", required=True, choices=_choices(Stage)),
    FormField("magistrat_referent", "Magistrat référent", "measure"),
    FormField("facts_on", "Date des faits", "measure", "date", hint="Détermine le public : mineur à la date des faits"),
    FormField("decision_on", "Date de la décision", "measure", "date",
              hint="La mesure commence ce jour-là : M3, M6, fin prévue et durée maximale en découlent"),
    FormField("saisine_received_on", "Saisine reçue le", "measure", "date", required=True),
    FormField("start_on", "Autre début (saisine)", "measure", "date",
              hint="Seulement si la saisine fixe un autre début que la date de la décision"),
    FormField("public_override", "Public (forcer)", "measure", "choice",
              choices=_choices(Public, blank="Automatique (selon la date des faits)")),
)
FIELD_BY_KEY = {field.key: field for field in FIELDS}


def _parser(field: FormField) -> Callable[[str], Any]:
    if field.kind == "date":
        return lambda text: parse_date(text, field.label) if text.strip() else None
    if field.kind == "bool":
        return lambda text: text.strip().lower() in {"1", "oui", "true", "o", "x"}
    if field.kind == "choice":
        allowed = {value for _, value in field.choices}
        def parse_choice(text: str) -> str | None:
            if text not in allowed:
                raise InvalidInput(f"{field.label} : choisissez dans la liste.")
            return text or None
        return parse_choice
    if field.key == "phone":
        return parse_phone
    if field.key == "email":
        return parse_email
    if field.key == "parquet_number":
        return parse_parquet_number
    limit = MAX_TEXT if field.key in {"address", "guardian_contact"} else 120
    return partial(clean_text, label=field.label, limit=limit)


def values_from(measure: Measure | None) -> dict[str, str]:
    """The form's strings for an existing dossier (or the defaults of a new one)."""
    if measure is None:
        return {f.key: "" for f in FIELDS} | {"authority": Authority.PROCUREUR.value,
                                               "stage": Stage.ALTERNATIVE_POURSUITES.value}
    values: dict[str, str] = {}
    for field in FIELDS:
        source = measure.person if field.target == "person" else measure
        value = getattr(source, field.key)
        if field.kind == "date":
            values[field.key] = format_fr(value)
        elif field.kind == "bool":
            values[field.key] = "oui" if value else ""
        else:
            values[field.key] = "" if value is None else str(value)
    return values


def validate(values: dict[str, str], today: dt.date) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean values and per-field French errors (empty when the form is valid)."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in FIELDS:
        text = values.get(field.key, "") or ""
        if field.required and not text.strip():
            errors[field.key] = f"{field.label} : champ obligatoire."
            continue
        try:
            clean[field.key] = _parser(field)(text)
        except InvalidInput as error:
            errors[field.key] = error.message
    if not errors:
        errors.update(_cross_checks(clean, today))
    return clean, errors


def _cross_checks(clean: dict[str, Any], today: dt.date) -> dict[str, str]:
    """Dates in the order of the procedure; a plausible age; nothing in the future."""
    errors: dict[str, str] = {}
    birth = clean["birth_date"]
    chain = [key for key in ("facts_on", "decision_on", "saisine_received_on") if clean.get(key)]
    for earlier, later in zip(chain, chain[1:]):
        if clean[later] < clean[earlier]:
            errors[later] = (f"{FIELD_BY_KEY[later].label} : antérieure à la "
                             f"{FIELD_BY_KEY[earlier].label.lower()} ({format_fr(clean[earlier])}).")
    for key in ("facts_on", "decision_on", "saisine_received_on", "birth_date"):
        if clean.get(key) and clean[key] > today:
            errors[key] = f"{FIELD_BY_KEY[key].label} : date dans le futur."
    reference = clean.get("facts_on") or clean["saisine_received_on"]
    if birth and reference and "birth_date" not in errors:
        age = age_on(birth, reference)
        if not MIN_AGE <= age <= MAX_AGE:
            errors["birth_date"] = (f"Date de naissance : {age} ans à la date des faits ; "
                                    f"vérifiez-la (entre {MIN_AGE} et {MAX_AGE} ans).")
    start, decision = clean.get("start_on"), clean.get("decision_on")
    if start and decision and start < decision:
        errors["start_on"] = f"Autre début : antérieur à la décision ({format_fr(decision)})."
    if start and start > today:
        errors["start_on"] = "Autre début : date dans le futur."
    if clean.get("guardian_name") and not clean.get("is_protected_adult"):
        errors["is_protected_adult"] = "Un tuteur est indiqué : cochez « Majeur protégé »."
    return errors


class FormRejected(InvalidInput):
    """The form has errors; nothing was saved."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(f"{len(errors)} champ(s) à corriger ; rien n'a été enregistré.")
        self.errors = errors


def _namesake_question(namesake: Person) -> NeedsConfirmation:
    from .identity import describe, latest_dossier

    dossier = latest_dossier(namesake)
    known = f"a déjà un dossier ({describe(dossier)})" if dossier else "est déjà enregistré(e)"
    return NeedsConfirmation(
        [f"{namesake.full_name}, né(e) le {format_fr(namesake.birth_date)}, {known}."],
        "Le nouveau dossier sera rattaché à cette même personne. Continuer ?", codes=("homonyme",))


def save(values: dict[str, str], today: dt.date, *, measure_id: int | None = None,
         professional: Professional | None = None, same_person_confirmed: bool = False) -> Measure:
    """Create or update the dossier in one transaction; raise FormRejected otherwise.

    A parquet number another dossier has is an error on its field; a new dossier for
    a person of the same name and birth date asks first (NeedsConfirmation), then is
    attached to that person (`same_person_confirmed`): one person, counted once.
    """
    from .identity import check_parquet_free, namesakes

    clean, errors = validate(values, today)
    if not errors:
        try:
            check_parquet_free(clean["parquet_number"], except_measure_id=measure_id)
        except InvalidInput as error:
            errors["parquet_number"] = error.message
    if errors:
        raise FormRejected(errors)
    with database.atomic():
        if measure_id is None:
            if professional is not None:
                from ..store.professionals import check_habilitated  # the guard of the act (R3413-1 s.)

                check_habilitated(professional, today)
            twins = namesakes(clean["last_name"], clean["first_name"], clean["birth_date"])
            if twins and not same_person_confirmed:
                raise _namesake_question(twins[0])
            person = twins[0] if twins else Person()
            if twins:  # what the form leaves empty keeps what the person's file already has
                clean = {k: v for k, v in clean.items()
                         if FIELD_BY_KEY[k].target == "measure" or v not in (None, "", False)}
            measure = Measure(person=person, professional=professional,
                              status=MeasureStatus.A_CONVOQUER.value)
        else:
            measure = Measure.get_by_id(measure_id)
            if measure.status == MeasureStatus.CLOTURE.value:
                raise InvalidInput("Dossier clôturé : rouvrez-le pour le modifier.")
            person = measure.person
        for field in FIELDS:
            if field.key in clean:
                setattr(person if field.target == "person" else measure, field.key, clean[field.key])
        if measure.professional is not None:  # a declared conflict of interest forbids it
            from .conflicts import check_conflict

            check_conflict(measure.professional, person, on=today)
        person.save()
        measure.person = person
        measure.save()
        audit.record("creation_dossier" if measure_id is None else "modification_dossier",
                     "measure", measure.id)
    return measure
