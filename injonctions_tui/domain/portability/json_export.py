"""Export the whole database to one JSON document, and import it into an empty one.

Why: the professional must be able to take their data elsewhere (GDPR portability,
a new laptop, a colleague taking over) without this application. The format is
documented in docs/export-format.md. Records are serialised field by field from
the peewee models, so a new column is exported without touching this file; ids and
foreign-key ids are kept as they are, so references survive the round trip
(export, import into a fresh database, export again gives the same JSON).

The export is written in clear: it is the user's responsibility to keep it safe.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

from peewee import (BooleanField, CharField, DateField, DateTimeField, Field, ForeignKeyField, IntegerField,
                    PeeweeException, TextField)

from ..core import clock, vocabulary as v
from ..core.errors import ImportRejected, InjonctionsError
from ..core.files import read_limited
from ..core.models import (Appointment, AuditEvent, BaseModel, ConflictDeclaration, EligibilityEvidence, Habilitation,
                           HabilitationOverride, LegalRepresentative, Measure, Orientation, Person, Professional,
                           RegisterEvent, Renewal, Report, Setting, database)
from ..core.rules import MeasureKind
from ..core.text import search_key
from ..deadlines.engine import deadlines_by_measure
from ..store import migrations

FORMAT = "injonctions-export"
#: Larger than any real caseload by far; refusing bigger files avoids exhausting memory.
MAX_FILE_BYTES = 500 * 1024 * 1024
#: Beyond this, the list of problems is summarised (the user fixes the first ones first).
MAX_PROBLEMS = 200
_INSERT_BATCH = 100

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$")
_MISSING = object()


@dataclass(frozen=True)
class Section:
    """A list of the export: its JSON key, its model, and the lists nested in each record."""

    key: str
    model: type[BaseModel]
    #: For a nested list, the foreign key that points to the enclosing record.
    parent_field: str | None = None
    children: tuple[Section, ...] = ()
    #: Keys computed at export time (read-only): accepted and ignored by the import.
    derived: tuple[str, ...] = ()


#: The export's lists, parents before children (the import order).
SECTIONS: tuple[Section, ...] = (
    Section("settings", Setting),
    Section("professionals", Professional,
            children=(Section("habilitations", Habilitation, "professional"),
                      Section("eligibility_evidence", EligibilityEvidence, "professional"),
                      Section("habilitation_overrides", HabilitationOverride, "professional"),
                      Section("conflict_declarations", ConflictDeclaration, "professional"),
                      Section("register_events", RegisterEvent, "professional"))),
    Section("persons", Person,
            children=(Section("legal_representatives", LegalRepresentative, "person"),)),
    Section("measures", Measure, children=(Section("renewals", Renewal, "measure"),
                                           Section("orientations", Orientation, "measure")),
            derived=("deadlines",)),
    Section("appointments", Appointment),
    Section("reports", Report),
    Section("audit_events", AuditEvent),
)

#: Columns restricted to a closed list: an unknown value would break the screens later.
ENUM_FIELDS: dict[tuple[type[BaseModel], str], type[StrEnum]] = {
    (Professional, "profession"): v.Profession, (Habilitation, "status"): v.HabilitationStatus,
    (Measure, "kind"): MeasureKind, (Measure, "authority"): v.Authority,
    (Measure, "stage"): v.Stage, (Measure, "status"): v.MeasureStatus,
    (Measure, "public_override"): v.Public, (Measure, "outcome"): v.Outcome,
    (Orientation, "chosen_by"): v.ChosenBy, (Appointment, "kind"): v.AppointmentKind,
    (Appointment, "status"): v.AppointmentStatus, (Report, "kind"): v.ReportKind,
    (Report, "status"): v.ReportStatus, (Habilitation, "ground"): v.RemovalGround,
    (EligibilityEvidence, "item"): v.EvidenceItem, (ConflictDeclaration, "category"): v.ConflictCategory,
}

#: Nested lists added by a later schema: (parent list, list, schema version that added it).
#: An export from an older schema has none of them; they are read as empty lists.
ADDED_LISTS: tuple[tuple[str, str, int], ...] = (
    ("professionals", "eligibility_evidence", 4), ("professionals", "habilitation_overrides", 4),
    ("professionals", "conflict_declarations", 4), ("professionals", "register_events", 4),
)

_TOP_LEVEL = {"format", "schema_version", "exported_at"} | {s.key for s in SECTIONS}


def all_sections(sections: tuple[Section, ...] = SECTIONS) -> list[Section]:
    """Every list, nested ones included, parents first."""
    return [flat for top in sections for flat in (top, *all_sections(top.children))]


# --------------------------------------------------------------------------- export

def _json_value(value: Any) -> Any:
    """Dates and datetimes as ISO 8601 text; everything else is already JSON."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def _export_section(section: Section) -> list[dict[str, Any]]:
    model = section.model
    fields = model._meta.sorted_fields
    records = [{field.column_name: _json_value(row[field.name]) for field in fields}
               for row in cast("Iterable[dict[str, Any]]", model.select().order_by(model._meta.primary_key).dicts())]
    for child in section.children:
        link = child.model._meta.fields[child.parent_field].column_name
        grouped: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        for record in _export_section(child):
            grouped[record[link]].append(record)
        for record in records:
            record[child.key] = grouped.get(record["id"], [])
    return records


def export_all(today: dt.date | None = None) -> dict[str, Any]:
    """The whole database as one JSON-serialisable object, ordered by id.

    Each measure also carries its `deadlines` as computed on `today` (default: the
    clock's date): read-only, so the same data and date always give the same export.
    """
    now = clock.now()
    payload: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": migrations.LATEST_VERSION,
        "exported_at": now.isoformat(),
    }
    with database.atomic():  # one consistent snapshot
        for section in SECTIONS:
            payload[section.key] = _export_section(section)
        computed = deadlines_by_measure(today or now.date())
    for record in payload["measures"]:
        record["deadlines"] = [d.as_dict() for d in computed.get(record["id"], [])]
    return payload


def write_export(path: Path | None, today: dt.date | None = None) -> str:
    """Serialise the export; write it atomically (mode 0600) when a path is given."""
    text = json.dumps(export_all(today), ensure_ascii=False, indent=2, sort_keys=True)
    if path is not None:
        _write_atomically(Path(path), text)
    return text


def _write_atomically(path: Path, text: str) -> None:
    """A crash never leaves a half-written export under the final name."""
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise InjonctionsError(f"Impossible d'écrire l'export dans le dossier {path.parent} : "
                               f"{error.strerror or error}.") from None
    try:
        os.chmod(temp_name, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise InjonctionsError(f"Impossible d'écrire l'export {path} : "
                               f"{error.strerror or error}. Aucun fichier n'a été modifié.") from None


def read_export_file(path: Path) -> dict[str, Any]:
    """Read an export file, with a French message for every way it can be wrong."""
    path = Path(path)
    raw = read_limited(path, MAX_FILE_BYTES,
                       is_dir_message=f"{path} est un dossier, pas un fichier d'export.",
                       too_big_message=f"Le fichier {path} dépasse 500 Mo : ce n'est pas un export "
                                       "de l'application.")
    invalid = f"Le fichier {path} n'est pas un export JSON valide"
    try:
        payload = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InjonctionsError(f"{invalid} (il n'est pas encodé en UTF-8).") from None
    except json.JSONDecodeError as error:
        raise InjonctionsError(f"{invalid} (ligne {error.lineno}, colonne {error.colno}).") from None
    except RecursionError:
        raise InjonctionsError(f"{invalid} (imbrication trop profonde).") from None
    if not isinstance(payload, dict):
        raise InjonctionsError(f"Le fichier {path} n'est pas un export de l'application "
                               "(objet JSON attendu).")
    return payload


# --------------------------------------------------------------------------- import

def _convert(model: type[BaseModel], field: Field, raw: Any) -> tuple[Any, str | None]:
    """The Python value of one JSON value, or an error message in French."""
    if raw is None:
        if field.null:
            return None, None
        return None, "ne peut pas être vide (null)"
    if isinstance(field, (IntegerField, ForeignKeyField)):
        if type(raw) is not int or not -(2**63) <= raw < 2**63:
            return None, f"nombre entier attendu, reçu {json.dumps(raw, ensure_ascii=False)[:40]}"
        if field.primary_key and raw < 1:
            return None, "l'id doit être un entier positif"
        return raw, None
    if isinstance(field, BooleanField):
        return (raw, None) if type(raw) is bool else (None, "true ou false attendu")
    if isinstance(field, (DateTimeField, DateField)):
        is_datetime = isinstance(field, DateTimeField)
        pattern, kind = (_DATETIME, "AAAA-MM-JJTHH:MM:SS") if is_datetime else (_DATE, "AAAA-MM-JJ")
        try:
            if not isinstance(raw, str) or not pattern.match(raw):
                raise ValueError
            value = dt.datetime.fromisoformat(raw) if is_datetime else dt.date.fromisoformat(raw)
        except ValueError:
            shown = json.dumps(raw, ensure_ascii=False)[:40]
            return None, f"{shown} n'est pas une date valide (format {kind})"
        return value, None
    if isinstance(field, (CharField, TextField)):
        if not isinstance(raw, str):
            return None, "texte attendu"
        if any("\ud800" <= char <= "\udfff" for char in raw):
            return None, "texte invalide (caractère Unicode isolé)"
    enum = ENUM_FIELDS.get((model, field.name))
    if enum is not None and raw not in {member.value for member in enum}:
        accepted = ", ".join(member.value for member in enum)
        return None, f"valeur « {str(raw)[:40]} » inconnue (valeurs possibles : {accepted})"
    return raw, None


@dataclass
class _Validated:
    """Rows ready to insert, by model, each with its label for error messages."""

    rows: dict[type[BaseModel], list[tuple[str, dict[str, Any]]]]
    problems: list[str]


def _validate_record(section: Section, item: dict[str, Any], label: str,
                     parent_id: Any, out: _Validated) -> None:
    model = section.model
    fields = model._meta.sorted_fields
    allowed = ({field.column_name for field in fields} | {child.key for child in section.children}
               | set(section.derived))
    unknown = sorted(str(key) for key in item if key not in allowed)
    if unknown:
        out.problems.append(f"{label} : clé(s) inconnue(s) : {', '.join(unknown)}.")
    row: dict[str, Any] = {}
    for field in fields:
        raw = item.get(field.column_name, _MISSING)
        if raw is _MISSING:
            if field.name == section.parent_field:
                row[field.name] = parent_id
            elif model is Person and field.name == "search_name":
                pass  # computed below from the names (exports older than schema 2)
            elif field.null and not field.primary_key:
                row[field.name] = None
            elif field.default is not None:
                row[field.name] = field.default() if callable(field.default) else field.default
            else:
                out.problems.append(f"{label} : champ obligatoire « {field.column_name} » absent.")
            continue
        value, error = _convert(model, field, raw)
        if error:
            out.problems.append(f"{label} : {field.column_name} : {error}.")
        elif field.name == section.parent_field and value != parent_id and parent_id is not None:
            out.problems.append(f"{label} : {field.column_name} = {value} ne correspond pas "
                                f"à l'enregistrement qui le contient (id {parent_id}).")
        row[field.name] = value
    if model is Person and "search_name" not in row:
        row["search_name"] = search_key(f"{row.get('last_name') or ''} {row.get('first_name') or ''}")
    out.rows[model].append((label, row))
    for child in section.children:
        _validate_list(child, item.get(child.key, _MISSING), f"{label} > ", row.get("id"), out)


def _validate_list(section: Section, items: Any, prefix: str, parent_id: Any,
                   out: _Validated) -> None:
    if items is _MISSING:
        out.problems.append(f"{prefix}liste « {section.key} » absente.")
        return
    if not isinstance(items, list):
        out.problems.append(f"{prefix}« {section.key} » doit être une liste.")
        return
    for index, item in enumerate(items, start=1):
        label = f"{prefix}{section.key} n°{index}"
        if not isinstance(item, dict):
            out.problems.append(f"{label} : un objet JSON est attendu.")
            continue
        if type(item.get("id")) is int:
            label += f" (id {item['id']})"
        elif section.model is Setting and isinstance(item.get("key"), str):
            label += f" (clé {item['key'][:40]})"
        _validate_record(section, item, label, parent_id, out)


def _check_references(out: _Validated) -> None:
    """Unique ids, and every foreign key pointing to a record of the export."""
    names = {section.model: section.key for section in all_sections()}
    ids: dict[type[BaseModel], set[Any]] = {}
    for model, rows in out.rows.items():
        primary_key = model._meta.primary_key
        assert primary_key  # every table of the export has one
        pk = primary_key.name
        seen: set[Any] = set()
        for label, row in rows:
            if row.get(pk) in seen:
                out.problems.append(f"{label} : {pk} {row[pk]} en double dans « {names[model]} ».")
            seen.add(row.get(pk))
        ids[model] = seen
    for model, rows in out.rows.items():
        for field in model._meta.sorted_fields:
            if not isinstance(field, ForeignKeyField):
                continue
            for label, row in rows:
                value = row.get(field.name)
                if value is not None and value not in ids.get(field.rel_model, set()):
                    out.problems.append(f"{label} : {field.column_name} = {value} ne correspond "
                                        f"à aucun enregistrement de « {names[field.rel_model]} ».")


def _check_header(payload: Any) -> None:
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        message = "Import refusé : ce fichier n'est pas un export de l'application (format inconnu)."
        raise ImportRejected(message, [message])
    version = payload.get("schema_version")
    if type(version) is not int or version < 1:
        message = "Import refusé : version de schéma absente ou invalide (schema_version)."
        raise ImportRejected(message, [message])
    if version > migrations.LATEST_VERSION:
        message = (f"Import refusé : cet export vient d'une version plus récente de l'application "
                   f"(schéma {version}, cette version connaît le schéma "
                   f"{migrations.LATEST_VERSION}). Mettez l'application à jour.")
        raise ImportRejected(message, [message])


def _fill_added_lists(payload: dict[str, Any]) -> None:
    """Lists an older schema did not have are empty, not missing (ADDED_LISTS)."""
    version = payload["schema_version"]
    for parent, key, since in ADDED_LISTS:
        records = payload.get(parent)
        if version >= since or not isinstance(records, list):
            continue
        for record in records:
            if isinstance(record, dict):
                record.setdefault(key, [])


def _check_empty_database() -> None:
    filled = [name for name, model in (("personnes", Person), ("mesures", Measure),
                                       ("professionnels", Professional),
                                       ("rendez-vous", Appointment), ("rapports", Report))
              if model.select().exists()]
    if filled:
        raise InjonctionsError(f"Import refusé : la base contient déjà des données "
                               f"({', '.join(filled)}). Un export ne s'importe que dans une "
                               "base neuve ; rien n'a été importé.")


def _reject(problems: list[str]) -> ImportRejected:
    shown = problems[:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        shown.append(f"… et {len(problems) - MAX_PROBLEMS} autre(s) problème(s).")
    return ImportRejected(
        f"Import refusé : {len(problems)} problème(s) dans le fichier, rien n'a été importé.", shown)


def import_all(payload: dict[str, Any]) -> dict[str, int]:
    """Load an export into an empty database, all or nothing, keeping every id.

    Settings already present are replaced; audit events already present (those of
    an empty database) are kept, renumbered after the imported ones.
    """
    _check_header(payload)
    _check_empty_database()
    _fill_added_lists(payload)
    out = _Validated(rows=defaultdict(list), problems=[])
    unknown = sorted(str(key) for key in payload if key not in _TOP_LEVEL)
    if unknown:
        out.problems.append(f"clé(s) inconnue(s) au premier niveau : {', '.join(unknown)}.")
    if "exported_at" in payload and not isinstance(payload["exported_at"], str):
        out.problems.append("exported_at : texte attendu.")
    for section in SECTIONS:
        _validate_list(section, payload.get(section.key, _MISSING), "", None, out)
    if not out.problems:
        _check_references(out)
    if out.problems:
        raise _reject(out.problems)
    counts = {section.key: len(out.rows.get(section.model, [])) for section in all_sections()}
    try:
        with database.atomic():
            # Checked at commit: a correction may point to a report with a higher id.
            database.execute_sql("PRAGMA defer_foreign_keys = ON")
            kept_events = list(cast("Iterable[dict[str, Any]]", AuditEvent.select().order_by(AuditEvent.id).dicts()))
            Setting.delete().execute()
            AuditEvent.delete().execute()
            for section in all_sections():
                rows = [row for _, row in out.rows.get(section.model, [])]
                for start in range(0, len(rows), _INSERT_BATCH):
                    section.model.insert_many(rows[start:start + _INSERT_BATCH]).execute()
            for event in kept_events:
                event.pop("id")
                AuditEvent.insert(event).execute()
            if payload["schema_version"] < 7:  # an older export: one timeline per measure, as migrated
                migrations.one_timeline(database.obj)
    except PeeweeException as error:
        raise ImportRejected("Import refusé : la base a refusé les données, rien n'a été importé.",
                             [f"erreur de la base : {error}"]) from None
    return counts
