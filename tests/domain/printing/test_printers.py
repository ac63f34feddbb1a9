"""Printing on a real CUPS server (cups-pdf virtual printers): pages, copies, one job per
batch, nothing personal in the job history, every failure one French sentence."""

from __future__ import annotations

import hashlib
import re
import stat
import tempfile
import time
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from injonctions_tui.domain.printing import cups as cups_backend, printers, windows_printing
from injonctions_tui.domain.printing.print_common import (JOB_TITLE, InvalidCopies, JobFailed, JobState, NoPrinter,
                                                          NotAPdf, PrinterInfo, PrinterOffline, PrinterRejecting,
                                                          PrintingError, PrintSystemMissing, SchedulerUnavailable,
                                                          UnknownPrinter, ViewerUnavailable)
from tests.cups_printer import OFFLINE_PRINTER, REJECT_PRINTER, job_attributes, pages_of, printed_file, sh

#: English words that must never reach the user.
ENGLISH = re.compile(r"\b(printer|error|job|not|failed|the|request|scheduler|destination|unable)\b", re.IGNORECASE)


def make_pdf(path: Path, pages: int, label: str = "doc") -> Path:
    page = canvas.Canvas(str(path), pagesize=A4)
    for number in range(1, pages + 1):
        page.drawString(72, 760, f"{label} page {number}/{pages} éàç")
        page.showPage()
    page.save()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_french(error: PrintingError) -> None:
    """One French sentence, nothing of what lp said."""
    assert str(error) == error.message and error.message.endswith(".")
    assert ". " not in error.message.replace("n° ", ""), error.message
    assert not ENGLISH.search(error.message), error.message


def test_the_queues_their_state_and_the_default(cups: str) -> None:
    queues = {p.name: p for p in printers.list_printers()}
    assert queues[cups].enabled and queues[cups].accepting
    assert not queues[OFFLINE_PRINTER].enabled
    assert queues[REJECT_PRINTER].enabled and not queues[REJECT_PRINTER].accepting
    default = printers.default_printer()
    assert default is not None and default.is_default
    assert default.name == sh("lpstat", "-d").stdout.strip().rpartition(": ")[2].split("/")[0]


def test_two_pages_two_copies_come_out_as_two_collated_sets(cups: str, tmp_path: Path) -> None:
    source = make_pdf(tmp_path / "convocation-2026-11-23-TOURNESOL.pdf", 2)
    before = digest(source)
    job = printers.print_pdfs([source], printer=cups, copies=2)
    assert job.printer == cups and job.copies == 2 and job.pages == 2 and job.documents == (source,)
    number = job.job_id.rpartition("-")[2]
    assert job.describe() == f"Envoyé à l'imprimante « {cups} » (travail n° {number}) : 1 document, 2 pages, 2 exemplaires."
    printed = printed_file(job)
    assert [re.search(r"page (\d)/2", text).group(1) for text in pages_of(printed)] == ["1", "2", "1", "2"]
    # Nothing personal in the print system: the title is constant, the file name never sent.
    assert printed.name == f"{JOB_TITLE}-job_{number}.pdf"
    attributes = job_attributes(job.job_id)
    assert attributes["job-name"] == JOB_TITLE and attributes["copies"] == "2"
    assert "document-name-supplied" not in attributes and "tournesol" not in str(attributes).lower()
    assert stat.S_IMODE(printed.stat().st_mode) == 0o600
    assert digest(source) == before


def test_several_documents_are_one_job_in_order_without_a_temporary_file(cups: str, tmp_path: Path) -> None:
    sources = [make_pdf(tmp_path / f"attestation-{n}.pdf", pages, f"doc{n}") for n, pages in enumerate((1, 2, 3))]
    before_jobs = set(sh("lpstat", "-W", "all", "-o", cups).stdout.split())
    before_temp = set(Path(tempfile.gettempdir()).iterdir())
    job = printers.print_pdfs(sources, printer=cups)
    new_jobs = {word for word in set(sh("lpstat", "-W", "all", "-o", cups).stdout.split()) - before_jobs
                if re.fullmatch(rf"{cups}-\d+", word)}
    assert new_jobs == {job.job_id} and job.pages == 6
    texts = pages_of(printed_file(job))
    assert len(texts) == 6
    assert [re.search(r"doc(\d)", text).group(1) for text in texts] == ["0", "1", "1", "2", "2", "2"]
    assert not {p for p in set(Path(tempfile.gettempdir()).iterdir()) - before_temp if "pdf" in p.name.lower()}
    assert sorted(tmp_path.iterdir()) == sorted(sources)  # nothing written beside them either


def test_the_default_printer_when_none_is_named(cups: str, tmp_path: Path) -> None:
    job = printers.print_pdfs([make_pdf(tmp_path / "a.pdf", 1)], printer=None)
    default = printers.default_printer()
    assert default is not None and job.printer == default.name
    if job.printer == cups:
        assert len(pages_of(printed_file(job))) == 1


@pytest.mark.parametrize(("printer", "error", "words"), [
    ("ImprimanteFantome", UnknownPrinter, "« ImprimanteFantome » est introuvable"),
    (OFFLINE_PRINTER, PrinterOffline, "hors ligne"),
    (REJECT_PRINTER, PrinterRejecting, "refuse actuellement les impressions"),
])
def test_a_printer_that_cannot_print_says_so_and_nothing_is_queued(cups: str, tmp_path: Path, printer: str,
                                                                   error: type[PrintingError], words: str) -> None:
    source = make_pdf(tmp_path / "a.pdf", 1)
    with pytest.raises(error) as caught:
        printers.print_pdfs([source], printer=printer)
    assert words in caught.value.message
    assert_french(caught.value)
    assert source.is_file()
    assert sh("lpstat", "-o", OFFLINE_PRINTER).stdout.strip() == ""


def test_lp_s_own_refusal_is_said_in_french(cups: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The queue changed between lpstat and lp: lp's English is turned into the same sentence."""
    monkeypatch.setattr(cups_backend, "list_printers", lambda: [PrinterInfo(REJECT_PRINTER, False, True, True),
                                                                 PrinterInfo("ImprimanteFantome", False, True, True)])
    for printer, error in ((REJECT_PRINTER, PrinterRejecting), ("ImprimanteFantome", UnknownPrinter)):
        with pytest.raises(error) as caught:
            printers.print_pdfs([make_pdf(tmp_path / "a.pdf", 1)], printer=printer)
        assert caught.value.detail and ENGLISH.search(caught.value.detail)
        assert_french(caught.value)


def test_no_print_system_no_scheduler_no_printer(cups: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = make_pdf(tmp_path / "a.pdf", 1)
    with monkeypatch.context() as patch:
        patch.setenv("PATH", str(tmp_path / "vide"))
        for call in (lambda: printers.print_pdfs([source], printer=cups), printers.list_printers):
            with pytest.raises(PrintSystemMissing) as caught:
                call()
            assert_french(caught.value)
    with monkeypatch.context() as patch:
        patch.setenv("CUPS_SERVER", str(tmp_path / "nulle-part.sock"))
        with pytest.raises(SchedulerUnavailable) as caught:
            printers.print_pdfs([source], printer=cups)
        assert_french(caught.value)
    monkeypatch.setattr(cups_backend, "list_printers", lambda: [])
    with pytest.raises(NoPrinter) as caught:
        printers.print_pdfs([source], printer=None)
    assert_french(caught.value)
    monkeypatch.setattr(cups_backend, "list_printers", lambda: [PrinterInfo(cups, False, True, True)])
    with pytest.raises(NoPrinter, match="Aucune imprimante par défaut") as caught:
        printers.print_pdfs([source], printer=None)
    assert_french(caught.value)


def test_what_is_not_a_pdf_and_wrong_copies(cups: str, tmp_path: Path) -> None:
    note = tmp_path / "note.pdf"
    note.write_text("pas un PDF")
    damaged = tmp_path / "abime.pdf"
    damaged.write_bytes(b"%PDF-1.4\n% coupe\n")
    for paths, error in (([tmp_path / "absent.pdf"], PrintingError), ([note], NotAPdf), ([damaged], NotAPdf),
                         ([], NotAPdf)):
        with pytest.raises(error) as caught:
            printers.print_pdfs(paths, printer=cups)
        assert_french(caught.value)
    for copies in (0, -1, 100):
        with pytest.raises(InvalidCopies) as caught:
            printers.print_pdfs([make_pdf(tmp_path / "a.pdf", 1)], printer=cups, copies=copies)
        assert_french(caught.value)


def test_a_job_the_printer_cannot_process_is_reported_failed(cups: str) -> None:
    """A PDF the filters cannot read (never one of ours: print_pdfs reads them first)."""
    job_id, _ = cups_backend.submit(b"%PDF-1.4\n% coupe\n", cups, 1)
    try:
        with pytest.raises(JobFailed) as caught:
            cups_backend.wait_for_job(job_id, timeout=60)
        assert_french(caught.value)
        assert cups_backend.job_state(job_id) is JobState.FAILED
    finally:
        cups_backend.cancel(job_id)
    assert cups_backend.job_state(f"{cups}-99999999") is JobState.UNKNOWN


def test_open_in_viewer_runs_the_desktop_opener(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = make_pdf(tmp_path / "a.pdf", 1)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "ouvert.txt"
    opener = bin_dir / "xdg-open"
    opener.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{record}"\n')
    opener.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    printers.open_in_viewer(source)
    deadline = time.monotonic() + 30
    while not (record.exists() and record.read_text()) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert record.read_text() == str(source)
    monkeypatch.setenv("PATH", str(tmp_path / "vide"))
    with pytest.raises(ViewerUnavailable) as caught:
        printers.open_in_viewer(source)
    assert_french(caught.value)
    with pytest.raises(NotAPdf):
        printers.open_in_viewer(tmp_path / "absent.pdf")


def test_windows_printers_from_powershell_json() -> None:
    one = b'{"Name":"Bureau","Default":true,"WorkOffline":false}'
    many = b'[{"Name":"Bureau","Default":false,"WorkOffline":true},{"Name":"Accueil","Default":true}]'
    assert windows_printing.parse_printers(one) == [PrinterInfo("Bureau", True, True, True)]
    assert windows_printing.parse_printers(many) == [PrinterInfo("Bureau", False, False, True),
                                                     PrinterInfo("Accueil", True, True, True)]
    assert windows_printing.parse_printers(b"") == [] and windows_printing.parse_printers(b"pas du JSON") == []


def test_on_windows_a_batch_is_saved_beside_its_documents_for_the_print_verb(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Windows branch, with the shell verb recorded (Windows itself is not here)."""
    sent: list[tuple[Path, str | None, int]] = []
    monkeypatch.setattr(printers, "_windows", lambda: True)
    monkeypatch.setattr(windows_printing, "print_file", lambda path, printer, copies: sent.append((path, printer, copies)))
    sources = [make_pdf(tmp_path / f"{n}.pdf", 1, f"doc{n}") for n in range(2)]
    job = printers.print_pdfs(sources, printer="Bureau", copies=3, batch_name="papiers-du-jour-2026-11-23.pdf")
    assert job.job_id is None and job.pages == 2 and job.copies == 3
    assert sent == [(tmp_path / "papiers-du-jour-2026-11-23.pdf", "Bureau", 3)]
    assert len(pages_of(sent[0][0])) == 2 and stat.S_IMODE(sent[0][0].stat().st_mode) == 0o600
    job = printers.print_pdfs(sources[:1], printer=None)
    assert sent[-1] == (sources[0], None, 1)
