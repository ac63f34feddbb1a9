"""One program at a time on a database: a second window is told, not let in.

SQLite itself would keep the file consistent with two writers, but two copies of the
app would each believe they see the whole truth (a dossier edited in one window is
overwritten from the other; a restore or a passphrase change under a running app
would pull the file from under it). So the TUI and the writing commands take an
exclusive lock on `<db>.lock`, beside the base, through portalocker: `flock` on Linux
and macOS, `LockFileEx`/`msvcrt.locking` on Windows.

Why an OS lock: the system drops it when the process dies, however it dies (SIGKILL,
battery), so a stale lock file is harmless and never needs cleaning. The file only
holds the process id of the holder (no personal data) and is never deleted: deleting
a lock file races with the next program taking it. Windows locks are mandatory: there
another program cannot read the holder's id, and the message says « autre processus ».
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from io import FileIO
from pathlib import Path

import portalocker

from ..core.errors import InjonctionsError
from .output_files import make_private_dirs
from .storage_errors import StorageUnavailable, describe_os_error

LOCK_SUFFIX = ".lock"

#: Locks held by this process, so that `hold` can be used under an open app.
_HELD: dict[Path, InstanceLock] = {}


class InstanceLocked(InjonctionsError):
    """Another window or program has the database open."""


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + LOCK_SUFFIX)


def _key(db_path: Path) -> Path:
    return Path(os.path.abspath(lock_path(db_path)))


class InstanceLock:
    """The exclusive lock of one database, held until `release` (or process exit)."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path(self.db_path)
        self._file: FileIO | None = None

    @property
    def held(self) -> bool:
        return self._file is not None

    def acquire(self) -> InstanceLock:
        """Take the lock now or raise `InstanceLocked`; never waits (the user decides)."""
        if self._file is not None:
            return self
        try:
            make_private_dirs(self.path.parent)  # every level 0700
            handle = FileIO(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600), "r+")
        except InjonctionsError as error:
            raise StorageUnavailable(f"Impossible de préparer l'ouverture de la base : {error.message}") from None
        except OSError as error:
            # mkdir says "exists" when a plain file stands where the folder should be
            reason = ("un élément du chemin n'est pas un dossier" if isinstance(error, FileExistsError)
                      else describe_os_error(error))
            raise StorageUnavailable(f"Impossible de préparer l'ouverture de la base dans "
                                     f"{self.path.parent} : {reason}. Rien n'a été modifié.") from None
        try:
            portalocker.lock(handle, portalocker.LockFlags.EXCLUSIVE | portalocker.LockFlags.NON_BLOCKING)
        except portalocker.AlreadyLocked:
            holder = _read_pid(handle)
            handle.close()
            which = f"processus n° {holder}" if holder else "autre processus"
            raise InstanceLocked(
                f"La base est déjà ouverte par une autre fenêtre ou un autre programme ({which}). "
                "Fermez-la d'abord, puis réessayez ; rien n'a été modifié.") from None
        except portalocker.LockException as error:
            handle.close()
            cause = error.__cause__ if isinstance(error.__cause__, OSError) else None
            reason = describe_os_error(cause) if cause else "le système refuse le verrou"
            raise StorageUnavailable(f"Impossible de verrouiller la base : {reason}.") from None
        try:
            handle.truncate(0)
            handle.write(f"{os.getpid()}\n".encode("ascii"))
        except OSError:
            pass  # a full disk: the lock holds without the process id (only shown to a second window)
        self._file = handle
        _HELD[_key(self.db_path)] = self
        return self

    def release(self) -> None:
        """Let the next program in. Closing the file drops the lock."""
        if self._file is None:
            return
        handle, self._file = self._file, None
        _HELD.pop(_key(self.db_path), None)
        with contextlib.suppress(OSError):
            handle.seek(0)
            handle.truncate(0)
        handle.close()

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_pid(handle: FileIO) -> int | None:
    """The holder's process id, where the system lets us read a locked file (not Windows)."""
    try:
        handle.seek(0)
        text = handle.read(32).decode("ascii").strip()
        return int(text) if text else None
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def acquire(db_path: Path) -> InstanceLock:
    """Lock `db_path` for this process (TUI start, writing commands); see `release`."""
    return InstanceLock(db_path).acquire()


def held_here(db_path: Path) -> InstanceLock | None:
    """The lock this process already holds on `db_path`, if any."""
    return _HELD.get(_key(db_path))


@contextlib.contextmanager
def hold(db_path: Path) -> Iterator[InstanceLock]:
    """Hold the lock for a block: reuses this process's lock (an open app calling a
    restore), otherwise takes it and gives it back at the end."""
    existing = held_here(db_path)
    if existing is not None:
        yield existing
        return
    with InstanceLock(db_path) as lock:
        yield lock


def is_locked(db_path: Path) -> bool:
    """True when another process holds the lock (for a status line; racy by nature)."""
    if held_here(db_path) is not None:
        return False
    try:
        handle = FileIO(lock_path(db_path), "r")
    except OSError:
        return False
    try:
        # Exclusive, because shared locks need pywin32 on Windows; released at once.
        portalocker.lock(handle, portalocker.LockFlags.EXCLUSIVE | portalocker.LockFlags.NON_BLOCKING)
        return False
    except portalocker.LockException:
        return True
    finally:
        handle.close()
