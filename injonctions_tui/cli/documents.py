"""Papers from the command line: print (and sign, one or a batch) documents, verify signatures, check a text."""

from __future__ import annotations

import argparse
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

from ..domain.core import clock
from ..domain.core.errors import InjonctionsError
from .common import EXIT_OK, add_force, output_place, read_pin, unlock
from .views import date_option

MAX_PDF = 100 * 1024 * 1024
MAX_TEXT = 10 * 1024 * 1024
#: The keys of documents.catalogue.DOCUMENT_KINDS, written out so the help does not load
#: the catalogue at every start (a test keeps both lists equal).
DOCUMENT_KEYS = ("attestation", "convocation", "permanence", "convocations", "attestation-suivi", "attestation-fin-suivi",
                 "fiche-information", "formulaire-choix", "lettre-soignant", "annuaire", "fiche-navette", "avis-motive",
                 "incident", "fin-de-mesure", "rapport-annuel", "registre")


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    printer = commands.add_parser("print", parents=[common], help="imprimer un document en PDF")
    printer.add_argument("kind", metavar="DOCUMENT", help=", ".join(DOCUMENT_KEYS))
    printer.add_argument("targets", metavar="N°", nargs="*", type=int,
                         help="n° du rapport, du rendez-vous ou du dossier (sauf pour « permanence », « convocations », "
                              "« annuaire » et « registre ») ; "
                              "plusieurs : signés ensemble, un seul code PIN")
    printer.add_argument("--date", metavar="AAAA-MM-JJ", help="le jour, pour la feuille de permanence et les convocations à envoyer")
    printer.add_argument("--out", metavar="FICHIER", help="fichier ou dossier de sortie")
    printer.add_argument("--sign", action="store_true",
                         help="signer numériquement (PAdES) avec la carte choisie ou le certificat de l'application")
    printer.add_argument("--pin-file", metavar="FICHIER",
                         help="code PIN de la carte (première ligne), pour les scripts ; sinon il est demandé")
    add_force(printer)
    printer.set_defaults(run=cmd_print)
    verify = commands.add_parser("verify", parents=[common],
                                 help="vérifier les signatures d'un PDF : signataire, émetteur, chaîne, modifications")
    verify.add_argument("file", metavar="FICHIER.pdf")
    verify.set_defaults(run=cmd_verify)
    secret = commands.add_parser("secret-check", parents=[common],
                                 help="signaler les termes couverts par le secret dans un texte (- : entrée standard)")
    secret.add_argument("file", metavar="FICHIER")
    secret.set_defaults(run=cmd_secret_check)


def cmd_print(args: argparse.Namespace) -> int:
    from ..domain.documents.catalogue import document_kind
    from ..domain.documents.produce import produce_documents

    kind = document_kind(args.kind)
    if kind.target == "jour":
        targets: list[object] = [date_option(args.date)]
    elif kind.target == "aucun":
        targets = [None]
    elif not args.targets:
        raise InjonctionsError(f"Indiquez le n° ({kind.target}) du document à imprimer.")
    else:
        targets = list(dict.fromkeys(args.targets))
    with closing(unlock(args)):
        folder, filename = output_place(args.out)
        pin = None
        if args.sign:
            from ..domain.printing.signer_choice import pin_needed

            card = pin_needed()
            pin = read_pin(args.pin_file, card.token) if card is not None else None
        produced = produce_documents(kind.key, targets, folder=folder, filename=filename, sign=args.sign, pin=pin,
                                     today=clock.today(), force=args.force)
    for document in produced:
        print(document.summary())
        for warning in document.warnings:
            print(f"Attention : {warning}", file=sys.stderr)
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from ..domain.core.files import read_limited
    from ..domain.printing.verification import verify_signature

    data = read_limited(Path(args.file), MAX_PDF, is_dir_message=f"{args.file} est un dossier.",
                        too_big_message=f"{args.file} dépasse 100 Mo : ce n'est pas un document de l'application.")
    with closing(unlock(args)):  # trusted: the authorities imported here and this installation's certificates
        report = verify_signature(data)
    print("\n".join(report.lines()))
    return EXIT_OK if report.valid else 1


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
        print(f"ligne {line} : « {flag.text} » — {flag.category_label} : {flag.reason}"
              + (f" ({flag.suggestion})" if flag.suggestion else ""))
    print(f"{len(flags)} terme(s) signalé(s)." if flags else "Aucun terme signalé.")
    return 1 if flags else EXIT_OK
