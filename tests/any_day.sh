#!/usr/bin/env bash
# The whole suite with the system clock of the test process moved to the days that break
# date code (pytest --today, time-machine, ticking). Each run must be green: no test, and
# nothing in the app, may read the system clock behind the app's own clock.
# Usage: bash tests/any_day.sh [extra pytest arguments]   (about 5 × the suite's time)
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=${PYTEST:-.venv/bin/pytest}
MOMENTS=(
  "2028-12-31 10:00"  # Sunday 31 December: a year ends
  "2028-02-29 10:00"  # Tuesday 29 February
  "2031-07-14 10:00"  # Monday 14 July: a public holiday on the minors' permanence day
  "2027-11-11 10:00"  # Thursday 11 November: a public holiday on the adults' permanence day
  "2026-12-31 23:59:30"  # Thursday 31 December: the date and the year change during the run
)
failed=0
for moment in "${MOMENTS[@]}"; do
  echo "=== horloge système au ${moment}"
  if "$PYTEST" -q -p no:cacheprovider --today "$moment" "$@"; then
    echo "=== ${moment} : réussi"
  else
    echo "=== ${moment} : ÉCHEC"
    failed=1
  fi
done
exit "$failed"
