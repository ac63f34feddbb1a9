"""What every command shares: French argparse, the passphrase, unlocking, where output goes."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from ..domain.core.errors import InjonctionsError
from ..domain.store import storage
from ..domain.store.passphrase import check_new_passphrase
from ..paths import PASSPHRASE_ENV, resolve_db_path

DEMO_PASSPHRASE = "demo"
EXIT_OK, EXIT_UNEXPECTED, EXIT_USER_ERROR = 0, 1, 2
PDF_NEEDS_OUT = "Un PDF ne s'affiche pas dans le terminal : indiquez --out FICHIER."

_ARGPARSE_FRENCH = {
    "the following arguments are required": "arguments obligatoires manquants",
    "unrecognized arguments": "arguments inconnus",
    "invalid choice": "choix invalide",
    "expected one argument": "une valeur est attendue",
    "choose from": "valeurs possibles :",
    "not allowed with argument": "incompatible avec l'argument",
    "invalid int value": "nombre entier attendu",
}


class FrenchHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        return super().add_usage(usage, actions, groups, "utilisation : " if prefix is None else prefix)


class FrenchArgumentParser(argparse.ArgumentParser):
    """argparse with its help and usage errors in French, and exit status 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._optionals.title = "options"
        self._positionals.title = "arguments"
        self.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        for english, french in _ARGPARSE_FRENCH.items():
            message = message.replace(english, french)
        sys.stderr.write(f"injonctions : erreur : {message}\nAide : injonctions --help\n")
        raise SystemExit(EXIT_USER_ERROR)


def common_options(*, in_subcommand: bool) -> argparse.ArgumentParser:
    """--db and --passphrase-file, accepted before or after the sub-command.

    In sub-commands the default is SUPPRESS, so an option given before the
    sub-command is not overwritten by the sub-command's default.
    """
    default = argparse.SUPPRESS if in_subcommand else None
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="CHEMIN", default=default,
                        help="base à utiliser (sinon $INJONCTIONS_DB, sinon le dossier de données de l'utilisateur)")
    common.add_argument("--passphrase-file", metavar="FICHIER", default=default,
                        help="lire la phrase secrète dans ce fichier (première ligne), pour les scripts")
    return common


def harden_process() -> None:
    """No core dump of this process (it holds the key and every name once unlocked):
    RLIMIT_CORE 0, and on Linux PR_SET_DUMPABLE 0 (no dump even if a limit is raised from
    outside, no ptrace by a process of the same user). About 3 ms (ctypes), before anything
    is read or derived. Windows has neither (its crash dumps are off unless set up by IT)."""
    if sys.platform == "win32":
        return
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
        except (OSError, AttributeError):
            pass


def read_passphrase(args: argparse.Namespace, *, confirm: bool = False, default: str | None = None) -> str:
    """From --passphrase-file, then $INJONCTIONS_PASSPHRASE, then the keyboard."""
    if args.passphrase_file:
        try:
            with open(args.passphrase_file, encoding="utf-8") as handle:
                return handle.readline().rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as error:
            from ..domain.store.storage_errors import describe_os_error

            reason = describe_os_error(error) if isinstance(error, OSError) else "il n'est pas en UTF-8"
            raise InjonctionsError(f"Impossible de lire le fichier de phrase secrète : {reason}.") from None
    if PASSPHRASE_ENV in os.environ:
        return os.environ.pop(PASSPHRASE_ENV)  # gone from the environment at once (children, /proc)
    if default is not None:
        return default
    if not sys.stdin.isatty():
        raise InjonctionsError(
            "Aucune phrase secrète : utilisez --passphrase-file ou la variable INJONCTIONS_PASSPHRASE."
        )
    first = getpass.getpass("Phrase secrète : ")
    if confirm:
        second = getpass.getpass("Confirmez la phrase secrète : ")
        check_new_passphrase(first, second)
    return first


def read_pin(pin_file: str | None, card: str | None) -> str:
    """A card's PIN: from --pin-file (first line) for scripts, else typed (never echoed, never
    in argv, never stored)."""
    if pin_file:
        from ..domain.core.files import read_limited

        raw = read_limited(Path(pin_file), 1024, is_dir_message=f"{pin_file} est un dossier.",
                           too_big_message=f"{pin_file} est trop grand pour un fichier de code PIN.")
        try:
            pin = raw.decode("utf-8").splitlines()[0] if raw.strip() else ""
        except UnicodeDecodeError:
            raise InjonctionsError(f"{pin_file} n'est pas un texte en UTF-8.") from None
        if not pin:
            raise InjonctionsError(f"Le fichier de code PIN {pin_file} est vide.")
        return pin
    if not sys.stdin.isatty():
        raise InjonctionsError("Code PIN de la carte requis : utilisez --pin-file FICHIER (jamais le code lui-même "
                               "sur la ligne de commande).")
    pin = getpass.getpass(f"Code PIN de la carte « {card} » : " if card else "Code PIN de la carte : ")
    if not pin:
        raise InjonctionsError("Code PIN vide : rien n'a été signé.")
    return pin


def type_new_passphrase(prompt: str) -> str:
    """A new passphrase is typed twice at the keyboard, never given on the command line; its
    estimated strength is shown (in French) before the confirmation is asked."""
    from ..domain.store.passphrase import strength_label, weakness

    if not sys.stdin.isatty():
        raise InjonctionsError("Une nouvelle phrase secrète se saisit au clavier (deux fois).")
    first = getpass.getpass(prompt)
    print(f"Solidité : {strength_label(first)}", file=sys.stderr)
    reason = weakness(first)
    if reason:
        raise InjonctionsError(reason)
    check_new_passphrase(first, getpass.getpass("Confirmez : "))
    return first


def unlock(args: argparse.Namespace) -> Any:
    """The base named by --db (or the default one), opened with the passphrase. A refused
    passphrase waits longer each time and is recorded at the next opening (store.attempts)."""
    from ..domain.core.errors import WrongPassphrase
    from ..domain.store import attempts
    from ..domain.store.backup import finish_interrupted_restore

    path = resolve_db_path(args.db)
    if (done := finish_interrupted_restore(path)):
        print(done, file=sys.stderr)
    try:
        db = storage.open_database(path, read_passphrase(args))
    except WrongPassphrase as error:
        if path.is_file():
            waited = attempts.refused(path)
            if waited:
                raise WrongPassphrase(f"{error.message} (réponse retardée de {waited} s : essais refusés "
                                      "successifs, ils seront notés au journal)") from None
        raise
    attempts.settle(path)
    return db


def add_force(parser: argparse.ArgumentParser) -> None:
    """`--force`: the only way to write over an existing file (never over the base)."""
    parser.add_argument("--force", action="store_true",
                        help="remplacer le fichier de sortie s'il existe déjà (jamais la base ni ses fichiers)")


def check_pdf_out(fmt: str, out: str | None) -> None:
    """Refuse before unlocking anything: a PDF cannot go to the terminal."""
    if fmt == "pdf" and not out:
        raise InjonctionsError(PDF_NEEDS_OUT)


def emit(content: str | bytes) -> None:
    if isinstance(content, bytes):
        raise InjonctionsError(PDF_NEEDS_OUT)
    print(content)


def output_place(out: str | None, year: int | None = None) -> tuple[Path, str | None]:
    """(folder, imposed file name or None): `--out` names a folder or a file; without it,
    the documents folder of the year."""
    if not out:
        from ..paths import prepared_documents_dir

        return prepared_documents_dir(year), None
    path = Path(out).expanduser()
    if not path.is_dir() and not path.parent.is_dir():
        raise InjonctionsError(f"Le dossier {path.parent} n'existe pas : choisissez un dossier existant.")
    return (path, None) if path.is_dir() else (path.parent, path.name)
