"""The `injonctions` command: the TUI by default, and the non-interactive sub-commands.

Every command takes `--db`; scripts give the passphrase with `--passphrase-file` or
`INJONCTIONS_PASSPHRASE`, people type it. Expected failures print one French sentence
and exit with status 2; nothing prints a traceback. One module per group of commands,
each adding its own sub-commands (`add_commands`); heavy imports wait for the command.
"""

from __future__ import annotations

import argparse
import platform
import sys
from collections.abc import Sequence

from .. import __version__
from ..domain.core import clock
from ..domain.core.errors import ImportRejected, InjonctionsError
from ..paths import resolve_db_path
from . import care, directory, documents, exchange, signature, start, statements, views
from .common import EXIT_OK, EXIT_UNEXPECTED, EXIT_USER_ERROR, FrenchArgumentParser, common_options, harden_process

GROUPS = (start, exchange, views, statements, care, documents, directory, signature)


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(
        prog="injonctions", parents=[common_options(in_subcommand=False)],
        description="Suivi des injonctions thérapeutiques : agenda des permanences, dossiers, "
                    "documents pour le parquet, registre des habilitations. Sans argument : l'application.",
    )
    parser._positionals.title = "commandes"
    parser.add_argument("--version", action="version", help="afficher la version et quitter",
                        version=f"injonctions {__version__} (Python {platform.python_version()}, {platform.system()})")
    commands = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=FrenchArgumentParser)
    common = common_options(in_subcommand=True)
    for group in GROUPS:
        group.add_commands(commands, common)
    parser.set_defaults(run=start.cmd_tui)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    harden_process()
    args = build_parser().parse_args(argv)
    try:
        clock.configure_from_environment()
        return int(args.run(args))
    except ImportRejected as error:
        print(error.message, file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return EXIT_USER_ERROR
    except InjonctionsError as error:
        print(error.message, file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        print("\nInterrompu.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `injonctions agenda | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return EXIT_OK
    except OSError as error:  # a file operation nobody expected: said in French, never strerror
        from ..domain.store.storage_errors import describe_os_error

        print(f"Opération sur un fichier impossible : {describe_os_error(error)}. Aucune donnée enregistrée n'a "
              "été perdue.", file=sys.stderr)
        return EXIT_USER_ERROR
    except Exception as error:  # noqa: BLE001 - last resort: no traceback, no personal data
        from ..domain.store.storage import explain_database_error

        explained = explain_database_error(error, resolve_db_path(getattr(args, "db", None)))
        if explained is not None:  # a full disk, a damaged file...: said plainly
            print(explained.message, file=sys.stderr)
            return EXIT_USER_ERROR
        print(f"Erreur inattendue ({type(error).__name__}). Aucune donnée n'a été perdue ; "
              "relancez l'application. Si l'erreur persiste, signalez-la sans joindre de données.",
              file=sys.stderr)
        return EXIT_UNEXPECTED


__all__ = ["build_parser", "main"]
