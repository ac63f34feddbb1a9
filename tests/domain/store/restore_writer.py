"""Child process of test_restore_kill.py (not a test): a restore that stops at a chosen step.

It prints each step of `backup.restore` as it reaches it; at the chosen one it prints
"arret" and waits to be killed (SIGKILL), so every step of the swap gets its kill.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from injonctions_tui.domain.core import clock
from injonctions_tui.domain.store import backup


def main() -> None:
    db_path, backup_path, stop_at = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    clock.configure_from_environment()

    def hook(step: str) -> None:
        print(step, flush=True)
        if step == stop_at:
            print("arret", flush=True)
            time.sleep(600)

    backup.STEP_HOOK = hook
    backup.restore(backup_path, db_path, os.environ["CRASH_PASSPHRASE"])
    print("fini", flush=True)


if __name__ == "__main__":
    main()
