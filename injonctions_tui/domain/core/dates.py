"""Dates as the French professional types and reads them.

Parsing accepts `JJ/MM/AAAA` (also with `-` or `.`) and ISO `AAAA-MM-JJ`; formatting
writes French day and month names. Month arithmetic clamps to the end of
the month (31 January + 1 month = 28/29 February), which is how legal delays are
counted in practice.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .errors import InvalidInput

_FRENCH = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")

#: Dates before this are typing mistakes, not birth dates of living people.
EARLIEST_PLAUSIBLE = dt.date(1900, 1, 1)


def parse_date(text: str, field: str = "date") -> dt.date:
    """Parse a French or ISO date, or raise `InvalidInput` naming the field."""
    if text is None or not str(text).strip():
        raise InvalidInput(f"{field} : date manquante (format JJ/MM/AAAA).")
    raw = str(text)
    if len(raw) > 40:
        raise InvalidInput(f"{field} : ce n'est pas une date (format JJ/MM/AAAA).")
    match = _FRENCH.match(raw)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO.match(raw)
        if not match:
            raise InvalidInput(
                f"{field} : « {raw.strip()} » n'est pas une date (format JJ/MM/AAAA)."
            )
        year, month, day = (int(g) for g in match.groups())
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise InvalidInput(f"{field} : « {raw.strip()} » n'existe pas dans le calendrier.") from None
    if value < EARLIEST_PLAUSIBLE or value.year > 2200:
        raise InvalidInput(f"{field} : l'année {value.year} n'est pas vraisemblable.")
    return value


def format_fr(value: dt.date | None) -> str:
    """`JJ/MM/AAAA`, the format every French form uses; empty for no date."""
    return value.strftime("%d/%m/%Y") if value else ""


#: French names, as babel's full date format writes them (a test compares every day of
#: several years): the agenda's heading needs no locale data on the start-up path.
WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")


def format_long_fr(value: dt.date) -> str:
    """`lundi 23 novembre 2026`, for headings and letters."""
    return f"{WEEKDAYS_FR[value.weekday()]} {value.day} {MONTHS_FR[value.month - 1]} {value.year}"


def add_months(start: dt.date, months: int) -> dt.date:
    """`start` plus whole months, clamped to the last day of the target month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def age_on(birth: dt.date, on: dt.date) -> int:
    """Age in whole years on a date (a person born 29 February ages on 1 March)."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def parse_time(text: str, field: str = "Heure") -> dt.time:
    """'9h', '9h30', '09:30', '9' -> a time; InvalidInput otherwise."""
    cleaned = (text or "").strip().lower().replace("h", ":")
    if cleaned.endswith(":"):
        cleaned += "00"
    if cleaned.isdigit():
        cleaned += ":00"
    hours, _, minutes = cleaned.partition(":")
    try:
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise InvalidInput(f"{field} : « {(text or '')[:10]} » n'est pas une heure (ex. 9h30).") from None


def parse_hours_range(text: str, field: str = "Horaires") -> tuple[str, str]:
    """'9h-13h' or '09:00-13:00' -> ('09:00', '13:00'), as the settings store them."""
    start, sep, end = (text or "").replace(" ", "").partition("-")
    if not sep:
        raise InvalidInput(f"{field} : indiquez le début et la fin (ex. 9h-13h).")
    first, last = parse_time(start, field), parse_time(end, field)
    if last <= first:
        raise InvalidInput(f"{field} : la permanence doit finir après son début.")
    return first.strftime("%H:%M"), last.strftime("%H:%M")


def hour_fr(hhmm: str) -> str:
    """'09:00' -> '9h', '12:30' -> '12h30', as French court notices write it."""
    hours, minutes = hhmm.split(":")
    return f"{int(hours)}h{minutes if minutes != '00' else ''}"
