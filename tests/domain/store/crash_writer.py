"""Child process of test_crash_kill.py (not a test): a stream of writes until killed.

Each record is one transaction (a person and its audit event together), and its id
is printed only after the commit returned: a printed id is an acknowledged write,
which must survive a SIGKILL at any later moment.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from injonctions_tui.domain.core import clock, models
from injonctions_tui.domain.store import audit, storage


def main() -> None:
    db_path, run = Path(sys.argv[1]), int(sys.argv[2])
    clock.configure_from_environment()  # the test's clock, not the system's
    db = storage.open_database(db_path, os.environ["CRASH_PASSPHRASE"])
    db.execute_sql("PRAGMA wal_autocheckpoint = 16")  # frequent checkpoints: kills land in them too
    print("pret", flush=True)
    index = 0
    while True:
        with db.atomic():
            # sizes vary so that some records span several pages (overflow pages)
            person = models.Person.create(last_name=f"R{run}N{index}", first_name="x" * (1500 if index % 4 == 3 else 8))
            audit.record("ecriture", "person", person.id, f"run={run}")  # chained (issue 15)
            models.Setting.replace(key="compteur", value=str(person.id)).execute()
        sys.stdout.write(f"{person.id}\n")
        sys.stdout.flush()
        index += 1


if __name__ == "__main__":
    main()
