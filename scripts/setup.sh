#!/usr/bin/env bash
# Create (or reuse) .venv and install pctx into it; with "test", the test extras too.
# Used by scripts/demo.sh and scripts/test.sh. Needs only Python 3.11+ and PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "pctx needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
extras=""
[ "${1:-}" = "test" ] && extras="[test]"
log=.venv/pip-install.log
if ! { .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip &&
       .venv/bin/python -m pip install --disable-pip-version-check -e ".${extras}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "setup failed: see the pip output above" >&2
    exit 1
fi
echo "pctx installed in .venv ($(.venv/bin/pctx --version))" >&2
