"""Data in and out: the JSON export (portability, access requests) and the imports."""

from __future__ import annotations

import argparse
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

from ..domain.core import clock
from ..domain.core.errors import InjonctionsError
from ..domain.store import audit
from ..paths import resolve_db_path
from .common import EXIT_OK, add_force, read_passphrase, unlock


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    export = commands.add_parser("export", parents=[common], help="exporter toutes les données (JSON)")
    export.add_argument("--format", choices=["json"], default="json", help="format d'export (json)")
    export.add_argument("--out", metavar="FICHIER",
                        help="fichier de sortie ; « - » pour la sortie standard (l'export contient des données "
                             "personnelles : il resterait dans l'historique du terminal)")
    add_force(export)
    export.set_defaults(run=cmd_export)
    importer = commands.add_parser("import", parents=[common], help="importer un export JSON ou des saisines (CSV)")
    importer.add_argument("kind", choices=["json", "saisines"], metavar="TYPE", help="json ou saisines")
    importer.add_argument("file", metavar="FICHIER")
    importer.add_argument("--source-passphrase-file", metavar="FICHIER",
                          help="phrase secrète de la base qui a fait l'export (première ligne) : vérifie les preuves "
                               "d'intégrité du fichier ; sans elle, les rapports définitifs sont importés « sans "
                               "preuve d'intégrité »")
    importer.add_argument("--apercu", action="store_true",
                          help="saisines : montrer les colonnes reconnues, les lignes et les erreurs sans rien importer")
    importer.set_defaults(run=cmd_import)


def cmd_export(args: argparse.Namespace) -> int:
    from ..domain.portability.json_export import write_export

    if not args.out:
        raise InjonctionsError("L'export contient toutes les données personnelles : indiquez --out FICHIER "
                               "(ou --out - pour l'afficher, il resterait alors dans l'historique du terminal).")
    to_terminal = args.out == "-"
    out = None if to_terminal else Path(args.out)
    if out is not None:
        from ..domain.store.output_files import check_output

        check_output(out, force=args.force, bases=[resolve_db_path(args.db)])  # before the passphrase
    with closing(unlock(args)):
        text = write_export(out, force=args.force)
        audit.record("export", details=f"format={args.format}")
    if out is None:
        sys.stdout.write(text + "\n")
    else:
        print(f"Export écrit : {out}", file=sys.stderr)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from ..domain.store.instance_lock import InstanceLocked, hold

    if args.kind == "json" and args.apercu:  # before the passphrase is asked
        raise InjonctionsError("--apercu vaut pour les saisines : un export JSON est vérifié en entier avant "
                               "tout import.")
    try:
        with hold(resolve_db_path(args.db)), closing(unlock(args)):
            if args.kind == "json":
                _import_json(args)
            else:
                _import_saisines(Path(args.file), preview_only=args.apercu)
    except InstanceLocked as error:
        if args.kind == "saisines":
            error.message += " Les saisines s'importent aussi dans l'application ouverte : Ctrl+P, « Importer des saisines »."
        raise
    return EXIT_OK


def _import_json(args: argparse.Namespace) -> None:
    from ..domain.portability.json_export import import_all, read_export_file

    source = None
    if args.source_passphrase_file:
        source = read_passphrase(argparse.Namespace(passphrase_file=args.source_passphrase_file))
    counts = import_all(read_export_file(Path(args.file)), source_passphrase=source)
    print("Import terminé : " + ", ".join(f"{n} {name}" for name, n in counts.items()))
    print("Preuves d'intégrité vérifiées avec la base d'origine." if source else
          "Les rapports définitifs sont marqués « importés sans preuve d'intégrité » (donnez "
          "--source-passphrase-file pour vérifier leurs preuves).")


def _import_saisines(path: Path, *, preview_only: bool) -> None:
    """The same preview as the app's: the columns as read, the lines, the known ones; then
    all or nothing (a refusal lists every problem with its line: see cli.main)."""
    from ..domain.dossiers.saisines import apply_saisines, preview_saisines
    from ..domain.store.professionals import current_user

    preview = preview_saisines(path, today=clock.today())
    print("Colonnes du fichier :")
    for line in preview.mapping.describe():
        print(f"  {line}")
    print(f"{len(preview.rows)} ligne(s) valide(s) : {len(preview.new_rows)} nouvelle(s) saisine(s), "
          f"{len(preview.duplicates)} déjà connue(s).")
    if (rejection := preview.rejection()) is not None:
        raise rejection
    if preview_only:
        for duplicate in preview.duplicates:
            print(f"Sera ignorée, {duplicate.describe()}")
        print("Aperçu seulement : rien n'a été importé.")
        return
    result = apply_saisines(preview, professional=current_user())
    for duplicate in result.duplicates:
        print(f"Ignorée, {duplicate.describe()}")
    print(f"{result.imported} saisine(s) importée(s).")
