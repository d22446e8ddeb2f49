#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs what is missing, then `swift test`.
# Safe to run again; installs nothing that is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="/opt/swift/usr/bin:$PATH"

need_apt=()
for pkg in libncursesw5-dev libcurl4-openssl-dev tmux; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "==> installing ${need_apt[*]}"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
fi

python3 -c "import openapi_spec_validator, jsonschema, pgserver, moto.server" 2>/dev/null || {
    echo "==> installing openapi-spec-validator, pgserver (PostgreSQL 16 + pgvector), moto (S3 for the backup tests)"
    python3 -m pip install --quiet openapi-spec-validator jsonschema pgserver "moto[server]>=5.1,<6"
}

# The server's API suite runs against SQLite and against this real PostgreSQL 16 + pgvector.
pg_dir="${TMPDIR:-/tmp}/lms-test-postgres"
pg_port=${LMS_TEST_PG_PORT:-55433}
bash scripts/postgres.sh stop "$pg_dir" >/dev/null 2>&1 || true
rm -rf "$pg_dir"
echo "==> starting PostgreSQL on 127.0.0.1:$pg_port"
LMS_TEST_DATABASE_URL="$(bash scripts/postgres.sh start "$pg_port" "$pg_dir")"
export LMS_TEST_DATABASE_URL
# The backup tests run this server's own pg_dump and pg_restore.
LMS_TEST_PG_BIN="$(bash scripts/postgres.sh bin)"
export LMS_TEST_PG_BIN
trap 'bash scripts/postgres.sh stop "$pg_dir" >/dev/null 2>&1 || true' EXIT

echo "==> swift build (the end-to-end tests drive the lms and lms-server binaries)"
swift build 2>&1 | grep -E "error|warning: .*/Sources/|Build complete" || true

echo "==> swift test"
set +e
# Compiler progress lines drown the test report; everything else is shown.
swift test 2>&1 | grep --line-buffered -vE '^\[[0-9]+/[0-9]+\] (Compiling|Write|Emitting|Linking|Building)'
status=${PIPESTATUS[0]}
exit "$status"
