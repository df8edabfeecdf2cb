#!/usr/bin/env bash
# THE PRODUCTION STACK, LOCALLY: nginx (HTTPS + secure WebSockets, self-signed certificate) in front of
# several replicas of the atlas, in the foreground, without systemd (docs/deploy.md).
#
#   ./scripts/serve-prod.sh                     https://127.0.0.1:8443/  (kiosk /kiosk/, editor /editor/)
#   ./scripts/serve-prod.sh --public 3 --kiosk 0 --editor 1     other replica counts (default deploy/stack.toml)
#   ./scripts/serve-prod.sh --https-port 9443 --http-port 9080 --base-port 9501
#   ATLAS_RUN_DIR=/path ./scripts/serve-prod.sh  keep the run directory (certificate, editor password)
#   ./scripts/serve-prod.sh --no-setup          skip scripts/setup.sh (an installed machine without network)
#
# Sets up (with --prod: installs Debian's nginx and openssl if missing), builds the database if it is
# missing or outdated, writes the run directory (certificate, proxy secret, editor password file,
# nginx.conf checked with `nginx -t`), then starts the replicas on 127.0.0.1 and nginx, restarting a
# replica that dies. The editor's password is printed once. Ctrl+C stops everything.
set -euo pipefail

for var in ATLAS_DB ATLAS_DATA_DIR ATLAS_RUN_DIR; do
    if [[ -n "${!var:-}" && "${!var}" != /* ]]; then
        export "$var=$PWD/${!var}"
    fi
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."

setup=1
args=()
for arg in "$@"; do
    case "$arg" in
        --no-setup) setup=0 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) args+=("$arg") ;;
    esac
done

if (( setup )); then
    bash scripts/setup.sh --prod
fi

PY=.venv/bin/python
[[ -x "$PY" ]] || { echo "serve-prod: ERROR: $PY not found; run scripts/setup.sh --prod first" >&2; exit 1; }
[[ -x /usr/sbin/nginx ]] || { echo "serve-prod: ERROR: nginx is not installed; run scripts/setup.sh --prod" >&2; exit 1; }
db="$("$PY" -c 'from atlas.config import db_path; print(db_path())')"
reason="$("$PY" -c 'from atlas.db import build_reason; print(build_reason() or "")')"
if [[ -n "$reason" ]]; then
    echo "serve-prod: $reason"
    echo "serve-prod: building the database (python -m atlas build)"
    "$PY" -m atlas build || { echo "serve-prod: ERROR: the database build failed (see above); nothing was started." >&2; exit 1; }
fi
export ATLAS_DB="$db"

run_dir="${ATLAS_RUN_DIR:-}"
cleanup=0
if [[ -z "$run_dir" ]]; then
    run_dir="$(mktemp -d "${TMPDIR:-/tmp}/atlas-prod.XXXXXX")"
    cleanup=1
fi
echo "serve-prod: database $db"
# The supervisor runs as a child so that the temporary run directory is removed after it; Ctrl+C and
# SIGTERM are passed on to it (it stops nginx and the replicas, then exits).
status=0
"$PY" -m atlas.deploy serve --run-dir "$run_dir" "${args[@]}" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true' INT TERM
while kill -0 "$pid" 2>/dev/null; do
    wait "$pid" || status=$?
done
trap - INT TERM
if (( cleanup )); then
    rm -rf -- "$run_dir"
fi
exit "$status"
