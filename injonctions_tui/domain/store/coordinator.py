"""The médecin coordonnateur's standing and settings: the procureur's list, the office, the
interval of the attestations de suivi (injonction de soins, issue 21).

Why in the store, beside professionals.py: every act on an injonction de soins (a dossier,
a report, a signature) is guarded by the coordonnateur's list entry as an act on an
injonction thérapeutique is by the ARS habilitation, and the guard sits below every
capability that acts. `check_may_act` is the one guard both measures go through.

Readings (DOMAIN.md "The sister measure", seed 004):
- the list is set by the procureur « tous les 3 ans »: an entry is valid 3 years from the
  decision unless the decision says otherwise (`LISTING_YEARS`);
- a coordonnateur may be on several lists (seed 004: « peut figurer sur plusieurs listes »):
  any current entry allows them to act;
- interviews take place at the coordonnateur's office, not at a court permanence: the office
  is a setting (by default the user's CSAPA, name and address).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass

from ..core.dates import add_months, format_fr
from ..core.errors import InvalidInput, NotHabilitated
from ..core.models import CoordinatorListing, Measure, Professional, Setting, database
from ..core.rules import MeasureKind, is_care_order, rules_for
from ..core.vocabulary import ListingStatus
from .professionals import check_habilitated, current_user

#: « une liste établie tous les 3 ans par le procureur de la République » (seed 004).
LISTING_YEARS = 3
OFFICE_KEY = "coordinator_office"
ATTESTATION_KEY = "coordinator_attestation_months"


# ------------------------------------------------------------------ the list entry

def listing_end(decided_on: dt.date) -> dt.date:
    """The last day of an entry decided on `decided_on`: three years, the day before."""
    return add_months(decided_on, 12 * LISTING_YEARS) - dt.timedelta(days=1)


def listing_on(professional: Professional, on: dt.date) -> CoordinatorListing | None:
    """The entry on the procureur's list that allows the professional to act on `on`: listed,
    not expired, not struck off or withdrawn from that list since (the latest such entry)."""
    rows = list(CoordinatorListing.select().where(CoordinatorListing.professional == professional)
                .order_by(CoordinatorListing.decided_on, CoordinatorListing.id))
    current = None
    for row in rows:
        if row.decided_on > on or row.status != ListingStatus.INSCRIT:
            continue
        ended = any(later.tribunal == row.tribunal and later.status in (ListingStatus.RADIE, ListingStatus.RETIRE)
                    and row.decided_on <= later.decided_on <= on and later.id != row.id for later in rows)
        if not ended and (row.valid_until is None or on <= row.valid_until):
            current = row
    return current


def _why_not_listed(professional: Professional, on: dt.date) -> str:
    rows = list(CoordinatorListing.select().where(CoordinatorListing.professional == professional)
                .order_by(CoordinatorListing.decided_on.desc(), CoordinatorListing.id.desc()))
    past = [r for r in rows if r.decided_on <= on]
    if not past:
        later = [r for r in rows if r.status == ListingStatus.INSCRIT]
        if later:
            return f"inscription décidée seulement le {format_fr(later[-1].decided_on)}"
        return "aucune inscription sur la liste des médecins coordonnateurs enregistrée"
    last = past[0]
    if last.status == ListingStatus.INSCRIT and last.valid_until and last.valid_until < on:
        return f"inscription expirée le {format_fr(last.valid_until)} (liste établie tous les {LISTING_YEARS} ans)"
    if last.status in (ListingStatus.RADIE, ListingStatus.RETIRE):
        return f"{'radiation' if last.status == ListingStatus.RADIE else 'retrait'} le {format_fr(last.decided_on)}"
    return "candidature sans décision du procureur de la République"


def check_listed(professional: Professional | None, on: dt.date) -> CoordinatorListing:
    """L3711-1: the JAP designates the coordonnateur on the procureur's list; an act on an
    injonction de soins needs a current entry on the date of the act."""
    if not isinstance(on, dt.date):
        raise InvalidInput("Date de l'acte : date manquante (format JJ/MM/AAAA).")
    if professional is None:
        raise InvalidInput("Aucun médecin coordonnateur n'est désigné pour ce dossier.")
    listing = listing_on(professional, on)
    if listing is None:
        raise NotHabilitated(f"{professional.full_name} n'est pas inscrit(e) sur la liste des médecins "
                             f"coordonnateurs à la date du {format_fr(on)} ({_why_not_listed(professional, on)}).")
    return listing


def check_may_act(professional: Professional | None, kind: str | MeasureKind | None, on: dt.date) -> None:
    """The guard of every act on a measure: the coordonnateur's list entry for an injonction
    de soins, the ARS habilitation for an injonction thérapeutique."""
    if is_care_order(kind):
        check_listed(professional, on)
    else:
        check_habilitated(professional, on)


# ------------------------------------------------------------------ settings

@dataclass(frozen=True)
class Office:
    """Where the coordonnateur sees the persons under an injonction de soins."""

    name: str
    address: str
    phone: str | None = None


def load_office() -> Office | None:
    """The office recorded, else the user's CSAPA; None before the user exists."""
    row = Setting.get_or_none(Setting.key == OFFICE_KEY)
    if row is not None:
        try:
            payload = json.loads(row.value)
            return Office(str(payload["name"]), str(payload["address"]), payload.get("phone") or None)
        except (ValueError, KeyError, TypeError):
            pass
    user = current_user()
    if user is None or not user.csapa_name:
        return None
    return Office(user.csapa_name, user.csapa_address or "", user.phone)


def save_office(name: str, address: str, phone: str | None = None) -> Office:
    name, address = " ".join((name or "").split()), (address or "").strip()
    if not name or not address:
        raise InvalidInput("Cabinet du médecin coordonnateur : le nom et l'adresse sont obligatoires.")
    if len(name) > 200 or len(address) > 300:
        raise InvalidInput("Cabinet du médecin coordonnateur : nom (200) ou adresse (300 caractères) trop longs.")
    office = Office(name, address, (phone or "").strip() or None)
    Setting.replace(key=OFFICE_KEY, value=json.dumps(asdict(office), ensure_ascii=False, sort_keys=True)).execute()
    return office


def attestation_months() -> int:
    """Months between two attestations de suivi (« à intervalles réguliers », seed 004): the
    setting, else the rules' default (every quarter)."""
    default = rules_for(MeasureKind.INJONCTION_DE_SOINS).attestation_every_months or 3
    row = Setting.get_or_none(Setting.key == ATTESTATION_KEY)
    try:
        value = json.loads(row.value) if row else default
    except ValueError:
        return default
    return value if isinstance(value, int) and 1 <= value <= 12 else default


def save_attestation_months(months: int) -> None:
    """Change the interval; every open injonction de soins gets its deadlines recomputed (the
    deadline cache marks them stale: the interval is not a row the triggers watch)."""
    if not isinstance(months, int) or not 1 <= months <= 12:
        raise InvalidInput("Intervalle des attestations de suivi : un nombre de mois entre 1 et 12.")
    with database.atomic():
        Setting.replace(key=ATTESTATION_KEY, value=json.dumps(months)).execute()
        database.execute_sql(
            'INSERT INTO "deadline_stale" ("measure_id") SELECT "id" FROM "measure" WHERE "kind" = ? '
            'AND "outcome" IS NULL AND "id" NOT IN (SELECT "measure_id" FROM "deadline_stale")',
            (MeasureKind.INJONCTION_DE_SOINS.value,))


def save_coordinator_settings(name: str, address: str, phone: str | None, months: int | str) -> Office:
    """The office and the attestations' interval together, all or nothing (the settings screen)."""
    text = str(months).strip()
    if not text.isdigit():
        raise InvalidInput("Intervalle des attestations de suivi : un nombre de mois entre 1 et 12.")
    with database.atomic():
        office = save_office(name, address, phone)
        save_attestation_months(int(text))
    return office


def open_care_orders(professional: Professional) -> int:
    """How many open injonctions de soins the professional carries (the reminders' context)."""
    return (Measure.select().where((Measure.professional == professional)
                                   & (Measure.kind == MeasureKind.INJONCTION_DE_SOINS.value)
                                   & Measure.outcome.is_null()).count())
