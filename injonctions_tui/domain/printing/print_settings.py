"""The printer the documents go to and how many copies: chosen once, in Paramètres.

Kept in the encrypted base (Setting "printing"), so the choice follows the base (a backup
restored on another laptop keeps it; a printer unknown there is then said so by name).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from ..core.errors import InvalidInput
from ..core.models import Setting
from .print_common import MAX_COPIES

PRINTING_KEY = "printing"


@dataclass(frozen=True)
class PrintSettings:
    #: A queue's name, or None: the computer's default printer.
    printer: str | None = None
    copies: int = 1

    def describe(self) -> str:
        where = f"imprimante « {self.printer} »" if self.printer else "imprimante par défaut du poste"
        return f"{where}, {self.copies} exemplaire{'s' if self.copies > 1 else ''}"


def load_print_settings() -> PrintSettings:
    row = Setting.get_or_none(Setting.key == PRINTING_KEY)
    if row is None:
        return PrintSettings()
    try:
        payload = json.loads(row.value)
        printer = payload.get("printer") or None
        copies = int(payload.get("copies", 1))
    except (ValueError, TypeError, AttributeError):
        return PrintSettings()
    return PrintSettings(str(printer) if printer else None, min(max(copies, 1), MAX_COPIES))


def parse_copies(text: str) -> int:
    """The number of copies as typed (« 2 »), or a French error."""
    value = text.strip()
    if not value.isdigit() or not 1 <= int(value) <= MAX_COPIES:
        raise InvalidInput(f"Exemplaires : un nombre entre 1 et {MAX_COPIES}.")
    return int(value)


def save_print_settings(settings: PrintSettings) -> None:
    from ..store import audit

    if not 1 <= settings.copies <= MAX_COPIES:
        raise InvalidInput(f"Exemplaires : un nombre entre 1 et {MAX_COPIES}.")
    with Setting._meta.database.atomic():
        Setting.replace(key=PRINTING_KEY, value=json.dumps(asdict(settings), ensure_ascii=False)).execute()
        audit.record("parametres_impression")
