"""Starting: the application (default), a new base without it, the demonstration."""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from contextlib import closing
from pathlib import Path
from typing import Any

from ..domain.core import clock
from ..domain.core.errors import InjonctionsError
from ..domain.store import audit, storage
from ..domain.store.passphrase import check_new_passphrase
from ..paths import PASSPHRASE_ENV, resolve_db_path
from .common import DEMO_PASSPHRASE, EXIT_OK, read_passphrase


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    commands.add_parser("init", parents=[common], help="créer une base chiffrée sans ouvrir l'application"
                        ).set_defaults(run=cmd_init)
    demo = commands.add_parser("demo", parents=[common],
                               help="ouvrir l'application sur une base de démonstration (phrase secrète : demo)")
    demo.add_argument("--no-tui", action="store_true", help="créer la base de démonstration sans ouvrir l'application")
    demo.set_defaults(run=cmd_demo)


def cmd_init(args: argparse.Namespace) -> int:
    from ..domain.store.instance_lock import hold

    path = resolve_db_path(args.db)
    with hold(path):
        from ..domain.store.backup import finish_interrupted_restore, wizard_blocker

        finish_interrupted_restore(path)
        if path.exists():
            raise InjonctionsError(f"Une base existe déjà à l'emplacement {path} ; elle n'a pas été modifiée.")
        if (blocker := wizard_blocker(path)):
            raise InjonctionsError(blocker)
        passphrase = read_passphrase(args, confirm=True)
        check_new_passphrase(passphrase)
        with closing(storage.create_database(path, passphrase)):
            audit.record("creation_base")
    print(f"Base chiffrée créée : {path}")
    print("Lancez « injonctions » pour saisir votre identité et le tribunal.")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from ..domain.demo.builder import populate_demo

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
            except BaseException as error:
                db.close()
                for suffix in ("", "-wal", "-shm", "-journal", ".kdf"):  # nothing left behind (full disk)
                    path.with_name(path.name + suffix).unlink(missing_ok=True)
                explained = storage.explain_database_error(error, path)
                if explained is not None:
                    raise InjonctionsError(f"{explained.message.split(' :')[0]} : la base de démonstration n'a pas "
                                           "été créée, et rien n'a été laissé.") from None
                raise
        if args.no_tui:
            db.close()
            said = "demo" if passphrase == DEMO_PASSPHRASE else "celle fournie"
            print(f"Base de démonstration : {path} (phrase secrète : {said})")
            throwaway_dir = None  # kept: the user asked for a file, not a session
            return EXIT_OK
        from ..domain.store.instance_lock import hold

        with hold(path):
            return run_tui(path, db=db, demo_passphrase=passphrase if passphrase == DEMO_PASSPHRASE else None,
                           demo=True)
    finally:
        if throwaway_dir is not None:
            shutil.rmtree(throwaway_dir, ignore_errors=True)


def cmd_tui(args: argparse.Namespace) -> int:
    from ..domain.store.instance_lock import hold

    path = resolve_db_path(args.db)
    with hold(path):  # a second window on the same base is told, instead of corrupting it
        scripted = bool(args.passphrase_file) or PASSPHRASE_ENV in os.environ
        db = (storage.open_database(path, read_passphrase(args), defer_integrity_check=True)
              if scripted and path.exists() else None)  # the app checks integrity after the agenda shows
        return run_tui(path, db=db)


def run_tui(path: Path, *, db: Any = None, demo: bool = False, demo_passphrase: str | None = None) -> int:
    from ..app import InjonctionsApp, StartupPlan

    app = InjonctionsApp(StartupPlan(db_path=path, database=db, demo=demo, demo_passphrase=demo_passphrase))
    app.run()
    if app.database is not None:
        app.database.close()
    return app.return_code or EXIT_OK
