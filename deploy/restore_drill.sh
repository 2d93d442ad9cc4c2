#!/usr/bin/env bash
# Restore drill (docs/deployment.md, "Backup and restore"): prove that last night's kind of backup restores.
#
#   deploy/restore_drill.sh [SOURCE_URL]
#
# 1. pg_dump -Fc of SOURCE_URL (default: $DATABASE_OWNER_URL or $DATABASE_URL) to $DRILL_DIR (default var/drill);
#    or, with DUMP_FILE=/path/x.dump, use an existing backup instead of making one.
# 2. pg_restore into a new scratch database <name>_drill_<timestamp> on the same server (no owner, no grants:
#    the drill user owns the copy; the access log's guard triggers come along with the schema).
# 3. manage.py verify_access_log against the copy, with the same keys as the application (run this script with
#    the application's environment: ACCESS_LOG_KEYS, checkpoint public key). With the checkpoint file when it is
#    readable (ACCESS_LOG_CHECKPOINT_FILE), else --no-checkpoints (set DRILL_CHECKPOINTS=0 to force that).
# 4. Row counts of every table in the source and in the copy; the copy may not have more rows than the source
#    and no table the source has rows in may be empty. (The source keeps changing in production: there, counts
#    that are a little lower in the copy are writes after the dump.)
# 5. The scratch database is dropped (KEEP=1 keeps it). Exit 0 only when every step passed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
SOURCE_URL=${1:-${DATABASE_OWNER_URL:-${DATABASE_URL:-}}}
[[ "$SOURCE_URL" == postgres* ]] || { echo "Geef een PostgreSQL-URL (postgres://...) als bron." >&2; exit 2; }
DRILL_DIR=${DRILL_DIR:-var/drill}
mkdir -p "$DRILL_DIR"
stamp=$(date -u +%Y%m%d%H%M%S)
base_url=${SOURCE_URL%/*}
source_db=${SOURCE_URL##*/}; source_db=${source_db%%\?*}
scratch_db="${source_db}_drill_${stamp}"
scratch_url="${base_url}/${scratch_db}"
failed=0
started=$(date +%s)

cleanup() {
  if [[ "${KEEP:-0}" != 1 ]]; then
    dropdb --if-exists --dbname="${base_url}/postgres" "$scratch_db" 2>/dev/null || \
      psql -q "${base_url}/postgres" -c "DROP DATABASE IF EXISTS \"$scratch_db\"" >/dev/null 2>&1 || true
  else
    echo "Kopie bewaard: $scratch_url"
  fi
}
trap cleanup EXIT

if [[ -n "${DUMP_FILE:-}" ]]; then
  dump=$DUMP_FILE
  echo "1. Bestaande back-up: $dump"
else
  dump="$DRILL_DIR/${source_db}_${stamp}.dump"
  echo "1. pg_dump van $source_db naar $dump"
  pg_dump --format=custom --no-password --file="$dump" "$SOURCE_URL"
fi
echo "   $(du -h "$dump" | cut -f1)"

echo "2. Terugzetten in $scratch_db"
psql -q -v ON_ERROR_STOP=1 "${base_url}/postgres" -c "CREATE DATABASE \"$scratch_db\""
pg_restore --no-owner --no-acl --exit-on-error --dbname="$scratch_url" "$dump"

echo "3. verify_access_log op de kopie"
verify_args=()
if [[ "${DRILL_CHECKPOINTS:-1}" == 0 || ! -r "${ACCESS_LOG_CHECKPOINT_FILE:-/nonexistent}" ]]; then
  verify_args=(--no-checkpoints)
fi
if DATABASE_URL="$scratch_url" DATABASE_OWNER_URL="" "$PY" manage.py verify_access_log "${verify_args[@]}"; then
  echo "   toegangslog: intact"
else
  echo "   toegangslog: NIET intact" >&2
  failed=1
fi

echo "4. Rijen per tabel (bron / kopie)"
count_sql="SELECT string_agg(format('%s=%s', t.tablename,
  (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', t.schemaname, t.tablename),
   false, true, '')))[1]::text), ' ' ORDER BY t.tablename) FROM pg_tables t WHERE t.schemaname = 'public'"
declare -A src_counts
for pair in $(psql -At "$SOURCE_URL" -c "$count_sql"); do src_counts[${pair%%=*}]=${pair#*=}; done
tables=0; rows=0
for pair in $(psql -At "$scratch_url" -c "$count_sql"); do
  table=${pair%%=*}; copy=${pair#*=}; src=${src_counts[$table]:-missing}
  tables=$((tables + 1)); rows=$((rows + copy))
  if [[ "$src" == missing ]]; then echo "   $table: niet in de bron" >&2; failed=1; continue; fi
  if (( copy > src )) || { (( src > 0 )) && (( copy == 0 )); }; then
    echo "   $table: bron $src, kopie $copy  <- AFWIJKING" >&2; failed=1
  elif (( copy != src )); then
    echo "   $table: bron $src, kopie $copy (schrijfacties na de dump)"
  fi
  unset "src_counts[$table]"
done
for table in "${!src_counts[@]}"; do echo "   $table: ontbreekt in de kopie" >&2; failed=1; done
echo "   $tables tabellen, $rows rijen in de kopie"
echo "   access log: $(psql -At "$scratch_url" -c 'SELECT count(*) FROM core_accessevent') gebeurtenissen"

elapsed=$(( $(date +%s) - started ))
if (( failed )); then
  echo "Hersteloefening MISLUKT (${elapsed} s)." >&2
  exit 1
fi
echo "Hersteloefening geslaagd in ${elapsed} s: back-up terug te zetten, toegangslog intact, rijen kloppen."
