# bench/lib/common.sh: what bench/push, bench/mass and bench/userget share. Source it after
# setting NAME (used in messages and temp-dir names); it sets HERE, ROOT, LIANJIE, TMP and an
# EXIT trap that stops every process started with `track PID` and removes TMP.
# shellcheck shell=bash

HERE=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
HZ=$(getconf CLK_TCK)
# shellcheck disable=SC2034 # used by the scripts that source this file
NCPU=$(nproc)

log() { printf '%s\n' "$*" >&2; }
die() {
    log "$NAME: $*"
    exit 1
}

# tools: Debian packages through tools/deps.sh (installs only what is missing)
need_tools() { # COMMAND:PACKAGE...
    local want=() t
    for t in "$@"; do command -v "${t%%:*}" >/dev/null 2>&1 || want+=("${t#*:}"); done
    [ ${#want[@]} -eq 0 ] || "$ROOT/tools/deps.sh" "${want[@]}" >&2
}

build_lianjie() {
    if [ -z "${LIANJIE:-}" ]; then
        log "building lianjie (make)"
        make -s -C "$ROOT" all >/dev/null
        LIANJIE=$ROOT/build/release/lianjie
    fi
    [ -x "$LIANJIE" ] || die "no lianjie binary at $LIANJIE"
}

# ------------------------------------------------------------------ processes and cleanup
TMP=$(mktemp -d "/tmp/lianjie-$NAME.XXXXXX")
TRACKED=()
track() { TRACKED+=("$1"); }
stop_pid() { # PID: TERM, then KILL after 5 s
    local p=$1
    kill -TERM "$p" 2>/dev/null || return 0
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    for p in "${TRACKED[@]}"; do stop_pid "$p"; done
    if [ -n "${KEEP:-}" ]; then
        mkdir -p "$KEEP" && cp -r "$TMP"/. "$KEEP"/ 2>/dev/null || true
        log "temp files kept in $KEEP"
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_lianjie NAME DATA [ARGS...]: serves DATA on 127.0.0.1:0; sets LJ_PID LJ_URL LJ_KEY
start_lianjie() {
    local name=$1 data=$2
    shift 2
    local out=$TMP/$name.out
    "$LIANJIE" serve --data "$data" --listen 127.0.0.1:0 --log-level warn "$@" >"$out" 2>"$TMP/$name.err" &
    LJ_PID=$!
    track "$LJ_PID"
    local port=""
    for _ in $(seq 300); do
        port=$(sed -n 's/^lianjie listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out")
        [ -n "$port" ] && break
        kill -0 "$LJ_PID" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$port" ] || die "lianjie ($name) did not start: $(tail -3 "$TMP/$name.err")"
    LJ_URL=http://127.0.0.1:$port
    LJ_KEY=$("$LIANJIE" admin --data "$data" operator-key 2>/dev/null)
    [ -n "$LJ_KEY" ] || die "no operator key for $name"
    log "  $name: pid $LJ_PID, $LJ_URL, $(sed -n 's/.*(\(.*loops*\)).*/\1/p' "$out")"
}

op() { # METHOD PATH [JSON]: operator API call, answer on stdout
    local args=(-sS -X "$1" -H "Authorization: Bearer $LJ_KEY")
    [ -n "${3:-}" ] && args+=(-H 'Content-Type: application/json' -d "$3")
    curl "${args[@]}" "$LJ_URL$2"
}

json_field() { # NAME: the first "NAME":"value" (or number) of stdin
    sed -n "s/.*\"$1\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" | head -1
}

issue_token() { # APPID SECRET -> access token
    curl -sS "$LJ_URL/cgi-bin/token?grant_type=client_credential&appid=$1&secret=$2" | json_field access_token
}

# ------------------------------------------------------------------ measuring
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
machine_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8; exit}' /proc/stat; }
machine_steal() { awk '/^cpu /{print $9; exit}' /proc/stat; }
task_ticks() { cat /proc/"$1"/task/*/stat 2>/dev/null | awk '{print $1, $14+$15}'; }
now_s() { date +%s.%N; }

# waits until other processes plus the hypervisor's steal take less than QUIET_PCT % of a
# core, at most QUIET_MAX s
wait_quiet() {
    local waited=0 b0 b1 s0 s1 pct
    while :; do
        b0=$(machine_busy) s0=$(machine_steal)
        sleep 1
        b1=$(machine_busy) s1=$(machine_steal)
        pct=$(((b1 - b0 + s1 - s0) * 100 / HZ))
        [ "$pct" -lt "${QUIET_PCT:-25}" ] && return 0
        if [ "$waited" -ge "${QUIET_MAX:-30}" ]; then
            log "  (machine still busy: ${pct}% of a core used or stolen; measuring anyway)"
            return 0
        fi
        [ "$waited" -eq 0 ] && log "  (machine busy: ${pct}% of a core used or stolen; waiting up to ${QUIET_MAX:-30}s)"
        waited=$((waited + 1))
    done
}

# cpu_mark FILE PID...: a snapshot of the machine's and each PID's CPU time (and the first
# PID's threads); cpu_report FILE PID... (same PIDs, still alive) prints, for the time since,
# "PID1% PID2% ... top% other% steal% threads": % of one core used by each, by the first PID's
# busiest thread, by every other process, stolen by the hypervisor, and the first PID's four
# busiest threads as a/b/c/d
cpu_mark() {
    local f=$1 p
    shift
    {
        echo "$(now_s) $(machine_busy) $(machine_steal)"
        for p in "$@"; do cpu_ticks "$p"; done
    } >"$f"
    task_ticks "$1" >"$f.tasks"
}
cpu_report() {
    local f=$1 p
    shift
    {
        echo "$(now_s) $(machine_busy) $(machine_steal)"
        for p in "$@"; do cpu_ticks "$p"; done
    } >"$f.1"
    task_ticks "$1" >"$f.tasks1"
    local top threads
    top=$(awk 'NR==FNR{a[$1]=$2; next} {d=$2-a[$1]; if (d>m) m=d} END{print m+0}' "$f.tasks" "$f.tasks1")
    threads=$(awk 'NR==FNR{a[$1]=$2; next} {print $2-a[$1]}' "$f.tasks" "$f.tasks1" | sort -rn | head -4 | tr '\n' ' ')
    awk -v hz="$HZ" -v top="$top" -v th="$threads" 'NR==FNR{v0[FNR]=$0; next} {v1[FNR]=$0; n=FNR}
        END{ split(v0[1], a, " "); split(v1[1], b, " "); d=b[1]-a[1]; own=0; out=""
             for (i=2; i<=n; i++) { c=(v1[i]-v0[i])/hz; own+=c; out=out sprintf("%.0f ", c/d*100) }
             o=((b[2]-a[2])/hz - own)/d*100; if (o<0) o=0
             k=split(th, t, " "); ts=""; for (i=1; i<=k; i++) ts=ts (i>1 ? "/" : "") sprintf("%.0f", t[i]/hz/d*100)
             printf "%s%.0f %.0f %.0f %s\n", out, top/hz/d*100, o, (b[3]-a[3])/hz/d*100, ts }' "$f" "$f.1"
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
range() { sort -g | awk 'NR==1{a=$1} {b=$1} END{printf "%s..%s", a, b}'; }
to_ms() { # wrk latency (512.00us, 1.20ms, 1.01s) -> ms
    awk -v v="$1" 'BEGIN{ if (v=="") {print "nan"; exit}
        if (v ~ /us$/) {sub(/us$/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v+0}
        else if (v ~ /m$/) {sub(/m$/,"",v); print v*60000} else {sub(/s$/,"",v); print v*1000} }'
}
vm_kb() { awk -v k="$2:" '$1==k{print $2}' "/proc/$1/status"; } # PID VmHWM|VmRSS -> kB
commit_id() { echo "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo '+dirty')"; }

# seed_data DIR COUNT: a fresh data directory DIR with one verified service account followed
# by COUNT users (`lianjie admin seed-followers`, before any server runs); sets APPID, SECRET
# and SEED_S (seconds the seeding took, or "cached"). With SEED_CACHE=DIR2 the seeded
# database is saved there and later runs copy it instead of seeding again.
seed_data() {
    local dir=$1 count=$2 a out
    mkdir -p "$dir"
    if [ -n "${SEED_CACHE:-}" ] && [ -f "$SEED_CACHE/seeded-$count" ]; then
        cp "$SEED_CACHE/seeded-$count.db" "$dir/lianjie.db"
        read -r APPID SECRET <"$SEED_CACHE/seeded-$count"
        SEED_S=cached
        log "  seeded database copied from $SEED_CACHE (account $APPID, $count followers)"
        return
    fi
    a=$("$LIANJIE" admin --data "$dir" account create --name "$NAME bench" --verified 2>/dev/null)
    APPID=$(echo "$a" | json_field appid)
    SECRET=$(echo "$a" | json_field secret)
    [ -n "$APPID" ] && [ -n "$SECRET" ] || die "cannot create the account: $a"
    log "  seeding $count followers of $APPID (lianjie admin seed-followers)"
    out=$("$LIANJIE" admin --data "$dir" seed-followers --appid "$APPID" --count "$count" 2>"$TMP/seed.err") ||
        die "seed-followers failed: $(tail -3 "$TMP/seed.err")"
    [ "$(echo "$out" | json_field followed)" = "$count" ] || die "seed-followers: $out"
    SEED_S=$(echo "$out" | json_field seconds)
    log "  seeded in $SEED_S s ($(awk -v n="$count" -v s="$SEED_S" 'BEGIN{printf "%.0f", n/s}') followers/s), database $(du -sh "$dir" | cut -f1)"
    if [ -n "${SEED_CACHE:-}" ]; then
        mkdir -p "$SEED_CACHE"
        cp "$dir/lianjie.db" "$SEED_CACHE/seeded-$count.db"
        echo "$APPID $SECRET" >"$SEED_CACHE/seeded-$count"
    fi
}
