#!/usr/bin/env bash
# Install pctx with its test extras and run the whole test suite plus the linters.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
# The MCP Inspector and conformance suite (npm); never fails: without npm they skip.
bash .ci/install-node-tools
.venv/bin/ruff check .
.venv/bin/ruff format --check .
status=0
.venv/bin/python -m pytest -q "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "no tests were collected: failing" >&2
    exit 1
fi
exit "$status"
