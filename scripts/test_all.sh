#!/usr/bin/env bash
# Runs the whole suite twice: on SQLite and on PostgreSQL (PG_URL), and prints one summary.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/test-results
export DOORBRAAK_ENV=test
unset DEMO DEBUG
start=$(date +%s)
status=0
declare -A result
# The two passes run at the same time (CI has 2 cores; one pass is mostly one Python process), each with its own
# access-log checkpoint file, private-files folder and log; TEST_PASSES=serial runs them one after the other.
run_pass() {
  local name=$1 url=$2
  DATABASE_URL=$url ACCESS_LOG_CHECKPOINT_FILE="$(pwd)/var/test-$name-checkpoints.jsonl" \
    PRIVATE_FILES_ROOT="$(pwd)/var/test-private-$name" \
    .venv/bin/python -m pytest -q --basetemp="/tmp/doorbraak-pytest-$name" --junitxml="var/test-results/$name.xml" "${@:3}" \
    >"var/test-results/$name.log" 2>&1
}
# Known vulnerabilities first (a few seconds; every call has a timeout). Only a found vulnerability fails the
# run; an unreachable advisory source is a "niet gecontroleerd" line in the summary.
echo "=== dependencies ==="
rm -f var/test-results/dependencies.txt
scripts/audit_dependencies.sh || status=1
deps=$(cat var/test-results/dependencies.txt 2>/dev/null || echo "Afhankelijkheden: niet gecontroleerd (controle niet gestart)")
pg_url="${PG_URL:-postgres://postgres:postgres@127.0.0.1:5432/doorbraak}"
sqlite_url="sqlite:///$(pwd)/var/test.sqlite3"
echo "=== sqlite and postgresql (logs: var/test-results/sqlite.log, postgresql.log) ==="
if [ "${TEST_PASSES:-parallel}" = serial ]; then
  run_pass sqlite "$sqlite_url" "$@"; rc_sqlite=$?
  run_pass postgresql "$pg_url" "$@"; rc_pg=$?
else
  run_pass sqlite "$sqlite_url" "$@" & pid_sqlite=$!
  run_pass postgresql "$pg_url" "$@" & pid_pg=$!
  # a line of progress every minute, so CI sees the run is alive
  while kill -0 $pid_sqlite 2>/dev/null || kill -0 $pid_pg 2>/dev/null; do
    sleep 60
    echo "  $(( $(date +%s) - start )) s: sqlite $(tail -c 120 var/test-results/sqlite.log | tr -d '\n' | tail -c 60)"
    echo "  $(( $(date +%s) - start )) s: postgresql $(tail -c 120 var/test-results/postgresql.log | tr -d '\n' | tail -c 60)"
  done
  wait $pid_sqlite; rc_sqlite=$?
  wait $pid_pg; rc_pg=$?
fi
for name in sqlite postgresql; do
  echo ""
  echo "=== $name ==="
  cat "var/test-results/$name.log"
  result[$name]=$(.venv/bin/python scripts/junit_summary.py "var/test-results/$name.xml")
done
[ $rc_sqlite -ne 0 ] && status=1
[ $rc_pg -ne 0 ] && status=1
end=$(date +%s)
echo ""
echo "Summary ($((end - start)) s):"
echo "  SQLite:     ${result[sqlite]}"
echo "  PostgreSQL: ${result[postgresql]}"
echo "  $deps"
.venv/bin/python scripts/junit_summary.py --total var/test-results/sqlite.xml var/test-results/postgresql.xml
exit $status
