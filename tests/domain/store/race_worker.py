"""Child process of test_race.py (not a test): reads (with their audit event) or writes in a
loop on one open base until its deadline; prints one line per outcome: ok, or the French
message. After a failure it opens the base again, as the next command of a script would."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from injonctions_tui.domain.core import clock, models
from injonctions_tui.domain.core.errors import InjonctionsError
from injonctions_tui.domain.store import audit, storage


def _operation(db: object, role: str) -> None:
    if role == "lecteur":
        models.Person.select().count()
        audit.record("consultation_agenda")
    else:
        with db.atomic():  # type: ignore[attr-defined]
            person = models.Person.create(last_name="Course", first_name="x")
            audit.record("creation_dossier", "person", person.id)


def main() -> None:
    db_path, role, seconds = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    clock.configure_from_environment()
    deadline = time.monotonic() + seconds
    db = None
    while time.monotonic() < deadline:
        try:
            if db is None:
                db = storage.open_database(db_path, os.environ["RACE_PASSPHRASE"])
            _operation(db, role)
            print("ok", flush=True)
            continue
        except InjonctionsError as error:
            print(error.message.replace("\n", " "), flush=True)
        except Exception as error:  # noqa: BLE001 - reported, counted by the test
            explained = storage.explain_database_error(error, db_path)
            print(explained.message if explained else f"inattendu {type(error).__name__}: {error}", flush=True)
        if db is not None:
            db.close()
            db = None
        time.sleep(0.05)


if __name__ == "__main__":
    main()
