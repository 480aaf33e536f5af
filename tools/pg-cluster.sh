#!/usr/bin/env bash
# pg-cluster.sh start DIR PORT | stop DIR | restart DIR
#   A throwaway PostgreSQL cluster for the tests and benchmarks: initdb in DIR, listening on
#   127.0.0.1:PORT only, user `lianjie` trusted from loopback. Run as root (CI), the cluster
#   belongs to the unprivileged `postgres` user that Debian's package creates, since the
#   server refuses to run as root. `start` prints the base URL (postgres://lianjie@…:PORT).
#   PG_FSYNC (off) and PG_SYNC (on) set fsync and synchronous_commit; PG_OPTS adds options.
set -euo pipefail
cmd=${1:?usage: pg-cluster.sh start DIR PORT | stop DIR | restart DIR}
dir=${2:?DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "pg-cluster: no PostgreSQL server installed (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case "$cmd" in
start)
    port=${3:?PORT}
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir" && chmod 700 "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_owner "$bin/initdb" -D "$dir/data" -U lianjie --auth=trust -E UTF8 --locale=C.UTF-8 \
            >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    # a test cluster: many short-lived servers connect at once; fsync off (a killed lianjie
    # node is what the tests kill, never this machine)
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=600 \
            -c shared_buffers=256MB -c fsync=${PG_FSYNC:-off} -c synchronous_commit=${PG_SYNC:-on} \
            -c full_page_writes=off -c max_wal_size=4GB -c log_min_messages=warning ${PG_OPTS:-}" \
        start >/dev/null || { tail -n 40 "$dir/server.log" >&2; exit 1; }
    echo "postgres://lianjie@127.0.0.1:$port"
    ;;
stop)
    [ -f "$dir/data/postmaster.pid" ] || exit 0
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    ;;
restart)
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w restart >/dev/null
    ;;
*)
    echo "usage: pg-cluster.sh start DIR PORT | stop DIR | restart DIR" >&2
    exit 2
    ;;
esac
