"""Validation of what the professional types, with French messages.

Each function returns the clean value or raises `InvalidInput` naming the field,
so a form can show the message beside it and an import can prefix a line number.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal, overload

from .errors import InvalidInput

MAX_NAME = 120
MAX_TEXT = 300

PARQUET_NUMBER = re.compile(r"^[0-9A-Za-z/.\-]{5,20}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@overload
def clean_text(value: str | None, label: str, *, required: Literal[True], limit: int = MAX_NAME) -> str: ...


@overload
def clean_text(value: str | None, label: str, *, required: bool = False, limit: int = MAX_NAME) -> str | None: ...


def clean_text(value: str | None, label: str, *, required: bool = False,
               limit: int = MAX_NAME) -> str | None:
    """Trimmed text with inner spaces collapsed; None when empty (never when `required`)."""
    raw = value or ""
    if any(unicodedata.category(char) == "Cc" and char not in "\t\n\r" for char in raw):
        raise InvalidInput(f"{label} : caractères de contrôle interdits.")
    text = " ".join(raw.split())
    if required and not text:
        raise InvalidInput(f"{label} : champ obligatoire.")
    if len(text) > limit:
        raise InvalidInput(f"{label} : {len(text)} caractères, c'est trop (au plus {limit}).")
    return text or None


def parse_parquet_number(value: str | None, *, required: bool = True) -> str | None:
    """A parquet number without spaces: 5 to 20 digits, letters, / . -"""
    number = "".join((value or "").split())
    if not number:
        if required:
            raise InvalidInput("N° de parquet : champ obligatoire.")
        return None
    if not PARQUET_NUMBER.match(number):
        shown = number if len(number) <= 30 else number[:30] + "…"
        raise InvalidInput(f"N° de parquet : « {shown} » invalide (5 à 20 caractères : chiffres, "
                           "lettres, / . -).")
    return number.upper()


def parse_phone(value: str | None, label: str = "Téléphone") -> str | None:
    """A French phone number, shown as `06 12 34 56 78` (or +33 / international)."""
    raw = (value or "").strip()
    if not raw:
        return None
    digits = re.sub(r"[\s.\-()]", "", raw)
    if digits.startswith("+33"):
        digits = "0" + digits[3:]
    elif digits.startswith("0033"):
        digits = "0" + digits[4:]
    if digits.startswith("+") and digits[1:].isdigit() and 8 <= len(digits) <= 16:
        return digits
    if not (digits.isdigit() and len(digits) == 10 and digits.startswith("0")):
        raise InvalidInput(f"{label} : « {raw[:30]} » n'est pas un numéro de téléphone "
                           "(10 chiffres, par ex. 06 12 34 56 78).")
    return " ".join(digits[i:i + 2] for i in range(0, 10, 2))


def parse_email(value: str | None) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > 200 or not _EMAIL.match(text):
        raise InvalidInput(f"Courriel : « {text[:40]} » n'est pas une adresse valide.")
    return text
