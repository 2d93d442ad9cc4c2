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
# Known vulnerabilities first (a few seconds; every call has a timeout). Only a found vulnerability fails the
# run; an unreachable advisory source is a "niet gecontroleerd" line in the summary.
echo "=== dependencies ==="
rm -f var/test-results/dependencies.txt
scripts/audit_dependencies.sh || status=1
deps=$(cat var/test-results/dependencies.txt 2>/dev/null || echo "Afhankelijkheden: niet gecontroleerd (controle niet gestart)")
run_pass sqlite "sqlite:///$(pwd)/var/test.sqlite3" "$@"
run_pass postgresql "${PG_URL:-postgres://postgres:postgres@127.0.0.1:5432/doorbraak}" "$@"
end=$(date +%s)
echo ""
echo "Summary ($((end - start)) s):"
echo "  SQLite:     ${result[sqlite]}"
echo "  PostgreSQL: ${result[postgresql]}"
echo "  $deps"
.venv/bin/python scripts/junit_summary.py --total var/test-results/sqlite.xml var/test-results/postgresql.xml
exit $status
