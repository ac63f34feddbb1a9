"""The directory of treating doctors and structures: import the CSAPA's file, list, print the list."""

from __future__ import annotations

import argparse
import json
from contextlib import closing
from pathlib import Path
from typing import Any

from ..domain.core import clock
from .common import EXIT_OK, FrenchArgumentParser, output_place, unlock

PUBLICS = ("mineurs", "majeurs")


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    directory = commands.add_parser("annuaire", parents=[common],
                                    help="annuaire des médecins et structures de soins (importer, lister, imprimer)")
    actions = directory.add_subparsers(dest="action", metavar="ACTION", required=True,
                                       parser_class=FrenchArgumentParser)
    importer = actions.add_parser("importer", parents=[common],
                                  help="ajouter les structures d'un fichier CSV (tout ou rien ; en-têtes libres)")
    importer.add_argument("file", metavar="FICHIER.csv")
    importer.set_defaults(run=cmd_import)
    listing = actions.add_parser("liste", parents=[common], help="afficher l'annuaire")
    listing.add_argument("--public", choices=PUBLICS, help="seulement les structures qui reçoivent ce public")
    listing.add_argument("--json", action="store_true", help="sortie JSON")
    listing.set_defaults(run=cmd_list)
    printer = actions.add_parser("imprimer", parents=[common],
                                 help="la liste remise à la personne (PDF : noms et adresses)")
    printer.add_argument("--public", choices=PUBLICS, help="pour ce public (sinon toute la liste)")
    printer.add_argument("--out", metavar="FICHIER", help="fichier ou dossier de sortie")
    printer.set_defaults(run=cmd_print)


def cmd_import(args: argparse.Namespace) -> int:
    from ..domain.orientation.directory_csv import import_directory

    with closing(unlock(args)):
        result = import_directory(Path(args.file))
    print(result.summary())
    for name in result.already_there:
        print(f"Déjà présente, laissée telle quelle : {name}")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from ..domain.orientation.directory import search_directory

    with closing(unlock(args)):
        entries, _ = search_directory("", args.public, limit=None)
    if args.json:
        print(json.dumps([{"id": e.id, "nom": e.name, "type": e.kind, "adresse": e.address, "telephone": e.phone,
                           "messagerie_securisee": e.secure_email, "public": e.public} for e in entries],
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    if not entries:
        print("Annuaire vide" + (" pour ce public." if args.public else "."))
    for e in entries:
        print(f"{e.id:>4}  {e.name[:44]:<44}  {e.kind_label[:24]:<24}  {e.public_label:<12}  {e.phone or ''}")
    return EXIT_OK


def cmd_print(args: argparse.Namespace) -> int:
    from ..domain.documents.produce import produce_document

    with closing(unlock(args)):
        folder, filename = output_place(args.out)
        produced = produce_document("annuaire", args.public, folder=folder, filename=filename, today=clock.today())
    print(produced.summary())
    return EXIT_OK
