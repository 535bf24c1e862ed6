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

python3 -m pip install -q --disable-pip-version-check -e ".[test]"
exec python3 -m pytest -q "$@"
