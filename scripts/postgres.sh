#!/usr/bin/env bash
# Starts a throw-away PostgreSQL 16 + pgvector on loopback for tests and benchmarks, using the
# binaries of the `pgserver` wheel (installed here when missing). initdb refuses to run as root,
# so as root the cluster belongs to an unprivileged user made for it.
#
#   scripts/postgres.sh start PORT DIR   # prints the DATABASE_URL on stdout
#   scripts/postgres.sh stop DIR
#   scripts/postgres.sh bin              # prints the folder of its pg_dump, pg_restore, psql
set -euo pipefail

action=${1:?usage: postgres.sh start PORT DIR | stop DIR | bin}

pg_bin_dir() {
    python3 -c "import pgserver" 2>/dev/null || python3 -m pip install --quiet pgserver >&2
    local site
    site="$(python3 -c 'import os, pgserver; print(os.path.dirname(os.path.dirname(pgserver.__file__)))' 2>/dev/null)"
    if [ "$(id -u)" -eq 0 ]; then
        # The wheel lives under /root, which other users cannot enter: copy it somewhere they can,
        # keeping the layout its binaries' RPATH expects ($ORIGIN/../../../pgserver.libs).
        local dst=/opt/lms-pgserver
        if [ ! -x "$dst/pgserver/pginstall/bin/postgres" ]; then
            rm -rf "$dst" && mkdir -p "$dst/pgserver"
            cp -a "$site/pgserver/pginstall" "$dst/pgserver/" && cp -a "$site/pgserver.libs" "$dst/"
            chmod -R a+rX "$dst"
        fi
        echo "$dst/pgserver/pginstall/bin"
    else
        echo "$site/pgserver/pginstall/bin"
    fi
}

as_pg_user() {
    if [ "$(id -u)" -eq 0 ]; then
        id lmspg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin lmspg
        su -s /bin/sh lmspg -c "$*"
    else
        sh -c "$*"
    fi
}

case "$action" in
start)
    port=${2:?port}
    dir=${3:?dir}
    bin="$(pg_bin_dir)"
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && { id lmspg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin lmspg; chown lmspg "$dir"; }
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_pg_user "'$bin/initdb' -D '$dir/data' -U lms --auth=trust --encoding=UTF8 --locale=C.UTF-8 >'$dir/initdb.log' 2>&1" \
            || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    as_pg_user "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 \
        -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off\" start >/dev/null" \
        || { cat "$dir/server.log" >&2; exit 1; }
    "$bin/psql" -h 127.0.0.1 -p "$port" -U lms -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'lms'" | grep -q 1 \
        || "$bin/createdb" -h 127.0.0.1 -p "$port" -U lms lms
    echo "postgres://lms@127.0.0.1:$port/lms"
    ;;
stop)
    dir=${2:?dir}
    bin="$(pg_bin_dir)"
    [ -f "$dir/data/postmaster.pid" ] && as_pg_user "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop >/dev/null" || true
    ;;
bin)
    pg_bin_dir
    ;;
*)
    echo "usage: postgres.sh start PORT DIR | stop DIR | bin" >&2
    exit 2
    ;;
esac
