"""Settings kept in the encrypted database: the court, its permanences, the amounts.

Defaults are the Nanterre protocol (DOMAIN.md "Who uses it"): Monday 9h-13h minors,
Thursday 9h-13h adults, at the tribunal judiciaire de Nanterre. Every court can set
its own days, hours, place, public and slot length.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from ..core.dates import WEEKDAYS_FR
from ..core.errors import InvalidInput
from ..core.models import Setting
from ..core.vocabulary import Public

if TYPE_CHECKING:
    from .professionals import HabilitationDecision

COURT_KEY = "court"


@dataclass
class Permanence:
    """A weekly permanence held at the court."""

    weekday: int  # 0 = Monday, as datetime.date.weekday()
    start: str  # "09:00"
    end: str  # "13:00"
    public: str  # vocabulary.Public
    place: str
    slot_minutes: int = 30

    @property
    def start_time(self) -> dt.time:
        return dt.time.fromisoformat(self.start)

    @property
    def end_time(self) -> dt.time:
        return dt.time.fromisoformat(self.end)

    def describe(self) -> str:
        public = "mineurs" if self.public == Public.MINEURS else "majeurs"
        return f"{WEEKDAYS_FR[self.weekday]} {self.start.replace(':', 'h')}-{self.end.replace(':', 'h')} : {public}"

    def validate(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise InvalidInput("Jour de permanence invalide.")
        try:
            start, end = self.start_time, self.end_time
        except ValueError:
            raise InvalidInput("Heures de permanence invalides (format HH:MM).") from None
        if start >= end:
            raise InvalidInput("La permanence doit finir après son début.")
        if not 5 <= self.slot_minutes <= 240:
            raise InvalidInput("La durée d'un créneau doit être comprise entre 5 et 240 minutes.")
        if self.public not in {p.value for p in Public}:
            raise InvalidInput("Public de permanence invalide.")


def permanence_from_text(weekday: int | str, hours: str, public: str, place: str, slot_minutes: str) -> Permanence:
    """A permanence from what the wizard or the settings screen typed ("9h-13h", "30")."""
    from ..core.dates import parse_hours_range

    slot = str(slot_minutes).strip()
    if not slot.isdigit():
        raise InvalidInput("Créneau : un nombre de minutes (ex. 30).")
    place = " ".join(place.split())
    if not place:
        raise InvalidInput("Lieu : champ obligatoire.")
    start, end = parse_hours_range(hours)
    permanence = Permanence(int(weekday), start, end, public, place, int(slot))
    permanence.validate()
    return permanence


DEFAULT_LEAD_DAYS = 10
MIN_LEAD_DAYS, MAX_LEAD_DAYS = 0, 60


def parse_lead_days(text: str) -> int:
    """The settings screen's « délai minimal de convocation », in days."""
    value = text.strip().removesuffix("jours").removesuffix("j").strip()
    if not value.isdigit() or not MIN_LEAD_DAYS <= int(value) <= MAX_LEAD_DAYS:
        raise InvalidInput(f"Délai minimal de convocation : un nombre de jours entre {MIN_LEAD_DAYS} "
                           f"et {MAX_LEAD_DAYS} (ex. 10).")
    return int(value)


@dataclass
class CourtSettings:
    """The court the professional works with."""

    tribunal: str = "Tribunal judiciaire de Nanterre"
    parquet: str = "Parquet de Nanterre"
    address: str = "179-191 avenue Joliot-Curie, 92000 Nanterre"
    permanences: list[Permanence] = field(default_factory=lambda: [
        Permanence(0, "09:00", "13:00", Public.MINEURS.value, "Tribunal judiciaire de Nanterre"),
        Permanence(3, "09:00", "13:00", Public.MAJEURS.value, "Tribunal judiciaire de Nanterre"),
    ])
    #: « Délai minimal de convocation »: no proposal is sooner than this many days, so a
    #: convocation posted today arrives before the appointment (issue 16).
    convocation_lead_days: int = DEFAULT_LEAD_DAYS

    def validate(self) -> None:
        for permanence in self.permanences:
            permanence.validate()
        if not MIN_LEAD_DAYS <= self.convocation_lead_days <= MAX_LEAD_DAYS:
            raise InvalidInput(f"Délai minimal de convocation : entre {MIN_LEAD_DAYS} et {MAX_LEAD_DAYS} jours.")

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> CourtSettings:
        payload = json.loads(text)
        permanences = [Permanence(**item) for item in payload.pop("permanences", [])]
        return cls(**payload, permanences=permanences)


def load_court() -> CourtSettings:
    row = Setting.get_or_none(Setting.key == COURT_KEY)
    return CourtSettings.from_json(row.value) if row else CourtSettings()


def save_court(court: CourtSettings) -> None:
    court.validate()
    Setting.replace(key=COURT_KEY, value=court.to_json()).execute()


def is_configured() -> bool:
    """True once the first-run wizard (or `init`) has recorded the court."""
    return Setting.get_or_none(Setting.key == COURT_KEY) is not None


LOCK_MINUTES_KEY = "lock_minutes"
DEFAULT_LOCK_MINUTES = 5
#: The auto-lock cannot be turned off nor put far away: the base holds health data
#: (GDPR art. 9) and the laptop is used in a court's corridors.
MIN_LOCK_MINUTES, MAX_LOCK_MINUTES = 1, 15


def _stored_lock_minutes() -> int | None:
    """The delay as stored (an older version allowed 0 = never, and up to 240), None if unset or unreadable."""
    row = Setting.get_or_none(Setting.key == LOCK_MINUTES_KEY)
    try:
        return int(json.loads(row.value)) if row else None
    except (ValueError, TypeError):
        return None


def _clamped(minutes: int) -> int:
    """0 meant « never »: the nearest allowed value is the longest delay."""
    if minutes <= 0:
        return MAX_LOCK_MINUTES
    return min(MAX_LOCK_MINUTES, max(MIN_LOCK_MINUTES, minutes))


def lock_minutes() -> int:
    """Idle minutes before the screen locks itself: between 1 and 15, whatever is stored."""
    stored = _stored_lock_minutes()
    return DEFAULT_LOCK_MINUTES if stored is None else _clamped(stored)


def normalise_lock_minutes() -> str | None:
    """Store the allowed delay in place of an older one out of bounds (0 = never, 60…) and
    say it, once: the next start finds the stored value in bounds and says nothing."""
    stored = _stored_lock_minutes()
    if stored is None or _clamped(stored) == stored:
        return None
    from . import audit

    minutes = _clamped(stored)
    with Setting._meta.database.atomic():
        Setting.replace(key=LOCK_MINUTES_KEY, value=json.dumps(minutes)).execute()
        audit.record("parametres_verrouillage", details=f"{stored}->{minutes}")
    before = "désactivé" if stored <= 0 else f"réglé sur {stored} minutes"
    return (f"Le verrouillage automatique était {before} : il est désormais de {minutes} minutes "
            f"(entre {MIN_LOCK_MINUTES} et {MAX_LOCK_MINUTES} : la base contient des données de santé). "
            "Paramètres (F6) pour le raccourcir.")


def save_lock_minutes(minutes: int) -> None:
    if not MIN_LOCK_MINUTES <= minutes <= MAX_LOCK_MINUTES:
        raise InvalidInput(f"Verrouillage automatique : entre {MIN_LOCK_MINUTES} et {MAX_LOCK_MINUTES} minutes "
                           "(il ne peut pas être désactivé : la base contient des données de santé).")
    Setting.replace(key=LOCK_MINUTES_KEY, value=json.dumps(minutes)).execute()


def save_court_and_lock(court: CourtSettings, minutes: int) -> None:
    """The settings screen's « Enregistrer »: the court and the auto-lock delay, both or neither."""
    from . import audit

    with Setting._meta.database.atomic():
        save_court(court)
        save_lock_minutes(minutes)
        audit.record("parametres_tribunal")


def first_configuration(court: CourtSettings, *, habilitation: HabilitationDecision | None = None,
                        **identity: str | None) -> None:
    """The wizard's last step: the user's identity, their habilitation (when the ARS decision
    is there) and the court, all or nothing: the first document printed is complete."""
    from . import audit
    from .professionals import create_user, record_own_habilitation

    with Setting._meta.database.atomic():
        user = create_user(**identity)  # type: ignore[arg-type]
        if habilitation is not None:
            record_own_habilitation(user, habilitation)
        save_court(court)
        audit.record("premiere_configuration")


FILE_NAMES_KEY = "document_file_names"
#: How a document's file names its person: never by surname (a file name shows in every
#: folder listing, backup and e-mail); by the parquet number (default) or by initials.
FILE_NAME_STYLES = {"parquet": "numéro de parquet", "initiales": "initiales"}


def file_name_style() -> str:
    row = Setting.get_or_none(Setting.key == FILE_NAMES_KEY)
    try:
        style = json.loads(row.value) if row else "parquet"
    except (ValueError, TypeError):
        return "parquet"
    return style if style in FILE_NAME_STYLES else "parquet"


def save_file_name_style(style: str) -> None:
    if style not in FILE_NAME_STYLES:
        raise InvalidInput(f"Nom des fichiers : choisissez parmi {', '.join(FILE_NAME_STYLES)}.")
    Setting.replace(key=FILE_NAMES_KEY, value=json.dumps(style)).execute()
