#!/usr/bin/env bash
# Runs every test target against a throwaway PostgreSQL and SQLite files.
# Called by `make test`; installs nothing itself (the Makefile's deps step does).
set -euo pipefail
cd "$(dirname "$0")/.."

pg_dir=$(mktemp -d /tmp/payments-test-pg.XXXXXX)
chmod 755 "$pg_dir"
stop_postgres() {
  scripts/throwaway-postgres.sh stop "$pg_dir" || true
  rm -rf "$pg_dir"
}
trap stop_postgres EXIT

echo "starting a throwaway PostgreSQL in $pg_dir"
PAYMENTS_TEST_POSTGRES_URL=$(scripts/throwaway-postgres.sh start "$pg_dir")
export PAYMENTS_TEST_POSTGRES_URL
export PAYMENTS_REQUIRE_POSTGRES=1

# Build the executables too: the end-to-end tests start the real server and CLI.
swift build --build-tests
# Tests run in parallel. The bound turns a hang into a failure instead of a stuck CI run.
timeout --signal=KILL "${PAYMENTS_TEST_TIMEOUT:-3000}" swift test --skip-build "$@"
