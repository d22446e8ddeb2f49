#!/usr/bin/env bash
# Sync under load: pushes of many learners against pgbench doing the same writes, and pulls that
# must not pay for other learners' activity.
#
# Seeds the synthetic catalog (default 1,000 courses x 100 lessons) into a fresh PostgreSQL 16,
# adds LEARNERS learners (default 200) who have completed one course, serves it with a release
# build of lms-server (production mode), then measures side by side:
#   - pushes: each request a batch of 20 `progress.upsert` mutations of one learner (wrk, 16
#     connections and 1), against pgbench running the same writes (the progress upsert, the stored
#     result, the change-log row; 20 per transaction; 16 clients). Goals: server >= 0.5x pgbench's
#     mutations/s, 16 connections >= 3x one, p99 per push < 250 ms at 16 connections.
#   - an empty incremental pull on a second database, the same catalog plus 1,000,000 other
#     learners' changes in its log, against the same pull on the first. Goal: within 1.2x.
#   - a full pull of the whole catalog by a new learner. Goal: >= 50,000 changes/s.
# The machine is shared and its speed drifts: every figure is the median of ROUNDS rounds in
# which the two sides of a ratio take turns.
#
#   bash scripts/bench/sync.sh [COURSES] [SECONDS] [LEARNERS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."

courses=${1:-1000}
seconds=${2:-10}
learners=${3:-200}
rounds=${4:-3}
connections=16
pg_port=55497
api_port=18497
work="${TMPDIR:-/tmp}/lms-bench-sync"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

source scripts/bench/common.sh
build_release lms-server
server="$bin/lms-server"
start_postgres "$pg_port"
export DATABASE_URL="$url" LOG_LEVEL=warning LMS_ENV=production
export LMS_JWT_SECRET=lms-bench-sync-secret-0123456789abcdef0123

echo "==> migrating and seeding $courses courses"
"$server" migrate --yes >/dev/null
LMS_ENV=development "$server" seed --synthetic "$courses" | grep -v '^{' | head -1
psql() { "$pg_bin/psql" "$url" -v ON_ERROR_STOP=1 -tAqc "$1"; }

# The learners all study one free course, every lesson completed once already, so each pushed
# update is granted and raises progress_seconds: a real write, as when a video plays on.
course_id="$(psql "SELECT id FROM courses WHERE price = 0 ORDER BY slug LIMIT 1")"
psql "
CREATE TABLE bench_learners (n INTEGER PRIMARY KEY, user_id UUID NOT NULL);
INSERT INTO users (id, email, password_hash, first_name, last_name, role, status, created_at, updated_at)
SELECT gen_random_uuid(), 'load-' || n || '@bench.lms', (SELECT password_hash FROM users WHERE email = 'bench@synthetic.lms'),
       'Load', 'Learner ' || n, 'learner', 'active', NOW(), NOW() FROM generate_series(1, $learners) n;
INSERT INTO bench_learners SELECT CAST(substring(email FROM 6 FOR position('@' IN email) - 6) AS INTEGER), id FROM users WHERE email LIKE 'load-%';
INSERT INTO user_progress (id, user_id, course_id, lesson_id, completed, progress_seconds, completed_at, created_at, updated_at)
SELECT gen_random_uuid(), b.user_id, ch.course_id, l.id, true, 60, NOW(), NOW(), NOW()
FROM bench_learners b, lessons l JOIN chapters ch ON ch.id = l.chapter_id WHERE ch.course_id = '$course_id';
ANALYZE;"
psql "SELECT l.id FROM lessons l JOIN chapters ch ON ch.id = l.chapter_id
      WHERE ch.course_id = '$course_id' AND l.type <> 'quiz' ORDER BY ch.position, l.position LIMIT 20" >"$work/lessons.txt"

serve() {
    "$server" serve --hostname 127.0.0.1 --port "$api_port" >>"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$api_port/healthz" >/dev/null && break; sleep 0.1; done
}
serve
# The busy twin: a second database with the same catalog and a million other learners' changes.
busy_url="${url%/*}/lms_busy"
psql "CREATE DATABASE lms_busy"
echo "==> seeding the busy twin"
DATABASE_URL="$busy_url" "$server" migrate --yes >/dev/null
DATABASE_URL="$busy_url" LMS_ENV=development "$server" seed --synthetic "$courses" | grep -v '^{' | head -1
"$pg_bin/psql" "$busy_url" -v ON_ERROR_STOP=1 -tAqc "
    INSERT INTO sync_changes (entity, entity_id, user_id, op, changed_at)
    SELECT 'progress', gen_random_uuid(), gen_random_uuid(), 'upsert', NOW() FROM generate_series(1, 1000000)"
# Vacuumed now, as autovacuum would soon: not while the pulls are measured.
"$pg_bin/psql" "$busy_url" -tAqc "VACUUM ANALYZE"
busy_port=$((api_port + 1))
DATABASE_URL="$busy_url" "$server" serve --hostname 127.0.0.1 --port "$busy_port" >>"$work/server-busy.log" 2>&1 &
busy_pid=$!
trap 'kill "$busy_pid" 2>/dev/null || true; stop_benchmark' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$busy_port/healthz" >/dev/null && break; sleep 0.1; done
api="http://127.0.0.1:$api_port"
login() {
    curl -sf -X POST "$api/api/v1/auth/login" -H 'content-type: application/json' \
        -d "{\"email\":\"$1\",\"password\":\"demo-password\"}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["access_token"])'
}
export -f login; export api
echo "==> signing in $learners learners"
seq 1 "$learners" | sed 's/.*/load-&@bench.lms/' | xargs -P 4 -I{} bash -c 'login {}' >"$work/tokens.txt"

# --- pushes -------------------------------------------------------------------------------
cat >"$work/push.lua" <<'LUA'
local tokens, lessons = {}, {}
local counter = 0
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("number", threads)
end
function init(args)
    for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
    for line in io.lines(args[2]) do lessons[#lessons + 1] = line end
    -- Threads start together: each needs its own seed, or they would send the same mutation ids.
    math.randomseed(os.time() * 100 + (number or 0))
end
local function r16() return math.random(0, 0xffff) end
local function uuid()
    return string.format("%04x%04x-%04x-4%03x-%04x-%04x%04x%04x", r16(), r16(), r16(), math.random(0, 0xfff),
        math.random(0x8000, 0xbfff), r16(), r16(), r16())
end
function request()
    counter = counter + 1
    local parts = {}
    for i, lesson in ipairs(lessons) do
        parts[i] = string.format('{"id":"%s","type":"progress.upsert","created_at":"2026-12-01T10:00:00Z",' ..
            '"payload":{"lesson_id":"%s","progress_seconds":%d,"completed":false}}', uuid(), lesson, 60 + counter * 20 + i)
    end
    local body = '{"client_id":"' .. uuid() .. '","mutations":[' .. table.concat(parts, ",") .. ']}'
    return wrk.format("POST", "/api/v1/sync/push", {
        ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)], ["Content-Type"] = "application/json" }, body)
end
function response(status, headers, body)
    if status ~= 200 or body:find('"rejected"') then io.stderr:write("push answered " .. status .. ": " .. body:sub(1, 300) .. "\n") end
end
LUA
# One push by hand first: the batch must be applied, not refused.
probe="$(python3 - "$work" <<'PY'
import json, sys, uuid
work = sys.argv[1]
lessons = open(f"{work}/lessons.txt").read().split()
print(json.dumps({"client_id": str(uuid.uuid4()), "mutations": [
    {"id": str(uuid.uuid4()), "type": "progress.upsert", "created_at": "2026-12-01T10:00:00Z",
     "payload": {"lesson_id": l, "progress_seconds": 61, "completed": False}} for l in lessons]}))
PY
)"
curl -sf -X POST "$api/api/v1/sync/push" -H "Authorization: Bearer $(head -1 "$work/tokens.txt")" \
    -H 'content-type: application/json' -d "$probe" | grep -q '"applied"' || { echo "the probe push was not applied" >&2; exit 1; }

# wrk RESULT: requests/s and p99 (ms) of one run.
push_run() {
    wrk -t"$1" -c"$2" -d"${seconds}s" --latency -s "$work/push.lua" "$api/api/v1/sync/push" -- "$work/tokens.txt" "$work/lessons.txt" \
        2>"$work/wrk-errors.txt" | awk '
            /Requests\/sec/ {rps = $2}
            /^ +99%/ {v = $2; if (v ~ /us$/) ms = v / 1000; else if (v ~ /ms$/) ms = v + 0; else if (v ~ /s$/) ms = v * 1000; }
            END {printf "%s %.1f\n", rps, ms}'
    [ -s "$work/wrk-errors.txt" ] && { echo "refused pushes:" >&2; head -3 "$work/wrk-errors.txt" >&2; }
    return 0
}

# pgbench's transaction: the same three writes per mutation, 20 mutations, one learner.
{
    echo "\\set u random(1, $learners)"
    echo "\\set s random(100, 500000)"
    echo "BEGIN;"
    i=0
    while read -r lesson; do
        i=$((i + 1))
        cat <<SQL
INSERT INTO user_progress AS p (id, user_id, course_id, lesson_id, completed, progress_seconds, completed_at, created_at, updated_at)
  SELECT gen_random_uuid(), user_id, '$course_id', '$lesson', false, :s + $i, NULL, NOW(), NOW() FROM bench_learners WHERE n = :u
  ON CONFLICT (user_id, lesson_id) DO UPDATE SET progress_seconds = GREATEST(p.progress_seconds, EXCLUDED.progress_seconds), updated_at = NOW();
INSERT INTO applied_mutations (id, user_id, client_id, type, result, applied_at)
  SELECT gen_random_uuid(), user_id, gen_random_uuid(), 'progress.upsert', '{"status":"applied"}', NOW() FROM bench_learners WHERE n = :u;
INSERT INTO sync_changes (entity, entity_id, user_id, op, changed_at)
  SELECT 'progress', gen_random_uuid(), user_id, 'upsert', NOW() FROM bench_learners WHERE n = :u;
SQL
    done <"$work/lessons.txt"
    echo "END;"
} >"$work/push.sql"
# CPU time (in clock ticks) used so far by the server and every PostgreSQL process: how many cores
# one connection keeps busy bounds what 16 can gain on this machine (cores / that).
cpu_ticks() {
    local pids total=0
    pids="$server_pid $(pgrep -f "postgres" | tr '\n' ' ')"
    for pid in $pids; do
        [ -r "/proc/$pid/stat" ] || continue
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    done
    echo "$total"
}
pg_tps() {
    "$pg_bin/pgbench" -n -M prepared -c "$1" -j 2 -T "$seconds" -f "$work/push.sql" "$url" 2>/dev/null \
        | awk -F'= ' '/^tps/ {split($2, a, " "); print a[1]}'
}


echo "==> pushes: $rounds rounds of 16 connections, pgbench, 1 connection ($seconds s each)"
: >"$work/push16.txt"; : >"$work/pg16.txt"; : >"$work/push1.txt"; : >"$work/cores1.txt"
for _ in $(seq 1 "$rounds"); do
    push_run 2 "$connections" >>"$work/push16.txt"
    pg_tps "$connections" >>"$work/pg16.txt"
    before=$(cpu_ticks); started=$(date +%s.%N)
    push_run 1 1 >>"$work/push1.txt"
    echo "($(cpu_ticks) - $before) / $(getconf CLK_TCK) / ($(date +%s.%N) - $started)" | bc -l >>"$work/cores1.txt"
done
cores1=$(median <"$work/cores1.txt")
push16=$(awk '{print $1}' "$work/push16.txt" | median); p99_16=$(awk '{print $2}' "$work/push16.txt" | median)
push1=$(awk '{print $1}' "$work/push1.txt" | median); p99_1=$(awk '{print $2}' "$work/push1.txt" | median)
pg16=$(median <"$work/pg16.txt")

# --- pulls --------------------------------------------------------------------------------
# A new learner on each database, pulled to the end: then every pull is empty.
fresh_learner() {
    "$pg_bin/psql" "$1" -tAqc "INSERT INTO users (id, email, password_hash, first_name, last_name, role, status, created_at, updated_at)
        SELECT gen_random_uuid(), 'fresh@bench.lms', password_hash, 'Fresh', 'Learner', 'learner', 'active', NOW(), NOW()
        FROM users WHERE email = 'bench@synthetic.lms'" >/dev/null
    api="$2" login fresh@bench.lms
}
full_pull() {
    python3 - "$1" "$2" <<'PY'
import json, sys, time, urllib.request
api, token = sys.argv[1], sys.argv[2]
cursor, changes, elapsed = None, 0, 0.0
while True:
    url = f"{api}/api/v1/sync/changes?limit=5000" + (f"&cursor={cursor}" if cursor else "")
    start = time.perf_counter()
    body = urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})).read()
    elapsed += time.perf_counter() - start
    page = json.loads(body)
    changes += len(page["changes"])
    cursor = page["cursor"]
    if not page["has_more"]:
        break
print(changes, elapsed, cursor)
PY
}
quiet_api="$api"; busy_api="http://127.0.0.1:$busy_port"
quiet_token="$(fresh_learner "$url" "$quiet_api")"
busy_token="$(fresh_learner "$busy_url" "$busy_api")"
echo "==> full pulls of the catalog by a new learner ($rounds)"
: >"$work/full.txt"
for _ in $(seq 1 "$rounds"); do full_pull "$quiet_api" "$quiet_token" >>"$work/full.txt"; done
full_changes=$(awk 'NR == 1 {print $1}' "$work/full.txt")
full_rate=$(awk '{print $1 / $2}' "$work/full.txt" | median)
quiet_cursor=$(awk 'END {print $3}' "$work/full.txt")
busy_cursor=$(full_pull "$busy_api" "$busy_token" | awk '{print $3}')

pull_latency() {
    wrk -t1 -c1 -d"${seconds}s" -H "Authorization: Bearer $2" "$1/api/v1/sync/changes?cursor=$3" 2>&1 \
        | awk '/Requests\/sec/ {printf "%.3f\n", 1000 / $2}'
}
echo "==> empty incremental pulls: $rounds rounds, quiet log and busy log ($seconds s each)"
: >"$work/quiet.txt"; : >"$work/busy.txt"
for _ in $(seq 1 "$rounds"); do
    pull_latency "$quiet_api" "$quiet_token" "$quiet_cursor" >>"$work/quiet.txt"
    pull_latency "$busy_api" "$busy_token" "$busy_cursor" >>"$work/busy.txt"
done
empty_before=$(median <"$work/quiet.txt"); empty_after=$(median <"$work/busy.txt")
quiet_rows=$(psql "SELECT COUNT(*) FROM sync_changes")
busy_rows=$("$pg_bin/psql" "$busy_url" -tAqc "SELECT COUNT(*) FROM sync_changes")

ratio() { echo "$1 / $2" | bc -l; }
mut16=$(echo "$push16 * 20" | bc -l); mut1=$(echo "$push1 * 20" | bc -l); pgmut=$(echo "$pg16 * 20" | bc -l)
printf '\n%-40s %12s %12s %8s %s\n' "measure (median of $rounds)" "lms-server" "baseline" "ratio" "goal"
printf '%-40s %12.0f %12.0f %8.2f %s\n' "pushed mutations/s, 16 connections" "$mut16" "$pgmut" "$(ratio "$mut16" "$pgmut")" ">= 0.50 (pgbench, 16 clients)"
printf '%-40s %12.0f %12.0f %8.2f %s\n' "pushed mutations/s, 16 vs 1 connection" "$mut16" "$mut1" "$(ratio "$mut16" "$mut1")" ">= 3 (1 connection keeps $(printf %.2f "$cores1") of $(nproc) cores busy)"
printf '%-40s %12.1f %12s %8s %s\n' "push p99 ms, 16 connections" "$p99_16" "-" "-" "< 250 ms (1 connection: $p99_1 ms)"
printf '%-40s %12.3f %12.3f %8.2f %s\n' "empty incremental pull ms, busy vs quiet" "$empty_after" "$empty_before" "$(ratio "$empty_after" "$empty_before")" "<= 1.20 (logs of $busy_rows and $quiet_rows rows)"
printf '%-40s %12.0f %12s %8s %s\n' "full catalog pull, changes/s" "$full_rate" "-" "-" ">= 50000 ($full_changes changes)"
