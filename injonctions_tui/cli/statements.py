"""The yearly papers: the état justificatif for the ARS and the bilan d'activité."""

from __future__ import annotations

import argparse
from contextlib import closing
from pathlib import Path
from typing import Any

from ..domain.core import clock
from ..domain.core.errors import InjonctionsError
from ..domain.store import audit
from .common import EXIT_OK, add_force, check_pdf_out, emit, unlock


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    etat = commands.add_parser("etat", parents=[common], help="état justificatif annuel pour l'ARS")
    etat.add_argument("--year", type=int, required=True, metavar="AAAA", help="l'année civile déclarée")
    etat_format = etat.add_mutually_exclusive_group()
    etat_format.add_argument("--csv", action="store_true", help="au format CSV (tableur)")
    etat_format.add_argument("--pdf", action="store_true", help="au format PDF (à signer et envoyer)")
    etat.add_argument("--out", metavar="FICHIER", help="fichier ou dossier de sortie (obligatoire pour le PDF)")
    add_force(etat)
    etat.set_defaults(run=cmd_etat)
    bilan = commands.add_parser("bilan", parents=[common], help="bilan d'activité d'une période (chiffres, sans noms)")
    bilan.add_argument("--from", dest="start", required=True, metavar="AAAA-MM-JJ", help="début de la période")
    bilan.add_argument("--to", dest="end", required=True, metavar="AAAA-MM-JJ", help="fin de la période")
    bilan_format = bilan.add_mutually_exclusive_group()
    bilan_format.add_argument("--json", action="store_true", help="au format JSON")
    bilan_format.add_argument("--csv", action="store_true", help="au format CSV")
    bilan_format.add_argument("--pdf", action="store_true", help="au format PDF, avec graphiques")
    bilan.add_argument("--out", metavar="FICHIER", help="fichier ou dossier de sortie (obligatoire pour le PDF)")
    add_force(bilan)
    bilan.set_defaults(run=cmd_bilan)


def cmd_etat(args: argparse.Namespace) -> int:
    from ..domain.statements.outputs import StatementFormat, etat_command

    fmt: StatementFormat = "csv" if args.csv else "pdf" if args.pdf else "text"
    check_pdf_out(fmt, args.out)
    if not 2000 <= args.year <= clock.today().year + 1:
        raise InjonctionsError(f"--year : l'année {args.year} n'est pas vraisemblable.")
    with closing(unlock(args)):
        content = etat_command(args.year, fmt, Path(args.out) if args.out else None, clock.today(),
                               force=args.force)
        audit.record("etat_annuel", details=f"annee={args.year} format={fmt}")
    emit(content)
    return EXIT_OK


def cmd_bilan(args: argparse.Namespace) -> int:
    from ..domain.core.dates import parse_date
    from ..domain.statements.outputs import ReportFormat, bilan_command

    start, end = parse_date(args.start, "--from"), parse_date(args.end, "--to")
    if end < start:
        raise InjonctionsError("--to : la fin de la période précède son début.")
    fmt: ReportFormat = "json" if args.json else "csv" if args.csv else "pdf" if args.pdf else "text"
    check_pdf_out(fmt, args.out)
    with closing(unlock(args)):
        content = bilan_command(start, end, fmt, Path(args.out) if args.out else None, clock.today(),
                                force=args.force)
        audit.record("bilan_activite", details=f"du={start.isoformat()} au={end.isoformat()} format={fmt}")
    emit(content)
    return EXIT_OK
