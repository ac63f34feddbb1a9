"""Where the database lives: `--db`, then `INJONCTIONS_DB`, then the user data dir."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path, user_documents_path

from .domain.core import clock
from .domain.core.errors import InjonctionsError

APP_DIR_NAME = "injonctions-tui"
DB_FILE_NAME = "injonctions.db"
DB_ENV = "INJONCTIONS_DB"
PASSPHRASE_ENV = "INJONCTIONS_PASSPHRASE"
DOCUMENTS_ENV = "INJONCTIONS_DOCUMENTS"
KEYMAP_ENV = "INJONCTIONS_RACCOURCIS"
KEYMAP_FILE_NAME = "raccourcis.toml"


def default_db_path() -> Path:
    return user_data_path(APP_DIR_NAME, appauthor=False) / DB_FILE_NAME


def keymap_path() -> Path:
    """The user's keymap (keymap.py): `INJONCTIONS_RACCOURCIS`, else `raccourcis.toml` in the
    user's settings folder (~/.config/injonctions-tui on Linux, ~/Library/Application Support/
    injonctions-tui on macOS, %LOCALAPPDATA%\\injonctions-tui on Windows)."""
    chosen = os.environ.get(KEYMAP_ENV)
    return Path(chosen).expanduser() if chosen else user_config_path(APP_DIR_NAME, appauthor=False) / KEYMAP_FILE_NAME


def resolve_db_path(cli_value: str | None) -> Path:
    """The database path the user asked for, made absolute."""
    chosen = cli_value or os.environ.get(DB_ENV) or None
    path = Path(chosen).expanduser() if chosen else default_db_path()
    return path.absolute()


def documents_dir(year: int | None = None) -> Path:
    """Where printed PDFs are saved: `INJONCTIONS_DOCUMENTS`, else ~/Documents/injonctions,
    in a sub-folder per year so a year's papers are found (and archived) together.

    These files hold personal data by design (they are printed and handed over):
    the folder is the user's choice, and nothing else is ever written outside the
    encrypted database.
    """
    chosen = os.environ.get(DOCUMENTS_ENV)
    base = Path(chosen).expanduser() if chosen else user_documents_path() / "injonctions"
    return base / str(year or clock.today().year)


def prepared_documents_dir(year: int | None = None) -> Path:
    """`documents_dir`, created (owner only) if needed, or a French error saying why not."""
    from .domain.store.output_files import make_private_dirs

    folder = documents_dir(year)
    try:
        return make_private_dirs(folder)  # every level created 0700, ~/Documents/injonctions included
    except InjonctionsError as error:
        raise InjonctionsError(f"Impossible de créer le dossier des documents {folder} : "
                               f"{error.message.split(' : ', 1)[-1]}") from None


def import_start_dir() -> Path:
    """Where the file picker of an import opens: the downloads folder (the parquet's list
    comes by e-mail), else the home folder."""
    from platformdirs import user_downloads_path

    for folder in (user_downloads_path(), Path.home()):
        if folder.is_dir():
            return folder
    return Path.cwd()
