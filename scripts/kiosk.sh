#!/usr/bin/env bash
# THE KIOSK COMMAND: set up, build the database if it is missing or outdated, check the playlist, and
# serve the atlas in kiosk configuration on 127.0.0.1 (README "Kiosk setup").
#
#   ./scripts/kiosk.sh                 http://127.0.0.1:8501/ (the kiosk is the only page, also at /kiosk)
#   PORT=8600 ./scripts/kiosk.sh       another port
#   ATLAS_KIOSK_PLAYLIST=my.toml ./scripts/kiosk.sh    another playlist (default kiosk/playlist.toml)
#   ATLAS_KIOSK_IDLE_S=90 ./scripts/kiosk.sh           idle reset after 90 s (overrides the playlist)
#   ./scripts/kiosk.sh --check         only check the playlist against the database (exit 1 on a problem)
#   ./scripts/kiosk.sh --no-setup      skip scripts/setup.sh (an installed machine without network)
#
# Kiosk configuration: ATLAS_KIOSK=1 (only the kiosk page exists; no navigation to other pages), no
# toolbar or main menu, no error details, no data export, no file watching or reruns on save.
set -euo pipefail

for var in ATLAS_DB ATLAS_DATA_DIR ATLAS_KIOSK_PLAYLIST; do
    if [[ -n "${!var:-}" && "${!var}" != /* ]]; then
        export "$var=$PWD/${!var}"
    fi
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."

setup=1
check_only=0
for arg in "$@"; do
    case "$arg" in
        --no-setup) setup=0 ;;
        --check) check_only=1 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "kiosk: ERROR: unknown option '$arg' (known: --check, --no-setup)" >&2; exit 2 ;;
    esac
done

if (( setup )); then
    bash scripts/setup.sh
fi

PY=.venv/bin/python
[[ -x "$PY" ]] || { echo "kiosk: ERROR: $PY not found; run scripts/setup.sh first" >&2; exit 1; }
db="$("$PY" -c 'from atlas.config import db_path; print(db_path())')"
# Build when the database is missing or was made by another version of the atlas (imports are kept).
reason="$("$PY" -c 'from atlas.db import build_reason; print(build_reason() or "")')"
if [[ -n "$reason" ]]; then
    echo "kiosk: $reason"
    echo "kiosk: building the database (python -m atlas build)"
    if ! "$PY" -m atlas build; then
        echo "kiosk: ERROR: the database build failed (see the message above); the kiosk was not started." >&2
        exit 1
    fi
    [[ -f "$db" ]] || { echo "kiosk: ERROR: the build finished but $db does not exist." >&2; exit 1; }
fi

# The playlist is checked here for the operator; a bad entry is left out (and named on the screen's
# bottom line), it never stops the kiosk.
if (( check_only )); then
    exec "$PY" -m atlas.kiosk check
fi
"$PY" -m atlas.kiosk check || echo "kiosk: the playlist has problems (above); the kiosk starts without those stories"

port="${PORT:-8501}"
export ATLAS_KIOSK=1
echo "kiosk: database $db"
echo "kiosk: serving the kiosk at http://127.0.0.1:${port}/  (Ctrl+C stops it)"
# Prepare the first story once the server answers (app_support/server/warmup.py); the kiosk has one page.
export ATLAS_WARMUP="${ATLAS_WARMUP-}"
exec "$PY" -m app_support.server.serve atlas_app.py \
    --server.address 127.0.0.1 \
    --server.port "$port" \
    --server.headless true \
    --server.fileWatcherType none \
    --server.runOnSave false \
    --browser.gatherUsageStats false \
    --client.toolbarMode minimal \
    --client.showErrorDetails none \
    --client.showSidebarNavigation false \
    --client.disableDataExport true \
    --server.maxUploadSize 1
