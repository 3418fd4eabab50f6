#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run it.
#   bash scripts/test.sh            # whole suite (unit, pages, PostgreSQL, browser) on the
#                                   # embedded SQLite store, then every test that uses the
#                                   # suite's stores again on the PostgreSQL server
#   bash scripts/test.sh -k maps    # extra arguments go to pytest (both passes)
#   HOTSPOT_TEST_STORES=sqlite bash scripts/test.sh   # one pass only (sqlite or postgresql)
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Chromium for the browser tests (Debian's build; Playwright's own download is not used).
command -v "${CHROMIUM_PATH:-/usr/bin/chromium}" >/dev/null 2>&1 || apt_install chromium

# LibreOffice and Poppler render the reports and slides to PDF and PNG in the tests; Liberation
# fonts stand in for Times New Roman (metric-compatible, with Vietnamese) there.
missing=""
command -v soffice >/dev/null 2>&1 || missing="libreoffice-writer-nogui libreoffice-impress-nogui"
command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
fc-list 2>/dev/null | grep -q "Liberation Serif" || missing="$missing fonts-liberation2"
[ -z "$missing" ] || apt_install $missing

# PostgreSQL for the store tests (the app's default store is SQLite).
if ! command -v pg_isready >/dev/null 2>&1; then
  apt_install postgresql
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if [ -z "${HOTSPOT_TEST_PG_ADMIN_URL:-}" ] && ! psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
  # A stock install asks for a password: give the postgres role one for the tests.
  as_root su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\""
  export HOTSPOT_TEST_PG_ADMIN_URL="postgresql+psycopg://postgres:postgres@127.0.0.1:5432/postgres"
fi

python3 -m pip install -q --disable-pip-version-check -r requirements-dev.txt
python3 -m ruff check .
# The first pass runs every test; the next ones run again every test that uses the suite's
# stores (the others do not depend on the kind of store: tests/conftest.py, uses_the_test_store).
# Two test processes share the work (HOTSPOT_TEST_WORKERS; 0 runs in one), the browser tests
# one after another in one of them.
workers=(-n "${HOTSPOT_TEST_WORKERS:-2}" --dist loadgroup)
first=1
for kind in ${HOTSPOT_TEST_STORES:-sqlite postgresql}; do
  if [ -n "$first" ]; then
    echo "== test suite on the ${kind} store"
    HOTSPOT_TEST_STORE="$kind" python3 -m pytest "${workers[@]}" "$@"
  else
    echo "== again on the ${kind} store: every test that uses the suite's stores"
    # (pytest's 5, "no tests collected", when the arguments picked none of them)
    HOTSPOT_TEST_STORE="$kind" HOTSPOT_TEST_STORE_DEPENDENT_ONLY=1 \
      python3 -m pytest "${workers[@]}" "$@" || [ $? -eq 5 ]
  fi
  first=""
done
