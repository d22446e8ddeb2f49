#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs what is missing, then `swift test`.
# Safe to run again; installs nothing that is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="/opt/swift/usr/bin:$PATH"

need_apt=()
for pkg in libncursesw5-dev libcurl4-openssl-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "==> installing ${need_apt[*]}"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
fi

python3 -c "import openapi_spec_validator, jsonschema" 2>/dev/null || {
    echo "==> installing openapi-spec-validator"
    python3 -m pip install --quiet openapi-spec-validator jsonschema
}

echo "==> swift test"
set +e
# Compiler progress lines drown the test report; everything else is shown.
swift test 2>&1 | grep --line-buffered -vE '^\[[0-9]+/[0-9]+\] (Compiling|Write|Emitting|Linking|Building)'
status=${PIPESTATUS[0]}
exit "$status"
