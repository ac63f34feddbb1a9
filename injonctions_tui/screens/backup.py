"""Backing up from the app: an encrypted copy, made while the app stays in use."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.core.errors import InjonctionsError
from ..domain.store.backup import backup
from ..domain.store.output_files import make_private_dirs
from ..domain.store.storage import own_connection
from ..domain.store.storage_errors import describe_os_error
from .form_modal import FormModal, ModalField

if TYPE_CHECKING:
    from ..app import InjonctionsApp


def ask_backup(app: InjonctionsApp) -> None:
    """Ask where (a USB key protects against a lost laptop), then copy in a thread."""
    db_path: Path = app.plan.db_path
    default = db_path.parent / "sauvegardes"

    def chosen(values: dict[str, str]) -> object:
        folder = Path(values["folder"].strip() or default).expanduser()
        return folder

    def start(folder: object) -> None:
        if folder is not None:
            app.notify("Sauvegarde en cours…")
            app.run_worker(lambda: _backup(app, db_path, folder), thread=True, group="backup",  # type: ignore[arg-type]
                           exclusive=True)

    app.push_screen(FormModal("Sauvegarder la base", [ModalField("folder", "Dossier", str(default))], chosen,
                              submit_label="Sauvegarder",
                              intro="Copie chiffrée avec la même phrase secrète, accompagnée de son fichier .kdf. "
                                    "Sur une clé USB, elle protège aussi de la perte du portable."), start)


def _backup(app: InjonctionsApp, db_path: Path, folder: Path) -> None:
    try:
        with own_connection():
            make_private_dirs(folder)
            info = backup(db_path, folder)
    except (InjonctionsError, OSError) as error:
        text = error.message if isinstance(error, InjonctionsError) else describe_os_error(error)
        app.call_from_thread(app.notify, text, severity="error", timeout=10)
        return
    app.call_from_thread(app.notify, f"Sauvegarde chiffrée : {info.path}\n{info.summary()}", timeout=12)
