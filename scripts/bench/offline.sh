#!/usr/bin/env bash
# Time to "offline" on a bad network: `lms complete LESSON` (which must save the work, say
# "Saved offline" and exit 0) against a server that is down (the baseline: a refused connection
# is known at once), and against one that accepts and never answers, or answers a byte a second
# (a captive portal, a stuck proxy). Then a read (`lms progress`) right after, and `lms status`.
# Before bounded requests, the silent server cost about 150 s (four tries of libcurl's 30 s
# low-speed limit); the goal is a few seconds, and a read right after that costs nothing.
#
#   bash scripts/bench/offline.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/opt/swift/usr/bin:$PATH"

rounds=${1:-3}
work="${TMPDIR:-/tmp}/lms-bench-offline"
api_port=18531
proxy_port=18532
dead_port=18533

if [ -n "${LMS_BENCH_BIN:-}" ]; then bin="$LMS_BENCH_BIN"; else
    swift build --product lms >/dev/null && swift build --product lms-server >/dev/null
    bin="$(swift build --show-bin-path)"
fi
source scripts/bench/common.sh
rm -rf "$work" && mkdir -p "$work"
trap '[ -n "${server_pid:-}" ] && kill $server_pid 2>/dev/null; [ -n "${proxy_pid:-}" ] && kill $proxy_pid 2>/dev/null; true' EXIT

export LMS_ENV=development LOG_LEVEL=warning
"$bin/lms-server" seed --demo --sqlite "$work/lms.sqlite" >/dev/null
"$bin/lms-server" serve --sqlite "$work/lms.sqlite" --hostname 127.0.0.1 --port "$api_port" >"$work/server.log" 2>&1 &
server_pid=$!
python3 scripts/bench/stall_proxy.py "$proxy_port" "$api_port" &
proxy_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$proxy_port/healthz" >/dev/null && break; sleep 0.1; done

# Two accounts: one through the proxy, one at a port nobody listens on (its cache copied from a sync).
export NO_COLOR=1
proxied="$work/proxied"
dead="$work/dead"
as() { local home=$1; shift; HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_STATE_HOME="$home/state" "$bin/lms" "$@"; }
echo demo-password | as "$proxied" login "http://127.0.0.1:$proxy_port" --email learner@demo.lms --password-stdin >/dev/null
as "$proxied" sync >/dev/null
lesson=$(as "$proxied" next --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["lesson"]["id"])')

# Seconds a command takes (wall clock), and its exit status must be 0.
timed() {
    local start end
    start=$(date +%s.%N)
    "$@" >"$work/last.out" 2>&1 || { echo "failed: $*"; cat "$work/last.out"; exit 1; }
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}

dead_times=() silent_times=() trickle_times=() read_times=() status_times=()
for round in $(seq 1 "$rounds"); do
    # Baseline: the server's port refuses (stop the proxy's upstream? no: point a copy at a dead port).
    rm -rf "$dead" && cp -r "$proxied" "$dead"
    sed -i "s#127.0.0.1:$proxy_port#127.0.0.1:$dead_port#" "$dead/config/lms/credentials.json"
    mv "$dead/data/lms/127.0.0.1_$proxy_port" "$dead/data/lms/127.0.0.1_$dead_port" 2>/dev/null || true
    dead_times+=("$(timed as "$dead" complete "$lesson")")

    kill -USR1 $proxy_pid; sleep 0.2
    rm -f "$proxied/state/lms/unreachable"
    silent_times+=("$(timed as "$proxied" complete "$lesson")")
    grep -q "Saved offline" "$work/last.out" || { echo "not saved offline:"; cat "$work/last.out"; exit 1; }
    read_times+=("$(timed as "$proxied" progress)")
    status_times+=("$(timed as "$proxied" status)")

    kill -USR2 $proxy_pid; sleep 0.2
    rm -f "$proxied/state/lms/unreachable"
    trickle_times+=("$(timed as "$proxied" complete "$lesson")")

    kill -HUP $proxy_pid; sleep 0.2
    as "$proxied" sync >/dev/null
done

med() { printf '%s\n' "$@" | median; }
dead_median=$(med "${dead_times[@]}")
report() {
    printf '%-44s %7.2f s   baseline (refused at once) %5.2f s   ratio %6.1fx   before this change ~150 s\n' "$1" "$2" "$dead_median" "$(echo "$2 / $dead_median" | bc -l)"
}
echo "==> time to 'Saved offline', median of $rounds rounds"
report "lms complete, server accepts, never answers" "$(med "${silent_times[@]}")"
report "lms complete, server answers 1 byte/s" "$(med "${trickle_times[@]}")"
report "lms progress right after (remembered)" "$(med "${read_times[@]}")"
report "lms status on the silent server" "$(med "${status_times[@]}")"
