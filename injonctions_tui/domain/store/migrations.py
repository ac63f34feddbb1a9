"""Schema versions, applied in order at start-up right after unlocking.

Each migration is frozen: it states the schema as it was at that version (raw DDL
or `playhouse.migrations` operations), never the current model classes, so an old
database always upgrades through the same steps. Append new migrations; never edit
a released one. The version reached is kept in the `schema_version` table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from peewee import CharField, Database, DateField
from playhouse.migrate import SqliteMigrator, migrate

from ..core import clock
from ..core.dates import add_months
from ..core.errors import InjonctionsError
from ..core.text import search_key

Migration = Callable[[Database, SqliteMigrator], None]

_V1_TABLES = [
    """CREATE TABLE "setting" ("key" VARCHAR(255) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL)""",
    """CREATE TABLE "professional" ("id" INTEGER NOT NULL PRIMARY KEY,
        "last_name" VARCHAR(255) NOT NULL, "first_name" VARCHAR(255) NOT NULL,
        "profession" VARCHAR(255) NOT NULL, "rpps_adeli" VARCHAR(255),
        "order_registered_on" DATE, "csapa_name" VARCHAR(255), "csapa_address" TEXT,
        "departments" VARCHAR(255), "phone" VARCHAR(255), "email" VARCHAR(255),
        "is_user" INTEGER NOT NULL, "created_at" DATETIME NOT NULL)""",
    """CREATE TABLE "habilitation" ("id" INTEGER NOT NULL PRIMARY KEY,
        "professional_id" INTEGER NOT NULL, "status" VARCHAR(255) NOT NULL,
        "list_year" INTEGER, "decision_on" DATE, "decision_reference" VARCHAR(255),
        "valid_until" DATE, "status_on" DATE, "reason" TEXT,
        FOREIGN KEY ("professional_id") REFERENCES "professional" ("id") ON DELETE CASCADE)""",
    """CREATE INDEX "habilitation_professional_id" ON "habilitation" ("professional_id")""",
    """CREATE TABLE "person" ("id" INTEGER NOT NULL PRIMARY KEY,
        "last_name" VARCHAR(255) NOT NULL, "first_name" VARCHAR(255) NOT NULL,
        "birth_date" DATE, "address" TEXT, "phone" VARCHAR(255), "email" VARCHAR(255),
        "is_protected_adult" INTEGER NOT NULL, "guardian_name" VARCHAR(255),
        "guardian_contact" TEXT, "created_at" DATETIME NOT NULL)""",
    """CREATE TABLE "legal_representative" ("id" INTEGER NOT NULL PRIMARY KEY,
        "person_id" INTEGER NOT NULL, "name" VARCHAR(255) NOT NULL,
        "relationship" VARCHAR(255), "phone" VARCHAR(255), "address" TEXT,
        "convoked" INTEGER NOT NULL,
        FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE CASCADE)""",
    """CREATE INDEX "legal_representative_person_id" ON "legal_representative" ("person_id")""",
    """CREATE TABLE "measure" ("id" INTEGER NOT NULL PRIMARY KEY,
        "person_id" INTEGER NOT NULL, "professional_id" INTEGER,
        "kind" VARCHAR(255) NOT NULL, "parquet_number" VARCHAR(255) NOT NULL,
        "authority" VARCHAR(255) NOT NULL, "stage" VARCHAR(255) NOT NULL,
        "magistrat_referent" VARCHAR(255), "facts_on" DATE, "decision_on" DATE,
        "saisine_received_on" DATE NOT NULL, "start_on" DATE, "planned_end_on" DATE,
        "status" VARCHAR(255) NOT NULL, "public_override" VARCHAR(255),
        "minor_agreement" INTEGER, "outcome" VARCHAR(255), "outcome_on" DATE,
        "created_at" DATETIME NOT NULL,
        FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE CASCADE,
        FOREIGN KEY ("professional_id") REFERENCES "professional" ("id"))""",
    """CREATE INDEX "measure_person_id" ON "measure" ("person_id")""",
    """CREATE INDEX "measure_professional_id" ON "measure" ("professional_id")""",
    """CREATE INDEX "measure_parquet_number" ON "measure" ("parquet_number")""",
    """CREATE INDEX "measure_status" ON "measure" ("status")""",
    """CREATE TABLE "renewal" ("id" INTEGER NOT NULL PRIMARY KEY,
        "measure_id" INTEGER NOT NULL, "decided_on" DATE NOT NULL, "new_end_on" DATE NOT NULL,
        FOREIGN KEY ("measure_id") REFERENCES "measure" ("id") ON DELETE CASCADE)""",
    """CREATE INDEX "renewal_measure_id" ON "renewal" ("measure_id")""",
    """CREATE TABLE "orientation" ("id" INTEGER NOT NULL PRIMARY KEY,
        "measure_id" INTEGER NOT NULL, "structure" VARCHAR(255) NOT NULL,
        "doctor" VARCHAR(255), "address" TEXT, "chosen_on" DATE NOT NULL,
        "chosen_by" VARCHAR(255) NOT NULL, "agreement_on" DATE, "refused_on" DATE,
        FOREIGN KEY ("measure_id") REFERENCES "measure" ("id") ON DELETE CASCADE)""",
    """CREATE INDEX "orientation_measure_id" ON "orientation" ("measure_id")""",
    """CREATE TABLE "appointment" ("id" INTEGER NOT NULL PRIMARY KEY,
        "measure_id" INTEGER NOT NULL, "kind" VARCHAR(255) NOT NULL,
        "starts_at" DATETIME NOT NULL, "duration_minutes" INTEGER NOT NULL,
        "place" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL,
        "walk_in" INTEGER NOT NULL, "created_at" DATETIME NOT NULL,
        FOREIGN KEY ("measure_id") REFERENCES "measure" ("id") ON DELETE CASCADE)""",
    """CREATE INDEX "appointment_measure_id" ON "appointment" ("measure_id")""",
    """CREATE INDEX "appointment_starts_at" ON "appointment" ("starts_at")""",
    """CREATE TABLE "report" ("id" INTEGER NOT NULL PRIMARY KEY,
        "measure_id" INTEGER NOT NULL, "appointment_id" INTEGER,
        "kind" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL,
        "version" INTEGER NOT NULL, "previous_id" INTEGER, "adherence" VARCHAR(255),
        "proposal" VARCHAR(255), "observations" TEXT NOT NULL, "written_on" DATE NOT NULL,
        "finalised_at" DATETIME, "content_hash" VARCHAR(255), "sent_on" DATE,
        "created_at" DATETIME NOT NULL,
        FOREIGN KEY ("measure_id") REFERENCES "measure" ("id") ON DELETE CASCADE,
        FOREIGN KEY ("appointment_id") REFERENCES "appointment" ("id") ON DELETE SET NULL,
        FOREIGN KEY ("previous_id") REFERENCES "report" ("id"))""",
    """CREATE INDEX "report_measure_id" ON "report" ("measure_id")""",
    """CREATE INDEX "report_appointment_id" ON "report" ("appointment_id")""",
    """CREATE INDEX "report_previous_id" ON "report" ("previous_id")""",
    """CREATE TABLE "audit_event" ("id" INTEGER NOT NULL PRIMARY KEY,
        "at" DATETIME NOT NULL, "actor" VARCHAR(255) NOT NULL, "action" VARCHAR(255) NOT NULL,
        "entity" VARCHAR(255), "entity_id" INTEGER, "details" TEXT NOT NULL)""",
    """CREATE INDEX "audit_event_at" ON "audit_event" ("at")""",
]


def _v1_initial_schema(db: Database, migrator: SqliteMigrator) -> None:
    """Version 1: every table of the first release."""
    for statement in _V1_TABLES:
        db.execute_sql(statement)


def _v2_person_search_name(db: Database, migrator: SqliteMigrator) -> None:
    """Version 2: a folded name column so search ignores accents and case."""
    migrate(
        migrator.add_column("person", "search_name", CharField(default="")),
        migrator.add_index("person", ("search_name",), False),
    )
    rows = db.execute_sql('SELECT "id", "last_name", "first_name" FROM "person"').fetchall()
    for person_id, last_name, first_name in rows:
        db.execute_sql(
            'UPDATE "person" SET "search_name" = ? WHERE "id" = ?',
            (search_key(f"{last_name} {first_name}"), person_id),
        )


_V3_STATEMENTS = [
    'ALTER TABLE "report" ADD COLUMN "facts_json" TEXT',
    'ALTER TABLE "report" ADD COLUMN "confirmed_terms" TEXT',
    'ALTER TABLE "report" ADD COLUMN "updated_at" DATETIME',
    """CREATE TABLE "signing_identity" ("id" INTEGER NOT NULL PRIMARY KEY,
        "professional_id" INTEGER, "source" VARCHAR(255) NOT NULL,
        "subject" VARCHAR(255) NOT NULL, "fingerprint" VARCHAR(255) NOT NULL,
        "certificate" BLOB NOT NULL, "extra_certificates" BLOB, "private_key" BLOB,
        "created_at" DATETIME NOT NULL, "retired_at" DATETIME,
        FOREIGN KEY ("professional_id") REFERENCES "professional" ("id") ON DELETE SET NULL)""",
    """CREATE INDEX "signing_identity_professional_id" ON "signing_identity" ("professional_id")""",
    # A final report never changes, whoever writes to the table (only sent_on and the
    # appointment link, which a deleted appointment clears, may still move).
    """CREATE TRIGGER "report_final_is_immutable" BEFORE UPDATE ON "report"
        WHEN OLD."status" = 'final' AND (
            NEW."status" IS NOT OLD."status" OR NEW."measure_id" IS NOT OLD."measure_id"
            OR NEW."kind" IS NOT OLD."kind" OR NEW."version" IS NOT OLD."version"
            OR NEW."previous_id" IS NOT OLD."previous_id" OR NEW."adherence" IS NOT OLD."adherence"
            OR NEW."proposal" IS NOT OLD."proposal" OR NEW."observations" IS NOT OLD."observations"
            OR NEW."written_on" IS NOT OLD."written_on" OR NEW."finalised_at" IS NOT OLD."finalised_at"
            OR NEW."content_hash" IS NOT OLD."content_hash" OR NEW."facts_json" IS NOT OLD."facts_json"
            OR NEW."confirmed_terms" IS NOT OLD."confirmed_terms")
        BEGIN SELECT RAISE(ABORT, 'rapport définitif : modification interdite'); END""",
]


def _v3_reports_and_signature(db: Database, migrator: SqliteMigrator) -> None:
    """Version 3 (issue 5): a final report keeps its frozen facts and the flagged terms the
    professional confirmed, and a trigger forbids changing it; drafts note their last
    autosave; the signing key and certificate live inside the encrypted database.

    Note for later migrations: rebuilding the "report" table drops this trigger; create
    it again (same statement) after such a rebuild."""
    for statement in _V3_STATEMENTS:
        db.execute_sql(statement)


_V4_STATEMENTS = [
    'ALTER TABLE "professional" ADD COLUMN "order_number" VARCHAR(255)',
    'ALTER TABLE "professional" ADD COLUMN "order_name" VARCHAR(255)',
    'ALTER TABLE "professional" ADD COLUMN "without_order" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "habilitation" ADD COLUMN "ground" VARCHAR(255)',
    """CREATE TABLE "eligibility_evidence" ("id" INTEGER NOT NULL PRIMARY KEY,
        "professional_id" INTEGER NOT NULL, "item" VARCHAR(255) NOT NULL,
        "document_on" DATE NOT NULL, "reference" VARCHAR(255), "note" TEXT,
        "recorded_by" VARCHAR(255) NOT NULL, "recorded_at" DATETIME NOT NULL,
        FOREIGN KEY ("professional_id") REFERENCES "professional" ("id") ON DELETE CASCADE)""",
    """CREATE INDEX "eligibility_evidence_professional_id" ON "eligibility_evidence" ("professional_id")""",
    """CREATE TABLE "habilitation_override" ("id" INTEGER NOT NULL PRIMARY KEY,
        "habilitation_id" INTEGER NOT NULL, "professional_id" INTEGER NOT NULL,
        "item" VARCHAR(255) NOT NULL, "unmet" TEXT NOT NULL, "reason" TEXT NOT NULL,
        "decided_by" VARCHAR(255) NOT NULL, "decided_on" DATE NOT NULL,
        FOREIGN KEY ("habilitation_id") REFERENCES "habilitation" ("id") ON DELETE CASCADE,
        FOREIGN KEY ("professional_id") REFERENCES "professional" ("id") ON DELETE CASCADE)""",
    """CREATE INDEX "habilitation_override_habilitation_id" ON "habilitation_override" ("habilitation_id")""",
    """CREATE INDEX "habilitation_override_professional_id" ON "habilitation_override" ("professional_id")""",
    """CREATE TABLE "conflict_declaration" ("id" INTEGER NOT NULL PRIMARY KEY,
        "professional_id" INTEGER NOT NULL, "person_id" INTEGER,
        "last_name" VARCHAR(255) NOT NULL, "first_name" VARCHAR(255) NOT NULL,
        "birth_date" DATE, "category" VARCHAR(255) NOT NULL, "note" TEXT,
        "declared_on" DATE NOT NULL, "ended_on" DATE, "created_at" DATETIME NOT NULL,
        FOREIGN KEY ("professional_id") REFERENCES "professional" ("id") ON DELETE CASCADE,
        FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE SET NULL)""",
    """CREATE INDEX "conflict_declaration_professional_id" ON "conflict_declaration" ("professional_id")""",
    """CREATE INDEX "conflict_declaration_person_id" ON "conflict_declaration" ("person_id")""",
    """CREATE TABLE "register_event" ("id" INTEGER NOT NULL PRIMARY KEY,
        "professional_id" INTEGER NOT NULL, "at" DATETIME NOT NULL,
        "actor" VARCHAR(255) NOT NULL, "action" VARCHAR(255) NOT NULL, "details" TEXT NOT NULL,
        FOREIGN KEY ("professional_id") REFERENCES "professional" ("id") ON DELETE CASCADE)""",
    """CREATE INDEX "register_event_professional_id" ON "register_event" ("professional_id")""",
    """CREATE INDEX "register_event_at" ON "register_event" ("at")""",
]


def _v4_habilitation_register(db: Database, migrator: SqliteMigrator) -> None:
    """Version 4 (issue 6): the habilitation register. The professional's order (number,
    name, or none for their profession); why someone left the list; the eligibility
    evidence, the overrides of unmet items, the conflict-of-interest declarations and the
    register's own history. Columns are only added (no table rebuilt), so the trigger of
    version 3 on "report" is untouched."""
    for statement in _V4_STATEMENTS:
        db.execute_sql(statement)


def _v5_dossier_list_index(db: Database, migrator: SqliteMigrator) -> None:
    """Version 5: the dossier list is ordered by saisine date; an index makes its first
    page and search-as-you-type fast on 50 000 dossiers (bench/RESULTS.md: 142 -> 20 ms)."""
    migrate(migrator.add_index("measure", ("saisine_received_on", "id"), False))


#: The tables whose rows the deadline engine reads (deadlines/rows.py), with the column
#: naming the measure: a change there may change that measure's pending deadlines.
_V6_WATCHED = {"measure": "id", "appointment": "measure_id", "orientation": "measure_id",
               "renewal": "measure_id", "report": "measure_id"}


def _v6_mark_stale(row: str, column: str) -> str:
    # NOT EXISTS rather than INSERT OR IGNORE: a trigger's conflict clause is overridden by
    # the one of the statement that fired it (INSERT OR ROLLBACK...), a guard never conflicts.
    return (f'INSERT INTO "deadline_stale" ("measure_id") SELECT {row}."{column}" WHERE NOT EXISTS '
            f'(SELECT 1 FROM "deadline_stale" WHERE "measure_id" = {row}."{column}");')


_V6_STATEMENTS = [
    """CREATE TABLE "pending_deadline" ("id" INTEGER NOT NULL PRIMARY KEY,
        "measure_id" INTEGER NOT NULL, "kind" VARCHAR(255) NOT NULL, "rank" INTEGER NOT NULL,
        "due_on" DATE NOT NULL, "label" TEXT NOT NULL, "anchor_on" DATE,
        FOREIGN KEY ("measure_id") REFERENCES "measure" ("id") ON DELETE CASCADE)""",
    """CREATE INDEX "pending_deadline_measure_id" ON "pending_deadline" ("measure_id")""",
    """CREATE INDEX "pending_deadline_due_on_measure_id_rank" ON "pending_deadline"
        ("due_on", "measure_id", "rank")""",
    """CREATE TABLE "deadline_stale" ("measure_id" INTEGER NOT NULL PRIMARY KEY)""",
    """CREATE TABLE "deadline_cache_state" ("id" INTEGER NOT NULL PRIMARY KEY,
        "engine" VARCHAR(255) NOT NULL)""",
] + [
    f"""CREATE TRIGGER "{table}_deadline_stale_{event.lower()}" AFTER {event} ON "{table}"
        BEGIN {" ".join(_v6_mark_stale(row, column) for row in rows)} END"""
    for table, column in _V6_WATCHED.items()
    for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",)))
]


def _v6_deadline_cache(db: Database, migrator: SqliteMigrator) -> None:
    """Version 6 (issue 9): a cache of each open measure's pending deadlines, so the
    échéances view and the agenda read them instead of computing 4 000 dossiers.

    The database keeps it correct itself: triggers on every table the deadline engine
    reads mark the measure stale (`deadline_stale`) on any insert, update or delete,
    whoever writes (screens, CLI, import, retention, raw SQL); deadlines/cache.py
    recomputes the stale ones before reading. AFTER triggers only run for a change that
    was allowed (the version 3 trigger still refuses changes to a final report first).
    `deadline_cache_state` names the engine the cache was computed with: empty here, so
    the first read computes every open measure (this migration runs no rule: frozen).

    Note for later migrations: rebuilding one of the watched tables drops its triggers;
    create them again (same statements) after such a rebuild."""
    for statement in _V6_STATEMENTS:
        db.execute_sql(statement)


#: Durations frozen for version 7 (initial, renewal, maximum, in months): core/rules.py may
#: change later, this migration must not.
_V7_DURATIONS = {"injonction_therapeutique": (6, 6, 24), "injonction_de_soins": (12, 12, 120)}


def _v7_one_timeline(db: Database, migrator: SqliteMigrator) -> None:
    """Version 7 (issue 14): one start and one end per measure, and the professional's civility.

    The measure now starts on the date of the decision that pronounced it, unless the user
    entered another start from the saisine (DOMAIN.md step 6, binding). Earlier versions
    wrote the written agreement's date into `start_on` by themselves when it was empty: that
    value is cleared (the decision date takes over), and the old start is kept in the audit
    trail. The stored ends (`planned_end_on`, each renewal's `new_end_on`) are recomputed
    from the start, as the deadline engine now derives them; changed values are also kept
    in the audit trail. A start the user typed (different from the agreement) stays."""
    migrate(migrator.add_column("professional", "civility", CharField(null=True)))
    for event in one_timeline(db):
        db.execute_sql('INSERT INTO "audit_event" ("at", "actor", "action", "entity", "entity_id", "details") '
                       'VALUES (?, ?, ?, ?, ?, ?)', event)


def one_timeline(db: Database) -> list[tuple[str, str, str, str, int, str]]:
    """Version 7's data fix, also applied to an export of an older version when imported:
    clear the starts earlier versions derived from the written agreement, recompute the
    stored ends from the start. Returns what the audit trail must say (ids and dates
    only), as (at, actor, action, entity, entity_id, details): the migration writes them
    as they are (version 8 chains them), the import appends them to its chain."""
    now = clock.now().isoformat(" ")
    events: list[tuple[str, str, str, str, int, str]] = []
    measures = db.execute_sql('SELECT "id", "kind", "start_on", "decision_on", "planned_end_on" FROM "measure"')
    for measure_id, kind, start_on, decision_on, planned_end_on in measures.fetchall():
        agreed = db.execute_sql('SELECT MIN("agreement_on") FROM "orientation" WHERE "measure_id" = ? AND '
                                '"agreement_on" IS NOT NULL AND "refused_on" IS NULL', (measure_id,)).fetchone()[0]
        details = []
        if start_on is not None and agreed is not None and str(start_on) == str(agreed):
            details.append(f"debut_auto={start_on}")
            start_on = None
            db.execute_sql('UPDATE "measure" SET "start_on" = NULL WHERE "id" = ?', (measure_id,))
        start = start_on or decision_on
        renewals = db.execute_sql('SELECT "id", "new_end_on" FROM "renewal" WHERE "measure_id" = ? '
                                  'ORDER BY "decided_on", "id"', (measure_id,)).fetchall()
        if start is not None:
            initial, step, maximum = _V7_DURATIONS.get(kind, _V7_DURATIONS["injonction_therapeutique"])
            begin = dt.date.fromisoformat(str(start)[:10])
            for number, (renewal_id, old_end) in enumerate(renewals, start=1):
                new_end = add_months(begin, min(initial + number * step, maximum)).isoformat()
                if str(old_end) != new_end:
                    db.execute_sql('UPDATE "renewal" SET "new_end_on" = ? WHERE "id" = ?', (new_end, renewal_id))
            end = add_months(begin, min(initial + len(renewals) * step, maximum)).isoformat()
        else:
            end = None
        if str(planned_end_on) != str(end):
            details.append(f"fin_prevue={planned_end_on or '-'}->{end or '-'}")
            db.execute_sql('UPDATE "measure" SET "planned_end_on" = ? WHERE "id" = ?', (end, measure_id))
        if details:
            events.append((now, "système", "mesure_dates_recalculees", "measure", measure_id,
                           "migration 7 : " + " ".join(details)))
    return events


_V8_STATEMENTS = [
    'ALTER TABLE "report" ADD COLUMN "integrity_mac" TEXT',
    'ALTER TABLE "report" ADD COLUMN "provenance" VARCHAR(255)',
    'ALTER TABLE "audit_event" ADD COLUMN "mac" TEXT',
    """CREATE TABLE "integrity_permit" ("reason" VARCHAR(255) NOT NULL PRIMARY KEY)""",
    """CREATE TABLE "audit_chain_head" ("id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1),
        "event_id" INTEGER NOT NULL, "event_mac" TEXT NOT NULL, "baseline_event_id" INTEGER NOT NULL,
        "mac" TEXT NOT NULL)""",
]

_V8_TRIGGERS = [
    # The seal of a final report is written once (NULL -> MAC) and never changes after.
    """CREATE TRIGGER "report_final_seal_is_immutable" BEFORE UPDATE ON "report"
        WHEN OLD."status" = 'final' AND OLD."integrity_mac" IS NOT NULL AND (
            NEW."integrity_mac" IS NOT OLD."integrity_mac" OR NEW."provenance" IS NOT OLD."provenance")
            AND NOT EXISTS (SELECT 1 FROM "integrity_permit" WHERE "reason" = 'nouvelle_cle')
        BEGIN SELECT RAISE(ABORT, 'rapport définitif : preuve d''intégrité non modifiable'); END""",
    """CREATE TRIGGER "report_final_no_delete" BEFORE DELETE ON "report"
        WHEN OLD."status" = 'final'
            AND NOT EXISTS (SELECT 1 FROM "integrity_permit" WHERE "reason" = 'conservation')
        BEGIN SELECT RAISE(ABORT, 'rapport définitif : suppression interdite'); END""",
    """CREATE TRIGGER "audit_event_no_update" BEFORE UPDATE ON "audit_event"
        WHEN NOT EXISTS (SELECT 1 FROM "integrity_permit" WHERE "reason" = 'nouvelle_cle')
            OR NEW."id" IS NOT OLD."id" OR NEW."at" IS NOT OLD."at" OR NEW."actor" IS NOT OLD."actor"
            OR NEW."action" IS NOT OLD."action" OR NEW."entity" IS NOT OLD."entity"
            OR NEW."entity_id" IS NOT OLD."entity_id" OR NEW."details" IS NOT OLD."details"
        BEGIN SELECT RAISE(ABORT, 'journal : modification interdite'); END""",
    """CREATE TRIGGER "audit_event_no_delete" BEFORE DELETE ON "audit_event"
        WHEN NOT EXISTS (SELECT 1 FROM "integrity_permit" WHERE "reason" = 'import_json')
        BEGIN SELECT RAISE(ABORT, 'journal : suppression interdite'); END""",
]


def _v8_tamper_evidence(db: Database, migrator: SqliteMigrator) -> None:
    """Version 8 (issue 15): final reports and the audit trail become tamper-evident.

    Every final report gets an HMAC of its stored columns and every event a MAC chained to
    the previous one, with keys derived from the base key (store/integrity.py, encoding
    version 1, frozen); the head of the chain is kept and MAC'd; triggers then refuse
    UPDATE and DELETE of final reports and events, except under a permit row written by
    the retention erasure or the JSON import inside their own transaction. What the base
    holds now is the baseline: it is sealed as it is, whatever happened to it before."""
    from . import integrity  # the frozen version-1 encoding

    for statement in _V8_STATEMENTS:
        db.execute_sql(statement)
    keys = integrity.keys_for(db)
    integrity.seal_unsealed_finals(db, keys)
    integrity.rechain_all(db, keys)
    for statement in _V8_TRIGGERS:
        db.execute_sql(statement)


def _v9_convocation_printed(db: Database, migrator: SqliteMigrator) -> None:
    """Version 9 (issue 16): when each convocation was printed, so « Convocations à
    envoyer » lists those booked and never printed. Appointments booked before this
    version count as printed when they are in the past or were printed according to the
    audit trail (« impression » of a convocation); the others are listed."""
    migrate(migrator.add_column("appointment", "convocation_printed_on", DateField(null=True)))
    convocations_printed_before(db)


def convocations_printed_before(db: Database) -> None:
    """Version 11's data fix, also applied to an older export when imported: the
    convocations printed according to the audit trail, and every past appointment, are
    not « à envoyer »."""
    db.execute_sql(
        'UPDATE "appointment" SET "convocation_printed_on" = (SELECT MAX(DATE("at")) FROM "audit_event" '
        'WHERE "action" = \'impression\' AND "entity" = \'appointment\' AND "entity_id" = "appointment"."id" '
        'AND "details" LIKE \'document=convocation %\')')
    db.execute_sql('UPDATE "appointment" SET "convocation_printed_on" = DATE("starts_at") '
                   'WHERE "convocation_printed_on" IS NULL AND "starts_at" < ?', (clock.now().isoformat(" "),))


_V10_STATEMENTS = [
    """CREATE TABLE "treating_structure" ("id" INTEGER NOT NULL PRIMARY KEY,
        "name" VARCHAR(255) NOT NULL, "kind" VARCHAR(255) NOT NULL, "address" TEXT,
        "phone" VARCHAR(255), "secure_email" VARCHAR(255), "public" VARCHAR(255) NOT NULL,
        "notes" TEXT, "search_name" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL,
        "updated_at" DATETIME)""",
    """CREATE INDEX "treating_structure_search_name" ON "treating_structure" ("search_name")""",
    # Adding a column keeps the table (and the version 6 triggers on "orientation"); a
    # column with a foreign key may be added as long as its default is NULL.
    """ALTER TABLE "orientation" ADD COLUMN "treating_structure_id" INTEGER
        REFERENCES "treating_structure" ("id") ON DELETE SET NULL""",
    """CREATE INDEX "orientation_treating_structure_id" ON "orientation" ("treating_structure_id")""",
    """CREATE INDEX "audit_event_entity_entity_id" ON "audit_event" ("entity", "entity_id")""",
]


def _v10_treating_structures(db: Database, migrator: SqliteMigrator) -> None:
    """Version 10 (issue 22): the directory of treating doctors and structures the person
    chooses from (DOMAIN.md step 4); each orientation may point to the entry it was picked
    from (its names stay copied on the orientation). An index on the audit trail's record
    so the dossier's timeline lists the documents printed about it without reading the
    whole trail. Tables and columns are only added: no trigger is dropped."""
    for statement in _V10_STATEMENTS:
        db.execute_sql(statement)


_V11_STATEMENTS = [
    # The measure (DOMAIN.md "The sister measure"): the JAP's ordonnance, the sentence, the end
    # of the obligation, the expert, the JAP's court, a reason recorded beyond the legal cap.
    'ALTER TABLE "measure" ADD COLUMN "ordonnance_on" DATE',
    'ALTER TABLE "measure" ADD COLUMN "ordonnance_reference" VARCHAR(255)',
    'ALTER TABLE "measure" ADD COLUMN "sentence" VARCHAR(255)',
    'ALTER TABLE "measure" ADD COLUMN "obligation_end_on" DATE',
    'ALTER TABLE "measure" ADD COLUMN "expert_name" VARCHAR(255)',
    'ALTER TABLE "measure" ADD COLUMN "jap_tribunal" VARCHAR(255)',
    'ALTER TABLE "measure" ADD COLUMN "cap_override_reason" TEXT',
    'ALTER TABLE "orientation" ADD COLUMN "treating_role" VARCHAR(255)',
    'ALTER TABLE "professional" ADD COLUMN "psychiatrist_since" DATE',
    'ALTER TABLE "professional" ADD COLUMN "specialist_since" DATE',
    """CREATE TABLE "coordinator_listing" ("id" INTEGER NOT NULL PRIMARY KEY,
        "professional_id" INTEGER NOT NULL, "status" VARCHAR(255) NOT NULL, "tribunal" VARCHAR(255) NOT NULL,
        "decided_on" DATE NOT NULL, "reference" VARCHAR(255), "valid_until" DATE, "reason" TEXT,
        "created_at" DATETIME NOT NULL,
        FOREIGN KEY ("professional_id") REFERENCES "professional" ("id") ON DELETE CASCADE)""",
    """CREATE INDEX "coordinator_listing_professional_id" ON "coordinator_listing" ("professional_id")""",
    """CREATE TABLE "attestation_delivery" ("id" INTEGER NOT NULL PRIMARY KEY,
        "measure_id" INTEGER NOT NULL, "delivered_on" DATE NOT NULL, "created_at" DATETIME NOT NULL,
        FOREIGN KEY ("measure_id") REFERENCES "measure" ("id") ON DELETE CASCADE)""",
    """CREATE INDEX "attestation_delivery_measure_id" ON "attestation_delivery" ("measure_id")""",
] + [
    # The deadline engine reads the attestations delivered: their measure goes stale (as in v6).
    f"""CREATE TRIGGER "attestation_delivery_deadline_stale_{event.lower()}" AFTER {event} ON
        "attestation_delivery" BEGIN {" ".join(_v6_mark_stale(row, "measure_id") for row in rows)} END"""
    for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",)))
]


def _v11_injonction_de_soins(db: Database, migrator: SqliteMigrator) -> None:
    """Version 11 (issue 21, after issue 22's version 10): the injonction de soins carried out by a médecin coordonnateur.

    New columns only (ALTER TABLE ADD COLUMN: no table is rebuilt, the v6 triggers stay),
    a table for the coordonnateur's list entries and one for the attestations de suivi
    delivered, whose changes mark their measure's deadlines stale like the other tables
    the engine reads. No row changes: an existing IS measure simply has no ordonnance yet."""
    for statement in _V11_STATEMENTS:
        db.execute_sql(statement)


#: The ordered list of migrations; version N is MIGRATIONS[N - 1].
MIGRATIONS: list[Migration] = [
    _v1_initial_schema,
    _v2_person_search_name,
    _v3_reports_and_signature,
    _v4_habilitation_register,
    _v5_dossier_list_index,
    _v6_deadline_cache,
    _v7_one_timeline,
    _v8_tamper_evidence,
    _v9_convocation_printed,
    _v10_treating_structures,
    _v11_injonction_de_soins,
]

LATEST_VERSION = len(MIGRATIONS)
#: The schema version that records when each convocation was printed.
CONVOCATIONS_PRINTED_VERSION = MIGRATIONS.index(_v9_convocation_printed) + 1
#: The version that added the directory of treating structures (an older export has none).
DIRECTORY_VERSION = MIGRATIONS.index(_v10_treating_structures) + 1


def version_of(migration: Migration) -> int:
    """The schema version a migration brings (its place in MIGRATIONS): what an export of an
    older schema lacks, without a number written twice (the lead may renumber at merge)."""
    return MIGRATIONS.index(migration) + 1


def stored_version(db: Database) -> int:
    """The schema version recorded in a database, read without writing (0 if none):
    storage asks it on its read-only probe, before deciding whether to check integrity."""
    if not db.execute_sql("SELECT 1 FROM sqlite_master WHERE name = 'schema_version'").fetchone():
        return 0
    row = db.execute_sql('SELECT MAX("version") FROM "schema_version"').fetchone()
    return row[0] or 0


def current_version(db: Database) -> int:
    """The schema version of an open database (0 for a brand-new one)."""
    db.execute_sql(
        'CREATE TABLE IF NOT EXISTS "schema_version" '
        '("version" INTEGER NOT NULL PRIMARY KEY, "applied_at" DATETIME NOT NULL)'
    )
    return stored_version(db)


def upgrade(db: Database, target: int = LATEST_VERSION) -> list[int]:
    """Apply the missing migrations up to `target`, each in its own transaction.

    Returns the versions applied. Refuses a database written by a newer release,
    whose schema this code does not know.
    """
    version = current_version(db)
    if version > LATEST_VERSION:
        raise InjonctionsError(
            f"Cette base a été créée par une version plus récente de l'application "
            f"(schéma {version}, cette version connaît le schéma {LATEST_VERSION}). "
            "Mettez l'application à jour ; la base n'a pas été modifiée."
        )
    migrator = SqliteMigrator(db)
    applied: list[int] = []
    # SQLite rebuilds a table to alter a column; with foreign keys on, dropping the
    # old table would cascade-delete its children. The documented procedure is to
    # switch them off (outside a transaction), migrate, then check them.
    db.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        for number in range(version + 1, target + 1):
            with db.atomic():
                MIGRATIONS[number - 1](db, migrator)
                broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise InjonctionsError(
                        f"La mise à jour du schéma (version {number}) a échoué : "
                        "références incohérentes. La base n'a pas été modifiée."
                    )
                db.execute_sql(
                    'INSERT INTO "schema_version" ("version", "applied_at") VALUES (?, ?)',
                    (number, clock.now().isoformat(" ")),
                )
            applied.append(number)
    finally:
        db.execute_sql("PRAGMA foreign_keys = ON")
    return applied
