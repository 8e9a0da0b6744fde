#!/usr/bin/env bash
# Run every test of the book: package, formulas, a clean strict build, browser and Binder tests.
# Installs what the build and tests need first (Python packages, Debian's nodejs and chromium), so
# it works on a fresh Debian machine with Python 3.11; without root it stops and says what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== installing Python requirements"
python3 -m pip install --quiet --disable-pip-version-check -r requirements.txt -r tests/requirements.txt

# The build renders the maths with KaTeX on Node.js (book/_ext/mlcalc_katex.py).
if ! command -v node >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo "== installing Debian's nodejs for the build (KaTeX renders the maths)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >/dev/null
  else
    echo "The build needs Node.js (KaTeX renders the maths): run 'sudo apt-get update && sudo apt-get install -y nodejs'" >&2
    exit 1
  fi
fi

if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ] && [ -z "${MLCALC_CHROMIUM:-}" ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "== installing Debian's chromium for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Chromium: run 'sudo apt-get update && sudo apt-get install -y chromium'" >&2
    exit 1
  fi
fi

echo "== running the tests"
exec python3 -m pytest tests "$@"
