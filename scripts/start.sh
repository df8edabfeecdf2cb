#!/usr/bin/env bash
# THE RUN COMMAND: set up, build the database if it is missing or outdated, start the app.
#
#   ./scripts/start.sh            http://127.0.0.1:8501
#   PORT=8600 ./scripts/start.sh  another port
#   ATLAS_DB=/path/to/atlas.duckdb ./scripts/start.sh   another database
#   ./scripts/start.sh --editor   the editor: adds the "Veri yönetimi / Data management" page (ATLAS_EDITOR=1);
#                                 sign-in by the proxy (ATLAS_PROXY_SECRET_FILE) or by a password whose hash
#                                 is in ATLAS_EDITOR_PASSWORD_HASH (`python -m atlas.workbench hash-password`)
#
# No page ever shows a traceback (--client.showErrorDetails none, as in .streamlit/config.toml), and tables
# offer no built-in CSV download (it writes cells starting with = + - @ raw: a formula in Excel); the
# atlas's own downloads neutralise them (atlas/views/spreadsheet.py).
set -euo pipefail

# --editor is the only switch that makes an editor; without it the page is never there.
editor=0
for arg in "$@"; do
    case "$arg" in
        --editor) editor=1 ;;
        *) echo "start: unknown option '${arg:0:40}'; allowed: --editor" >&2; exit 2 ;;
    esac
done
upload_mb=1
if [[ "$editor" == 1 ]]; then
    export ATLAS_EDITOR=1
    upload_mb=50  # the import's own limit (atlas/importing/limits.py) is checked after the upload
else
    unset ATLAS_EDITOR
fi

# Relative ATLAS_DB / ATLAS_DATA_DIR mean relative to where the command was typed.
for var in ATLAS_DB ATLAS_DATA_DIR; do
    if [[ -n "${!var:-}" && "${!var}" != /* ]]; then
        export "$var=$PWD/${!var}"
    fi
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh

PY=.venv/bin/python
# The database path as the atlas resolves it (ATLAS_DB, else geodata/atlas.duckdb).
db="$("$PY" -c 'from atlas.config import db_path; print(db_path())')"
# Build when the database is missing or was made by another version of the atlas (imports are kept).
reason="$("$PY" -c 'from atlas.db import build_reason; print(build_reason() or "")')"
if [[ -n "$reason" ]]; then
    echo "start: $reason"
    echo "start: building the database (python -m atlas build)"
    if ! "$PY" -m atlas build; then
        echo "start: ERROR: the database build failed (see the message above); the app was not started." >&2
        exit 1
    fi
    [[ -f "$db" ]] || { echo "start: ERROR: the build finished but $db does not exist." >&2; exit 1; }
fi

port="${PORT:-8501}"
echo "start: database $db"
[[ "$editor" == 1 ]] && echo "start: editor: the Data management page is on (sign in on that page)"
echo "start: serving the atlas at http://127.0.0.1:${port}  (Ctrl+C stops it)"
exec .venv/bin/python -m app_support.server.serve atlas_app.py \
    --server.address 127.0.0.1 \
    --server.port "$port" \
    --server.headless true \
    --browser.gatherUsageStats false \
    --client.showErrorDetails none \
    --client.disableDataExport true \
    --server.maxUploadSize "$upload_mb"
