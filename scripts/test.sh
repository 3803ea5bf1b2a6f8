#!/usr/bin/env bash
# The whole suite: everything once on the embedded backends (SQLite, local files, memory limits), then the
# backend-dependent tests again on PostgreSQL + Redis + S3 (moto server), plus the multi-process tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
eval "$(scripts/services.sh start)"
trap 'scripts/services.sh stop' EXIT
echo "== embedded backends: SQLite, local files, memory rate limits"
$PY -m pytest -q tests --ignore=tests/scale "$@"
echo "== scaled backends: PostgreSQL, Redis, S3 (moto), several processes"
DFW_TEST_BACKEND=scaled $PY -m pytest -q tests/api tests/scale "$@"
