#!/usr/bin/env bash
# Sync under load: pushes of many learners against pgbench doing the same writes, and pulls that
# must not pay for other learners' activity.
#
# Seeds the synthetic catalog (default 1,000 courses x 100 lessons) into a fresh PostgreSQL 16,
# adds LEARNERS learners (default 200) who have completed one course, serves it with a release
# build of lms-server (production mode), then measures side by side:
#   - pushes: each request a batch of 20 `progress.upsert` mutations of one learner (wrk, 16
#     connections and 1), against pgbench running the same writes (the progress upsert, the stored
#     result, the change-log row; 20 per transaction; 16 clients), in three shapes:
#       steady:   the same 20 lessons of one course, every row already there (updates);
#       spread:   20 lessons picked at random among the first lessons of 100 courses, so a batch
#                 touches up to 20 courses and most rows are a learner's first (inserts);
#       complete: each learner completes chapter 1 (9 lessons) of one course after another, 20
#                 completions a batch, with badges for each chapter, 50 lessons and a 3-day
#                 streak, so badge evaluation runs (courses end in quizzes, graded one submission at
#                 a time, so a course itself is not finished by progress alone).
#     Goals: server >= 0.5x pgbench's mutations/s (complete >= 0.35x), 16 connections >= 0.9 of
#     the machine's ceiling over one, p99 per push < 250 ms at 16 connections.
#   - an empty incremental pull on a second database, the same catalog plus 1,000,000 other
#     learners' changes in its log, against the same pull on the first. Goal: within 1.2x.
#   - a full pull of the whole catalog by a new learner. Goal: >= 50,000 changes/s.
# The machine is shared and its speed drifts: every figure is the median of ROUNDS rounds in
# which the two sides of a ratio take turns.
#
#   bash scripts/bench/sync.sh [COURSES] [SECONDS] [LEARNERS] [ROUNDS]
#   LMS_BENCH_SHAPES="spread complete" LMS_BENCH_PULLS=0 bash scripts/bench/sync.sh   # some pushes only
set -euo pipefail
cd "$(dirname "$0")/../.."

courses=${1:-1000}
seconds=${2:-10}
learners=${3:-200}
rounds=${4:-3}
shapes=${LMS_BENCH_SHAPES:-steady spread complete}
pulls=${LMS_BENCH_PULLS:-1}
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

# spread: the first lesson (free) of 100 courses. complete: chapter 1 of 100 free courses, in order.
psql "
CREATE TABLE bench_spread AS
  SELECT row_number() OVER (ORDER BY c.slug) AS n, l.id AS lesson_id, c.id AS course_id
  FROM courses c JOIN chapters ch ON ch.course_id = c.id AND ch.position = (SELECT MIN(position) FROM chapters WHERE course_id = c.id)
  JOIN lessons l ON l.chapter_id = ch.id AND l.position = (SELECT MIN(position) FROM lessons WHERE chapter_id = ch.id)
  WHERE c.id IN (SELECT id FROM courses WHERE id <> '$course_id' ORDER BY slug LIMIT 100);
CREATE TABLE bench_sequence AS
  SELECT row_number() OVER (ORDER BY c.slug, l.position) AS n, l.id AS lesson_id, c.id AS course_id
  FROM courses c JOIN chapters ch ON ch.course_id = c.id AND ch.position = (SELECT MIN(position) FROM chapters WHERE course_id = c.id)
  JOIN lessons l ON l.chapter_id = ch.id AND l.type <> 'quiz'
  WHERE c.id IN (SELECT id FROM courses WHERE price = 0 AND id <> '$course_id' ORDER BY slug LIMIT 100);
INSERT INTO badges (id, name, description, image_url, criteria, created_at, updated_at)
  SELECT gen_random_uuid(), 'Chapter 1 of ' || c.title, NULL, 'https://badges.bench/ch1.png',
         jsonb_build_object('type', 'lessons_completed', 'count', 9, 'course_id', c.id), NOW(), NOW()
  FROM courses c WHERE c.id IN (SELECT DISTINCT course_id FROM bench_sequence);
INSERT INTO badges (id, name, description, image_url, criteria, created_at, updated_at) VALUES
  (gen_random_uuid(), 'Fifty lessons', NULL, 'https://badges.bench/50.png', '{\"type\": \"lessons_completed\", \"count\": 50}', NOW(), NOW()),
  (gen_random_uuid(), 'Three days', NULL, 'https://badges.bench/streak.png', '{\"type\": \"streak_days\", \"days\": 3}', NOW(), NOW());
ANALYZE;"
psql "SELECT lesson_id FROM bench_spread ORDER BY n" >"$work/spread.txt"
psql "SELECT lesson_id FROM bench_sequence ORDER BY n" >"$work/sequence.txt"

serve() {
    "$server" serve --hostname 127.0.0.1 --port "$api_port" >>"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$api_port/healthz" >/dev/null && break; sleep 0.1; done
}
serve
if [ "$pulls" = 1 ]; then
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
fi
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
-- args: tokens file, lessons file, shape (steady | spread | complete).
local tokens, lessons = {}, {}
local shape = "steady"
local counter = 0
local threads = 0
local position = {}
function setup(thread)
    threads = threads + 1
    thread:set("number", threads)
    thread:set("threads", threads)
end
function init(args)
    for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
    for line in io.lines(args[2]) do lessons[#lessons + 1] = line end
    shape = args[3] or "steady"
    -- Threads start together: each needs its own seed, or they would send the same mutation ids.
    math.randomseed(os.time() * 100 + (number or 0))
end
local function r16() return math.random(0, 0xffff) end
local function uuid()
    return string.format("%04x%04x-%04x-4%03x-%04x-%04x%04x%04x", r16(), r16(), r16(), math.random(0, 0xfff),
        math.random(0x8000, 0xbfff), r16(), r16(), r16())
end
local function mutation(lesson, seconds, completed)
    return string.format('{"id":"%s","type":"progress.upsert","created_at":"2026-12-01T10:00:00Z",' ..
        '"payload":{"lesson_id":"%s","progress_seconds":%d,"completed":%s}}', uuid(), lesson, seconds, completed and "true" or "false")
end
function request()
    counter = counter + 1
    local parts = {}
    local token
    if shape == "complete" then
        -- Each learner belongs to one thread, and goes on through the sequence where it stopped.
        local mine = {}
        for i = (number or 1), #tokens, 2 do mine[#mine + 1] = i end
        local t = mine[math.random(#mine)]
        token = tokens[t]
        local at = position[t] or 0
        for i = 1, 20 do parts[i] = mutation(lessons[(at + i - 1) % #lessons + 1], 300, true) end
        position[t] = at + 20
    else
        token = tokens[math.random(#tokens)]
        for i = 1, 20 do
            local lesson = shape == "spread" and lessons[math.random(#lessons)] or lessons[i]
            parts[i] = mutation(lesson, 60 + counter * 20 + i, false)
        end
    end
    local body = '{"client_id":"' .. uuid() .. '","mutations":[' .. table.concat(parts, ",") .. ']}'
    return wrk.format("POST", "/api/v1/sync/push", {
        ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
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

# wrk RESULT: requests/s and p99 (ms) of one run: push_run THREADS CONNECTIONS SHAPE.
push_run() {
    wrk -t"$1" -c"$2" -d"${seconds}s" --latency -s "$work/push.lua" "$api/api/v1/sync/push" -- "$work/tokens.txt" "$work/$3-lessons.txt" "$3" \
        2>"$work/wrk-errors.txt" | awk '
            /Requests\/sec/ {rps = $2}
            /^ +99%/ {v = $2; if (v ~ /us$/) ms = v / 1000; else if (v ~ /ms$/) ms = v + 0; else if (v ~ /s$/) ms = v * 1000; }
            END {printf "%s %.1f\n", rps, ms}'
    [ -s "$work/wrk-errors.txt" ] && { echo "refused pushes ($3):" >&2; head -3 "$work/wrk-errors.txt" >&2; }
    return 0
}
cp "$work/lessons.txt" "$work/steady-lessons.txt"
cp "$work/spread.txt" "$work/spread-lessons.txt"
cp "$work/sequence.txt" "$work/complete-lessons.txt"

# pgbench's transaction for each shape: the same three writes per mutation, 20 mutations, one
# learner. steady: the 20 lessons of lessons.txt; spread: 20 random rows of bench_spread;
# complete: 20 rows of bench_sequence from a random place, completed.
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
} >"$work/steady.sql"
shape_sql() {
    local table=$1 completed=$2 pick
    echo "\\set u random(1, $learners)"
    echo "\\set s random(100, 500000)"
    [ "$table" = bench_sequence ] && echo "\\set p random(0, $(( $(wc -l <"$work/sequence.txt") - 21 )))"
    echo "BEGIN;"
    for i in $(seq 1 20); do
        if [ "$table" = bench_spread ]; then echo "\\set r$i random(1, 100)"; pick=":r$i"; else pick=":p + $i"; fi
        cat <<SQL
INSERT INTO user_progress AS p (id, user_id, course_id, lesson_id, completed, progress_seconds, completed_at, created_at, updated_at)
  SELECT gen_random_uuid(), b.user_id, x.course_id, x.lesson_id, $completed, :s + $i, CASE WHEN $completed THEN NOW() END, NOW(), NOW()
  FROM bench_learners b, $table x WHERE b.n = :u AND x.n = $pick
  ON CONFLICT (user_id, lesson_id) DO UPDATE SET progress_seconds = GREATEST(p.progress_seconds, EXCLUDED.progress_seconds),
    completed = p.completed OR EXCLUDED.completed, completed_at = COALESCE(p.completed_at, EXCLUDED.completed_at), updated_at = NOW();
INSERT INTO applied_mutations (id, user_id, client_id, type, result, applied_at)
  SELECT gen_random_uuid(), user_id, gen_random_uuid(), 'progress.upsert', '{"status":"applied"}', NOW() FROM bench_learners WHERE n = :u;
INSERT INTO sync_changes (entity, entity_id, user_id, op, changed_at)
  SELECT 'progress', gen_random_uuid(), user_id, 'upsert', NOW() FROM bench_learners WHERE n = :u;
SQL
    done
    echo "END;"
}
shape_sql bench_spread false >"$work/spread.sql"
shape_sql bench_sequence true >"$work/complete.sql"
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
    "$pg_bin/pgbench" -n -M prepared -c "$1" -j 2 -T "$seconds" -f "$work/$2.sql" "$url" 2>/dev/null \
        | awk -F'= ' '/^tps/ {split($2, a, " "); print a[1]}'
}

for shape in $shapes; do
    echo "==> pushes ($shape): $rounds rounds of 16 connections, pgbench, 1 connection ($seconds s each)"
    : >"$work/$shape-push16.txt"; : >"$work/$shape-pg16.txt"; : >"$work/$shape-push1.txt"; : >"$work/$shape-cores1.txt"
    for _ in $(seq 1 "$rounds"); do
        push_run 2 "$connections" "$shape" >>"$work/$shape-push16.txt"
        pg_tps "$connections" "$shape" >>"$work/$shape-pg16.txt"
        before=$(cpu_ticks); started=$(date +%s.%N)
        push_run 1 1 "$shape" >>"$work/$shape-push1.txt"
        echo "($(cpu_ticks) - $before) / $(getconf CLK_TCK) / ($(date +%s.%N) - $started)" | bc -l >>"$work/$shape-cores1.txt"
    done
done

if [ "$pulls" = 1 ]; then
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

fi

ratio() { echo "$1 / $2" | bc -l; }
printf '\n%-44s %12s %12s %8s %s\n' "measure (median of $rounds)" "lms-server" "baseline" "ratio" "goal"
for shape in $shapes; do
    cores1=$(median <"$work/$shape-cores1.txt")
    push16=$(awk '{print $1}' "$work/$shape-push16.txt" | median); p99_16=$(awk '{print $2}' "$work/$shape-push16.txt" | median)
    push1=$(awk '{print $1}' "$work/$shape-push1.txt" | median); p99_1=$(awk '{print $2}' "$work/$shape-push1.txt" | median)
    pg16=$(median <"$work/$shape-pg16.txt")
    mut16=$(echo "$push16 * 20" | bc -l); mut1=$(echo "$push1 * 20" | bc -l); pgmut=$(echo "$pg16 * 20" | bc -l)
    goal=0.50; [ "$shape" = complete ] && goal=0.35
    ceiling=$(echo "$(nproc) / $cores1" | bc -l)
    printf '%-44s %12.0f %12.0f %8.2f %s\n' "$shape: pushed mutations/s, 16 connections" "$mut16" "$pgmut" "$(ratio "$mut16" "$pgmut")" ">= $goal (pgbench, 16 clients)"
    printf '%-44s %12.0f %12.0f %8.2f %s\n' "$shape: pushed mutations/s, 16 vs 1 connection" "$mut16" "$mut1" "$(ratio "$mut16" "$mut1")" \
        "ceiling $(printf %.2f "$ceiling") (1 connection keeps $(printf %.2f "$cores1") of $(nproc) cores busy): >= 0.9 of it = $(printf %.2f "$(echo "0.9 * $ceiling" | bc -l)")"
    printf '%-44s %12.1f %12s %8s %s\n' "$shape: push p99 ms, 16 connections" "$p99_16" "-" "-" "< 250 ms (1 connection: $p99_1 ms)"
done
if [ "$pulls" = 1 ]; then
    printf '%-44s %12.3f %12.3f %8.2f %s\n' "empty incremental pull ms, busy vs quiet" "$empty_after" "$empty_before" "$(ratio "$empty_after" "$empty_before")" "<= 1.20 (logs of $busy_rows and $quiet_rows rows)"
    printf '%-44s %12.0f %12s %8s %s\n' "full catalog pull, changes/s" "$full_rate" "-" "-" ">= 50000 ($full_changes changes)"
fi
