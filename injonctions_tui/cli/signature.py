"""What signs the documents: the professional's card (PKCS#11), the app's own certificate, the chain."""

from __future__ import annotations

import argparse
from contextlib import closing
from pathlib import Path
from typing import Any

from ..domain.core import clock
from .common import EXIT_OK, FrenchArgumentParser, read_pin, unlock


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    signature = commands.add_parser(
        "signature", parents=[common], help="le certificat qui signe : carte (PKCS#11) ou certificat de l'application",
        description="Sans action : ce qui signe les documents, et la chaîne de certification importée.")
    signature.set_defaults(run=cmd_show)
    actions = signature.add_subparsers(dest="action", metavar="ACTION", parser_class=FrenchArgumentParser)
    card = actions.add_parser("pkcs11", parents=[common],
                              help="lire la carte (CPS ou autre) et choisir son certificat de signature")
    card.add_argument("--lib", metavar="CHEMIN", required=True,
                      help="bibliothèque PKCS#11 du lecteur (ex. Cryptolib CPS : libcps3_pkcs11_lux.so)")
    card.add_argument("--token", metavar="NOM", help="la carte, quand plusieurs sont présentes")
    card.add_argument("--cert-label", metavar="LIBELLÉ", help="le certificat, quand la carte en porte plusieurs")
    card.add_argument("--pin-file", metavar="FICHIER",
                      help="code PIN (première ligne), pour lire des certificats protégés ; jamais enregistré")
    card.set_defaults(run=cmd_pkcs11)
    actions.add_parser("self", parents=[common],
                       help="revenir au certificat conservé dans la base (autosigné ou PKCS#12 importé)").set_defaults(
        run=cmd_self)
    chain = actions.add_parser("import-chain", parents=[common],
                               help="importer l'autorité de confiance et les certificats intermédiaires (PEM, DER, P7B)")
    chain.add_argument("file", metavar="FICHIER")
    chain.set_defaults(run=cmd_import_chain)
    crl = actions.add_parser("import-crl", parents=[common], help="importer une liste de révocation (CRL)")
    crl.add_argument("file", metavar="FICHIER")
    crl.set_defaults(run=cmd_import_crl)
    actions.add_parser("clear-chain", parents=[common],
                       help="oublier les certificats et listes de révocation importés").set_defaults(run=cmd_clear_chain)


def _trust_lines() -> list[str]:
    from ..domain.printing.trust import describe_trust

    return describe_trust(clock.now_utc())


def cmd_show(args: argparse.Namespace) -> int:
    from ..domain.printing.signer_choice import describe_signer

    with closing(unlock(args)):
        print(describe_signer())
        for line in _trust_lines():
            print(line)
    return EXIT_OK


def cmd_pkcs11(args: argparse.Namespace) -> int:
    from ..domain.printing.signer_choice import choose_certificate, pick_certificate, read_cards

    pin = read_pin(args.pin_file, None) if args.pin_file else None
    with closing(unlock(args)):
        cards = read_cards(args.lib, args.token, pin)
        for token, certificates in cards:
            print(f"Carte « {token.label} » ({token.manufacturer}, {token.model}) :")
            for certificate in certificates:
                use = "signature" if certificate.for_signature else "autorité" if certificate.is_ca else "autre usage"
                print(f"  - {certificate.describe()} [{use}]")
            if not certificates:
                print("  (aucun certificat lisible sans code PIN)")
        token, certificate = pick_certificate(cards, args.cert_label)
        choice = choose_certificate(args.lib, token, certificate, clock.now_utc())
        print(f"Signature par la {choice.describe()}.")
        print("Le code PIN sera demandé à chaque signature ; il n'est jamais enregistré.")
        from ..domain.printing.trust import load_trust

        if not load_trust().anchors:
            print("Aucune autorité de confiance importée : importez la chaîne de votre carte "
                  "(injonctions signature import-chain FICHIER) pour qu'elle soit jointe et vérifiable.")
    return EXIT_OK


def cmd_self(args: argparse.Namespace) -> int:
    from ..domain.printing.signer_choice import forget_pkcs11_choice, own_identity_line

    with closing(unlock(args)):
        forget_pkcs11_choice()
        print(f"Signature avec le {own_identity_line()}.")
    return EXIT_OK


def cmd_import_chain(args: argparse.Namespace) -> int:
    from ..domain.printing.trust import import_chain

    with closing(unlock(args)):
        print(import_chain(Path(args.file)).summary())
        for line in _trust_lines():
            print(line)
    return EXIT_OK


def cmd_import_crl(args: argparse.Namespace) -> int:
    from ..domain.printing.trust import import_crl

    with closing(unlock(args)):
        print(import_crl(Path(args.file)))
    return EXIT_OK


def cmd_clear_chain(args: argparse.Namespace) -> int:
    from ..domain.printing.trust import clear_trust

    with closing(unlock(args)):
        print("Certificats et listes de révocation importés oubliés." if clear_trust() else "Rien à oublier.")
    return EXIT_OK
