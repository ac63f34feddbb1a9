"""Tamper-evidence: keyed MACs on final reports, the audit trail as a hash chain (issue 15).

Why: the passphrase opens the base to anyone who holds it, and SQL tools can then
rewrite a final report or empty the journal. A plain SHA-256 can be recomputed by
anyone; an HMAC-SHA-256 needs a key. The keys here are derived from the base key
(HMAC of the 32-byte SQLCipher key with a fixed label), never stored, derived again
when needed from the open connection's parameters.

- A final report carries `integrity_mac`: HMAC over its stored columns (frozen facts,
  the professional's text, version, links, provenance), computed from the row as SQLite
  stores it, so what is checked is exactly what is kept.
- Each audit event carries `mac` = HMAC(previous event's MAC ‖ the event): deleting,
  changing or inserting an event breaks every later link. The head of the chain (last
  event id and MAC, and the baseline) lives in `audit_chain_head`, itself MAC'd, so a
  truncated or emptied journal is noticed too.
- Triggers (migration 8) refuse UPDATE and DELETE of final reports and of events; the
  two legitimate deletions, the retention erasure and the JSON import, insert a row in
  `integrity_permit` inside their own transaction, remove it before committing, and are
  recorded in the chain (one event per erased dossier).

What it cannot do: someone who holds the passphrase *and* writes code can derive the
keys and recompute every MAC (RELIABILITY.md says so); a base rolled back whole to an
older copy is consistent with itself. The encoding below is frozen (version 1): the
migration that computed the baseline uses it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..core.models import database

#: Column order of a report's MAC (frozen, version 1).
REPORT_COLUMNS = ("id", "measure_id", "kind", "status", "version", "previous_id", "adherence", "proposal",
                  "observations", "written_on", "finalised_at", "content_hash", "facts_json", "confirmed_terms",
                  "provenance")
EVENT_COLUMNS = ("id", "at", "actor", "action", "entity", "entity_id", "details")
GENESIS = "0" * 64
#: A final report imported without a proof that the exporting base wrote it.
UNPROVEN = "import_sans_preuve"
PERMIT_RETENTION, PERMIT_IMPORT, PERMIT_NEW_KEY = "conservation", "import_json", "nouvelle_cle"
TRIGGERS = ("report_final_is_immutable", "report_final_seal_is_immutable", "report_final_no_delete",
            "audit_event_no_update", "audit_event_no_delete")
MAX_PROBLEMS = 20


class _Keys:
    """The three MAC keys of one base key (report, journal, head of the journal)."""

    def __init__(self, base_key: bytes) -> None:
        def sub(label: bytes) -> bytes:
            return hmac.new(base_key, b"injonctions/integrite/v1/" + label, hashlib.sha256).digest()

        self.report, self.event, self.head = sub(b"rapport"), sub(b"journal"), sub(b"tete")


def key_from_raw(raw_key_sql: str) -> bytes:
    """The 32 bytes of SQLCipher's raw key literal `x'…'`."""
    match = re.fullmatch(r"x'([0-9a-fA-F]{64})'", raw_key_sql or "")
    if match is None:
        raise ValueError("not a raw SQLCipher key")
    return bytes.fromhex(match.group(1))


def keys_from(base_key: bytes) -> _Keys:
    """The MAC keys of another base (an export's source), from its derived key."""
    return _Keys(base_key)


def keys_for(db: Any = None) -> _Keys:
    """The MAC keys of the open base (or of `db`, an open peewee database)."""
    bound = db if db is not None else database.obj
    return _Keys(key_from_raw(bound.connect_params["passphrase"]))


def _mac(key: bytes, payload: bytes) -> str:
    return hmac.digest(key, payload, "sha256").hex()


def encode(values: Iterable[Any], db: Any = None) -> str:
    """The encoding a MAC covers: SQLite's own `json_array` of the values as stored (the
    same C code encodes a row read in bulk and a row given from Python: no drift)."""
    values = list(values)
    db = db if db is not None else database
    return db.execute_sql(f"SELECT json_array({', '.join('?' * len(values))})", values).fetchone()[0]


def report_mac_of(keys: _Keys, encoded: str) -> str:
    return _mac(keys.report, encoded.encode("utf-8"))


def report_mac(keys: _Keys, row: tuple[Any, ...], db: Any = None) -> str:
    """MAC of a report row given in REPORT_COLUMNS order (as SQLite stores it)."""
    return report_mac_of(keys, encode(row, db))


def event_mac_of(keys: _Keys, previous: str, encoded: str) -> str:
    return _mac(keys.event, previous.encode("ascii") + b"|" + encoded.encode("utf-8"))


def event_mac(keys: _Keys, previous: str, row: tuple[Any, ...], db: Any = None) -> str:
    """MAC of an event (EVENT_COLUMNS order) chained to the previous event's MAC."""
    return event_mac_of(keys, previous, encode(row, db))


def head_mac(keys: _Keys, event_id: int, event_mac_: str, baseline: int) -> str:
    return _mac(keys.head, json.dumps([event_id, event_mac_, baseline]).encode("ascii"))


def _json_array(columns: tuple[str, ...]) -> str:
    return "json_array(" + ", ".join(f'"{c}"' for c in columns) + ")"


#: id, measure, kind, written_on, finalised_at (for the messages), the encoding, the MAC.
_REPORT_SELECT = ('SELECT "id", "measure_id", "kind", "written_on", "finalised_at", '
                  f'{_json_array(REPORT_COLUMNS)}, "integrity_mac" FROM "report"')
#: id, at, action, entity_id, details (for the cross-checks), the encoding, the MAC.
_EVENT_SELECT = (f'SELECT "id", "at", "action", "entity_id", "details", {_json_array(EVENT_COLUMNS)}, "mac" '
                 'FROM "audit_event"')


def seal_report(report_id: int, db: Any = None) -> str:
    """Compute and store the MAC of a report just made final (inside its transaction)."""
    db = db if db is not None else database
    row = db.execute_sql(_REPORT_SELECT + ' WHERE "id" = ?', (report_id,)).fetchone()
    mac = report_mac_of(keys_for(None if db is database else db), row[5])
    db.execute_sql('UPDATE "report" SET "integrity_mac" = ? WHERE "id" = ?', (mac, report_id))
    return mac


# --------------------------------------------------------------------------- the chain


def seal_unsealed_finals(db: Any, keys: _Keys) -> int:
    """Seal in bulk every final report without a seal: the baseline of migration 8, and the
    benchmark's base written with `insert_many`. Sealing is not a change of the deadlines:
    the cache's triggers must not mark every dossier stale. Returns how many were sealed."""
    finals = db.execute_sql(_REPORT_SELECT + ' WHERE "status" = \'final\' AND "integrity_mac" IS NULL').fetchall()
    db.execute_sql('CREATE TEMP TABLE stale_before AS SELECT "measure_id" FROM "deadline_stale"')
    db.execute_sql("CREATE TEMP TABLE report_seal (id INTEGER PRIMARY KEY, mac TEXT NOT NULL)")
    for start in range(0, len(finals), 400):
        chunk = finals[start:start + 400]
        db.execute_sql("INSERT INTO report_seal VALUES " + ", ".join(["(?, ?)"] * len(chunk)),
                       [v for row in chunk for v in (row[0], report_mac_of(keys, row[5]))])
    db.execute_sql('UPDATE "report" SET "integrity_mac" = (SELECT mac FROM report_seal WHERE report_seal.id = '
                   '"report"."id") WHERE "id" IN (SELECT id FROM report_seal)')
    db.execute_sql("DROP TABLE report_seal")
    db.execute_sql('DELETE FROM "deadline_stale" WHERE "measure_id" NOT IN (SELECT "measure_id" FROM stale_before)')
    db.execute_sql("DROP TABLE stale_before")
    return len(finals)


def read_head(db: Any = None) -> tuple[int, str, int, str] | None:
    db = db if db is not None else database
    return db.execute_sql('SELECT "event_id", "event_mac", "baseline_event_id", "mac" FROM "audit_chain_head" '
                          'WHERE "id" = 1').fetchone()


def write_head(keys: _Keys, event_id: int, mac: str, baseline: int, db: Any = None) -> None:
    db = db if db is not None else database
    db.execute_sql('INSERT OR REPLACE INTO "audit_chain_head" ("id", "event_id", "event_mac", "baseline_event_id", '
                   '"mac") VALUES (1, ?, ?, ?, ?)', (event_id, mac, baseline, head_mac(keys, event_id, mac, baseline)))


def append_events(rows: list[tuple[Any, ...]], *, db: Any = None, keys: _Keys | None = None) -> list[int]:
    """Append events (at, actor, action, entity, entity_id, details) to the chain, in the
    caller's write transaction: ids follow the head, each MAC covers the previous one."""
    db = db if db is not None else database
    keys = keys or keys_for(None if db is database else db)
    head = read_head(db)
    if head is not None:
        last_id, previous, baseline = head[0], head[1], head[2]
    else:  # no head: a chain broken from outside (verification says so); keep recording
        last = db.execute_sql('SELECT "id", "mac" FROM "audit_event" ORDER BY "id" DESC LIMIT 1').fetchone()
        last_id, previous, baseline = (last[0], last[1] or GENESIS, 0) if last else (0, GENESIS, 0)
    top = db.execute_sql('SELECT MAX("id") FROM "audit_event"').fetchone()[0] or 0
    next_id = max(last_id, top) + 1
    ids, values = [], []
    for at, actor, action, entity, entity_id, details in rows:
        row = (next_id, at, actor, action, entity, entity_id, details)
        previous = event_mac(keys, previous, row, db)
        values.append((*row, previous))
        ids.append(next_id)
        next_id += 1
    for start in range(0, len(values), 200):
        chunk = values[start:start + 200]
        db.execute_sql('INSERT INTO "audit_event" ("id", "at", "actor", "action", "entity", "entity_id", "details", '
                       '"mac") VALUES ' + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?)"] * len(chunk)),
                       [v for row in chunk for v in row])
    if ids:
        write_head(keys, ids[-1], previous, baseline, db)
    return ids


def restart_chain(rows: list[tuple[Any, ...]], baseline: int) -> None:
    """The JSON import: the file's events (with their ids, in order) become the start of a
    new chain under this base's keys; `baseline` is the exporting base's (proven) or 0."""
    keys = keys_for()
    previous = GENESIS
    values = []
    for row in rows:
        previous = event_mac(keys, previous, tuple(row))
        values.append((*row, previous))
    for start in range(0, len(values), 200):
        chunk = values[start:start + 200]
        database.execute_sql('INSERT INTO "audit_event" ("id", "at", "actor", "action", "entity", "entity_id", '
                             '"details", "mac") VALUES ' + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?)"] * len(chunk)),
                             [v for row in chunk for v in row])
    write_head(keys, rows[-1][0] if rows else 0, previous, baseline)


def move_baseline_to_last() -> None:
    """From now on the cross-checks start after the last event (an unproven import)."""
    head = read_head()
    if head is not None:
        write_head(keys_for(), head[0], head[1], head[0])


def rechain_all(db: Any, keys: _Keys, *, baseline: int | None = None) -> None:
    """Compute every event's MAC from the first (the baseline of migration 8, or after a
    proven import); the events are rewritten by the caller, under a permit."""
    previous, last_id = GENESIS, 0
    rows = db.execute_sql(_EVENT_SELECT + ' ORDER BY "id"').fetchall()
    for row in rows:
        previous = event_mac_of(keys, previous, row[5])
        db.execute_sql('UPDATE "audit_event" SET "mac" = ? WHERE "id" = ?', (previous, row[0]))
        last_id = row[0]
    write_head(keys, last_id, previous, last_id if baseline is None else baseline, db)


def reseal(old: _Keys, new: _Keys) -> None:
    """After a passphrase change (the base key changed, so did the MAC keys): every seal
    that the old keys verify is written again with the new ones; one they do not verify is
    left as it is, so the alteration stays visible. In the caller's write transaction."""
    with permit(PERMIT_NEW_KEY):
        for row in database.execute_sql(_REPORT_SELECT + ' WHERE "status" = \'final\'').fetchall():
            mac = row[6]
            if mac and hmac.compare_digest(mac, report_mac_of(old, row[5])):
                database.execute_sql('UPDATE "report" SET "integrity_mac" = ? WHERE "id" = ?',
                                     (report_mac_of(new, row[5]), row[0]))
        old_previous = new_previous = GENESIS
        for row in database.execute_sql(_EVENT_SELECT + ' ORDER BY "id"').fetchall():
            mac, encoded = row[6], row[5]
            intact = mac is not None and hmac.compare_digest(mac, event_mac_of(old, old_previous, encoded))
            old_previous = mac or old_previous
            new_previous = event_mac_of(new, new_previous, encoded) if intact else (mac or "")
            database.execute_sql('UPDATE "audit_event" SET "mac" = ? WHERE "id" = ?', (new_previous or None, row[0]))
        head = read_head()
        if head is not None:
            valid = hmac.compare_digest(head[3], head_mac(old, head[0], head[1], head[2]))
            last = database.execute_sql('SELECT "mac" FROM "audit_event" WHERE "id" = ?', (head[0],)).fetchone()
            if valid and last is not None and head[1] == old_previous:
                write_head(new, head[0], last[0], head[2])


# --------------------------------------------------------------------------- permits


class permit:  # noqa: N801 (a context manager used as `with permit(...)`)
    """Inside a write transaction: allow the guarded deletions of `reason` until the block
    ends (the row never outlives the transaction)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __enter__(self) -> permit:
        database.execute_sql('INSERT OR IGNORE INTO "integrity_permit" ("reason") VALUES (?)', (self.reason,))
        return self

    def __exit__(self, *exc: object) -> None:
        database.execute_sql('DELETE FROM "integrity_permit" WHERE "reason" = ?', (self.reason,))


# --------------------------------------------------------------------------- verification


@dataclass
class Verdict:
    """What the verification found: French sentences, and what was checked."""

    problems: list[str] = field(default_factory=list)
    reports: int = 0
    events: int = 0
    seconds: float = 0.0

    @property
    def intact(self) -> bool:
        return not self.problems

    def message(self) -> str:
        if self.intact:
            return (f"Intégrité vérifiée : {self.reports} rapport(s) définitif(s) et {self.events} événement(s) "
                    "du journal sont tels que l'application les a enregistrés.")
        shown = self.problems[:MAX_PROBLEMS]
        more = len(self.problems) - len(shown)
        return ("La base a été modifiée en dehors de l'application :\n" + "\n".join(f"- {p}" for p in shown)
                + (f"\n- … et {more} autre(s) anomalie(s)." if more > 0 else "")
                + "\nLes documents concernés ne doivent plus être imprimés ni signés tels quels ; comparez avec "
                  "votre dernière sauvegarde.")


def _when(stamp: Any) -> str:
    text = str(stamp or "")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text[:19] or "date inconnue"
    return f"{moment:%d/%m/%Y à %H:%M}"


def _day(stamp: Any) -> str:
    try:
        return f"{dt.date.fromisoformat(str(stamp)[:10]):%d/%m/%Y}"
    except ValueError:
        return "date inconnue"


def _check_structure(problems: list[str]) -> None:
    present = {row[0] for row in database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    missing = [name for name in TRIGGERS if name not in present]
    if missing:
        problems.append(f"les protections de la base ont été retirées ({len(missing)} déclencheur(s) supprimé(s) : "
                        f"{', '.join(missing)}) : les vérifications ci-dessous disent ce qui a pu changer depuis.")
    leftover = database.execute_sql('SELECT count(*) FROM "integrity_permit"').fetchone()[0]
    if leftover:
        problems.append("une autorisation de suppression est restée active en dehors de l'application : "
                        "des rapports ou des événements ont pu être supprimés.")


def verify_report_row(keys: _Keys, row: tuple[Any, ...]) -> str | None:
    """A French sentence when this final report (a row of _REPORT_SELECT) is not as the
    application sealed it."""
    report_id, measure_id, kind, written, finalised, encoded, mac = row
    if mac and hmac.compare_digest(mac, report_mac_of(keys, encoded)):
        return None
    what = f"Le rapport définitif n° {report_id} ({str(kind).replace('_', ' ')}, rédigé le {_day(written)}, " \
           f"dossier n° {measure_id})"
    if not mac:
        return f"{what} n'a pas de preuve d'intégrité : il a été rendu définitif ou inséré hors de l'application."
    return f"{what} a été modifié hors de l'application après sa finalisation (le {_when(finalised)})."


def _check_reports(keys: _Keys, verdict: Verdict) -> set[int]:
    finals: set[int] = set()
    for row in database.execute_sql(_REPORT_SELECT + ' WHERE "status" = \'final\''):
        finals.add(row[0])
        verdict.reports += 1
        problem = verify_report_row(keys, row)
        if problem:
            verdict.problems.append(problem)
    return finals


_MEASURE_IN_DETAILS = re.compile(r"mesure=(\d+)")


def _check_chain(keys: _Keys, verdict: Verdict, finals: set[int]) -> None:
    head = read_head()
    previous, last_good = GENESIS, None
    last_id, broken = 0, False
    finalised: dict[int, tuple[int, str]] = {}  # report -> (its measure, the date)
    erased: set[int] = set()
    baseline = head[2] if head else 0
    for row in database.execute_sql(_EVENT_SELECT + ' ORDER BY "id"'):
        event_id, at, action, entity_id, details, encoded, mac = row
        verdict.events += 1
        expected = event_mac_of(keys, previous, encoded)
        if mac is None or not hmac.compare_digest(mac, expected):
            since = f"le journal est intact jusqu'au {_when(last_good[1])} (événement n° {last_good[0]})" \
                if last_good else "dès le premier événement"
            verdict.problems.append(f"Journal : l'événement n° {event_id} du {_when(at)} a été modifié, ajouté ou "
                                    f"un événement qui le précédait a été supprimé hors de l'application ; {since}.")
            broken = True
        else:
            last_good = (event_id, at)
        previous = mac or expected
        last_id = event_id
        if event_id > baseline and entity_id is not None:
            if action == "rapport_finalise":
                found = _MEASURE_IN_DETAILS.search(details or "")
                finalised[entity_id] = (int(found.group(1)) if found else -1, at)
            elif action == "effacement_conservation":
                erased.add(entity_id)
    if head is None:
        verdict.problems.append("Journal : sa tête de chaîne a disparu : des événements ont pu être supprimés "
                                "hors de l'application.")
    elif not hmac.compare_digest(head[3], head_mac(keys, head[0], head[1], head[2])):
        verdict.problems.append("Journal : sa tête de chaîne a été modifiée hors de l'application.")
    elif head[0] != last_id or (not broken and head[1] != previous):
        kept = f"le dernier événement conservé est le n° {last_id}" if last_id else "il n'en reste aucun"
        verdict.problems.append(f"Journal : les événements qui suivaient ont été supprimés hors de l'application "
                                f"(le dernier enregistré était le n° {head[0]} ; {kept}).")
    for report_id, (measure_id, at) in sorted(finalised.items()):
        if report_id not in finals and measure_id not in erased:
            verdict.problems.append(f"Le rapport définitif n° {report_id} (finalisé le {_when(at)}) a disparu de la "
                                    "base sans effacement enregistré (durée de conservation).")


def verify_base() -> Verdict:
    """Check the structure, every final report's MAC and the whole chain (a worker thread
    after unlocking; `injonctions audit`). Reads only."""
    import time

    started = time.perf_counter()
    verdict = Verdict()
    keys = keys_for()
    with database.atomic("DEFERRED"):  # one snapshot for the reports and the chain
        _check_structure(verdict.problems)
        finals = _check_reports(keys, verdict)
        _check_chain(keys, verdict, finals)
    verdict.seconds = time.perf_counter() - started
    return verdict


def verify_report(report_id: int) -> str | None:
    """Before printing or signing a final report: None, or what was altered (French)."""
    row = database.execute_sql(_REPORT_SELECT + ' WHERE "id" = ? AND "status" = \'final\'', (report_id,)).fetchone()
    return None if row is None else verify_report_row(keys_for(), row)
