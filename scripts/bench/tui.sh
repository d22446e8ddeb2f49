#!/usr/bin/env bash
# TUI benchmark: lms in a pseudo-terminal against python3 and less in the same harness
# (scripts/bench/pty_harness.py, 120x40, xterm-256color).
#
#   - start to first frame with the synthetic catalog (1,000 courses x 100 lessons) in the cache,
#       vs python3 json.load of that cache's files, and vs lms with a 100-lesson cache;
#   - keypress to frame moving through a 100,000-row list (the catalog grown to 100,000 courses)
#       vs less on the same 100,000 rows as text, pressing j, k and the arrows in an irregular
#       order (the same for both): median, p99 and bytes written per step, each the median over
#       rounds in which lms and less take turns; and the same pressing j alone, where lms's frame
#       is prepared ahead (shown, no goal);
#   - peak RSS of lms with the synthetic cache vs python3 json.load of it.
# Goals: start <= 0.25x json.load and <= 1.3x the small cache; latency <= 1.5x less (median, p99);
# bytes per step <= 1.2x less; RSS <= json.load. Last, for reading the latency: the app's own work
# per step (update, render, encode; and with the frame predicted) warm and after 30 ms idle, from
# lms-bench frames.
#
#   bash scripts/bench/tui.sh [STEPS_PER_ROUND]
set -euo pipefail
cd "$(dirname "$0")/../.."

steps=${1:-300}
# Start-up times of ~30 ms vary by a few ms from run to run: 7 runs once gave 1.39 for a ratio
# that 15 runs put at 1.11-1.21.
runs=15
rounds=5
pg_port=55495
api_port=18495
work="${TMPDIR:-/tmp}/lms-bench-tui"
harness="python3 scripts/bench/pty_harness.py"
command -v less >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq less; }

source scripts/bench/common.sh
build_release lms-server lms lms-bench
start_postgres "$pg_port"
export LOG_LEVEL=warning LMS_JWT_SECRET="tui-benchmark-secret-of-at-least-32-bytes" NO_COLOR=
base="http://127.0.0.1:$api_port"

# A cache filled by a real sync: the big catalog in schema "big", one course in schema "small".
fill() {  # fill SCHEMA COURSES HOME
    local schema=$1 courses=$2 home=$3
    DATABASE_URL="$url" LMS_PG_SCHEMA="$schema" "$bin/lms-server" migrate --yes >/dev/null
    LMS_ENV=development DATABASE_URL="$url" LMS_PG_SCHEMA="$schema" "$bin/lms-server" seed --synthetic "$courses" | grep -v '^{' | head -1
    DATABASE_URL="$url" LMS_PG_SCHEMA="$schema" "$bin/lms-server" serve --hostname 127.0.0.1 --port "$api_port" >"$work/server-$schema.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
    echo demo-password | XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" "$bin/lms" login "$base" --email bench@synthetic.lms --password-stdin >/dev/null
    XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" "$bin/lms" sync >/dev/null
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
}
for schema in big small; do "$pg_bin/psql" "$url" -qc "CREATE SCHEMA IF NOT EXISTS $schema" >/dev/null; done
echo "==> filling the caches (the server is stopped before measuring: lms runs offline)"
fill big 1000 "$work/big"
fill small 1 "$work/small"
cp -r "$work/big" "$work/long"

median() { python3 -c 'import sys, statistics; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }
field() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
lms_in() { echo env XDG_CONFIG_HOME="$1/config" XDG_DATA_HOME="$1/data" "$bin/lms" --no-sync; }

echo "==> start to first frame ($runs runs each)"
big_starts=(); small_starts=(); big_rss=()
for _ in $(seq 1 "$runs"); do
    out=$($harness start --marker Home -- $(lms_in "$work/big")); big_starts+=("$(field "$out" first_frame_seconds)"); big_rss+=("$(field "$out" peak_rss_kb)")
    out=$($harness start --marker Home -- $(lms_in "$work/small")); small_starts+=("$(field "$out" first_frame_seconds)")
done
account="$(dirname "$(ls -d "$work"/big/data/lms/*/*/index.json)")"
python_loads=(); python_rss=()
for _ in $(seq 1 "$runs"); do
    out=$(python3 - "$account" <<'PY'
import glob, json, resource, sys, time
start = time.monotonic()
files = glob.glob(sys.argv[1] + "/*.json") + glob.glob(sys.argv[1] + "/courses/*.json")
catalog = [json.load(open(name, "rb")) for name in files]
print(time.monotonic() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
PY
)
    python_loads+=("${out% *}"); python_rss+=("${out#* }")
done

echo "==> scrolling a 100,000-row list ($rounds rounds of $steps steps, lms and less in turn)"
"$bin/lms-bench" grow-catalog "$work/long/data" 100000 >"$work/rows.txt"
# Setup: open the catalog and bring the selection to the bottom row (38 moves), so that every
# measured step scrolls the list by one row, as every step of less does. The two take turns, so
# that a slow spell of this shared machine falls on both; each figure is the median over rounds.
# Each round also moves with j, k and the arrows in an irregular order (the goal's figures: lms
# prepares only the frame of the last key pressed again, which a mix seldom presses).
lms_rounds=(); less_rounds=(); lms_mixed=(); less_mixed=()
lms_setup="c$(printf 'j%.0s' $(seq 1 38))"
for _ in $(seq 1 "$rounds"); do
    lms_rounds+=("$($harness scroll --marker Home --setup "$lms_setup" --quit qqq --steps "$steps" --idle 30 -- $(lms_in "$work/long"))")
    less_rounds+=("$($harness scroll --marker "Synthetic" --steps "$steps" --idle 30 -- less -S "$work/rows.txt")")
    lms_mixed+=("$($harness scroll --mixed 14 --marker Home --setup "$lms_setup" --quit qqq --steps "$steps" --idle 30 -- $(lms_in "$work/long"))")
    less_mixed+=("$($harness scroll --mixed 14 --marker "Synthetic" --steps "$steps" --idle 30 -- less -S "$work/rows.txt")")
done
over_rounds() {  # over_rounds JSON...: median, p99 and bytes per step, each the median over the rounds
    python3 -c '
import json, statistics, sys
rounds = [json.loads(r) for r in sys.argv[1:]]
print(json.dumps({k: statistics.median(r[k] for r in rounds) for k in ("median_ms", "p99_ms", "bytes_per_step")}))' "$@"
}
lms_scroll=$(over_rounds "${lms_rounds[@]}"); less_scroll=$(over_rounds "${less_rounds[@]}")
lms_mix=$(over_rounds "${lms_mixed[@]}"); less_mix=$(over_rounds "${less_mixed[@]}")

big=$(median "${big_starts[@]}"); small=$(median "${small_starts[@]}"); py=$(median "${python_loads[@]}")
rss=$(median "${big_rss[@]}"); py_rss=$(median "${python_rss[@]}")
ratio() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
printf '\n%-44s %12s %12s %8s %s\n' "measure" "lms" "baseline" "ratio" "goal"
printf '%-44s %11.1fms %11.1fms %8s %s\n' "first frame, 100,000 lessons vs json.load" "$(echo "$big * 1000" | bc -l)" "$(echo "$py * 1000" | bc -l)" "$(ratio "$big" "$py")" "<= 0.25"
printf '%-44s %11.1fms %11.1fms %8s %s\n' "first frame, 100,000 vs 100 lessons" "$(echo "$big * 1000" | bc -l)" "$(echo "$small * 1000" | bc -l)" "$(ratio "$big" "$small")" "<= 1.3"
for key in median_ms p99_ms; do
    printf '%-44s %11.2fms %11.2fms %8s %s\n' "keypress to frame, mixed keys, $key" "$(field "$lms_mix" $key)" "$(field "$less_mix" $key)" "$(ratio "$(field "$lms_mix" $key)" "$(field "$less_mix" $key)")" "<= 1.5"
done
printf '%-44s %12.0f %12.0f %8s %s\n' "bytes written per step, mixed keys" "$(field "$lms_mix" bytes_per_step)" "$(field "$less_mix" bytes_per_step)" "$(ratio "$(field "$lms_mix" bytes_per_step)" "$(field "$less_mix" bytes_per_step)")" "<= 1.2"
for key in median_ms p99_ms; do
    printf '%-44s %11.2fms %11.2fms %8s %s\n' "  j alone (frame prepared ahead), $key" "$(field "$lms_scroll" $key)" "$(field "$less_scroll" $key)" "$(ratio "$(field "$lms_scroll" $key)" "$(field "$less_scroll" $key)")" "(shown)"
done
printf '%-44s %10.0fMB %10.0fMB %8s %s\n' "peak RSS, 100,000 lessons vs json.load" "$(echo "$rss / 1024" | bc -l)" "$(echo "$py_rss / 1024" | bc -l)" "$(ratio "$rss" "$py_rss")" "<= 1.0"

# Where a step's time goes, for reading the latency above (no baseline, no goal): the app's own
# work per scroll step without a terminal, right after the previous step (warm) and after 30 ms
# idle, as between the harness's key presses (cold: caches and TLBs of this machine lost).
echo
for pause in 300 30000; do
    label=$([ "$pause" = 300 ] && echo "warm" || echo "cold, 30 ms idle")
    work_per_step=$(LMS_BENCH_PAUSE_US=$pause XDG_CONFIG_HOME="$work/long/config" XDG_DATA_HOME="$work/long/data" "$bin/lms-bench" frames "$PWD/themes" 200)
    printf '%-28s drawn on the key: %s\n' "app work, $label:" "$(sed -n 1p <<<"$work_per_step")"
    printf '%-28s %s\n' "" "$(sed -n 3p <<<"$work_per_step")"
done
