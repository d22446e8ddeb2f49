#!/usr/bin/env bash
# Server benchmark: the API's requests per second against pgbench running the same SQL.
#
# Seeds the synthetic catalog (default 1,000 courses x 100 lessons) into a fresh PostgreSQL 16,
# serves it with a release build of lms-server, then measures side by side:
#   - the catalog page  (GET /api/v1/courses?limit=20)       vs  its SELECT in pgbench
#   - a course outline  (GET /api/v1/courses/{slug})          vs  its four SELECTs in pgbench
# with wrk and pgbench both at 16 connections. Goal: API >= 0.5x pgbench.
#
#   bash scripts/bench/server.sh [COURSES] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."

courses=${1:-1000}
seconds=${2:-10}
connections=16
pg_port=55499
api_port=18499
work="${TMPDIR:-/tmp}/lms-bench-server"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

echo "==> building lms-server (release)"
# A separate scratch path so a benchmark build never waits on (or invalidates) the debug build.
swift build -c release --product lms-server --scratch-path .build-release 2>&1 | grep -E "error|warning: .*Sources|Build complete" || true
server="$(swift build -c release --scratch-path .build-release --show-bin-path)/lms-server"

cleanup() {
    [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null || true
    bash scripts/postgres.sh stop "$work/pg" >/dev/null 2>&1 || true
}
trap cleanup EXIT

bash scripts/postgres.sh stop "$work/pg" >/dev/null 2>&1 || true
rm -rf "$work" && mkdir -p "$work"
url="$(bash scripts/postgres.sh start "$pg_port" "$work/pg" 2>/dev/null)"
bin="$(dirname "$(command -v pgbench)")"
[ -x /opt/lms-pgserver/pgserver/pginstall/bin/pgbench ] && bin=/opt/lms-pgserver/pgserver/pginstall/bin
export DATABASE_URL="$url" LOG_LEVEL=warning

echo "==> migrating and seeding $courses courses"
"$server" migrate --yes >/dev/null
/usr/bin/time -f "    seeded in %es, peak %MKB" "$server" seed --synthetic "$courses" | grep -v '^{' || true

"$server" serve --hostname 127.0.0.1 --port "$api_port" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$api_port/healthz" >/dev/null && break; sleep 0.1; done

token="$(curl -sf -X POST "http://127.0.0.1:$api_port/api/v1/auth/login" -H 'content-type: application/json' \
    -d '{"email":"bench@synthetic.lms","password":"demo-password"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["access_token"])')"
psql() { "$bin/psql" "$url" -tAqc "$1"; }
user_id="$(psql "SELECT id FROM users WHERE email = 'bench@synthetic.lms'")"
slug="$(psql "SELECT slug FROM courses WHERE slug LIKE 'synthetic-%' ORDER BY slug LIMIT 1 OFFSET $((courses / 2))")"
course_id="$(psql "SELECT id FROM courses WHERE slug = '$slug'")"

# The statements the server runs for each request (Sources/LMSServer/Stores/CourseStore.swift),
# with the request's values inlined.
course_columns="c.id, c.title, c.slug, c.description, c.thumbnail_url, c.status, CAST(c.price AS TEXT) AS price, c.instructor_id, c.duration, c.chapters_count, c.lessons_count, c.quiz_pass_percent, c.created_at, c.updated_at, c.deleted_at"
owned="EXISTS (SELECT 1 FROM purchases p WHERE p.course_id = c.id AND p.status = 'completed' AND (p.user_id = '$user_id' OR p.tenant_id = (SELECT tenant_id FROM users WHERE id = '$user_id')))"
cat >"$work/catalog.sql" <<SQL
SELECT $course_columns, u.first_name AS instructor_first, u.last_name AS instructor_last, CASE WHEN $owned THEN 1 ELSE 0 END AS owned FROM courses c JOIN users u ON u.id = c.instructor_id WHERE c.deleted_at IS NULL AND c.status = 'published' ORDER BY c.title ASC, c.id ASC LIMIT 21;
SQL
cat >"$work/outline.sql" <<SQL
SELECT $course_columns, CASE WHEN $owned THEN 1 ELSE 0 END AS owned FROM courses c WHERE c.slug = '$slug' AND ((c.deleted_at IS NULL AND c.status = 'published') OR (c.deleted_at IS NULL AND c.status = 'archived' AND $owned));
SELECT ch.id, ch.course_id, ch.title, ch.description, ch.position, ch.created_at, ch.updated_at FROM chapters ch WHERE ch.course_id = '$course_id' ORDER BY ch.position, ch.id;
SELECT l.id, l.chapter_id, l.title, l.type, l.video_url, l.video_id, l.duration, l.position, l.is_free, l.requires_previous, l.created_at, l.updated_at FROM lessons l JOIN chapters ch ON ch.id = l.chapter_id WHERE ch.course_id = '$course_id' ORDER BY l.position, l.id;
SQL

api_rps() {
    wrk -t2 -c"$connections" -d"${seconds}s" -H "Authorization: Bearer $token" "$1" 2>&1 \
        | awk '/Requests\/sec/ {print $2} /Non-2xx/ {print "non-2xx responses: " $0 > "/dev/stderr"}'
}
pg_tps() {
    "$bin/pgbench" -n -M prepared -c "$connections" -j 2 -T "$seconds" -f "$1" "$url" 2>/dev/null \
        | awk -F'= ' '/^tps/ {split($2, a, " "); print a[1]}'
}

echo "==> measuring ($connections connections, ${seconds}s each)"
catalog_api=$(api_rps "http://127.0.0.1:$api_port/api/v1/courses?limit=20")
catalog_pg=$(pg_tps "$work/catalog.sql")
outline_api=$(api_rps "http://127.0.0.1:$api_port/api/v1/courses/$slug")
outline_pg=$(pg_tps "$work/outline.sql")

printf '\n%-16s %14s %14s %8s\n' "request" "lms-server/s" "pgbench tps" "ratio"
printf '%-16s %14.0f %14.0f %8.2f\n' "catalog page" "$catalog_api" "$catalog_pg" "$(echo "$catalog_api / $catalog_pg" | bc -l)"
printf '%-16s %14.0f %14.0f %8.2f\n' "course outline" "$outline_api" "$outline_pg" "$(echo "$outline_api / $outline_pg" | bc -l)"
echo "(goal: ratio >= 0.50; catalog of $courses courses, $((courses * 100)) lessons)"
