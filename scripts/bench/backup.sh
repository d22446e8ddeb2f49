#!/usr/bin/env bash
# Backup benchmark: `lms-server backup` and `backup --restore` against the hand-made pipelines
# `pg_dump -Fc | curl --aws-sigv4 … -T -` and `curl --aws-sigv4 … | pg_restore`, side by side.
#
# Seeds the synthetic catalog (default 1,000 courses x 100 lessons) plus 1,000,000 progress
# rows (10 learners x 100,000 lessons) into a fresh PostgreSQL 16, and stores backups in moto's
# S3 server on loopback (signatures checked). Each round runs, in turn: our backup, the hand
# upload, our restore into a new empty database, the hand restore into another. Both restores
# run pg_restore with the same flags (one transaction, no owners, no privileges).
# Goal: <= 1.2x the hand pipeline's time both ways; peak RSS of `lms-server backup` < 64 MB.
# The binary measured is the one install.sh and package.sh ship: release, Swift's runtime linked
# in (--static-swift-stdlib, built in .build-dist); LMS_BENCH_BIN=DIR measures another build.
# Rounds alternate which side goes first, so neither always meets a warmer cache.
#
#   bash scripts/bench/backup.sh [COURSES] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."

courses=${1:-1000}
rounds=${2:-5}
pg_port=55497
work="${TMPDIR:-/tmp}/lms-bench-backup"

python3 -c "import moto" 2>/dev/null || python3 -m pip install --quiet "moto[server]"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time; }

source scripts/bench/common.sh
if [ -n "${LMS_BENCH_BIN:-}" ]; then
    bin="$LMS_BENCH_BIN"
else
    echo "==> building lms-server (release, Swift's runtime linked in, as shipped)"
    swift build -c release --static-swift-stdlib --scratch-path .build-dist --product lms-server 2>&1 | grep -E "error|Build of" || true
    bin="$(swift build -c release --static-swift-stdlib --scratch-path .build-dist --show-bin-path)"
fi
server="$bin/lms-server"
start_postgres "$pg_port"
base="${url%/*}"
export DATABASE_URL="$url" LOG_LEVEL=warning LMS_PG_DUMP="$pg_bin/pg_dump"
export LMS_JWT_SECRET=lms-bench-secret-0123456789abcdef0123456789

echo "==> seeding $courses courses and $((courses * 1000)) progress rows"
"$server" migrate --yes >/dev/null
LMS_ENV=development "$server" seed --synthetic "$courses" | grep -v '^{' | grep -v '^Took' || true
"$pg_bin/psql" -q -d "$url" <<'SQL'
INSERT INTO users (email, password_hash, first_name, last_name, role, status)
SELECT 'bench' || g || '@bench.lms', 'x', 'Bench', 'Learner ' || g, 'learner', 'active' FROM generate_series(1, 10) g;
INSERT INTO user_progress (user_id, course_id, lesson_id, completed, progress_seconds, completed_at)
SELECT u.id, c.course_id, l.id, l.position % 2 = 0, (l.position * 37) % 600, CASE WHEN l.position % 2 = 0 THEN now() END
FROM users u CROSS JOIN lessons l JOIN chapters c ON c.id = l.chapter_id WHERE u.email LIKE 'bench%@bench.lms';
ANALYZE;
SQL
echo "    $("$pg_bin/psql" -tA -d "$url" -c "SELECT count(*) FROM user_progress") progress rows, database $("$pg_bin/psql" -tA -d "$url" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"

# moto's S3 on loopback; it lives as long as its standard input stays open.
mkfifo "$work/s3.in"
python3 Tests/LMSServerTests/Fixtures/s3_server.py bench-backups < "$work/s3.in" > "$work/s3.json" 2> "$work/s3.log" &
exec 9> "$work/s3.in"
for _ in $(seq 100); do [ -s "$work/s3.json" ] && break; sleep 0.2; done
endpoint=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['endpoint'])" "$work/s3.json")
key_id=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['access_key_id'])" "$work/s3.json")
secret=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['secret_access_key'])" "$work/s3.json")
export LMS_BACKUP_URL=s3://bench-backups/ours LMS_BACKUP_ENDPOINT="$endpoint" AWS_ACCESS_KEY_ID="$key_id" AWS_SECRET_ACCESS_KEY="$secret" AWS_REGION=us-east-1
sigv4=(--silent --show-error --fail --aws-sigv4 "aws:amz:us-east-1:s3" --user "$key_id:$secret" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD")

fresh_database() {
    "$pg_bin/psql" -q -d "$url" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" 2>/dev/null
}

seconds() { python3 -c "import time; print(time.time())"; }

: > "$work/ours-backup" ; : > "$work/hand-backup" ; : > "$work/ours-restore" ; : > "$work/hand-restore" ; : > "$work/rss"

our_backup() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$server" backup > "$work/ours.out" 2> "$work/ours.err" \
        || { cat "$work/ours.out" "$work/ours.err"; exit 1; }
    read -r elapsed rss < "$work/time"
    echo "$elapsed" >> "$work/ours-backup"; echo "$rss" >> "$work/rss"
    echo "    lms-server backup      ${elapsed}s, peak RSS $((rss / 1024)) MB, $(grep -o '(.*, SHA' "$work/ours.out" | sed 's/(//; s/, SHA//') stored"
}

hand_backup() {
    local start elapsed
    start=$(seconds)
    "$pg_bin/pg_dump" -Fc --dbname="$url" | curl "${sigv4[@]}" -T - "$endpoint/bench-backups/hand/dump-$round" -o /dev/null
    elapsed=$(python3 -c "print(round($(seconds) - $start, 2))")
    echo "$elapsed" >> "$work/hand-backup"
    echo "    pg_dump | curl         ${elapsed}s"
}

our_restore() {
    fresh_database bench_restore_ours
    /usr/bin/time -f "%e %M" -o "$work/time" env DATABASE_URL="$base/bench_restore_ours" "$server" backup --restore latest --yes \
        > "$work/ours.out" 2> "$work/ours.err" || { cat "$work/ours.out" "$work/ours.err"; exit 1; }
    read -r elapsed rss < "$work/time"
    echo "$elapsed" >> "$work/ours-restore"
    echo "    lms-server --restore   ${elapsed}s, peak RSS $((rss / 1024)) MB"
}

hand_restore() {
    local start elapsed
    fresh_database bench_restore_hand
    start=$(seconds)
    curl "${sigv4[@]}" "$endpoint/bench-backups/hand/dump-$round" \
        | "$pg_bin/pg_restore" --dbname="$base/bench_restore_hand" --single-transaction --exit-on-error --no-owner --no-privileges
    elapsed=$(python3 -c "print(round($(seconds) - $start, 2))")
    echo "$elapsed" >> "$work/hand-restore"
    echo "    curl | pg_restore      ${elapsed}s"
}

for round in $(seq "$rounds"); do
    echo "==> round $round of $rounds"
    if [ $((round % 2)) -eq 1 ]; then
        our_backup; hand_backup; our_restore; hand_restore
    else
        hand_backup; our_backup; hand_restore; our_restore
    fi
done

restored=$("$pg_bin/psql" -tA -d "$base/bench_restore_ours" -c "SELECT count(*) FROM user_progress")
echo "==> our restore holds $restored progress rows"

ours_backup=$(median < "$work/ours-backup"); hand_backup=$(median < "$work/hand-backup")
ours_restore=$(median < "$work/ours-restore"); hand_restore=$(median < "$work/hand-restore")
peak=$(sort -g "$work/rss" | tail -1)
echo
echo "medians of $rounds rounds        ours      hand      ratio (goal <= 1.2)"
printf "backup                        %6.2fs   %6.2fs   %.2f\n" "$ours_backup" "$hand_backup" "$(python3 -c "print($ours_backup / $hand_backup)")"
printf "restore                       %6.2fs   %6.2fs   %.2f\n" "$ours_restore" "$hand_restore" "$(python3 -c "print($ours_restore / $hand_restore)")"
echo "peak RSS of lms-server backup: $((peak / 1024)) MB (goal < 64 MB)"
