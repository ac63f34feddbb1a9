"""A real CUPS server with virtual PDF printers (cups-pdf), for the printing tests.

`tests/start_cups.sh` (run by .ci/run, as root) installs cups and printer-driver-cups-pdf
when missing, starts cupsd and creates three queues: VirtuelPDF writes every job as a PDF
in OUT_DIR (`<title>-job_<N>.pdf`), HorsLignePDF is stopped, RefusPDF refuses jobs. The
`cups` fixture (tests/conftest.py) FAILS, with that command, when any of it is missing: a
printing test is never skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from injonctions_tui.domain.printing.print_common import PrintJob

OK_PRINTER, OFFLINE_PRINTER, REJECT_PRINTER = "VirtuelPDF", "HorsLignePDF", "RefusPDF"
INSTANCE_CONF = Path("/etc/cups/cups-pdf-virtuel.conf")
SCRIPT = Path(__file__).with_name("start_cups.sh")
INSTALL_HINT = (f"run as root: bash {SCRIPT} (Debian: installs cups, printer-driver-cups-pdf and cups-ipp-utils, "
                "starts cupsd, creates the virtual printers); .ci/run does it")
C_LOCALE = {**os.environ, "LANG": "C", "LC_ALL": "C"}


def sh(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, env=C_LOCALE, check=False, timeout=60)


def out_dir() -> Path:
    for line in INSTANCE_CONF.read_text().splitlines():
        if line.startswith("Out "):
            return Path(line.split(None, 1)[1].strip())
    raise AssertionError(f"no Out line in {INSTANCE_CONF}: {INSTALL_HINT}")


def setup_problems() -> list[str]:
    """What is missing for the printing tests (empty: ready)."""
    tools = [tool for tool in ("lp", "lpstat", "cancel", "ipptool") if shutil.which(tool) is None]
    if tools:
        return [f"the CUPS tools {', '.join(tools)}"]
    if "scheduler is running" not in sh("lpstat", "-r").stdout:
        return ["a running cupsd"]
    if not INSTANCE_CONF.is_file():
        return [str(INSTANCE_CONF)]
    text = sh("lpstat", "-p", "-a").stdout
    expected = (f"printer {OK_PRINTER} is idle.  enabled", f"printer {OFFLINE_PRINTER} disabled",
                f"{REJECT_PRINTER} not accepting", f"{OK_PRINTER} accepting")
    return [f"the virtual printers ({needle!r})" for needle in expected if needle not in text]


def printed_file(job: PrintJob, timeout: float = 90.0) -> Path:
    """The PDF cups-pdf wrote for `job` (waits for the job to leave the queue, then the file)."""
    from injonctions_tui.domain.printing import cups
    from injonctions_tui.domain.printing.print_common import JobState

    assert job.job_id is not None
    number = job.job_id.rpartition("-")[2]
    deadline = time.monotonic() + timeout
    state = cups.wait_for_job(job.job_id, timeout=timeout)
    assert state is not JobState.PENDING, f"job {job.job_id} still queued after {timeout:.0f} s"
    while time.monotonic() < deadline:
        found = list(out_dir().glob(f"*-job_{number}.pdf"))
        if found and found[0].stat().st_size:
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"no *-job_{number}.pdf in {out_dir()} after {timeout:.0f} s")


def pages_of(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


#: Get-Job-Attributes as the job's owner (anonymous requests do not see job-name).
_ATTRIBUTES_TEST = """{
    NAME "Get-Job-Attributes"
    OPERATION Get-Job-Attributes
    GROUP operation-attributes-tag
    ATTR charset attributes-charset utf-8
    ATTR naturalLanguage attributes-natural-language en
    ATTR uri job-uri $uri
    ATTR name requesting-user-name $user
    ATTR keyword requested-attributes all
    STATUS successful-ok
}
"""


def job_attributes(job_id: str) -> dict[str, str]:
    """What CUPS keeps about a job in its history (IPP attributes, as text)."""
    number = job_id.rpartition("-")[2]
    with tempfile.NamedTemporaryFile("w", suffix=".test") as test_file:
        test_file.write(_ATTRIBUTES_TEST)
        test_file.flush()
        done = sh("ipptool", "-tv", f"ipp://localhost/jobs/{number}", test_file.name)
    assert "[PASS]" in done.stdout, done.stdout + done.stderr
    return {m.group(1): m.group(2) for m in re.finditer(r"^\s+([\w-]+) \([^)]*\) = (.*)$", done.stdout, re.MULTILINE)}
