"""Looking after the base: backups, restore, the passphrase, the retention period."""

from __future__ import annotations

import argparse
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

from ..domain.core import clock
from ..domain.core.errors import InjonctionsError
from ..paths import resolve_db_path
from .common import EXIT_OK, read_passphrase, type_new_passphrase, unlock


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    save = commands.add_parser("backup", parents=[common], help="copie chiffrée de la base (même pendant l'utilisation)")
    save.add_argument("--out", metavar="FICHIER", help="fichier ou dossier de la sauvegarde")
    save.add_argument("--new-passphrase", action="store_true",
                      help="chiffrer la copie avec une autre phrase secrète (saisie au clavier)")
    save.set_defaults(run=cmd_backup)
    restore = commands.add_parser("restore", parents=[common], help="remplacer la base par une sauvegarde vérifiée")
    restore.add_argument("file", metavar="FICHIER")
    restore.set_defaults(run=cmd_restore)
    commands.add_parser("passphrase", parents=[common], help="changer la phrase secrète").set_defaults(
        run=cmd_passphrase)
    retention = commands.add_parser("retention", parents=[common],
                                    help="dossiers clôturés dont la durée de conservation est dépassée")
    retention.add_argument("--delete", action="store_true", help="les supprimer définitivement (confirmation demandée)")
    retention.set_defaults(run=cmd_retention)


def cmd_backup(args: argparse.Namespace) -> int:
    from ..domain.store.backup import backup

    new = type_new_passphrase("Phrase secrète de la sauvegarde : ") if args.new_passphrase else None
    path = resolve_db_path(args.db)
    with closing(unlock(args)):
        info = backup(path, Path(args.out) if args.out else None, passphrase=new)
    print(f"Sauvegarde chiffrée : {info.path}")
    print(info.summary())
    print("Gardez le fichier .kdf avec la copie : sans lui, elle ne peut pas être ouverte.")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from ..domain.store.backup import restore

    info = restore(Path(args.file), resolve_db_path(args.db), read_passphrase(args))
    print(info.summary())
    return EXIT_OK


def cmd_passphrase(args: argparse.Namespace) -> int:
    from ..domain.store.instance_lock import hold
    from ..domain.store.rekey import change_passphrase

    path = resolve_db_path(args.db)
    old = read_passphrase(args)
    new = type_new_passphrase("Nouvelle phrase secrète : ")
    with hold(path):
        change_passphrase(path, old, new).close()
    print("Phrase secrète changée. Les sauvegardes déjà faites gardent l'ancienne.")
    return EXIT_OK


def cmd_retention(args: argparse.Namespace) -> int:
    from ..domain.dossiers.retention import delete_dossiers, due_for_deletion, retention_years
    from ..domain.store.instance_lock import hold

    with hold(resolve_db_path(args.db)), closing(unlock(args)):
        due = due_for_deletion(clock.today())
        print(f"{len(due)} dossier(s) clôturé(s) depuis plus de {retention_years()} an(s).")
        for c in due:
            print(f"  {c.person_name:<32} {c.parquet_number:<14} clôturé le {c.closed_on:%d/%m/%Y}"
                  + ("" if c.removes_person else " (la personne a un autre dossier : elle est conservée)"))
        if args.delete and due:
            answer = input("Supprimer définitivement ces dossiers ? Tapez SUPPRIMER : ") if sys.stdin.isatty() else ""
            if answer != "SUPPRIMER":
                raise InjonctionsError("Suppression annulée : rien n'a été supprimé.")
            print(delete_dossiers([c.measure_id for c in due]).summary())
    return EXIT_OK
