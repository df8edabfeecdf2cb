#!/usr/bin/env bash
# Set up the development environment. Idempotent and fast when nothing changed.
#
#   scripts/setup.sh             .venv (Python 3.11) + pinned requirements + message catalogues (.mo)
#                                + npm packages (map assets)
#   scripts/setup.sh --browser   also make sure Debian's Chromium (browser tests) and poppler-utils
#                                (pdftoppm: the export tests render PDF pages) are installed
#   scripts/setup.sh --prod      also make sure Debian's nginx (the reverse proxy of the production
#                                stack, scripts/serve-prod.sh, docs/deploy.md) and openssl are installed
#
# Stamps: .venv/.requirements.sha256 and node_modules/.package-lock.sha256 hold the checksum of
# the file last installed; the install runs again only when that file changes. The map's
# front-end files are copied from node_modules/ into static/vendor/ (scripts/vendor_assets.py)
# when static/vendor/.stamp does not match package-lock.json and that script.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

want_browser=0
want_prod=0
for arg in "$@"; do
    case "$arg" in
        --browser) want_browser=1 ;;
        --prod) want_prod=1 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) die "unknown option '$arg' (known: --browser, --prod)" ;;
    esac
done

# --- Python virtual environment -------------------------------------------------------------
VENV=.venv
PY="$VENV/bin/python"
if [[ ! -x "$PY" ]] || ! "$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
    command -v python3.11 >/dev/null 2>&1 \
        || die "python3.11 not found on PATH. Install Python 3.11 (e.g. 'apt-get install -y python3.11 python3.11-venv') and run this again."
    say "creating $VENV with $(python3.11 --version 2>&1)"
    rm -rf "$VENV"
    python3.11 -m venv "$VENV" || die "'python3.11 -m venv $VENV' failed (on Debian: apt-get install -y python3.11-venv)"
fi

REQ_STAMP="$VENV/.requirements.sha256"
req_sum="$(sha256sum requirements.txt | cut -d' ' -f1)"
if [[ "$(cat "$REQ_STAMP" 2>/dev/null || true)" != "$req_sum" ]]; then
    say "installing requirements.txt into $VENV (pinned; takes ~30 s the first time)"
    "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$PY" -m pip install --quiet --disable-pip-version-check -r requirements.txt
    printf '%s\n' "$req_sum" > "$REQ_STAMP"
else
    say "requirements up to date"
fi

# --- Message catalogues (gettext) ------------------------------------------------------------
# atlas/locale/<lang>/LC_MESSAGES/atlas.po → atlas.mo, every time (a fraction of a second); the .mo
# files are not committed.
"$PY" scripts/messages.py compile >/dev/null || die "compiling the message catalogues failed (see above)"
say "message catalogues compiled ($(grep -v '^#' atlas/locale/LINGUAS | xargs))"

# --- Front-end packages (npm) ---------------------------------------------------------------
# Hook for offline map assets: package.json / package-lock.json pin them, `npm ci` installs them.
if [[ -f package.json ]]; then
    command -v npm >/dev/null 2>&1 || die "package.json exists but npm is not installed (apt-get install -y npm)"
    [[ -f package-lock.json ]] || die "package.json exists but package-lock.json does not; run 'npm install' once and commit the lock file"
    NPM_STAMP=node_modules/.package-lock.sha256
    lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
    if [[ ! -d node_modules || "$(cat "$NPM_STAMP" 2>/dev/null || true)" != "$lock_sum" ]]; then
        say "installing npm packages (npm ci)"
        # --ignore-scripts: these packages are plain files; no install script needs to run.
        npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
        mkdir -p node_modules  # npm ci creates none when there are no dependencies
        printf '%s\n' "$lock_sum" > "$NPM_STAMP"
    else
        say "npm packages up to date"
    fi

    # Map assets: node_modules -> static/vendor (served at /app/static/vendor/, see
    # app_support/chrome/offline_map.py). Runs again when the lock file or the script changes.
    VENDOR_STAMP=static/vendor/.stamp
    script_sum="$(sha256sum scripts/vendor_assets.py | cut -d' ' -f1)"
    want_stamp="$(printf 'package-lock.json %s\nvendor_assets.py %s' "$lock_sum" "$script_sum")"
    if [[ "$(cat "$VENDOR_STAMP" 2>/dev/null || true)" != "$want_stamp" ]]; then
        say "copying map assets into static/vendor"
        "$PY" scripts/vendor_assets.py || die "scripts/vendor_assets.py failed (see above)"
    else
        say "map assets up to date (static/vendor)"
    fi
fi

# --- Browser for the browser tests, PDF rasteriser for the export tests ----------------------
# Debian's Chromium, driven by Playwright via executable_path. Never `playwright install`.
# poppler-utils: pdftoppm turns exported PDF pages into images (tests/test_export_pdf_pages.py).
if (( want_browser )); then
    missing=()
    [[ -x /usr/bin/chromium ]] || missing+=(chromium)
    command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
    dpkg-query -W -f='${Status}' fonts-dejavu-core 2>/dev/null | grep -q 'install ok installed' \
        || missing+=(fonts-dejavu-core)
    if (( ${#missing[@]} )); then
        if [[ "$(id -u)" -ne 0 ]]; then
            die "missing Debian packages: ${missing[*]}. Run as root: apt-get update && apt-get install -y ${missing[*]}"
        fi
        say "installing ${missing[*]} with apt-get (waits for a running apt/dpkg to finish)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get -o DPkg::Lock::Timeout=600 update -qq
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
        [[ -x /usr/bin/chromium ]] || die "apt-get finished but /usr/bin/chromium is still missing"
        command -v pdftoppm >/dev/null 2>&1 || die "apt-get finished but pdftoppm (poppler-utils) is still missing"
    else
        say "chromium present (/usr/bin/chromium), pdftoppm present"
    fi
fi

# --- Reverse proxy for the production stack (scripts/serve-prod.sh, tests/browser/test_prod_stack.py) --
# Debian's nginx and openssl (the self-signed certificate of the local stack). On a machine where
# services start on install, Debian starts its own nginx on port 80 with its default site; the atlas
# never uses that instance (serve-prod.sh runs nginx with its own configuration on 127.0.0.1 high
# ports). `systemctl disable --now nginx` stops it if it is not wanted (docs/deploy.md).
if (( want_prod )); then
    missing=()
    [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
    command -v openssl >/dev/null 2>&1 || missing+=(openssl)
    if (( ${#missing[@]} )); then
        if [[ "$(id -u)" -ne 0 ]]; then
            die "missing Debian packages: ${missing[*]}. Run as root: apt-get update && apt-get install -y ${missing[*]}"
        fi
        say "installing ${missing[*]} with apt-get (waits for a running apt/dpkg to finish)"
        apt-get -o DPkg::Lock::Timeout=600 update -qq
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
        [[ -x /usr/sbin/nginx ]] || die "apt-get finished but /usr/sbin/nginx is still missing"
    else
        say "nginx present (/usr/sbin/nginx), openssl present"
    fi
fi

say "done"
