#!/usr/bin/env bash
# Issue 15 point 5: one command for every list at 10k, 100k and 1M cases (PostgreSQL).
# For each size: builds doorbraak_bench_lists_<N> when it does not exist (bench/generate.py via
# bench/bench_case_list.py --build-only --keep; 1M takes 4 min on a quiet 2-core machine, 30+ when shared),
# migrates it when it does, then measures the case pages (bench/bench_case_list.py: p50/p95/p99 interleaved with
# the trivial view, throughput at 4 and 16 clients and its ratio to the trivial view's, queries, slowest query
# under EXPLAIN) and the other lists (bench/bench_lists.py). Markdown on stdout, JSON on stderr.
#   bench/bench_all_lists.sh                 # 10000 100000 1000000
#   bench/bench_all_lists.sh 10000 1000000   # chosen sizes
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL=${PG_URL:-postgres://postgres:postgres@127.0.0.1:5432/doorbraak}
SECONDS_PER_PHASE=${BENCH_SECONDS:-6}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
for size in "${sizes[@]}"; do
  db="doorbraak_bench_lists_${size}"
  url="${PG_URL%/*}/${db}"
  if psql "${PG_URL%/*}/postgres" -Atqc "SELECT 1 FROM pg_database WHERE datname = '${db}'" | grep -q 1; then
    echo "## ${size} cases: reusing ${db} (migrating)"
    DOORBRAAK_ENV=development DEBUG=0 DATABASE_URL="$url" $PY manage.py migrate --no-input -v0
  else
    echo "## ${size} cases: building ${db}"
    $PY bench/bench_case_list.py --size "$size" --build-only --keep --db "$db"
  fi
  echo "### case list and case pages, ${size} cases"
  $PY bench/bench_case_list.py --size "$size" --reuse --keep --db "$db" --explain --threads 4 16 --seconds "$SECONDS_PER_PHASE"
  echo "### other lists, ${size} cases"
  $PY bench/bench_lists.py --size "$size" --db "$db" --explain --seconds "$((SECONDS_PER_PHASE / 2))"
done
