"""The dossier form: identity of the person and the measure, validated as a whole.

A form is a dict of strings (what the screen's inputs hold). `validate` returns the
clean values and, per field, the French error to show beside it; `save` writes the
person and the measure in one transaction, or nothing at all.

One form for both measures (issue 21): the « Mesure » field chooses the injonction
thérapeutique (the default) or the injonction de soins; a field belongs to one of them
or to both (`kinds`), and is labelled in the measure's own words (`label_for`): for an
injonction de soins, the JAP, the case number at the JAP's office, the ordonnance
appointing the coordonnateur, the sentence and the end of the obligation
(DOMAIN.md "The sister measure"). A field of the other measure is ignored, not saved.
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
from ..core.models import Appointment, Measure, Person, Professional, Report, database
from ..core.rules import MEASURE_KIND_LABELS, MeasureKind, is_care_order
from ..core.validation import MAX_TEXT, clean_text, parse_email, parse_parquet_number, parse_phone
from ..core.vocabulary import Authority, MeasureStatus, Public, Sentence, Stage
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
    #: The measures the field belongs to (empty: both).
    kinds: tuple[str, ...] = ()
    #: Its label and hint for an injonction de soins, when they differ.
    care_order_label: str = ""
    care_order_hint: str | None = None

    def applies_to(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds

    def label_for(self, kind: str) -> str:
        return self.care_order_label if is_care_order(kind) and self.care_order_label else self.label

    def hint_for(self, kind: str) -> str:
        return self.care_order_hint if is_care_order(kind) and self.care_order_hint is not None else self.hint


def _choices(enum: type[StrEnum], *, blank: str | None = None) -> tuple[tuple[str, str], ...]:
    from ..core.vocabulary import LABELS

    items = tuple((LABELS[m], m.value) for m in enum)
    return ((blank, ""),) + items if blank else items


IT, IS = MeasureKind.INJONCTION_THERAPEUTIQUE.value, MeasureKind.INJONCTION_DE_SOINS.value
#: Who may order an injonction de soins: the trial court or the JAP (seed 004), at those stages.
CARE_ORDER_AUTHORITIES = (Authority.TRIBUNAL.value, Authority.JAP.value)
CARE_ORDER_STAGES = (Stage.JUGEMENT.value, Stage.APPLICATION_PEINES.value)

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
    FormField("kind", "Mesure", "measure", "choice", required=True,
              choices=tuple((text, kind.value) for kind, text in MEASURE_KIND_LABELS.items()),
              hint="Injonction de soins : suivi par le médecin coordonnateur, au cabinet"),
    FormField("parquet_number", "N° de parquet", "measure", required=True,
              care_order_label="N° de dossier (JAP)"),
    FormField("authority", "Autorité", "measure", "choice", required=True, choices=_choices(Authority),
              care_order_hint="Juridiction de jugement ou juge de l'application des peines"),
    FormField("stage", "Stade de la procédure", "measure", "choice", required=True, choices=_choices(Stage)),
    FormField("magistrat_referent", "Magistrat référent", "measure",
              care_order_label="Juge de l'application des peines",
              care_order_hint="Le juge qui suit la mesure et vise l'état annuel"),
    FormField("facts_on", "Date des faits", "measure", "date", hint="Détermine le public : mineur à la date des faits",
              care_order_hint=""),
    FormField("decision_on", "Date de la décision", "measure", "date",
              hint="La mesure commence ce jour-là : M3, M6, fin prévue et durée maximale en découlent",
              care_order_label="Décision ordonnant l'IS",
              care_order_hint="Le jugement ou la décision du JAP qui a ordonné l'injonction de soins"),
    FormField("saisine_received_on", "Saisine reçue le", "measure", "date", required=True,
              care_order_label="Ordonnance reçue le"),
    FormField("ordonnance_on", "Ordonnance du JAP du", "measure", "date", kinds=(IS,),
              hint="L'ordonnance qui vous désigne médecin coordonnateur : convocations et rapport annuel en "
                   "découlent"),
    FormField("ordonnance_reference", "Référence de l'ordonnance", "measure", kinds=(IS,)),
    FormField("sentence", "Peine", "measure", "choice", kinds=(IS,),
              choices=_choices(Sentence, blank="Non précisée")),
    FormField("obligation_end_on", "Fin de l'obligation", "measure", "date", kinds=(IS,),
              hint="Le terme fixé par la juridiction (fin du suivi socio-judiciaire, de la peine…)"),
    FormField("jap_tribunal", "Tribunal du JAP", "measure", kinds=(IS,),
              hint="Vide : le tribunal des paramètres"),
    FormField("expert_name", "Expert (expertise préalable)", "measure", kinds=(IS,),
              hint="Le psychiatre qui a réalisé l'expertise : vous ne pouvez pas l'avoir été"),
    FormField("start_on", "Autre début (saisine)", "measure", "date",
              hint="Seulement si la saisine fixe un autre début que la date de la décision",
              care_order_label="Autre début", care_order_hint="Seulement s'il diffère de la date de l'ordonnance"),
    FormField("public_override", "Public (forcer)", "measure", "choice", kinds=(IT,),
              choices=_choices(Public, blank="Automatique (selon la date des faits)")),
    FormField("cap_override_reason", "Motif (au-delà de 60)", "measure", kinds=(IS,),
              hint="Seulement si vous suivez déjà 60 personnes : le plafond est légal, le motif est enregistré"),
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
    limit = MAX_TEXT if field.key in {"address", "guardian_contact", "cap_override_reason"} else 120
    return partial(clean_text, label=field.label, limit=limit)


def values_from(measure: Measure | None, kind: str = IT) -> dict[str, str]:
    """The form's strings for an existing dossier (or the defaults of a new one of `kind`)."""
    if measure is None:
        if is_care_order(kind):
            return {f.key: "" for f in FIELDS} | {"kind": IS, "authority": Authority.JAP.value,
                                                   "stage": Stage.APPLICATION_PEINES.value}
        return {f.key: "" for f in FIELDS} | {"kind": IT, "authority": Authority.PROCUREUR.value,
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
    """Clean values and per-field French errors (empty when the form is valid). The fields of
    the other measure are not read: they come back None."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    kind = values.get("kind") or IT
    for field in FIELDS:
        if not field.applies_to(kind if kind in (IT, IS) else IT):
            clean[field.key] = None
            continue
        text = values.get(field.key, "") or (IT if field.key == "kind" else "")
        name = field.label_for(kind)
        if field.required and not text.strip():
            errors[field.key] = f"{name} : champ obligatoire."
            continue
        try:
            clean[field.key] = _parser(field)(text)
        except InvalidInput as error:
            errors[field.key] = error.message.replace(field.label, name, 1)
    if not errors:
        errors.update(_cross_checks(clean, today))
        if is_care_order(clean["kind"]):
            errors.update(_care_order_checks(clean, today))
    return clean, errors


def _cross_checks(clean: dict[str, Any], today: dt.date) -> dict[str, str]:
    """Dates in the order of the procedure; a plausible age; nothing in the future."""
    errors: dict[str, str] = {}
    kind = clean.get("kind") or IT
    birth = clean["birth_date"]
    chain = [key for key in ("facts_on", "decision_on", "saisine_received_on") if clean.get(key)]
    for earlier, later in zip(chain, chain[1:]):
        if clean[later] < clean[earlier]:
            errors[later] = (f"{FIELD_BY_KEY[later].label_for(kind)} : antérieure à la "
                             f"{FIELD_BY_KEY[earlier].label_for(kind).lower()} ({format_fr(clean[earlier])}).")
    for key in ("facts_on", "decision_on", "saisine_received_on", "birth_date"):
        if clean.get(key) and clean[key] > today:
            errors[key] = f"{FIELD_BY_KEY[key].label_for(kind)} : date dans le futur."
    reference = clean.get("facts_on") or clean["saisine_received_on"]
    if birth and reference and "birth_date" not in errors:
        age = age_on(birth, reference)
        if not MIN_AGE <= age <= MAX_AGE:
            errors["birth_date"] = (f"Date de naissance : {age} ans à la date des faits ; "
                                    f"vérifiez-la (entre {MIN_AGE} et {MAX_AGE} ans).")
    start, decision = clean.get("start_on"), clean.get("decision_on")
    if start and decision and start < decision and not is_care_order(kind):
        errors["start_on"] = f"Autre début : antérieur à la décision ({format_fr(decision)})."
    if start and start > today:
        errors["start_on"] = "Autre début : date dans le futur."
    if clean.get("guardian_name") and not clean.get("is_protected_adult"):
        errors["is_protected_adult"] = "Un tuteur est indiqué : cochez « Majeur protégé »."
    return errors


def _care_order_checks(clean: dict[str, Any], today: dt.date) -> dict[str, str]:
    """An injonction de soins is ordered by the trial court or the JAP, after the sentence; the
    JAP's ordonnance appoints the coordonnateur; the obligation ends after it starts."""
    errors: dict[str, str] = {}
    field = FIELD_BY_KEY
    if clean["authority"] not in CARE_ORDER_AUTHORITIES:
        errors["authority"] = ("Autorité : une injonction de soins est ordonnée par la juridiction de jugement ou "
                               "par le juge de l'application des peines.")
    if clean["stage"] not in CARE_ORDER_STAGES:
        errors["stage"] = "Stade de la procédure : jugement ou application des peines pour une injonction de soins."
    ordonnance, decision = clean.get("ordonnance_on"), clean.get("decision_on")
    if ordonnance is None:
        errors["ordonnance_on"] = (f"{field['ordonnance_on'].label} : champ obligatoire (l'ordonnance qui vous "
                                   "désigne fixe le début des convocations et du rapport annuel).")
    elif ordonnance > today:
        errors["ordonnance_on"] = f"{field['ordonnance_on'].label} : date dans le futur."
    elif decision and ordonnance < decision:
        errors["ordonnance_on"] = f"Ordonnance du JAP : antérieure à la décision ordonnant l'IS ({format_fr(decision)})."
    start = clean.get("start_on") or ordonnance
    end = clean.get("obligation_end_on")
    if end and start and end <= start:
        errors["obligation_end_on"] = (f"Fin de l'obligation : elle doit suivre le début de la mesure "
                                       f"({format_fr(start)}).")
    if clean.get("start_on") and ordonnance and clean["start_on"] < ordonnance:
        errors["start_on"] = f"Autre début : antérieur à l'ordonnance du JAP ({format_fr(ordonnance)})."
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
    kind = clean["kind"]
    with database.atomic():
        if measure_id is None:
            if professional is not None:
                from ..store.coordinator import check_may_act  # the guard of the act (R3413-1 s., L3711-1)

                check_may_act(professional, kind, today)
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
            if measure.kind != kind:
                _check_kind_change(measure)
            person = measure.person
        joining = measure_id is None or measure.kind != kind
        for field in FIELDS:
            if field.key == "cap_override_reason" and not joining:
                continue  # recorded when the person joined the caseload, never overwritten
            if field.key in clean:
                setattr(person if field.target == "person" else measure, field.key, clean[field.key])
        if measure.professional is not None:  # a declared conflict of interest forbids it
            from .conflicts import check_conflict, check_expertal

            check_conflict(measure.professional, person, on=today)
            if is_care_order(kind):
                check_expertal(measure.professional, measure.expert_name)
        override = None
        if is_care_order(kind) and joining and measure.professional is not None:
            override = _check_cap(measure.professional, person, clean.get("cap_override_reason"))
        if not override:
            measure.cap_override_reason = None if joining else measure.cap_override_reason
        person.save()
        measure.person = person
        measure.save()
        audit.record("creation_dossier" if measure_id is None else "modification_dossier",
                     "measure", measure.id)
        if override:
            from ..register.caseload import record_cap_override

            record_cap_override(measure)
    return measure


def _check_kind_change(measure: Measure) -> None:
    """The kind of measure changes only before anything happened under it (its deadlines,
    documents and pay differ entirely)."""
    used = (Appointment.select().where(Appointment.measure == measure).exists()
            or Report.select().where(Report.measure == measure).exists())
    if used:
        raise FormRejected({"kind": "Mesure : le type ne se change plus une fois des entretiens ou des rapports "
                                    "enregistrés ; créez un nouveau dossier."})


def _check_cap(professional: Professional, person: Person, reason: str | None) -> str | None:
    """The legal cap of the injonction de soins (60 persons at once): beyond it, the dossier is
    refused unless a reason is given (returned, to record); None when under the cap."""
    from ..register.caseload import CapReached, check_capacity

    try:
        return check_capacity(professional, IS, person=person, override_reason=reason)
    except CapReached as reached:
        raise FormRejected({"cap_override_reason": reached.message}) from None
