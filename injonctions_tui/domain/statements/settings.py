"""Settings of the annual statement (état justificatif) kept in the encrypted database.

Why a module of its own: the pay differs between regions and measures (DOMAIN.md
"Other documents": "keep them as settings"), but core/rules.py stays the one table of
defaults. A Setting row only *overrides* a field of it; with no row, the statement
uses core/rules.py as is. Also here: the ARS office the statement is addressed to, and the
identity columns the ARS asks for (data minimisation: name, birth year and parquet
number by default).

Keys (JSON values, new rows of the Setting table, no migration needed):
- "pay_rules": {"injonction_therapeutique": {"annual_amount_eur": "132.00",
  "reduced_factor": "0.5", "reduced_threshold": 2}, ...} — any field may be missing;
- "statement": {"recipient": "...", "identity_fields": ["name", ...]}.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..core.errors import InvalidInput
from ..core.models import Setting
from ..core.rules import MeasureKind, rules_for

PAY_KEY = "pay_rules"
STATEMENT_KEY = "statement"

#: Identity columns the statement can show, with their French header.
IDENTITY_FIELDS: dict[str, str] = {
    "name": "Nom et prénom",
    "initials": "Initiales",
    "birth_year": "Année de naissance",
    "birth_date": "Date de naissance",
    "parquet_number": "N° de parquet",
}
#: The same, short, for narrow table columns (PDF, terminal).
IDENTITY_SHORT: dict[str, str] = {
    "name": "Nom et prénom",
    "initials": "Initiales",
    "birth_year": "Né(e) en",
    "birth_date": "Né(e) le",
    "parquet_number": "N° de parquet",
}
DEFAULT_IDENTITY = ("name", "birth_year", "parquet_number")
#: The Nanterre protocol's coordinating office (seed 000, art. 7), like store/settings.py's court.
DEFAULT_RECIPIENT = ("Agence régionale de santé Île-de-France\n"
                     "Délégation départementale des Hauts-de-Seine\n"
                     "À l'attention du référent santé-justice")


@dataclass(frozen=True)
class PayRules:
    """The three numbers of the pay rule, after the settings' overrides."""

    annual_amount_eur: Decimal
    reduced_factor: Decimal
    reduced_threshold: int

    def is_reduced(self, followups: int) -> bool:
        """At most `reduced_threshold` follow-up interviews ("égal ou inférieur à 2", seed 002)."""
        return followups <= self.reduced_threshold and self.reduced_factor != 1

    def amount_for(self, followups: int) -> Decimal:
        """Full amount, or multiplied by the factor when reduced; rounded to the cent."""
        amount = self.annual_amount_eur
        if self.is_reduced(followups):
            amount *= self.reduced_factor
        return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def validate(self) -> None:
        if self.annual_amount_eur < 0 or self.annual_amount_eur > Decimal("100000"):
            raise InvalidInput("Montant annuel : un montant entre 0 et 100 000 € est attendu.")
        if not Decimal(0) <= self.reduced_factor <= Decimal(1):
            raise InvalidInput("Coefficient de réduction : une valeur entre 0 et 1 est attendue (0,5 = moitié).")
        if not 0 <= self.reduced_threshold <= 50:
            raise InvalidInput("Seuil d'entretiens : un nombre entre 0 et 50 est attendu.")


def _load(key: str) -> dict:
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        return {}
    try:
        value = json.loads(row.value)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _decimal(value: object, default: Decimal) -> Decimal:
    try:
        return Decimal(str(value)) if value is not None else default
    except InvalidOperation:
        return default


def pay_rules(kind: str | MeasureKind = MeasureKind.INJONCTION_THERAPEUTIQUE) -> PayRules:
    """core/rules.py's amounts for `kind`, each overridden by the settings when set there."""
    base = rules_for(kind)
    override = _load(PAY_KEY).get(MeasureKind(kind).value, {})
    if not isinstance(override, dict):
        override = {}
    threshold = override.get("reduced_threshold", base.reduced_threshold)
    return PayRules(
        annual_amount_eur=_decimal(override.get("annual_amount_eur"), base.annual_amount_eur),
        reduced_factor=_decimal(override.get("reduced_factor"), base.reduced_factor),
        reduced_threshold=threshold if isinstance(threshold, int) else base.reduced_threshold,
    )


def save_pay_rules(kind: str | MeasureKind, rules: PayRules) -> None:
    """Override the pay of one kind of measure (another region, a new arrêté)."""
    rules.validate()
    payload = _load(PAY_KEY)
    payload[MeasureKind(kind).value] = {"annual_amount_eur": str(rules.annual_amount_eur),
                                        "reduced_factor": str(rules.reduced_factor),
                                        "reduced_threshold": rules.reduced_threshold}
    Setting.replace(key=PAY_KEY, value=json.dumps(payload, sort_keys=True)).execute()


@dataclass(frozen=True)
class StatementSettings:
    """Who receives the statement, and which identity columns it shows."""

    recipient: str = DEFAULT_RECIPIENT
    identity_fields: tuple[str, ...] = DEFAULT_IDENTITY


def check_identity_fields(fields: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    unknown = [name for name in fields if name not in IDENTITY_FIELDS]
    if unknown or not fields:
        raise InvalidInput("Colonnes d'identité de l'état justificatif : choisissez parmi "
                           + ", ".join(IDENTITY_FIELDS) + ".")
    return tuple(dict.fromkeys(fields))


def load_statement_settings() -> StatementSettings:
    payload = _load(STATEMENT_KEY)
    fields = payload.get("identity_fields")
    try:
        identity = check_identity_fields(fields) if isinstance(fields, list) else DEFAULT_IDENTITY
    except InvalidInput:
        identity = DEFAULT_IDENTITY
    recipient = payload.get("recipient")
    return StatementSettings(recipient if isinstance(recipient, str) and recipient.strip() else DEFAULT_RECIPIENT,
                             identity)


def save_statement_settings(settings: StatementSettings) -> None:
    identity = check_identity_fields(settings.identity_fields)
    if not settings.recipient.strip() or len(settings.recipient) > 500:
        raise InvalidInput("Destinataire de l'état justificatif : de 1 à 500 caractères.")
    payload = _load(STATEMENT_KEY)
    payload.update(recipient=settings.recipient.strip(), identity_fields=list(identity))
    Setting.replace(key=STATEMENT_KEY, value=json.dumps(payload, ensure_ascii=False, sort_keys=True)).execute()
