#!/usr/bin/env bash
# `make run`: gunicorn (gunicorn.conf.py) plus one task worker and the scheduler, all stopped by Ctrl-C.
# The worker is `manage.py db_worker` (django-tasks-db); it starts only when that command exists.
# Environment: whatever `make run` passes (DEMO=1 DEBUG=0); GUNICORN_WORKERS defaults to 2 here.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${RUN_PYTHON:-.venv/bin/python}  # (tests put a stand-in here)
mkdir -p var/staticfiles
export GUNICORN_WORKERS="${GUNICORN_WORKERS:-2}"

pids=()
stop() {
  trap - INT TERM EXIT
  echo ""
  echo "Stoppen..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null
  exit 0
}
trap stop INT TERM EXIT

.venv/bin/gunicorn -c gunicorn.conf.py &
pids+=($!)
if $PY manage.py help db_worker >/dev/null 2>&1; then
  $PY manage.py db_worker &
  pids+=($!)
  echo "Taakverwerker (db_worker) gestart."
  # Periodic jobs (doorbraak/schedule.py: access-log checkpoint, nightly refresh, purges): one scheduler.
  $PY manage.py run_scheduler &
  pids+=($!)
  echo "Planner (run_scheduler) gestart."
else
  echo "Geen taakverwerker: manage.py db_worker bestaat (nog) niet."
fi
# Stop everything as soon as one of the processes ends by itself.
wait -n
stop
