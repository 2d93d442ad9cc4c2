#!/usr/bin/env bash
# Known vulnerabilities in the pinned Python and npm dependencies (pip-audit, npm audit); see
# scripts/audit_dependencies.py. Exit 1 only for a known vulnerability; an unreachable advisory source is
# reported as "Afhankelijkheden: niet gecontroleerd (...)" in var/test-results/dependencies.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python scripts/audit_dependencies.py "$@"
