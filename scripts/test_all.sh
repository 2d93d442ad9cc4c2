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
run_pass() {
  local name=$1 url=$2
  echo "=== $name ==="
  DATABASE_URL=$url .venv/bin/python -m pytest -q --junitxml="var/test-results/$name.xml" "${@:3}"
  local rc=$?
  [ $rc -ne 0 ] && status=1
  result[$name]=$(.venv/bin/python scripts/junit_summary.py "var/test-results/$name.xml")
}
run_pass sqlite "sqlite:///$(pwd)/var/test.sqlite3" "$@"
run_pass postgresql "${PG_URL:-postgres://postgres:postgres@127.0.0.1:5432/doorbraak}" "$@"
end=$(date +%s)
echo ""
echo "Summary ($((end - start)) s):"
echo "  SQLite:     ${result[sqlite]}"
echo "  PostgreSQL: ${result[postgresql]}"
.venv/bin/python scripts/junit_summary.py --total var/test-results/sqlite.xml var/test-results/postgresql.xml
exit $status
