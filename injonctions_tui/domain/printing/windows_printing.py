"""Printing on Windows: the shell's « print » / « printto » verbs, the printers from WMI.

Why the verbs: Windows has no `lp`; the PDF application the user installed (Acrobat
Reader, SumatraPDF...) prints through them, with its own fonts and driver. They give no
job to follow, and need a file: a batch is first saved beside its documents (the folder
the professional chose). Untested on Windows here (CI runs on Linux): the code is type
checked for Windows (`mypy --platform win32`) and every failure says in French what to do.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .print_common import JobFailed, NoPrinter, PrinterInfo, PrinterOffline, PrintSystemMissing, UnknownPrinter

_LIST_SCRIPT = ("[Console]::OutputEncoding=[Text.Encoding]::UTF8;"
                "Get-CimInstance Win32_Printer | Select-Object Name,Default,WorkOffline | ConvertTo-Json -Compress")


def parse_printers(output: bytes) -> list[PrinterInfo]:
    """The printers in PowerShell's JSON (one object, or a list of them)."""
    try:
        data = json.loads(output.decode("utf-8", "replace") or "[]")
    except ValueError:
        return []
    rows = data if isinstance(data, list) else [data]
    return [PrinterInfo(str(row["Name"]), bool(row.get("Default")), not bool(row.get("WorkOffline")), True)
            for row in rows if isinstance(row, dict) and row.get("Name")]


def list_printers() -> list[PrinterInfo]:
    try:
        done = subprocess.run(["powershell", "-NoProfile", "-NonInteractive", "-Command", _LIST_SCRIPT],
                              capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PrintSystemMissing("Impossible d'obtenir la liste des imprimantes de Windows.", detail=str(error)) from None
    return parse_printers(done.stdout)


def _check(printer: str | None) -> None:
    printers = list_printers()
    if printer is None:
        if not any(p.is_default for p in printers):
            raise NoPrinter()
        return
    found = next((p for p in printers if p.name == printer), None)
    if found is None:
        raise UnknownPrinter(printer)
    if not found.enabled:
        raise PrinterOffline(printer)


def print_file(path: Path, printer: str | None, copies: int) -> None:
    """Ask the PDF application to print `path` (`copies` times) on `printer` (None: the default)."""
    _check(printer)
    if sys.platform == "win32":  # the verbs exist on Windows only (and mypy checks each platform)
        try:
            for _ in range(copies):
                if printer is None:
                    os.startfile(path, "print")
                else:
                    os.startfile(path, "printto", f'"{printer}"')
        except OSError as error:
            raise JobFailed("Aucune application de ce poste ne sait imprimer les PDF : ouvrez le document et "
                            "imprimez-le depuis la visionneuse.", detail=str(error)) from None
        return
    raise PrintSystemMissing(detail="impression Windows demandée ailleurs que sous Windows")


def open_file(path: Path) -> None:
    """The system viewer (the application associated with PDF files)."""
    if sys.platform == "win32":
        os.startfile(path)
        return
    raise PrintSystemMissing(detail="visionneuse Windows demandée ailleurs que sous Windows")
