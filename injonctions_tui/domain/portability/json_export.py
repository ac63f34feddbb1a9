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

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

from peewee import DateField, DateTimeField, Field, ForeignKeyField, PeeweeException

from ..core import clock, vocabulary as v
from ..core.errors import ImportRejected, InjonctionsError
from ..core.files import read_limited
from ..core.models import (Appointment, AuditEvent, BaseModel, ConflictDeclaration, EligibilityEvidence, Habilitation,
                           HabilitationOverride, LegalRepresentative, Measure, Orientation, Person, Professional,
                           RegisterEvent, Renewal, Report, Setting, TreatingStructure, database)
from ..core.rules import MeasureKind
from ..core.text import search_key
from ..deadlines.engine import deadlines_by_measure
from ..store import audit, integrity, migrations, storage
from ..store.output_files import write_output

FORMAT = "injonctions-export"
#: Larger than any real caseload by far; refusing bigger files avoids exhausting memory.
MAX_FILE_BYTES = 500 * 1024 * 1024
#: Beyond this, the list of problems is summarised (the user fixes the first ones first).
MAX_PROBLEMS = 200
_INSERT_BATCH = 100



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
    Section("treating_structures", TreatingStructure),
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
    (TreatingStructure, "kind"): v.StructureKind, (TreatingStructure, "public"): v.StructurePublic,
}

#: Nested lists added by a later schema: (parent list, list, schema version that added it).
#: An export from an older schema has none of them; they are read as empty lists.
ADDED_LISTS: tuple[tuple[str, str, int], ...] = (
    ("professionals", "eligibility_evidence", 4), ("professionals", "habilitation_overrides", 4),
    ("professionals", "conflict_declarations", 4), ("professionals", "register_events", 4),
)

#: Top-level lists added by a later schema: (list, schema version that added it). An export
#: from an older schema has none of them; they are read as empty lists.
ADDED_SECTIONS: tuple[tuple[str, int], ...] = (
    ("treating_structures", migrations.DIRECTORY_VERSION),
)


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
    with database.atomic("DEFERRED"):  # one consistent snapshot, no write lock taken
        for section in SECTIONS:
            payload[section.key] = _export_section(section)
        payload["integrity"] = _integrity_block()
        computed = deadlines_by_measure(today or now.date())
    for record in payload["measures"]:
        record["deadlines"] = [d.as_dict() for d in computed.get(record["id"], [])]
    return payload


def _integrity_block() -> dict[str, Any] | None:
    """What an import needs to check this export's MACs with this base's passphrase: the
    key derivation's public parameters and the head of the journal (no key, no secret)."""
    head = integrity.read_head()
    base = storage.open_base_path()
    if base is None:
        return None
    salt, params = storage.read_kdf_params(base)
    return {"algorithm": "HMAC-SHA-256", "encoding": 1,
            "kdf": {"salt": salt.hex(), "time_cost": params.time_cost, "memory_cost_kib": params.memory_cost_kib,
                    "parallelism": params.parallelism},
            "head": None if head is None else {"event_id": head[0], "event_mac": head[1],
                                               "baseline_event_id": head[2], "mac": head[3]}}


def write_export(path: Path | None, today: dt.date | None = None, *, force: bool = False) -> str:
    """Serialise the export; write it atomically (mode 0600) when a path is given, through
    the store's one writer (never over the base, an existing file unless `force`, a device)."""
    text = json.dumps(export_all(today), ensure_ascii=False, indent=2, sort_keys=True)
    if path is not None:
        write_output(Path(path), text.encode("utf-8"), force=force, what="l'export")
    return text


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

def _value(field: Field, raw: Any) -> Any:
    """The Python value of a JSON value the schema accepted."""
    if raw is None:
        return None
    if isinstance(field, DateTimeField):
        return dt.datetime.fromisoformat(raw)
    if isinstance(field, DateField):
        return dt.date.fromisoformat(raw)
    return raw


@dataclass
class _Rows:
    """Rows ready to insert, by model, each with its JSON path for error messages."""

    rows: dict[type[BaseModel], list[tuple[str, dict[str, Any]]]]
    problems: list[str]


def _collect(section: Section, items: list[dict[str, Any]], path: str, parent_id: Any, out: _Rows) -> None:
    model = section.model
    for index, item in enumerate(items):
        label = f"{path}[{index}]"
        row: dict[str, Any] = {}
        for field in model._meta.sorted_fields:
            raw = item.get(field.column_name)
            if field.column_name not in item or raw is None and not field.null:
                if field.name == section.parent_field:
                    row[field.name] = parent_id
                elif model is Person and field.name == "search_name":
                    row[field.name] = search_key(f"{item.get('last_name') or ''} {item.get('first_name') or ''}")
                elif field.default is not None and not field.primary_key:
                    row[field.name] = field.default() if callable(field.default) else field.default
                else:
                    row[field.name] = None
                continue
            row[field.name] = _value(field, raw)
            if field.name == section.parent_field and parent_id is not None and row[field.name] != parent_id:
                out.problems.append(f"{label}.{field.column_name} (id {item.get('id')}) : {row[field.name]} ne "
                                    f"correspond pas à l'enregistrement qui le contient (id {parent_id}).")
        out.rows[model].append((f"{label} (id {row.get('id')})", row))
        for child in section.children:
            _collect(child, item.get(child.key) or [], f"{label}.{child.key}", row.get("id"), out)


def _check_references(out: _Rows) -> None:
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


def _check_parquet_numbers(out: _Rows) -> None:
    """One dossier per parquet number, as the form, the walk-in and the saisines import
    require: a file giving two measures the same number is refused, both named."""
    from ..dossiers.identity import parquet_key

    first: dict[str, str] = {}
    for label, row in out.rows.get(Measure, []):
        key = parquet_key(row.get("parquet_number") or "")
        if not key:
            continue
        if key in first:
            out.problems.append(f"{label} : n° de parquet {row['parquet_number']} déjà donné à {first[key]} "
                                "(un seul dossier par n° de parquet).")
        else:
            first[key] = label


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
    """Lists an older schema did not have are empty, not missing (ADDED_LISTS, ADDED_SECTIONS)."""
    version = payload["schema_version"]
    for key, since in ADDED_SECTIONS:
        if version < since:
            payload.setdefault(key, [])
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


_SCHEMA: list[Any] = []


def schema_model() -> Any:
    """The pydantic model of a whole export (built once, on the first import)."""
    if not _SCHEMA:
        from .schema import export_schema

        _SCHEMA.append(export_schema(SECTIONS, ENUM_FIELDS, migrations.LATEST_VERSION))
    return _SCHEMA[0]


def json_schema() -> dict[str, Any]:
    """The published JSON Schema (docs/export-schema.json; a test keeps it current)."""
    schema = schema_model().model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Export injonctions_tui"
    return schema


def validate(payload: dict[str, Any]) -> _Rows:
    """Every problem of the file, with its JSON path, in French; rows ready to insert."""
    from pydantic import ValidationError

    from .schema import problems_of

    _check_header(payload)
    _fill_added_lists(payload)
    try:
        schema_model().model_validate(payload)
    except ValidationError as error:
        raise _reject(problems_of(error, payload)) from None
    out = _Rows(rows=defaultdict(list), problems=[])
    for section in SECTIONS:
        _collect(section, payload[section.key], f"$.{section.key}", None, out)
    if not out.problems:
        _check_references(out)
        _check_parquet_numbers(out)
    if out.problems:
        raise _reject(out.problems)
    return out


def _stored(moment: str | None) -> str | None:
    """A datetime of the file as the exporting base stored it (what its MACs cover)."""
    return str(dt.datetime.fromisoformat(moment)) if moment else None


def _prove(payload: dict[str, Any], passphrase: str | None) -> int | None:
    """With the exporting base's passphrase: check every final report's MAC and the whole
    chain of the file with that base's keys; the baseline to keep, or ImportRejected.
    Without it: None (final reports are imported « sans preuve d'intégrité »)."""
    if passphrase is None:
        return None
    block = payload.get("integrity")
    if not block:
        raise _reject(["$.integrity : cet export ne porte pas de preuve d'intégrité (version antérieure de "
                       "l'application) ; importez-le sans la phrase secrète de la base d'origine."])
    params = storage.checked_kdf_params(block["kdf"], "$.integrity.kdf")
    keys = integrity.keys_from(storage.derive_key(passphrase, bytes.fromhex(block["kdf"]["salt"]), params))
    problems = []
    for index, report in enumerate(payload["reports"]):
        if report.get("status") != "final":
            continue
        row = tuple(_stored(report.get(c)) if c == "finalised_at" else report.get(c)
                    for c in integrity.REPORT_COLUMNS)
        if report.get("integrity_mac") != integrity.report_mac(keys, row):
            problems.append(f"$.reports[{index}] (id {report.get('id')}) : ce rapport définitif ne correspond pas à "
                            "sa preuve d'intégrité (modifié après l'export, ou autre phrase secrète).")
    previous, last = integrity.GENESIS, (0, integrity.GENESIS)
    for index, event in sorted(enumerate(payload["audit_events"]), key=lambda pair: pair[1]["id"]):
        row = tuple(_stored(event.get(c)) if c == "at" else event.get(c) for c in integrity.EVENT_COLUMNS)
        previous = integrity.event_mac(keys, previous, row)
        if event.get("mac") != previous:
            problems.append(f"$.audit_events[{index}] (id {event['id']}) : la chaîne du journal est rompue ici "
                            "(événement modifié, ajouté ou supprimé après l'export).")
            previous = event.get("mac") or previous
        last = (event["id"], previous)
    head = block.get("head")
    if head is None or head["mac"] != integrity.head_mac(keys, head["event_id"], head["event_mac"],
                                                         head["baseline_event_id"]) \
            or (head["event_id"], head["event_mac"]) != last:
        problems.append("$.integrity.head : la fin du journal ne correspond pas à sa preuve (événements retirés "
                        "ou ajoutés après l'export).")
    if problems:
        raise _reject(problems)
    return head["baseline_event_id"]


def import_all(payload: dict[str, Any], *, source_passphrase: str | None = None) -> dict[str, int]:
    """Load an export into an empty database, all or nothing, keeping every id.

    Settings already present are replaced; audit events already present (those of
    an empty database) are kept, renumbered after the imported ones, and the whole
    journal is chained again with this base's keys. With `source_passphrase` (the
    exporting base's), every MAC of the file is checked first and the final reports
    stay proven; without it they are marked « importés sans preuve d'intégrité ».
    """
    out = validate(payload)
    _check_empty_database()
    baseline = _prove(payload, source_passphrase)
    counts = {section.key: len(out.rows.get(section.model, [])) for section in all_sections()}
    finals = [row for _, row in out.rows.get(Report, []) if row.get("status") == "final"]
    for _, row in out.rows.get(Report, []):
        row["integrity_mac"] = None  # sealed again below, with this base's key
        if row.get("status") == "final":
            row["provenance"] = row.get("provenance") if baseline is not None else integrity.UNPROVEN
    events = [row for _, row in sorted(out.rows.get(AuditEvent, []), key=lambda pair: pair[1]["id"])]
    try:
        with database.atomic():
            # Checked at commit: a correction may point to a report with a higher id.
            database.execute_sql("PRAGMA defer_foreign_keys = ON")
            kept = database.execute_sql('SELECT "at", "actor", "action", "entity", "entity_id", "details" '
                                        'FROM "audit_event" ORDER BY "id"').fetchall()
            Setting.delete().execute()
            with integrity.permit(integrity.PERMIT_IMPORT):
                AuditEvent.delete().execute()
            for section in all_sections():
                if section.model is AuditEvent:
                    continue
                rows = [row for _, row in out.rows.get(section.model, [])]
                for start in range(0, len(rows), _INSERT_BATCH):
                    section.model.insert_many(rows[start:start + _INSERT_BATCH]).execute()
            for row in finals:
                integrity.seal_report(row["id"])
            integrity.restart_chain([(e["id"], str(e["at"]), e["actor"], e["action"], e["entity"], e["entity_id"],
                                      e["details"]) for e in events], baseline or 0)
            integrity.append_events([tuple(row) for row in kept])
            if payload["schema_version"] < 7:  # an older export: one timeline per measure, as migrated
                integrity.append_events(migrations.one_timeline(database.obj))
            if payload["schema_version"] < migrations.CONVOCATIONS_PRINTED_VERSION:
                migrations.convocations_printed_before(database.obj)
            audit.record("import_json", details=f"preuve={'verifiee' if baseline is not None else 'absente'} "
                                                f"rapports_definitifs={len(finals)}")
            if baseline is None:  # what came before this event was not proven: checked from here on
                integrity.move_baseline_to_last()
    except PeeweeException:
        raise ImportRejected("Import refusé : la base a refusé les données, rien n'a été importé.",
                             ["une contrainte de la base n'est pas respectée (références ou valeurs "
                              "incohérentes entre les listes)"]) from None
    return counts


if __name__ == "__main__":  # regenerate docs/export-schema.json
    print(json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True))
