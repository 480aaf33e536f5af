#!/usr/bin/env bash
# with-pg.sh CMD [ARG...]: runs CMD with LIANJIE_PG set to a throwaway PostgreSQL cluster
# (tools/pg-cluster.sh in a temporary directory, on a free loopback port), removed afterwards
# however CMD ends. CMD's exit status is the script's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d /tmp/lianjie-pg.XXXXXX)
chmod 755 "$dir"
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
cleanup() {
    "$here/pg-cluster.sh" stop "$dir/c" || true
    rm -rf "$dir"
}
trap cleanup EXIT
LIANJIE_PG=$("$here/pg-cluster.sh" start "$dir/c" "$port")
export LIANJIE_PG
"$@"
