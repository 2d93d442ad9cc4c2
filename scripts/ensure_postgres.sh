#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 for the test pass (PG_URL).
# Uses the running one; otherwise starts Debian's cluster, installing postgresql when missing.
# The test pass connects as the superuser postgres (one URL). Production uses two roles: the owner runs
# `migrate`, then `manage.py setup_database_roles --app-role doorbraak_app` creates/updates the application
# role the app connects as (not the owner, cannot disable the access log's triggers); see
# docs/security.md. The role tests create their own role (doorbraak_audit_test_app).
set -euo pipefail
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then exit 0; fi
echo "No PostgreSQL on 127.0.0.1:5432: starting one."
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
$SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
# The test URL uses postgres/postgres; set that password (trust setups ignore it).
$SUDO -u postgres psql -q -c "ALTER USER postgres PASSWORD 'postgres'" >/dev/null 2>&1 || \
  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
pg_isready -h 127.0.0.1 -p 5432
