"""The JSON export's schema, as pydantic models built from the tables: what an import accepts.

Why a schema library: every value of a file is checked against the same limits as the
forms (field lengths, dates in a sane range, closed lists), each problem said in French
with its JSON path, before anything is written; and the schema is published
(docs/export-schema.json, `json_schema()`) for whoever writes such a file. The models
follow the peewee fields (a new column is in the schema without touching this file);
the limits that are not the default are in LIMITS. pydantic is imported here only, by
the import (never at start-up).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Optional

from peewee import (BooleanField, DateField, DateTimeField, Field as PeeweeField, ForeignKeyField, IntegerField,
                    TextField)
from pydantic import (AfterValidator, BaseModel as Schema, ConfigDict, Field, StrictBool, StrictInt, StringConstraints,
                      ValidationError, create_model)

from ..core.models import Person
from ..core.validation import MAX_NAME, MAX_TEXT

FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
MAX_ID = 2 ** 53
#: A text column's limit when LIMITS names none: CharField (one line) and TextField.
CHAR_LIMIT, TEXT_LIMIT = MAX_TEXT, 5000
#: (table, column) -> longest accepted text, the forms' limits.
LIMITS: dict[tuple[str, str], int] = {
    **{(table, column): MAX_NAME for table in ("person", "professional", "conflict_declaration")
       for column in ("last_name", "first_name")},
    ("legal_representative", "name"): MAX_NAME, ("measure", "parquet_number"): 40,
    ("measure", "magistrat_referent"): MAX_NAME, ("person", "search_name"): 2 * MAX_NAME + 1,
    ("report", "facts_json"): 200_000, ("report", "confirmed_terms"): 50_000, ("setting", "value"): 200_000,
    ("audit_event", "details"): 500, ("register_event", "details"): 2000,
}
#: (table, column) -> (smallest, largest) accepted integer.
INT_RANGES: dict[tuple[str, str], tuple[int, int]] = {
    ("appointment", "duration_minutes"): (1, 24 * 60), ("report", "version"): (1, 1000),
    ("habilitation", "list_year"): (1900, 2100),
}
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$")


def _date(text: str) -> str:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"« {text[:40]} » n'est pas une date du calendrier") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"la date {day:%d/%m/%Y} n'est pas vraisemblable (entre 1900 et 2100)")
    return text


def _datetime(text: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"« {text[:40]} » n'est pas une date et heure du calendrier") from None
    if not FIRST_DAY <= moment.date() <= LAST_DAY:
        raise ValueError(f"la date {moment:%d/%m/%Y} n'est pas vraisemblable (entre 1900 et 2100)")
    return text


def _no_lone_surrogate(text: str) -> str:
    if any("\ud800" <= char <= "\udfff" for char in text):
        raise ValueError("texte invalide (caractère Unicode isolé)")
    return text


DateText = Annotated[str, StringConstraints(pattern=_DATE_TEXT.pattern, strict=True), AfterValidator(_date)]
DateTimeText = Annotated[str, StringConstraints(pattern=_DATETIME_TEXT.pattern, strict=True),
                         AfterValidator(_datetime)]


def _type_of(table: str, field: PeeweeField, enums: dict[str, Any]) -> Any:
    """The pydantic type of one column, with its limits."""
    if field.name in enums:  # one closed list, or the union of several (a measure's outcome)
        lists = enums[field.name] if isinstance(enums[field.name], tuple) else (enums[field.name],)
        return Literal[tuple(member.value for enum in lists for member in enum)]
    if isinstance(field, (IntegerField, ForeignKeyField)):
        low, high = INT_RANGES.get((table, field.column_name), (1 if field.primary_key or isinstance(
            field, ForeignKeyField) else -MAX_ID, MAX_ID))
        return Annotated[StrictInt, Field(ge=low, le=high)]
    if isinstance(field, BooleanField):
        return StrictBool
    if isinstance(field, DateTimeField):
        return DateTimeText
    if isinstance(field, DateField):
        return DateText
    limit = LIMITS.get((table, field.column_name), TEXT_LIMIT if isinstance(field, TextField) else CHAR_LIMIT)
    return Annotated[str, StringConstraints(max_length=limit, strict=True), AfterValidator(_no_lone_surrogate)]


def record_schema(section: Any, enums: dict[str, Any], children: dict[str, Any]) -> type[Schema]:
    """The pydantic model of one list's records (`section` is json_export.Section)."""
    model = section.model
    table = model._meta.table_name
    fields: dict[str, Any] = {}
    for field in model._meta.sorted_fields:
        kind = _type_of(table, field, enums)
        optional = (field.null or field.default is not None or field.name == section.parent_field
                    or (model is Person and field.name == "search_name"))
        if optional and not field.primary_key:
            fields[field.column_name] = (Optional[kind], None)  # absent: null or the column's default
        else:
            fields[field.column_name] = (kind, ...)
    for key, schema in children.items():
        fields[key] = (list[schema], ...)  # type: ignore[valid-type]  # a model built at run time (create_model)
    for key in section.derived:
        fields[key] = (Optional[list[dict[str, Any]]], None)
    return create_model(f"{model.__name__}Record", __config__=ConfigDict(extra="forbid"), **fields)


def export_schema(sections: tuple[Any, ...], enum_fields: dict[tuple[Any, str], Any], latest: int) -> type[Schema]:
    """The whole file: header, the integrity block (optional: older exports have none), the lists."""
    def build(section: Any) -> type[Schema]:
        enums = {name: enum for (model, name), enum in enum_fields.items() if model is section.model}
        return record_schema(section, enums, {child.key: build(child) for child in section.children})

    # Field definitions built at run time: typed as Any, as pydantic's create_model takes them.
    kdf_fields: dict[str, Any] = {
        "salt": (Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16,128}$")], ...),
        "time_cost": (Annotated[StrictInt, Field(ge=1)], ...),
        "memory_cost_kib": (Annotated[StrictInt, Field(ge=1)], ...),
        "parallelism": (Annotated[StrictInt, Field(ge=1)], ...)}
    kdf = create_model("KdfParameters", __config__=ConfigDict(extra="forbid"), **kdf_fields)
    mac = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    head_fields: dict[str, Any] = {
        "event_id": (Annotated[StrictInt, Field(ge=0)], ...), "event_mac": (mac, ...),
        "baseline_event_id": (Annotated[StrictInt, Field(ge=0)], ...), "mac": (mac, ...)}
    head = create_model("ChainHead", __config__=ConfigDict(extra="forbid"), **head_fields)
    integrity_fields: dict[str, Any] = {
        "algorithm": (Literal["HMAC-SHA-256"], ...), "encoding": (Literal[1], ...),
        "kdf": (kdf, ...), "head": (Optional[head], None)}
    integrity = create_model("Integrity", __config__=ConfigDict(extra="forbid"), **integrity_fields)
    fields: dict[str, Any] = {
        "format": (Literal["injonctions-export"], ...),
        "schema_version": (Annotated[StrictInt, Field(ge=1, le=latest)], ...),
        "exported_at": (Optional[DateTimeText], None),
        "integrity": (Optional[integrity], None),
    }
    for section in sections:
        fields[section.key] = (list.__class_getitem__(build(section)), ...)
    return create_model("InjonctionsExport", __config__=ConfigDict(extra="forbid"), **fields)


# --------------------------------------------------------------------------- French problems


def json_path(location: tuple[Any, ...]) -> str:
    path = "$"
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"« {value[:40]} »"
    return text[:60]


def french(error: Mapping[str, Any]) -> str:
    """One pydantic error as a French sentence (the path is added by the caller)."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "missing":
        return "champ obligatoire absent"
    if kind == "extra_forbidden":
        return "clé inconnue"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"nombre entier attendu, reçu {_shown(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return "true ou false attendu"
    if kind == "string_type":
        return "texte attendu"
    if kind == "string_too_long":
        return f"texte trop long ({len(value or '')} caractères, au plus {ctx.get('max_length')})"
    if kind == "string_pattern_mismatch":
        wanted = "AAAA-MM-JJTHH:MM:SS" if "T" in str(ctx.get("pattern")) else \
            "AAAA-MM-JJ" if "\\d{4}" in str(ctx.get("pattern")) else "le format attendu"
        return f"{_shown(value)} n'est pas au format {wanted}"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = f"au moins {ctx.get('ge')}" if kind == "greater_than_equal" else f"au plus {ctx.get('le')}"
        return f"valeur {_shown(value)} hors limites ({bound})"
    if kind == "literal_error":
        return f"valeur {_shown(value)} inconnue (valeurs possibles : {ctx.get('expected', '')})".replace("'", "")
    if kind in ("list_type",):
        return "une liste est attendue"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "un objet JSON est attendu"
    if kind == "value_error":
        return str(ctx.get("error") or error.get("msg", ""))
    return "valeur invalide"


def problems_of(error: ValidationError, payload: dict[str, Any]) -> list[str]:
    """Every problem as `$.path (id N) : raison`, in the order of the file."""
    out = []
    for item in error.errors(include_url=False):
        location = tuple(item["loc"])
        out.append(f"{json_path(location)}{_record_id(payload, location)} : {french(item)}.")
    return out


def _record_id(payload: Any, location: tuple[Any, ...]) -> str:
    """" (id 7)" for the innermost record on the path that has an integer id."""
    found, node = "", payload
    for part in location:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and type(node.get("id")) is int:
            found = f" (id {node['id']})"
    return found

