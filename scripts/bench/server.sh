#!/usr/bin/env bash
# Server benchmark: the API's requests per second against pgbench running the same SQL.
#
# Seeds the synthetic catalog (default 1,000 courses x 100 lessons) into a fresh PostgreSQL 16,
# serves it with a release build of lms-server, then measures side by side:
#   - the catalog page  (GET /api/v1/courses?limit=20)       vs  its SELECT in pgbench
#   - a course outline  (GET /api/v1/courses/{slug})          vs  its three SELECTs in pgbench
# with wrk and pgbench both at 16 connections. Goal: API >= 0.5x pgbench.
# Both go through SQLKit on every database: one query path (a prepared, read-by-position path on
# PostgreSQL was measured and removed, see docs/performance.md).
# The outline is measured twice: as served (chapters from the outline cache, checked against the
# course's structure version read by the first SELECT) and with the cache off
# (LMS_OUTLINE_CACHE_MB=0), where every request runs all three SELECTs, as pgbench does.
#
#   bash scripts/bench/server.sh [COURSES] [SECONDS] [ROUNDS]
# Each figure is the median of ROUNDS rounds in which lms-server and pgbench take turns.
set -euo pipefail
cd "$(dirname "$0")/../.."

courses=${1:-1000}
seconds=${2:-10}
connections=16
pg_port=55499
api_port=18499
work="${TMPDIR:-/tmp}/lms-bench-server"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

source scripts/bench/common.sh
build_release lms-server
server="$bin/lms-server"
start_postgres "$pg_port"
export DATABASE_URL="$url" LOG_LEVEL=warning
# A fixed key, so tokens survive the restart with the cache off.
export LMS_JWT_SECRET=lms-bench-secret-0123456789abcdef0123456789

echo "==> migrating and seeding $courses courses"
"$server" migrate --yes >/dev/null
LMS_ENV=development /usr/bin/time -f "    seeded in %es, peak %MKB" "$server" seed --synthetic "$courses" | grep -v '^{' || true

serve() {
    "$server" serve --hostname 127.0.0.1 --port "$api_port" >>"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$api_port/healthz" >/dev/null && break; sleep 0.1; done
}
serve

token="$(curl -sf -X POST "http://127.0.0.1:$api_port/api/v1/auth/login" -H 'content-type: application/json' \
    -d '{"email":"bench@synthetic.lms","password":"demo-password"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["access_token"])')"
psql() { "$pg_bin/psql" "$url" -tAqc "$1"; }
user_id="$(psql "SELECT id FROM users WHERE email = 'bench@synthetic.lms'")"
slug="$(psql "SELECT slug FROM courses WHERE slug LIKE 'synthetic-%' ORDER BY slug LIMIT 1 OFFSET $((courses / 2))")"
course_id="$(psql "SELECT id FROM courses WHERE slug = '$slug'")"

# The statements the server runs for each request on PostgreSQL, as it runs them for this
# learner, taken from the server itself (`lms-server statements`). The outline's baseline runs
# all three of its SELECTs, as the server does with the cache off. Values are written in as
# literals, which lets PostgreSQL plan pgbench's side for exactly these values: that can only
# favour the baseline.
"$server" statements --email bench@synthetic.lms --slug "$slug" > "$work/statements.sql"
statement() { awk -v name="$1" '$0 == "-- " name {on=1; next} /^-- / {on=0} on' "$work/statements.sql"; }
statement catalog >"$work/catalog.sql"
{ statement outline_head; statement outline_chapters; statement outline_lessons; } >"$work/outline.sql"
for file in "$work/catalog.sql" "$work/outline.sql"; do
    grep -q '\$[0-9]' "$file" && { echo "unbound parameter left in $file" >&2; exit 1; }
done

api_rps() {
    wrk -t2 -c"$connections" -d"${seconds}s" -H "Authorization: Bearer $token" "$1" 2>&1 \
        | awk '/Requests\/sec/ {print $2} /Non-2xx/ {print "non-2xx responses: " $0 > "/dev/stderr"}'
}
pg_tps() {
    "$pg_bin/pgbench" -n -M prepared -c "$connections" -j 2 -T "$seconds" -f "$1" "$url" 2>/dev/null \
        | awk -F'= ' '/^tps/ {split($2, a, " "); print a[1]}'
}

rounds=${3:-3}
echo "==> measuring: $rounds rounds, each side in turn ($connections connections, ${seconds}s each)"
: >"$work/catalog_api"; : >"$work/catalog_pg"; : >"$work/outline_api"; : >"$work/outline_pg"
for _ in $(seq 1 "$rounds"); do
    api_rps "http://127.0.0.1:$api_port/api/v1/courses?limit=20" >>"$work/catalog_api"
    pg_tps "$work/catalog.sql" >>"$work/catalog_pg"
    api_rps "http://127.0.0.1:$api_port/api/v1/courses/$slug" >>"$work/outline_api"
    pg_tps "$work/outline.sql" >>"$work/outline_pg"
done
catalog_api=$(median <"$work/catalog_api"); catalog_pg=$(median <"$work/catalog_pg")
outline_api=$(median <"$work/outline_api"); outline_pg=$(median <"$work/outline_pg")
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
LMS_OUTLINE_CACHE_MB=0 serve
uncached_api=$(api_rps "http://127.0.0.1:$api_port/api/v1/courses/$slug")

printf '\n%-16s %14s %14s %8s\n' "request" "lms-server/s" "pgbench tps" "ratio"
printf '%-16s %14.0f %14.0f %8.2f\n' "catalog page" "$catalog_api" "$catalog_pg" "$(echo "$catalog_api / $catalog_pg" | bc -l)"
printf '%-16s %14.0f %14.0f %8.2f\n' "course outline" "$outline_api" "$outline_pg" "$(echo "$outline_api / $outline_pg" | bc -l)"
printf '%-16s %14.0f %14.0f %8.2f\n' "  cache off" "$uncached_api" "$outline_pg" "$(echo "$uncached_api / $outline_pg" | bc -l)"
echo "(goal: ratio >= 0.50; catalog of $courses courses, $((courses * 100)) lessons)"
