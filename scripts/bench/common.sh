# What every benchmark script needs: release binaries and a throw-away PostgreSQL with the
# server's tools. Sourced from the repository root by scripts/bench/*.sh after they set `work`.

# build_release PRODUCT...: builds into .build-release, a separate scratch path, so a benchmark
# build never waits on (or invalidates) the debug build; sets $bin to the binaries' folder.
# LMS_BENCH_BIN=DIR measures binaries built elsewhere instead (an A/B of two builds).
build_release() {
    if [ -n "${LMS_BENCH_BIN:-}" ]; then
        bin="$LMS_BENCH_BIN"
        echo "==> measuring the binaries in $bin"
        return
    fi
    echo "==> building $* (release)"
    for product in "$@"; do
        swift build -c release --scratch-path .build-release --product "$product" 2>&1 | grep -E "error|Build of" || true
    done
    bin="$(swift build -c release --scratch-path .build-release --show-bin-path)"
}

# start_postgres PORT: an empty $work holding a fresh PostgreSQL 16 in $work/pg, stopped on exit
# together with any server whose pid is in $server_pid. Sets $url, and $pg_bin to the folder of
# the psql and pgbench that match it.
start_postgres() {
    trap 'stop_benchmark' EXIT
    bash scripts/postgres.sh stop "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work" && mkdir -p "$work"
    url="$(bash scripts/postgres.sh start "$1" "$work/pg" 2>/dev/null)"
    pg_bin="$(dirname "$(command -v pgbench 2>/dev/null || echo /usr/bin/pgbench)")"
    [ -x /opt/lms-pgserver/pgserver/pginstall/bin/pgbench ] && pg_bin=/opt/lms-pgserver/pgserver/pginstall/bin
    return 0
}

stop_benchmark() {
    [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null || true
    bash scripts/postgres.sh stop "$work/pg" >/dev/null 2>&1 || true
}

# median: the median of the numbers on standard input, one a line. The machine's speed drifts, so
# scripts take the two sides of a ratio in turn over several rounds and compare medians.
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
