#!/usr/bin/env bash
# Runs the terminal app on a live demo, from a fresh clone: installs the two system libraries when
# missing, builds lms and lms-server, then `lms demo` starts a demo server (SQLite, on a free
# loopback port), signs in as the demo learner and opens the app. Quitting stops the server.
# Extra arguments go to `lms demo` (e.g. --theme dark, --role instructor).
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

echo "==> building lms and lms-server (the first build takes several minutes)"
swift build --product lms-server 2>&1 | grep -E "error|Build complete" || true
swift build --product lms 2>&1 | grep -E "error|Build complete" || true
bin="$(swift build --show-bin-path)"
exec "$bin/lms" demo "$@"
