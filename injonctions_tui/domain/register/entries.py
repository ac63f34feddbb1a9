"""Adding a professional to the register and editing their file, with French validation.

Why apart from professionals.py: the user's own identity (first-run wizard) needs only a
few fields; the register holds colleagues too, with what the eligibility criteria read
(order, registration date, CSAPA, departments), and every change is kept in the history.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..core.dates import format_fr
from ..core.errors import InvalidInput
from ..core.models import Professional, database
from ..core.validation import clean_text, parse_email, parse_phone
from ..core.vocabulary import Profession, label
from .history import log

#: Metropolitan departments (01-95, Corsica 2A/2B) and overseas ones (971-976).
_DEPARTMENT = re.compile(r"^(0[1-9]|1\d|[3-8]\d|9[0-5]|2[1-9]|2A|2B|97[1-6])$")

#: Field -> French label, in the order a form shows them (and the history names changes).
FIELDS: dict[str, str] = {
    "last_name": "Nom", "first_name": "Prénom", "profession": "Profession",
    "rpps_adeli": "N° RPPS/ADELI", "order_name": "Ordre professionnel", "order_number": "N° d'inscription à l'ordre",
    "order_registered_on": "Inscrit(e) à l'ordre depuis le", "without_order": "Profession sans ordre",
    "csapa_name": "CSAPA employeur", "csapa_address": "Adresse du CSAPA", "departments": "Département(s)",
    "phone": "Téléphone", "email": "Courriel",
}


def parse_rpps_adeli(value: str | None) -> str | None:
    """11 digits for the RPPS, 9 for ADELI; spaces ignored."""
    number = "".join((clean_text(value, "N° RPPS/ADELI", limit=20) or "").split())
    if not number:
        return None
    if not number.isdigit() or len(number) not in (9, 11):
        raise InvalidInput(f"N° RPPS/ADELI : « {number[:20]} » invalide (11 chiffres pour le RPPS, "
                           "9 pour ADELI).")
    return number


def parse_departments(value: str | None) -> str | None:
    """"92, 78": department numbers separated by commas or spaces, each checked."""
    parts = [p.upper() for p in re.split(r"[\s,;/]+", value or "") if p]
    for part in parts:
        if not _DEPARTMENT.match(part):
            raise InvalidInput(f"Département(s) : « {part[:10]} » n'est pas un numéro de département "
                               "(ex. 92, 2A, 974).")
    unique = list(dict.fromkeys(parts))
    return ", ".join(unique) or None


def _profession(value: str | None) -> str:
    try:
        return Profession(value or "").value
    except ValueError:
        raise InvalidInput("Profession : choisissez dans la liste (médecin, psychologue, infirmier·ère, "
                           "autre professionnel de santé).") from None


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Every field validated, and the order fields consistent with the profession."""
    profession = _profession(values.get("profession"))
    registered = values.get("order_registered_on")
    if registered is not None and not isinstance(registered, dt.date):
        raise InvalidInput("Inscrit(e) à l'ordre depuis le : date invalide (format JJ/MM/AAAA).")
    without_order = bool(values.get("without_order"))
    clean = {
        "last_name": clean_text(values.get("last_name"), "Nom", required=True),
        "first_name": clean_text(values.get("first_name"), "Prénom", required=True),
        "profession": profession,
        "rpps_adeli": parse_rpps_adeli(values.get("rpps_adeli")),
        "order_name": clean_text(values.get("order_name"), "Ordre professionnel", limit=120),
        "order_number": clean_text(values.get("order_number"), "N° d'inscription à l'ordre", limit=40),
        "order_registered_on": registered,
        "without_order": without_order and profession == Profession.AUTRE,
        "csapa_name": clean_text(values.get("csapa_name"), "CSAPA employeur", limit=200),
        "csapa_address": clean_text(values.get("csapa_address"), "Adresse du CSAPA", limit=300),
        "departments": parse_departments(values.get("departments")),
        "phone": parse_phone(values.get("phone")),
        "email": parse_email(values.get("email")),
    }
    has_order = any(clean[f] for f in ("order_name", "order_number", "order_registered_on"))
    if profession == Profession.PSYCHOLOGUE and has_order:
        raise InvalidInput("Les psychologues ne relèvent d'aucun ordre professionnel : laissez vides "
                           "l'ordre, son numéro et la date d'inscription.")
    if without_order and profession in (Profession.MEDECIN, Profession.INFIRMIER):
        raise InvalidInput(f"{label(profession)} : cette profession a un ordre ; indiquez la date "
                           "d'inscription au tableau.")
    if clean["without_order"] and has_order:
        raise InvalidInput("Profession sans ordre : l'ordre, son numéro et la date d'inscription "
                           "doivent rester vides.")
    return clean


def _check_unique_number(number: str | None, professional_id: int | None) -> None:
    if not number:
        return
    other = Professional.get_or_none((Professional.rpps_adeli == number) & (Professional.id != (professional_id or 0)))
    if other is not None:
        raise InvalidInput(f"N° RPPS/ADELI {number} : déjà inscrit au registre ({other.full_name}).")


def add_professional(*, last_name: str, first_name: str, profession: str, rpps_adeli: str | None = None,
                     order_registered_on: dt.date | None = None, order_number: str | None = None,
                     order_name: str | None = None, without_order: bool = False,
                     csapa_name: str | None = None, csapa_address: str | None = None,
                     departments: str | None = None, phone: str | None = None,
                     email: str | None = None) -> Professional:
    """A colleague (or a candidate) entered in the register; never the user (the wizard does that).
    The CSAPA may be unknown yet: the checklist then shows it missing."""
    values = _clean(locals())
    with database.atomic():
        _check_unique_number(values["rpps_adeli"], None)
        professional = Professional.create(**values, is_user=False)
        log(professional, "ajout", f"{professional.full_name}, {label(professional.profession).lower()}"
            + (f", {professional.csapa_name}" if professional.csapa_name else ""))
    return professional


def _shown(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dt.date):
        return format_fr(value)
    return label(value) if isinstance(value, str) and value in Profession._value2member_map_ else str(value)


def update_professional(professional: Professional, **changes: Any) -> list[str]:
    """Change some fields of a professional's file; returns the labels of what changed.

    The history says each change as "label : before → after" (professional data only)."""
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown fields: {unknown}")  # a programming error, not the user's
    values = {field: getattr(professional, field) for field in FIELDS} | changes
    clean = _clean(values)
    changed = [f for f in FIELDS if clean[f] != getattr(professional, f)]
    if not changed:
        return []
    with database.atomic():
        _check_unique_number(clean["rpps_adeli"], professional.id)
        details = "; ".join(f"{FIELDS[f]} : {_shown(getattr(professional, f))} → {_shown(clean[f])}"
                            for f in changed)
        for field in changed:
            setattr(professional, field, clean[field])
        professional.save()
        log(professional, "modification", details, audit_details="champs=" + ",".join(changed))
    return [FIELDS[f] for f in changed]
