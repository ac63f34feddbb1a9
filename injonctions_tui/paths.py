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
    folder = documents_dir(year)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise InjonctionsError(f"Impossible de créer le dossier des documents {folder} : "
                               f"{error.strerror or error}.") from None
    return folder
