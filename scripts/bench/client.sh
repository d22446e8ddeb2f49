#!/usr/bin/env bash
# Client benchmark: the lms sync engine against curl + python3 doing the same HTTP work.
#
# Seeds the synthetic catalog (default 1,000 courses x 100 lessons) into PostgreSQL 16, serves it with
# a release lms-server, then measures side by side:
#   - initial pull: `lms sync` into an empty cache (every page written to disk as it arrives)
#       vs `curl --compressed` fetching the same URLs over one connection + `python3 json.load` of them;
#   - push: 10,000 offline progress events in the outbox, `lms sync`
#       vs `curl` POSTing the same batches (200 mutations each, fresh ids) over one connection;
#   - decoding: the cached catalog (index) and a course outline file, MB/s of lms's reader
#       vs `python3 json.load` of the same files.
# Goals: pull <= 1.5x, push <= 2.0x, decoding >= 1.0x.
#
#   bash scripts/bench/client.sh [COURSES]
set -euo pipefail
cd "$(dirname "$0")/../.."

courses=${1:-1000}
events=10000
batch=200
pg_port=55497
api_port=18497
work="${TMPDIR:-/tmp}/lms-bench-client"

source scripts/bench/common.sh
build_release lms-server lms lms-bench
start_postgres "$pg_port"
export DATABASE_URL="$url" LOG_LEVEL=warning LMS_JWT_SECRET="client-benchmark-secret-at-least-32-bytes"

echo "==> seeding $courses courses"
"$bin/lms-server" migrate --yes >/dev/null
LMS_ENV=development "$bin/lms-server" seed --synthetic "$courses" | grep -v '^{' | head -1
"$bin/lms-server" serve --hostname 127.0.0.1 --port "$api_port" >"$work/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$api_port"
for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" NO_COLOR=1
echo demo-password | "$bin/lms" login "$base" --email bench@synthetic.lms --password-stdin >/dev/null
token="$(python3 -c 'import json,sys,glob; print(json.load(open(glob.glob(sys.argv[1] + "/lms/credentials.json")[0]))["access_token"])' "$XDG_CONFIG_HOME" 2>/dev/null || true)"
if [ -z "$token" ]; then
    token="$(curl -sf -X POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
        -d '{"email":"bench@synthetic.lms","password":"demo-password"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["access_token"])')"
fi
seconds() { python3 -c 'import time; print(time.monotonic())'; }
ratio() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }

# --- initial pull ------------------------------------------------------------------------------
echo "==> initial pull"
t0=$(seconds); "$bin/lms" sync >/dev/null; t1=$(seconds)
lms_pull=$(python3 -c "print($t1 - $t0)")

# The URLs lms fetched: /me, then the feed from no cursor, page by page (walked once, unmeasured).
python3 - "$base" "$token" "$work/urls.txt" <<'PY'
import json, sys, urllib.request
base, token, out = sys.argv[1:4]
urls = [base + "/api/v1/me"]
cursor = None
while True:
    url = base + "/api/v1/sync/changes?limit=1000" + ("&cursor=" + cursor if cursor else "")
    urls.append(url)
    page = json.load(urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": "Bearer " + token})))
    if not page.get("has_more"): break
    cursor = page["cursor"]
open(out, "w").write("\n".join(urls) + "\n")
PY
pages=$(($(wc -l <"$work/urls.txt") - 1))
mkdir -p "$work/pull"
curl_args=()
i=0; while read -r u; do curl_args+=("$u" -o "$work/pull/$i.json"); i=$((i + 1)); done <"$work/urls.txt"
t0=$(seconds)
curl -sf --compressed -H "Authorization: Bearer $token" "${curl_args[@]}"
t1=$(seconds)
python3 -c 'import json, glob, sys; [json.load(open(f, "rb")) for f in glob.glob(sys.argv[1] + "/*.json")]' "$work/pull"
t2=$(seconds)
base_pull=$(python3 -c "print($t2 - $t0)")
pull_mb=$(du -sm "$work/pull" | cut -f1)

# --- push ----------------------------------------------------------------------------------------
echo "==> push of progress events"
# Watching progress on two disjoint halves of the open lessons, so both sides do the same fresh
# work on the server: ROUNDS events per lesson, each a little further into the video.
"$bin/lms-bench" lessons "$XDG_DATA_HOME" >"$work/lessons.txt"
open_lessons=$(wc -l <"$work/lessons.txt")
half=$((open_lessons / 2))
rounds=$(((events + half - 1) / half))
head -n "$half" "$work/lessons.txt" >"$work/lessons-curl.txt"
tail -n "$half" "$work/lessons.txt" >"$work/lessons-lms.txt"
events=$((half * rounds))
"$bin/lms-bench" enqueue-progress "$XDG_DATA_HOME" "$work/lessons-lms.txt" "$rounds"
python3 - "$work/lessons-curl.txt" "$work/batches" "$batch" "$rounds" <<'PY'
import json, os, sys, uuid, datetime
lessons = open(sys.argv[1]).read().split()
out, size, rounds = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
os.makedirs(out, exist_ok=True)
client = str(uuid.uuid4())
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
events = [(lesson, round * 10) for round in range(1, rounds + 1) for lesson in lessons]
for n, start in enumerate(range(0, len(events), size)):
    mutations = [{"id": str(uuid.uuid4()), "type": "progress.upsert", "created_at": now,
                  "payload": {"lesson_id": lesson, "completed": False, "progress_seconds": seconds}}
                 for lesson, seconds in events[start:start + size]]
    json.dump({"client_id": client, "mutations": mutations}, open(f"{out}/{n:04d}.json", "w"))
PY
mkdir -p "$work/pushed"
curl_args=()
for f in "$work"/batches/*.json; do curl_args+=(--next -sf -o "$work/pushed/$(basename "$f")" -X POST -H "Authorization: Bearer $token" -H 'content-type: application/json' --data-binary "@$f" "$base/api/v1/sync/push"); done
t0=$(seconds); curl "${curl_args[@]:1}"; t1=$(seconds)
base_push=$(python3 -c "print($t1 - $t0)")
curl_applied=$(python3 -c 'import json, glob, sys; print(sum(r["status"] == "applied" for f in glob.glob(sys.argv[1] + "/*.json") for r in json.load(open(f))["results"]))' "$work/pushed")
t0=$(seconds); "$bin/lms" sync >/dev/null; t1=$(seconds)
lms_push=$(python3 -c "print($t1 - $t0)")
left=$("$bin/lms" status --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin).get("pending", "?"))' || echo "?")

# --- decoding ------------------------------------------------------------------------------------
echo "==> decoding"
read -r index_file outline_file < <("$bin/lms-bench" cache-files "$XDG_DATA_HOME")
decode() { "$bin/lms-bench" decode "$1" "$2"; }
pydecode() {
    python3 - "$1" <<'PY'
import json, sys, time
data = open(sys.argv[1], "rb").read()
rounds = max(3, int(200e6 / max(1, len(data))))
start = time.perf_counter()
for _ in range(rounds): json.loads(data)
print(len(data) * rounds / (time.perf_counter() - start) / 1e6)
PY
}
index_lms=$(decode index "$index_file"); index_py=$(pydecode "$index_file")
outline_lms=$(decode course "$outline_file"); outline_py=$(pydecode "$outline_file")

printf '\n%-34s %12s %12s %8s %s\n' "measure" "lms" "baseline" "ratio" "goal"
printf '%-34s %11.2fs %11.2fs %8s %s\n' "initial pull ($pages pages, ${pull_mb} MB)" "$lms_pull" "$base_pull" "$(ratio "$lms_pull" "$base_pull")" "<= 1.5"
printf '%-34s %11.2fs %11.2fs %8s %s\n' "push $events events" "$lms_push" "$base_push" "$(ratio "$lms_push" "$base_push")" "<= 2.0"
echo "(push: curl had $curl_applied of $events applied; lms left $left pending)"
printf '%-34s %9.0fMB/s %9.0fMB/s %8s %s\n' "decode catalog ($(($(stat -c %s "$index_file") / 1024)) KB)" "$index_lms" "$index_py" "$(ratio "$index_lms" "$index_py")" ">= 1.0"
printf '%-34s %9.0fMB/s %9.0fMB/s %8s %s\n' "decode outline ($(($(stat -c %s "$outline_file") / 1024)) KB)" "$outline_lms" "$outline_py" "$(ratio "$outline_lms" "$outline_py")" ">= 1.0"
