"""Papers from the command line: print (and sign) a document, verify a signature, check a text."""

from __future__ import annotations

import argparse
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

from ..domain.core import clock
from ..domain.core.errors import InjonctionsError
from .common import EXIT_OK, add_force, output_place, unlock
from .views import date_option

MAX_PDF = 100 * 1024 * 1024
MAX_TEXT = 10 * 1024 * 1024
#: The keys of documents.catalogue.DOCUMENT_KINDS, written out so the help does not load
#: the catalogue at every start (a test keeps both lists equal).
DOCUMENT_KEYS = ("attestation", "convocation", "permanence", "attestation-suivi", "attestation-fin-suivi",
                 "fiche-navette", "avis-motive", "incident", "fin-de-mesure", "registre")


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    printer = commands.add_parser("print", parents=[common], help="imprimer un document en PDF")
    printer.add_argument("kind", metavar="DOCUMENT", help=", ".join(DOCUMENT_KEYS))
    printer.add_argument("target", metavar="N°", nargs="?", type=int,
                         help="n° du rapport, du rendez-vous ou du dossier (sauf pour « permanence » et « registre »)")
    printer.add_argument("--date", metavar="AAAA-MM-JJ", help="le jour, pour la feuille de permanence")
    printer.add_argument("--out", metavar="FICHIER", help="fichier ou dossier de sortie")
    printer.add_argument("--sign", action="store_true", help="signer numériquement (PAdES)")
    add_force(printer)
    printer.set_defaults(run=cmd_print)
    verify = commands.add_parser("verify", parents=[common], help="vérifier la signature d'un PDF")
    verify.add_argument("file", metavar="FICHIER.pdf")
    verify.set_defaults(run=cmd_verify)
    secret = commands.add_parser("secret-check", parents=[common],
                                 help="signaler les termes couverts par le secret dans un texte (- : entrée standard)")
    secret.add_argument("file", metavar="FICHIER")
    secret.set_defaults(run=cmd_secret_check)


def cmd_print(args: argparse.Namespace) -> int:
    from ..domain.documents.catalogue import document_kind
    from ..domain.documents.produce import produce_document

    kind = document_kind(args.kind)
    if kind.target == "jour":
        target: object = date_option(args.date)
    elif kind.target == "aucun":
        target = None
    elif args.target is None:
        raise InjonctionsError(f"Indiquez le n° ({kind.target}) du document à imprimer.")
    else:
        target = args.target
    with closing(unlock(args)):
        folder, filename = output_place(args.out)
        produced = produce_document(kind.key, target, folder=folder, filename=filename, sign=args.sign,
                                    today=clock.today(), force=args.force)
    print(produced.summary())
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from ..domain.core.files import read_limited
    from ..domain.printing.signing import verify_signature

    data = read_limited(Path(args.file), MAX_PDF, is_dir_message=f"{args.file} est un dossier.",
                        too_big_message=f"{args.file} dépasse 100 Mo : ce n'est pas un document de l'application.")
    with closing(unlock(args)):  # the certificates trusted are those of this installation
        status = verify_signature(data)
    print(status.message)
    return EXIT_OK if status.valid else 1


def cmd_secret_check(args: argparse.Namespace) -> int:
    from ..domain.reports.secrecy import default_lexicon, scan

    if args.file == "-":  # capped like a file: a pipe can be endless
        raw = sys.stdin.buffer.read(MAX_TEXT + 1)
        if len(raw) > MAX_TEXT:
            raise InjonctionsError("L'entrée standard dépasse 10 Mo : rien n'a été vérifié.")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InjonctionsError("L'entrée standard n'est pas un texte en UTF-8.") from None
    else:
        from ..domain.core.files import read_limited

        raw = read_limited(Path(args.file), MAX_TEXT, is_dir_message=f"{args.file} est un dossier.",
                           too_big_message=f"{args.file} dépasse 10 Mo.")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InjonctionsError(f"{args.file} n'est pas un texte en UTF-8.") from None
    flags = scan(text, default_lexicon())
    for flag in flags:
        line = text.count("\n", 0, flag.start) + 1
        print(f"ligne {line} : « {flag.text} » — {flag.category_label} : {flag.reason}")
    print(f"{len(flags)} terme(s) signalé(s)." if flags else "Aucun terme signalé.")
    return 1 if flags else EXIT_OK
