"""Where the database lives: `--db`, then `INJONCTIONS_DB`, then the user data dir."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

APP_DIR_NAME = "injonctions-tui"
DB_FILE_NAME = "injonctions.db"
DB_ENV = "INJONCTIONS_DB"
PASSPHRASE_ENV = "INJONCTIONS_PASSPHRASE"


def default_db_path() -> Path:
    return user_data_path(APP_DIR_NAME, appauthor=False) / DB_FILE_NAME


def resolve_db_path(cli_value: str | None) -> Path:
    """The database path the user asked for, made absolute."""
    chosen = cli_value or os.environ.get(DB_ENV) or None
    path = Path(chosen).expanduser() if chosen else default_db_path()
    return path.absolute()
