"""Printing through CUPS (Linux and macOS): the `lp`, `lpstat` and `cancel` commands.

Why the commands rather than a binding: they are on every Linux and Mac that prints,
need nothing compiled, and say what they do in a C locale we can read. Privacy: the
document goes through `lp`'s standard input with a constant title, so neither the file
name (it holds the person's name) nor anything derived from it reaches the job history;
nothing is written to a temporary file (a batch is merged in memory).
Copies: `-n N -o collate=true`, so CUPS itself makes collated sets when the printer
cannot (measured on cups-pdf: without collate it keeps one copy).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Sequence

from .print_common import (JOB_TITLE, JobFailed, JobState, NoPrinter, PrinterInfo, PrinterOffline, PrinterRejecting,
                           PrintingError, PrintSystemMissing, SchedulerUnavailable, UnknownPrinter)

#: Seconds for any one command (a CUPS server that hangs is « ne répond pas »).
COMMAND_TIMEOUT = 30.0


def _c_locale() -> dict[str, str]:
    """The environment with a C locale: the commands' output is parsed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k != "LANGUAGE"}
    env.update(LANG="C", LC_ALL="C")
    env.setdefault("SOFTWARE", "")  # macOS's libcups follows LANG only when SOFTWARE is set
    return env


def _run(args: Sequence[str], data: bytes | None = None) -> subprocess.CompletedProcess[str]:
    executable = shutil.which(args[0])
    if executable is None:
        raise PrintSystemMissing(detail=f"{args[0]} absent du PATH")
    try:
        done = subprocess.run([executable, *args[1:]], input=data, capture_output=True, env=_c_locale(),
                              timeout=COMMAND_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise SchedulerUnavailable(detail=f"délai dépassé : {' '.join(args)}") from None
    except OSError as error:
        raise PrintSystemMissing(detail=str(error)) from None
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode("utf-8", "replace"),
                                       done.stderr.decode("utf-8", "replace"))


_SCHEDULER_DOWN = re.compile(r"scheduler (?:is )?not (?:running|responding)|connection refused|unable to connect|"
                             r"no such file or directory|bad file descriptor", re.IGNORECASE)
_PRINTER = re.compile(r"^printer (\S+) .*?\b(enabled|disabled) since", re.MULTILINE)
_ACCEPTING = re.compile(r"^(\S+) (not )?accepting requests since", re.MULTILINE)
_DEFAULT = re.compile(r"^system default destination: (\S+)", re.MULTILINE)
_JOB_ID = re.compile(r"request id is (\S+)")


def _ensure_scheduler() -> None:
    done = _run(["lpstat", "-r"])
    text = (done.stdout + done.stderr).strip()
    if "scheduler is running" not in text:
        raise SchedulerUnavailable(detail=text)


def parse_lpstat(text: str) -> list[PrinterInfo]:
    """The queues in `lpstat -d -p -a` (C locale)."""
    default = _DEFAULT.search(text)
    default_name = default.group(1).split("/", 1)[0] if default else None
    accepting = {m.group(1): m.group(2) is None for m in _ACCEPTING.finditer(text)}
    return [PrinterInfo(m.group(1), m.group(1) == default_name, m.group(2) == "enabled",
                        accepting.get(m.group(1), False)) for m in _PRINTER.finditer(text)]


def list_printers() -> list[PrinterInfo]:
    _ensure_scheduler()
    done = _run(["lpstat", "-d", "-p", "-a"])
    text = done.stdout + "\n" + done.stderr
    if done.returncode != 0:
        if "no destinations added" in text.lower():
            return []
        if _SCHEDULER_DOWN.search(text):
            raise SchedulerUnavailable(detail=text.strip())
    return parse_lpstat(text)


def resolve(printer: str | None, printers: list[PrinterInfo]) -> PrinterInfo:
    """The queue to print on (None: the system's default), refused when it cannot print now."""
    if printer is None:
        chosen = next((p for p in printers if p.is_default), None)
        if chosen is None:
            raise NoPrinter("Aucune imprimante par défaut n'est définie sur ce poste : choisissez une imprimante "
                            "dans les Paramètres.") if printers else NoPrinter()
    else:
        found = next((p for p in printers if p.name == printer), None)
        if found is None:
            raise UnknownPrinter(printer)
        chosen = found
    if not chosen.enabled:
        raise PrinterOffline(chosen.name)
    if not chosen.accepting:
        raise PrinterRejecting(chosen.name)
    return chosen


def _lp_error(text: str, printer: str) -> PrintingError:
    low = text.lower()
    if any(word in low for word in ("does not exist", "unknown destination", "invalid destination")):
        return UnknownPrinter(printer, detail=text)
    if "not accepting" in low:
        return PrinterRejecting(printer, detail=text)
    if "no default destination" in low:
        return NoPrinter(detail=text)
    if _SCHEDULER_DOWN.search(text):
        return SchedulerUnavailable(detail=text)
    if any(word in low for word in ("forbidden", "unauthorized", "not authorized")):
        return JobFailed("L'impression a été refusée : ce compte n'a pas le droit d'utiliser cette imprimante.",
                         detail=text)
    return JobFailed(detail=text)


def submit(data: bytes, printer: str | None, copies: int) -> tuple[str, str]:
    """Send one PDF (already in memory) as one job: (job id, queue)."""
    _ensure_scheduler()
    target = resolve(printer, list_printers())
    args = ["lp", "-d", target.name, "-n", str(copies), "-t", JOB_TITLE]
    if copies > 1:
        args += ["-o", "collate=true"]
    done = _run(args, data)
    output = (done.stdout + "\n" + done.stderr).strip()
    if done.returncode != 0:
        raise _lp_error(output, target.name)
    match = _JOB_ID.search(output)
    if match is None:
        raise JobFailed("L'impression n'a pas été confirmée par le service d'impression.", detail=output)
    return match.group(1), target.name


#: lpstat's alerts of a job that stopped on an error (CUPS also lists such jobs as "completed").
_FAILED = ("job-completed-with-errors", "aborted-by-system", "job-aborted", "job-canceled", "job-stopped")


def _job_block(text: str, job_id: str) -> list[str] | None:
    """The lines of `lpstat -l` about one job (its line and the indented details)."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.split(None, 1)[:1] == [job_id]:
            block = [line]
            for extra in lines[index + 1:]:
                if not extra[:1].isspace():
                    break
                block.append(extra)
            return block
    return None


def job_state(job_id: str) -> JobState:
    """Where a job is: still queued, done, stopped on an error, or unknown."""
    _ensure_scheduler()
    queue = job_id.rpartition("-")[0]
    for which in ("not-completed", "completed"):
        done = _run(["lpstat", "-W", which, "-l", "-o", queue])
        if done.returncode != 0:  # the queue was removed meanwhile: every queue
            done = _run(["lpstat", "-W", which, "-l", "-o"])
        block = _job_block(done.stdout, job_id)
        if block is None:
            continue
        alerts = " ".join(line for line in block if "Alerts:" in line)
        if any(reason in alerts for reason in _FAILED):
            return JobState.FAILED
        return JobState.PENDING if which == "not-completed" else JobState.COMPLETED
    return JobState.UNKNOWN


def wait_for_job(job_id: str, timeout: float, poll: float = 0.2) -> JobState:
    """Until the job leaves the queue (or `timeout`): COMPLETED, UNKNOWN, or PENDING when
    the printer has not taken it yet; a job stopped on an error raises JobFailed."""
    deadline = time.monotonic() + timeout
    while True:
        state = job_state(job_id)
        if state is JobState.FAILED:
            raise JobFailed("L'impression a échoué : l'imprimante n'a pas pu traiter le document.", detail=job_id)
        if state is not JobState.PENDING or time.monotonic() >= deadline:
            return state
        time.sleep(poll)


def cancel(job_id: str) -> None:
    done = _run(["cancel", job_id])
    if done.returncode != 0:
        raise JobFailed("Impossible d'annuler le travail d'impression.", detail=(done.stdout + done.stderr).strip())
