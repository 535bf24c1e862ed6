#!/usr/bin/env bash
# The test command (README, .ci/run): installs what the tests need on a fresh
# machine, then runs them. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)   # the HTML report's browser test
# the client matrix (tests/test_clients.py): returns re-saved by other word processors
command -v abiword >/dev/null 2>&1 || missing+=(abiword)
command -v pandoc >/dev/null 2>&1 || missing+=(pandoc)
command -v calligraconverter >/dev/null 2>&1 || missing+=(calligrawords)
if ! command -v fc-list >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi laksaman; then
  # Laksaman is TLWG's metric-compatible free version of TH SarabunPSK.
  missing+=(fonts-tlwg-laksaman fonts-thai-tlwg fontconfig)
fi
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list 'DejaVu Sans' 2>/dev/null)" ]; then
  # The font preview draws Wingdings boxes, ticks and bullets in (formkit/office/symbols.py).
  missing+=(fonts-dejavu-core fontconfig)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# -- the season app (formkit serve): chromium-driver for the browser tests, a
# throw-away PostgreSQL cluster for the store tests, axe-core from npm (into
# .cache/npm, git-ignored) for the accessibility checks.
season_missing=()
command -v chromedriver >/dev/null 2>&1 || season_missing+=(chromium-driver)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || season_missing+=(postgresql)
command -v npm >/dev/null 2>&1 || season_missing+=(npm)
if [ ${#season_missing[@]} -gt 0 ]; then
  echo "installing: ${season_missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${season_missing[@]}" >/dev/null
fi
if [ ! -f .cache/npm/node_modules/axe-core/axe.min.js ]; then
  mkdir -p .cache/npm
  npm install --silent --no-audit --no-fund --prefix .cache/npm axe-core@4 >/dev/null
fi
export FORMKIT_AXE_JS="$PWD/.cache/npm/node_modules/axe-core/axe.min.js"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
pg_dir=$(mktemp -d)
pg_user=postgres; id -u postgres >/dev/null 2>&1 || pg_user=$(id -un)
chown "$pg_user" "$pg_dir" 2>/dev/null || true
as_pg() { if [ "$(id -u)" -eq 0 ] && [ "$pg_user" != root ]; then (cd / && runuser -u "$pg_user" -- "$@"); else "$@"; fi; }
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -o "-k $pg_dir -p 54329 -c listen_addresses=''" -l "$pg_dir/log" -w start >/dev/null
stop_pg() { as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"; }
trap stop_pg EXIT
export FORMKIT_TEST_POSTGRES="postgresql+psycopg://postgres@/postgres?host=$pg_dir&port=54329"

python3 -m pip install -q --disable-pip-version-check -e ".[test]"
python3 -m pytest -q "$@"
