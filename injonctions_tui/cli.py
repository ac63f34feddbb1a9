"""The `injonctions` command: the TUI by default, and non-interactive sub-commands.

Every command takes `--db`; scripts give the passphrase with `--passphrase-file` or
`INJONCTIONS_PASSPHRASE`, people type it. Expected failures print one French
sentence and exit with status 2; nothing prints a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path

from .domain.core import clock
from .domain.core.errors import ImportRejected, InjonctionsError
from .domain.store import audit, storage
from .domain.store.passphrase import check_new_passphrase
from .paths import PASSPHRASE_ENV, resolve_db_path

DEMO_PASSPHRASE = "demo"
EXIT_OK, EXIT_UNEXPECTED, EXIT_USER_ERROR = 0, 1, 2


class FrenchHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        return super().add_usage(usage, actions, groups, "utilisation : " if prefix is None else prefix)


class FrenchArgumentParser(argparse.ArgumentParser):
    """argparse with its help and usage errors in French, and exit status 2."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"injonctions : erreur : {_translate_argparse(message)}\n"
                         "Aide : injonctions --help\n")
        raise SystemExit(EXIT_USER_ERROR)


def _translate_argparse(message: str) -> str:
    replacements = {
        "the following arguments are required": "arguments obligatoires manquants",
        "unrecognized arguments": "arguments inconnus",
        "invalid choice": "choix invalide",
        "expected one argument": "une valeur est attendue",
        "choose from": "valeurs possibles :",
    }
    for english, french in replacements.items():
        message = message.replace(english, french)
    return message


def _common_options(*, in_subcommand: bool) -> argparse.ArgumentParser:
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


def build_parser() -> argparse.ArgumentParser:
    common = _common_options(in_subcommand=True)
    parser = FrenchArgumentParser(
        prog="injonctions", parents=[_common_options(in_subcommand=False)],
        description="Suivi des injonctions thérapeutiques : agenda des permanences, dossiers, "
                    "documents pour le parquet, registre des habilitations. Sans argument : l'application.",
    )
    parser._positionals.title = "commandes"
    commands = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=FrenchArgumentParser)
    commands.add_parser("init", parents=[common], help="créer une base chiffrée sans ouvrir l'application")
    demo = commands.add_parser("demo", parents=[common],
                               help="ouvrir l'application sur une base de démonstration (phrase secrète : demo)")
    demo.add_argument("--no-tui", action="store_true", help="créer la base de démonstration sans ouvrir l'application")
    export = commands.add_parser("export", parents=[common], help="exporter toutes les données (JSON)")
    export.add_argument("--format", choices=["json"], default="json", help="format d'export (json)")
    export.add_argument("--out", metavar="FICHIER", help="fichier de sortie (sinon la sortie standard)")
    agenda = commands.add_parser("agenda", parents=[common], help="afficher l'agenda d'un jour ou d'une semaine")
    agenda.add_argument("--date", metavar="AAAA-MM-JJ", help="le jour (par défaut : aujourd'hui)")
    agenda.add_argument("--week", action="store_true", help="toute la semaine de ce jour")
    agenda.add_argument("--json", action="store_true", help="sortie JSON pour les scripts")
    echeances = commands.add_parser("echeances", parents=[common], help="échéances légales dues et en retard")
    echeances.add_argument("--date", metavar="AAAA-MM-JJ", help="date de référence (par défaut : aujourd'hui)")
    echeances.add_argument("--json", action="store_true", help="sortie JSON pour les scripts")
    etat = commands.add_parser("etat", parents=[common], help="état justificatif annuel pour l'ARS")
    etat.add_argument("--year", type=int, required=True, metavar="AAAA", help="l'année civile déclarée")
    etat_format = etat.add_mutually_exclusive_group()
    etat_format.add_argument("--csv", action="store_true", help="au format CSV (tableur)")
    etat_format.add_argument("--pdf", action="store_true", help="au format PDF (à signer et envoyer)")
    etat.add_argument("--out", metavar="FICHIER", help="fichier ou dossier de sortie (obligatoire pour le PDF)")
    bilan = commands.add_parser("bilan", parents=[common], help="bilan d'activité d'une période (chiffres, sans noms)")
    bilan.add_argument("--from", dest="start", required=True, metavar="AAAA-MM-JJ", help="début de la période")
    bilan.add_argument("--to", dest="end", required=True, metavar="AAAA-MM-JJ", help="fin de la période")
    bilan_format = bilan.add_mutually_exclusive_group()
    bilan_format.add_argument("--json", action="store_true", help="au format JSON")
    bilan_format.add_argument("--csv", action="store_true", help="au format CSV")
    bilan_format.add_argument("--pdf", action="store_true", help="au format PDF, avec graphiques")
    bilan.add_argument("--out", metavar="FICHIER", help="fichier ou dossier de sortie (obligatoire pour le PDF)")
    save = commands.add_parser("backup", parents=[common], help="copie chiffrée de la base (même pendant l'utilisation)")
    save.add_argument("--out", metavar="FICHIER", help="fichier ou dossier de la sauvegarde")
    save.add_argument("--new-passphrase", action="store_true",
                      help="chiffrer la copie avec une autre phrase secrète (saisie au clavier)")
    restore = commands.add_parser("restore", parents=[common], help="remplacer la base par une sauvegarde vérifiée")
    restore.add_argument("file", metavar="FICHIER")
    commands.add_parser("passphrase", parents=[common], help="changer la phrase secrète")
    retention = commands.add_parser("retention", parents=[common],
                                    help="dossiers clôturés dont la durée de conservation est dépassée")
    retention.add_argument("--delete", action="store_true", help="les supprimer définitivement (confirmation demandée)")
    registre = commands.add_parser("registre", parents=[common],
                                   help="registre des professionnels habilités (statut, validité, pièces manquantes)")
    registre.add_argument("--json", action="store_true", help="sortie JSON pour les scripts")
    printer = commands.add_parser("print", parents=[common], help="imprimer un document en PDF")
    printer.add_argument("kind", metavar="DOCUMENT",
                         help="fiche-navette, avis-motive, incident, fin-de-mesure, attestation, convocation, "
                              "permanence, attestation-suivi, attestation-fin-suivi, registre")
    printer.add_argument("target", metavar="N°", nargs="?", type=int,
                         help="n° du rapport, du rendez-vous ou du dossier (sauf pour « permanence »)")
    printer.add_argument("--date", metavar="AAAA-MM-JJ", help="le jour, pour la feuille de permanence")
    printer.add_argument("--out", metavar="FICHIER", help="fichier ou dossier de sortie")
    printer.add_argument("--sign", action="store_true", help="signer numériquement (PAdES)")
    verify = commands.add_parser("verify", parents=[common], help="vérifier la signature d'un PDF")
    verify.add_argument("file", metavar="FICHIER.pdf")
    secret = commands.add_parser("secret-check", parents=[common],
                                 help="signaler les termes couverts par le secret dans un texte (- : entrée standard)")
    secret.add_argument("file", metavar="FICHIER")
    journal = commands.add_parser("audit", parents=[common], help="journal des accès et des modifications")
    journal.add_argument("--since", metavar="AAAA-MM-JJ", help="depuis cette date")
    journal.add_argument("--json", action="store_true", help="sortie JSON pour les scripts")
    importer = commands.add_parser("import", parents=[common], help="importer un export JSON ou des saisines (CSV)")
    importer.add_argument("kind", choices=["json", "saisines"], metavar="TYPE", help="json ou saisines")
    importer.add_argument("file", metavar="FICHIER")
    return parser


def read_passphrase(args: argparse.Namespace, *, confirm: bool = False, default: str | None = None) -> str:
    """From --passphrase-file, then $INJONCTIONS_PASSPHRASE, then the keyboard."""
    if args.passphrase_file:
        try:
            with open(args.passphrase_file, encoding="utf-8") as handle:
                return handle.readline().rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as error:
            raise InjonctionsError(f"Impossible de lire le fichier de phrase secrète : {getattr(error, 'strerror', None) or error}.") from None
    if PASSPHRASE_ENV in os.environ:
        return os.environ[PASSPHRASE_ENV]
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


def _unlock(args: argparse.Namespace):
    path = resolve_db_path(args.db)
    return storage.open_database(path, read_passphrase(args))


def cmd_init(args: argparse.Namespace) -> int:
    from .domain.store.instance_lock import hold

    path = resolve_db_path(args.db)
    with hold(path):
        return _init(args, path)


def _init(args: argparse.Namespace, path: Path) -> int:
    if path.exists():
        raise InjonctionsError(f"Une base existe déjà à l'emplacement {path} ; elle n'a pas été modifiée.")
    passphrase = read_passphrase(args, confirm=True)
    check_new_passphrase(passphrase)
    db = storage.create_database(path, passphrase)
    audit.record("creation_base")
    db.close()
    print(f"Base chiffrée créée : {path}")
    print("Lancez « injonctions » pour saisir votre identité et le tribunal.")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from .domain.demo.builder import populate_demo

    passphrase = read_passphrase(args, default=DEMO_PASSPHRASE)
    throwaway_dir = None
    if args.db or os.environ.get("INJONCTIONS_DB"):
        path = resolve_db_path(args.db)
    else:
        throwaway_dir = Path(tempfile.mkdtemp(prefix="injonctions-demo-"))
        path = throwaway_dir / "demo.db"
    try:
        if path.exists():
            db = storage.open_database(path, passphrase, defer_integrity_check=not args.no_tui)
        else:
            db = storage.create_database(path, passphrase)
            try:
                with db.atomic():
                    populate_demo(clock.today())
            except BaseException:
                db.close()
                for leftover in (path, storage.kdf_path(path)):
                    leftover.unlink(missing_ok=True)
                raise
        if args.no_tui:
            db.close()
            print(f"Base de démonstration : {path} (phrase secrète : {'demo' if passphrase == DEMO_PASSPHRASE else 'celle fournie'})")
            throwaway_dir = None  # kept: the user asked for a file, not a session
            return EXIT_OK
        from .domain.store.instance_lock import hold

        with hold(path):
            return _run_tui(path, db=db, demo_passphrase=passphrase if passphrase == DEMO_PASSPHRASE else None,
                            demo=True)
    finally:
        if throwaway_dir is not None:
            shutil.rmtree(throwaway_dir, ignore_errors=True)


def cmd_export(args: argparse.Namespace) -> int:
    from .domain.portability.json_export import write_export

    with closing(_unlock(args)):
        out = Path(args.out) if args.out else None
        text = write_export(out)
        audit.record("export", details=f"format={args.format}")
    if out is None:
        sys.stdout.write(text + "\n")
    else:
        print(f"Export écrit : {out}", file=sys.stderr)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from .domain.store.instance_lock import hold

    with hold(resolve_db_path(args.db)):
        return _import(args)


def _import(args: argparse.Namespace) -> int:
    with closing(_unlock(args)):
        if args.kind == "json":
            from .domain.portability.json_export import import_all, read_export_file

            counts = import_all(read_export_file(Path(args.file)))
            audit.record("import_json")
            print("Import terminé : " + ", ".join(f"{n} {name}" for name, n in counts.items()))
        else:
            from .domain.dossiers.saisines import import_saisines
            from .domain.store.professionals import current_user

            result = import_saisines(Path(args.file), today=clock.today(), professional=current_user())
            print(f"{result.imported} saisine(s) importée(s).")
            for number in result.duplicates:
                print(f"Déjà présente, ignorée : {number}")
    return EXIT_OK


def _date_option(value: str | None) -> dt.date:
    from .domain.core.dates import parse_date

    return parse_date(value, "--date") if value else clock.today()


def cmd_agenda(args: argparse.Namespace) -> int:
    from .domain.agenda.days import agenda_json, agenda_text
    from .domain.store.settings import load_court

    day = _date_option(args.date)
    with closing(_unlock(args)):
        court = load_court()
        if args.json:
            output = json.dumps(agenda_json(court, day, args.week, today=clock.today()), ensure_ascii=False, indent=2)
        else:
            output = agenda_text(court, day, args.week, today=clock.today())
        audit.record("consultation_agenda", details=f"date={day.isoformat()} semaine={args.week}")
    print(output)
    return EXIT_OK


def cmd_echeances(args: argparse.Namespace) -> int:
    from .domain.deadlines.listing import deadline_rows, deadlines_text

    day = _date_option(args.date)
    with closing(_unlock(args)):
        rows = deadline_rows(day, limit=None)
        audit.record("consultation_echeances", details=f"date={day.isoformat()}")
    if args.json:
        print(json.dumps({"date": day.isoformat(), "echeances": [
            {"measure_id": r.measure_id, "due_on": r.due_on.isoformat(), "overdue": r.overdue, "person": r.person,
             "parquet_number": r.parquet_number, "label": r.label, "source": r.source} for r in rows]},
            ensure_ascii=False, indent=2))
    else:
        print(deadlines_text(rows))
    return EXIT_OK


PDF_NEEDS_OUT = "Un PDF ne s'affiche pas dans le terminal : indiquez --out FICHIER."


def _check_pdf_out(fmt: str, out: str | None) -> None:
    """Refuse before unlocking anything: a PDF cannot go to the terminal."""
    if fmt == "pdf" and not out:
        raise InjonctionsError(PDF_NEEDS_OUT)


def _emit(content: str | bytes) -> None:
    if isinstance(content, bytes):
        raise InjonctionsError(PDF_NEEDS_OUT)
    print(content)


def cmd_etat(args: argparse.Namespace) -> int:
    from .domain.statements.outputs import etat_command

    fmt = "csv" if args.csv else "pdf" if args.pdf else "text"
    _check_pdf_out(fmt, args.out)
    if not 2000 <= args.year <= clock.today().year + 1:
        raise InjonctionsError(f"--year : l'année {args.year} n'est pas vraisemblable.")
    with closing(_unlock(args)):
        content = etat_command(args.year, fmt, Path(args.out) if args.out else None, clock.today())
        audit.record("etat_annuel", details=f"annee={args.year} format={fmt}")
    _emit(content)
    return EXIT_OK


def cmd_bilan(args: argparse.Namespace) -> int:
    from .domain.core.dates import parse_date
    from .domain.statements.outputs import bilan_command

    start, end = parse_date(args.start, "--from"), parse_date(args.end, "--to")
    if end < start:
        raise InjonctionsError("--to : la fin de la période précède son début.")
    fmt = "json" if args.json else "csv" if args.csv else "pdf" if args.pdf else "text"
    _check_pdf_out(fmt, args.out)
    with closing(_unlock(args)):
        content = bilan_command(start, end, fmt, Path(args.out) if args.out else None, clock.today())
        audit.record("bilan_activite", details=f"du={start.isoformat()} au={end.isoformat()} format={fmt}")
    _emit(content)
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    from .domain.core.dates import parse_date
    from .domain.store.journal import journal_json, journal_rows, journal_text

    since = parse_date(args.since, "--since") if args.since else None
    with closing(_unlock(args)):
        rows = journal_rows(since=since, limit=None)
        audit.record("consultation_journal")
    print(json.dumps(journal_json(rows), ensure_ascii=False, indent=2) if args.json else journal_text(rows))
    return EXIT_OK


def _type_new_passphrase(prompt: str) -> str:
    """A new passphrase is typed twice at the keyboard, never given on the command line."""
    if not sys.stdin.isatty():
        raise InjonctionsError("Une nouvelle phrase secrète se saisit au clavier (deux fois).")
    first = getpass.getpass(prompt)
    check_new_passphrase(first, getpass.getpass("Confirmez : "))
    return first


def cmd_backup(args: argparse.Namespace) -> int:
    from .domain.store.backup import backup

    new = _type_new_passphrase("Phrase secrète de la sauvegarde : ") if args.new_passphrase else None
    path = resolve_db_path(args.db)
    with closing(_unlock(args)):
        info = backup(path, Path(args.out) if args.out else None, passphrase=new)
    print(f"Sauvegarde chiffrée : {info.path}")
    print(info.summary())
    print("Gardez le fichier .kdf avec la copie : sans lui, elle ne peut pas être ouverte.")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from .domain.store.backup import restore

    info = restore(Path(args.file), resolve_db_path(args.db), read_passphrase(args))
    print(info.summary())
    return EXIT_OK


def cmd_passphrase(args: argparse.Namespace) -> int:
    from .domain.store.instance_lock import hold
    from .domain.store.rekey import change_passphrase

    path = resolve_db_path(args.db)
    old = read_passphrase(args)
    new = _type_new_passphrase("Nouvelle phrase secrète : ")
    with hold(path):
        change_passphrase(path, old, new).close()
    print("Phrase secrète changée. Les sauvegardes déjà faites gardent l'ancienne.")
    return EXIT_OK


def cmd_retention(args: argparse.Namespace) -> int:
    from .domain.dossiers.retention import delete_dossiers, due_for_deletion, retention_years
    from .domain.store.instance_lock import hold

    path = resolve_db_path(args.db)
    with hold(path):
        with closing(_unlock(args)):
            due = due_for_deletion(clock.today())
            print(f"{len(due)} dossier(s) clôturé(s) depuis plus de {retention_years()} an(s).")
            for c in due:
                print(f"  {c.person_name:<32} {c.parquet_number:<14} clôturé le {c.closed_on:%d/%m/%Y}"
                      + ("" if c.removes_person else " (la personne a un autre dossier : elle est conservée)"))
            if args.delete and due:
                if not sys.stdin.isatty() or input("Supprimer définitivement ces dossiers ? Tapez SUPPRIMER : ") != "SUPPRIMER":
                    raise InjonctionsError("Suppression annulée : rien n'a été supprimé.")
                print(delete_dossiers([c.measure_id for c in due]).summary())
    return EXIT_OK


def cmd_registre(args: argparse.Namespace) -> int:
    from .domain.register.export import register_json, register_text

    with closing(_unlock(args)):
        today = clock.today()
        output = (json.dumps(register_json(today), ensure_ascii=False, indent=2) if args.json
                  else register_text(today))
        audit.record("consultation_registre")
    print(output)
    return EXIT_OK


def _print_register(args: argparse.Namespace) -> int:
    from .domain.printing.saving import save_pdf
    from .domain.register.export import register_filename, register_pdf

    with closing(_unlock(args)):
        today = clock.today()
        path = save_pdf(register_pdf(today), *_output_place(args.out, register_filename(today)))
        audit.record("impression", details="document=registre")
    print(f"Document enregistré : {path}")
    return EXIT_OK


def cmd_print(args: argparse.Namespace) -> int:
    from .domain.documents.catalogue import DOCUMENT_KINDS
    from .domain.printing.saving import save_pdf
    from .domain.store.settings import load_court

    if args.kind == "registre":
        return _print_register(args)
    kind = DOCUMENT_KINDS.get(args.kind)
    if kind is None:
        raise InjonctionsError(f"Document inconnu : « {args.kind[:40]} ». Possibles : {', '.join(DOCUMENT_KINDS)}.")
    if kind.target == "jour":
        target: object = _date_option(args.date)
    elif args.target is None:
        raise InjonctionsError(f"Indiquez le n° ({kind.target}) du document à imprimer.")
    else:
        target = args.target
    with closing(_unlock(args)):
        document = kind.build(target, today=clock.today(), court=load_court())
        data = document.data
        if args.sign:
            from .domain.printing.signing import sign_pdf
            from .domain.store.professionals import check_habilitated, current_user

            check_habilitated(current_user(), clock.today())
            data = sign_pdf(data, reason=f"{kind.label} — secret professionnel", location=load_court().tribunal)
        path = save_pdf(data, *_output_place(args.out, document.filename))
        audit.record("impression", None, args.target, f"document={args.kind} signe={args.sign}")
    print(f"Document enregistré : {path}")
    return EXIT_OK


def _output_place(out: str | None, default_name: str) -> tuple[Path, str]:
    """(folder, file name): `--out` names a folder or a file; without it, the documents folder."""
    if not out:
        from .paths import prepared_documents_dir

        return prepared_documents_dir(), default_name
    path = Path(out).expanduser()
    return (path, default_name) if path.is_dir() else (path.parent, path.name)


def cmd_verify(args: argparse.Namespace) -> int:
    from .domain.core.files import read_limited
    from .domain.printing.signing import verify_signature

    data = read_limited(Path(args.file), 100 * 1024 * 1024, is_dir_message=f"{args.file} est un dossier.",
                        too_big_message=f"{args.file} dépasse 100 Mo : ce n'est pas un document de l'application.")
    with closing(_unlock(args)):  # the certificates trusted are those of this installation
        status = verify_signature(data)
    print(status.message)
    return EXIT_OK if status.valid else 1


def cmd_secret_check(args: argparse.Namespace) -> int:
    from .domain.reports.secrecy import default_lexicon, scan

    if args.file == "-":
        text = sys.stdin.read()
    else:
        from .domain.core.files import read_limited

        raw = read_limited(Path(args.file), 10 * 1024 * 1024, is_dir_message=f"{args.file} est un dossier.",
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


def cmd_tui(args: argparse.Namespace) -> int:
    from .domain.store.instance_lock import hold

    path = resolve_db_path(args.db)
    with hold(path):  # a second window on the same base is told, instead of corrupting it
        scripted = bool(args.passphrase_file) or PASSPHRASE_ENV in os.environ
        db = (storage.open_database(path, read_passphrase(args), defer_integrity_check=True)
              if scripted and path.exists() else None)  # the app checks integrity after the agenda shows
        return _run_tui(path, db=db)


def _run_tui(path: Path, *, db=None, demo: bool = False, demo_passphrase: str | None = None) -> int:
    from .app import InjonctionsApp, StartupPlan

    app = InjonctionsApp(StartupPlan(db_path=path, database=db, demo=demo, demo_passphrase=demo_passphrase))
    app.run()
    if app.database is not None:
        app.database.close()
    return app.return_code or EXIT_OK


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_tui, "init": cmd_init, "demo": cmd_demo, "export": cmd_export, "import": cmd_import,
    "agenda": cmd_agenda, "echeances": cmd_echeances, "audit": cmd_audit, "etat": cmd_etat,
    "bilan": cmd_bilan, "backup": cmd_backup, "restore": cmd_restore, "passphrase": cmd_passphrase,
    "retention": cmd_retention, "print": cmd_print, "registre": cmd_registre, "verify": cmd_verify, "secret-check": cmd_secret_check,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        clock.configure_from_environment()
        return COMMANDS[args.command](args)
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
    except Exception as error:  # noqa: BLE001 - last resort: no traceback, no personal data
        from .domain.store.storage_errors import explain_database_error

        explained = explain_database_error(error, resolve_db_path(getattr(args, "db", None)))
        if explained is not None:  # a full disk, a damaged file...: said plainly
            print(explained.message, file=sys.stderr)
            return EXIT_USER_ERROR
        print(f"Erreur inattendue ({type(error).__name__}). Aucune donnée n'a été perdue ; "
              "relancez l'application. Si l'erreur persiste, signalez-la sans joindre de données.",
              file=sys.stderr)
        return EXIT_UNEXPECTED


if __name__ == "__main__":
    raise SystemExit(main())
