#!/usr/bin/env bash
# THE TEST COMMAND: set up (including Chromium for the browser tests and nginx for the production-stack
# test, tests/browser/test_prod_stack.py) and run every test tier.
# Extra arguments go to pytest, e.g.  ./scripts/test.sh -m "not browser"  or  ./scripts/test.sh -k smoke
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh --browser --prod

status=0
.venv/bin/python -m pytest "$@" || status=$?
if [[ $status -eq 5 ]]; then
    echo "test: ERROR: pytest collected no tests (exit 5); counting that as a failure." >&2
fi
exit "$status"
