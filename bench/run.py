"""The benchmark, in one command: `.venv/bin/python bench/run.py` (see bench/README.md).

Generates the database if it is missing (bench/out/bench.db, git-ignored), works on a
fresh copy of it (runs write audit events and a signing identity), then prints every
figure next to its goal with ✓ or ✗, as medians over repeated runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import generate

from injonctions_tui.domain.store import storage

RUN_COPY = HERE / "out" / "run.db"
OK, KO = "✓", "✗"


# --------------------------------------------------------------------------- output

class Report:
    """Collects the lines, and which goals are met."""

    def __init__(self) -> None:
        self.results: list[tuple[str, bool]] = []

    @staticmethod
    def section(title: str) -> None:
        print(f"\n{title}")

    @staticmethod
    def info(label: str, value: str) -> None:
        print(f"  {label:<60} {value}")

    def goal(self, label: str, value: str, goal: str, met: bool, note: str = "", *, counted: bool = True) -> None:
        """One figure next to its goal; `counted=False` for a detail of a counted goal."""
        if counted:
            self.results.append((label, met))
        mark = OK if met else KO
        print(f"  {label:<60} {value:>10}   goal {goal:<9} {mark}" + (f"   {note}" if note else ""))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def timed(function: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """(median of `repeat` calls after a first one, the first call, last result)."""
    start = time.perf_counter()
    result = function()
    first = time.perf_counter() - start
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), first, result


# --------------------------------------------------------------------------- machine

def _first_line(path: str, prefix: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def machine(db) -> None:
    from importlib.metadata import version

    Report.section("Machine")
    Report.info("date of the run", time.strftime("%Y-%m-%d %H:%M"))  # the machine's, not the app's clock
    Report.info("CPU", _first_line("/proc/cpuinfo", "model name") or platform.processor() or "?")
    Report.info("cores", str(os.cpu_count()))
    mem = _first_line("/proc/meminfo", "MemTotal")
    Report.info("RAM", f"{int(mem.split()[0]) / 1024 / 1024:.1f} GiB" if mem else "?")
    Report.info("OS", platform.platform())
    Report.info("Python", platform.python_version())
    cipher = db.execute_sql("PRAGMA cipher_version").fetchone()[0]
    sqlite = db.execute_sql("SELECT sqlite_version()").fetchone()[0]
    Report.info("Textual / peewee / sqlcipher3", f"{version('textual')} / {version('peewee')} / {version('sqlcipher3')}")
    Report.info("SQLCipher (SQLite)", f"{cipher} ({sqlite})")
    Report.info("load average at start (other work on the machine)", " ".join(f"{x:.2f}" for x in os.getloadavg()))


# --------------------------------------------------------------------------- processes

def _child(args: list[str], env: dict[str, str]) -> dict:
    """Start bench/child.py; `T0` is taken just before the process exists."""
    command = [sys.executable, str(HERE / "child.py"), *args]
    if args and args[0].startswith("start-"):
        command.insert(3, repr(time.monotonic()))  # right after the mode
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"child {args[0]} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def quick_check_time(key: bytes) -> float:
    """What `PRAGMA quick_check` costs alone: the app runs it in a worker thread after the
    first paint (storage.check_integrity), so it is not in the cold start any more."""
    runs = []
    for _ in range(3):
        probe = storage._connect(RUN_COPY, key, storage._BASE_PRAGMAS)
        start = time.perf_counter()
        probe.execute_sql("PRAGMA quick_check").fetchall()
        runs.append(time.perf_counter() - start)
        probe.close()
    return statistics.median(runs)


def cold_start(report: Report, env: dict[str, str], rows: int, repeat: int, check: float) -> None:
    report.section("Cold start (new process → first screen painted, headless 120×40)")
    # The package as installed: pip compiles every module to bytecode at install time. A
    # working copy (or PYTHONDONTWRITEBYTECODE=1) would otherwise compile ~50 modules from
    # source at every start (≈ 50 ms here) and time the compiler, not the app.
    import compileall

    compileall.compile_dir(ROOT / "injonctions_tui", quiet=1)
    bare, app = [], []
    for _ in range(repeat):  # interleaved, so a busy moment hurts both
        bare.append(_child(["start-bare", str(rows)], env))
        app.append(_child(["start-app", str(RUN_COPY)], env))
    median = lambda runs, key: statistics.median(r[key] for r in runs)
    bare_ready, app_ready = median(bare, "ready"), median(app, "ready")
    report.info(f"bare Textual app (Header + DataTable of {rows} rows + Footer)", ms(bare_ready))
    report.info("the app, to the agenda of TODAY", f"{ms(app_ready)}  ({app[-1]['rows']} appointments shown)")
    report.info("  of which: imports (bare app: " + ms(median(bare, "imported")) + ")",
                ms(median(app, "imported")))
    report.info("  of which: opening the unlocked base (storage.open_with_key, integrity check deferred)",
                ms(median(app, "unlocked") - median(app, "imported")))
    report.info("  of which: app mount → agenda mounted", ms(median(app, "agenda_mounted") - median(app, "unlocked")))
    report.info("  of which: agenda mounted → first refresh", ms(median(app, "ready") - median(app, "agenda_mounted")))
    ratio = app_ready / bare_ready
    report.goal("cold start, ratio to the bare Textual app", f"{ratio:.2f}×", "≤ 1.35×", ratio <= 1.35)
    report.info("  then, in a worker: PRAGMA quick_check (agenda usable meanwhile)", ms(check))


def tamper_check(report: Report, manifest: dict, repeat: int) -> None:
    """The integrity check the app runs in a worker after unlocking (store.integrity.verify_base:
    every final report's HMAC and the whole journal chain), on the base as generated, then
    with a journal of 4 events per dossier (200 000, recorded in the run copy only)."""
    from injonctions_tui.domain.core.models import database
    from injonctions_tui.domain.store import audit, integrity

    report.section("Integrity check after unlocking (a worker thread, off the start-up path)")
    median, first, verdict = timed(integrity.verify_base, repeat)
    report.info(f"final reports' HMACs + journal ({verdict.reports} reports, {verdict.events} events)",
                f"{ms(median)}  [{ms(first)}]")
    events = 4 * manifest["counts"]["Measure"]
    with database.atomic():
        for start in range(0, events, 10_000):
            audit.record_many("consultation_dossier", "measure", list(range(start + 1, start + 10_001)))
    median, first, verdict = timed(integrity.verify_base, repeat)
    report.goal(f"the same with a journal of {verdict.events} events", f"{ms(median)}  [{ms(first)}]", "< 2 s",
                median < 2.0 and verdict.intact)


def kdf(report: Report, repeat: int) -> None:
    params = storage.KdfParams()
    salt = os.urandom(16)
    runs = []
    for _ in range(max(3, repeat // 2)):
        start = time.perf_counter()
        storage.derive_key("phrase de passe du banc d'essai", salt, params)
        runs.append(time.perf_counter() - start)
    report.info(f"+ key derivation at unlock (argon2id {params.memory_cost_kib // 1024} MiB, "
                f"t={params.time_cost}, p={params.parallelism})",
                f"{ms(statistics.median(runs))}  (deliberate, outside the ratio)")


def memory(report: Report, env: dict[str, str], repeat: int) -> None:
    report.section("Memory (peak resident memory of a fresh process: VmHWM)")
    bare = statistics.median(_child(["memory-bare"], env)["vmhwm_mb"] for _ in range(2))
    runs = [_child(["memory-app", str(RUN_COPY)], env) for _ in range(max(2, repeat // 3))]
    peak = statistics.median(r["vmhwm_mb"] for r in runs)
    report.info("bare Textual app (for reference)", f"{bare:.0f} MB")
    report.info("screens visited", " → ".join(runs[-1]["screens"]))
    report.goal("the app with the base open (agenda, week, dossiers, échéances)", f"{peak:.0f} MB", "< 200 MB",
                peak < 200)


# --------------------------------------------------------------------------- in process

def views(report: Report, manifest: dict, repeat: int) -> dict[str, float]:
    """Every view's median, by label (also what the scale table compares)."""
    from injonctions_tui.domain.agenda import days as agenda
    from injonctions_tui.domain.deadlines import listing as echeances
    from injonctions_tui.domain.dossiers import detail as dossier_detail, listing as dossiers
    from injonctions_tui.domain.store import settings

    today = dt.date.fromisoformat(manifest["today"])
    court = settings.load_court()
    report.section(f"Views (domain layer, in process; median of {repeat} after a first call shown in brackets)")
    limit = 0.050

    figures: dict[str, float] = {}

    def line(label: str, function: Callable[[], object], goal: float = limit, note: str = "") -> object:
        median, first, result = timed(function, repeat)
        figures[label] = median
        report.goal(label, ms(median), f"< {goal * 1000:.0f} ms", median < goal,
                    f"(1st {ms(first)}) {note}".rstrip())
        return result

    day = agenda.day_view(court, today, today)
    line("agenda: one day (day_view)", lambda: agenda.day_view(court, today, today),
         note=f"{len(day.rows)} appointments")
    week = agenda.week_view(court, today, today)
    line("agenda: one week (week_view)", lambda: agenda.week_view(court, today, today),
         note=f"{sum(len(v.rows) for v in week)} appointments")
    rows, total = dossiers.dossier_rows()
    line("dossiers: the list (dossier_rows)", lambda: dossiers.dossier_rows(), note=f"{len(rows)} of {total} rows")
    measure_id = _long_dossier()
    detail = dossier_detail.dossier_detail(measure_id, today)
    line("dossier: one with its timeline (dossier_detail)",
         lambda: dossier_detail.dossier_detail(measure_id, today),
         note=f"n° {measure_id}, {len(detail.timeline)} events")
    name = manifest["search_name"].lower()
    report.info(f"search as you type « {name} », one query per keystroke:", "")
    worst = 0.0
    for end in range(1, len(name) + 1):
        prefix = name[:end]
        median, first, (found, count) = timed(lambda p=prefix: dossiers.dossier_rows(p), repeat)
        worst = max(worst, median)
        report.goal(f"  keystroke « {prefix} » (dossier_rows)", ms(median), "< 30 ms", median < 0.030,
                    f"(1st {ms(first)}) {count} found", counted=False)
    report.goal("search as you type: the slowest keystroke above", ms(worst), "< 30 ms", worst < 0.030)
    figures["search as you type: the slowest keystroke"] = worst
    from injonctions_tui.domain.core.models import Measure

    found = echeances.deadline_rows(today)
    open_measures = Measure.select().where(Measure.outcome.is_null() & (Measure.status != "cloture")).count()
    line("échéances (deadline_rows)", lambda: echeances.deadline_rows(today),
         note=f"{len(found)} rows shown, from the deadline cache of {open_measures} open dossiers")
    appointment_id = day.rows[0].appointment_id

    def after_a_write() -> object:
        """A presence marked, then the échéances opened: the trigger marks the measure
        stale, the read recomputes it (the write itself is inside the figure)."""
        Measure._meta.database.execute_sql(
            'UPDATE "appointment" SET "status" = "status" WHERE "id" = ?', (appointment_id,))
        return echeances.deadline_rows(today)

    median, first, _ = timed(after_a_write, repeat)
    figures["échéances right after a write"] = median
    report.goal("  échéances right after a write on one dossier", ms(median), "< 50 ms", median < 0.050,
                f"(1st {ms(first)}) one measure recomputed", counted=False)
    return figures


def _long_dossier() -> int:
    """An open dossier with a long history: the open measure with the most appointments."""
    from peewee import fn

    from injonctions_tui.domain.core.models import Appointment, Measure

    row = (Appointment.select(Appointment.measure, fn.COUNT(Appointment.id).alias("n")).join(Measure)
           .where(Measure.status == "suivi").group_by(Appointment.measure)
           .order_by(fn.COUNT(Appointment.id).desc(), Appointment.measure).limit(1).tuples().first())
    return row[0]


def documents(report: Report, manifest: dict, repeat: int) -> None:
    from injonctions_tui.domain.core.models import Appointment
    from injonctions_tui.domain.store import settings

    today = dt.date.fromisoformat(manifest["today"])
    court = settings.load_court()
    report.section(f"Documents (PDF bytes in memory; median of {repeat} after a first call)")
    from injonctions_tui.domain.documents import catalogue as docs

    start = time.perf_counter()
    from injonctions_tui.domain.printing import signing

    report.info("import of the signing module (pyHanko), once, deferred", ms(time.perf_counter() - start))
    report_id = manifest["sealed_reports"][-1]
    appointment = (Appointment.select().where((Appointment.status == "present")
                                              & (Appointment.starts_at < dt.datetime.combine(today, dt.time.min)))
                   .order_by(Appointment.starts_at.desc(), Appointment.id.desc()).first())

    def line(label: str, function: Callable[[], object], goal: float, note: str = "") -> object:
        median, first, result = timed(function, repeat)
        report.goal(label, ms(median), f"< {goal * 1000:.0f} ms", median < goal, f"(1st {ms(first)}) {note}".rstrip())
        return result

    kinds = docs.DOCUMENT_KINDS
    pdf = line("fiche navette (load + render)", lambda: kinds["fiche-navette"].build(report_id, today=today).data,
               0.100, f"report n° {report_id}")
    line("attestation de présence (load + render)",
         lambda: kinds["attestation"].build(appointment.id, today=today, court=court), 0.100,
         f"appointment n° {appointment.id}")
    day_count = Appointment.select().where(
        (Appointment.starts_at >= dt.datetime.combine(today, dt.time.min))
        & (Appointment.starts_at < dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))).count()
    line("feuille de permanence", lambda: kinds["permanence"].build(today, today=today, court=court), 0.100,
         f"TODAY, {day_count} appointments")
    start = time.perf_counter()
    signing.ensure_signing_identity()
    report.info("signing identity (RSA 3072 self-signed), created once", ms(time.perf_counter() - start))
    line("signing the fiche navette (sign_pdf, PAdES)",
         lambda: signing.sign_pdf(pdf, reason="Fiche navette", location="Nanterre", on=today), 0.300)
    card_signing(report, line, pdf, today, repeat)


def card_signing(report: Report, line: Callable[..., object], pdf: bytes, today: dt.date, repeat: int) -> None:
    """The professional's card: a SoftHSM2 token (tests/pkcs11_token.py, fictional CA and
    signer) chosen in the run copy, its CA and CRL imported, so each signature carries the
    chain and validation data (the slowest case). "After the PIN": session, login, signing."""
    if shutil.which("softhsm2-util") is None:
        report.info("signing through a card (SoftHSM2)", "not measured: apt-get install -y softhsm2")
        return
    from injonctions_tui.domain.core import clock
    from injonctions_tui.domain.printing import pkcs11, signer_choice, signing, trust
    from injonctions_tui.domain.printing.pades import DocumentToSign
    from tests import pkcs11_token

    tokens = pkcs11_token.build_token_dir(HERE / "out" / "softhsm", moments=[clock.now_utc()])
    os.environ["SOFTHSM2_CONF"] = tokens.conf  # SoftHSM2 reads it when (re)initialised
    pkcs11.refresh_library(tokens.lib_path)
    cards = signer_choice.read_cards(tokens.lib_path, tokens.token_label)
    token, certificate = signer_choice.pick_certificate(cards, tokens.cert_label)
    signer_choice.choose_certificate(tokens.lib_path, token, certificate, clock.now_utc())
    trust.import_chain(Path(tokens.ca_pem))
    trust.import_crl(Path(tokens.crl_pem))
    try:
        line("signing one report through SoftHSM2 after the PIN (sign_pdf)",
             lambda: signing.sign_pdf(pdf, reason="Fiche navette", location="Nanterre", on=today,
                                      pin=tokens.user_pin), 0.300, "RSA 2048, chain + CRL embedded")
        batch = [DocumentToSign(pdf, "Fiche navette", "Nanterre", name=f"rapport-{n}.pdf") for n in range(30)]
        runs = max(3, repeat // 2)
        median, first, _ = timed(lambda: signing.sign_pdfs(batch, on=today, pin=tokens.user_pin), runs)
        report.goal("a batch of 30 documents signed with one PIN entry (sign_pdfs)", f"{median:.2f} s", "< 5 s",
                    median < 5.0, f"(1st {first:.2f} s) {median / 30 * 1000:.0f} ms per document")
    finally:
        signer_choice.forget_pkcs11_choice()
        trust.clear_trust()


def secrecy_guard(report: Report, repeat: int) -> None:
    """Issue 17: recall and false positives on both parts of the corpus (tests/), per
    category, and the main-thread cost of a keystroke in a 3 000-word report."""
    import hashlib

    from injonctions_tui.domain.reports import secrecy
    from tests.domain.reports.secrecy_corpus import (CLEAN, HELD_OUT, HELD_OUT_SHA256, LEAK, TUNING, evaluate,
                                                     report_text)

    started = time.perf_counter()
    lexicon = secrecy.load_lexicon(None)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    secrecy.warm_up(lexicon)
    report.section("Secrecy guard (issue 17)")
    report.info(f"lexicon read ({len(lexicon)} entries, {len(lexicon.exceptions)} exceptions)", ms(loaded))
    report.info("first use: simplemma's French model + compilation (in a worker at start)",
                ms(time.perf_counter() - started))
    frozen = hashlib.sha256(HELD_OUT.read_bytes()).hexdigest() == HELD_OUT_SHA256
    report.info("held-out part unchanged since frozen (sha256)", "yes" if frozen else "NO")
    for name, path in (("tuning part", TUNING), ("held-out part (never used to tune)", HELD_OUT)):
        result = evaluate(path, lexicon)
        report.goal(f"{name}: leaking sentences flagged (n={result.count(LEAK)})", f"{result.rate(LEAK):.1%}",
                    "≥ 95 %", result.rate(LEAK) >= 0.95)
        report.goal(f"{name}: clean sentences flagged (n={result.count(CLEAN)})", f"{result.rate(CLEAN):.1%}",
                    "≤ 5 %", result.rate(CLEAN) <= 0.05)
        for label, goal in ((LEAK, 0.95), (CLEAN, 0.05)):
            for category in result.categories(label):
                rate, n = result.rate(label, category), result.total[(label, category)]
                met = rate >= goal if label == LEAK else rate <= goal
                report.goal(f"    {label} / {category} (n={n})", f"{rate:.1%}", ("≥ " if label == LEAK else "≤ ")
                            + f"{goal:.0%}", met, counted=False)
    text = report_text(3000)
    secrecy.scan(text, lexicon)
    position = text.index(". ", len(text) // 2) + 2
    typed = ("Il est sous méthadone depuis mars, il boit encore trois bières par jour et se dit abstinant ; "
             "le traitement de son dossier avance. M. X s'est présenté à l'heure. ")
    timings = []
    for index in range(200):
        text = text[:position] + typed[index % len(typed)] + text[position:]
        position += 1
        started = time.perf_counter()
        secrecy.scan(text, lexicon)
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    report.goal(f"keystroke in a {len(text.split())}-word report (scan, median of 200)", ms(median), "< 16 ms",
                median < 0.016, f"max {ms(max(timings))}")


def annual(report: Report, manifest: dict, repeat: int) -> None:
    from injonctions_tui.domain.statements import activity, statement

    today = dt.date.fromisoformat(manifest["today"])
    year = today.year - 1
    runs = max(3, repeat // 2)
    report.section(f"Annual documents for {year} (median of {runs} after a first call)")
    for label, function in (
            (f"état justificatif {year} (annual_statement)", lambda: statement.annual_statement(year, today=today)),
            (f"bilan d'activité {year} (activity_report)",
             lambda: activity.activity_report(dt.date(year, 1, 1), dt.date(year, 12, 31), today=today))):
        median, first, result = timed(function, runs)
        note = f"{len(result.rows)} persons" if hasattr(result, "rows") else f"{result.total.received} received"
        report.goal(label, ms(median), "< 2 s", median < 2.0, f"(1st {ms(first)}) {note}")


# --------------------------------------------------------------------------- main

def ensure_database(path: Path, scale: float = 1.0) -> dict:
    manifest_path = path.with_name(path.name + generate.MANIFEST_SUFFIX)
    if not path.exists() or not manifest_path.exists():
        generate.remove(path)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--out", str(path), "--scale", str(scale)],
                       check=True)
    return json.loads(manifest_path.read_text(encoding="utf-8"))


def scaled_path(scale: float) -> Path:
    return generate.DEFAULT_DB if scale == 1 else generate.DEFAULT_DB.with_name(f"bench-x{scale:g}.db")


def scales(values: list[float], repeat: int) -> int:
    """The views on bases of several sizes, and how each figure grows (issue 18: from
    50 000 to 200 000 dossiers, ≤ 1.5×)."""
    figures: dict[float, dict[str, float]] = {}
    for scale in values:
        manifest = ensure_database(scaled_path(scale), scale)
        fresh_copy(scaled_path(scale))
        key = storage.derive_key_for(RUN_COPY, manifest["passphrase"])
        db = storage.open_with_key(RUN_COPY, key)
        try:
            from injonctions_tui.domain.deadlines import cache as deadline_cache

            deadline_cache.refresh()
            print(f"\n=== {manifest['counts']['Measure']} dossiers (scale {scale:g})")
            figures[scale] = views(Report(), manifest, repeat)
        finally:
            db.close()
    ordered = sorted(figures)
    print("\nGrowth of each view with the size of the base (median times; ratio to the previous size)")
    head = "  " + f"{'view':<52}" + "".join(f"{round(generate.MEASURES * v):>10,}".replace(",", " ") for v in ordered)
    print(head + "   ratios")
    worst = 0.0
    for label in figures[ordered[0]]:
        cells = "".join(f"{figures[v][label] * 1000:>8.1f} ms"[-10:] for v in ordered)
        ratios = [figures[b][label] / figures[a][label] for a, b in zip(ordered, ordered[1:])]
        worst = max([worst, *ratios[-1:]])
        print(f"  {label:<52}{cells}   " + " ".join(f"{r:.2f}×" for r in ratios))
    if len(ordered) > 1:
        a, b = ordered[-2], ordered[-1]
        print(f"\nLargest growth from {round(generate.MEASURES * a):,} to {round(generate.MEASURES * b):,} dossiers "
              f"({b / a:g}× the data): {worst:.2f}× (goal ≤ 1.5×) {OK if worst <= 1.5 else KO}".replace(",", " "))
    return 0


def fresh_copy(source: Path) -> None:
    generate.remove(RUN_COPY)
    shutil.copyfile(source, RUN_COPY)
    shutil.copyfile(storage.kdf_path(source), storage.kdf_path(RUN_COPY))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark of injonctions_tui on a 50 000-dossier base.")
    parser.add_argument("--db", type=Path, default=generate.DEFAULT_DB, help="the generated base")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per figure (median), default 7")
    parser.add_argument("--scale", metavar="S,S,...", help="only the views, on bases of these sizes (fractions of "
                                                         "50 000 dossiers), e.g. 0.25,1,4, and how they grow")
    args = parser.parse_args(argv)
    if args.scale:
        return scales([float(v) for v in args.scale.split(",")], args.repeat)
    manifest = ensure_database(args.db)
    fresh_copy(args.db)
    key = storage.derive_key_for(RUN_COPY, manifest["passphrase"])
    start = time.perf_counter()
    db = storage.open_with_key(RUN_COPY, key)  # migrates the copy when the schema is newer
    opened = time.perf_counter() - start
    from injonctions_tui.domain.deadlines import cache as deadline_cache

    start = time.perf_counter()
    filled = deadline_cache.refresh()  # done by the first view after an upgrade, once
    filling = time.perf_counter() - start
    report = Report()
    print("injonctions_tui benchmark — " + ", ".join(f"{v} {k.lower()}s" for k, v in manifest["counts"].items()
                                                      if k in ("Measure", "Person", "Appointment", "Report")))
    print(f"base: {args.db} ({manifest['size_mb']} MB encrypted, seed {manifest['seed']}, "
          f"generated in {manifest['generated_in_s']} s), TODAY = {manifest['today']} "
          f"(measures by status: {manifest['measure_statuses']})")
    print(f"first opening of the copy (key check, quick_check, migrations if any): {ms(opened)}; "
          f"deadline cache filled once for {filled} open dossiers: {ms(filling)}")
    machine(db)
    env = {**os.environ, "BENCH_KEY": key.hex(), "INJONCTIONS_NOW": f"{manifest['today']}T10:00:00"}
    from injonctions_tui.domain.agenda import days as agenda
    from injonctions_tui.domain.store import settings

    today = dt.date.fromisoformat(manifest["today"])
    rows = len(agenda.day_view(settings.load_court(), today, today).rows)
    db.close()  # the children open their own connection; no lock, no shared cache
    cold_start(report, env, rows, args.repeat, quick_check_time(key))
    kdf(report, args.repeat)
    db = storage.open_with_key(RUN_COPY, key)
    try:
        views(report, manifest, args.repeat)
        documents(report, manifest, args.repeat)
        annual(report, manifest, args.repeat)
        tamper_check(report, manifest, 3)
    finally:
        db.close()
    secrecy_guard(report, args.repeat)
    memory(report, env, args.repeat)
    missed = [label for label, met in report.results if not met]
    print(f"\nGoals met: {len(report.results) - len(missed)} of {len(report.results)}"
          + (f"; missed: {', '.join(missed)}" if missed else ""))
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
