#!/usr/bin/env bash
# run.sh SECONDS BINDIR NAME...: runs each fuzz target BINDIR/fuzz_NAME for SECONDS over a copy
# of its seed corpus (fuzz/corpus/NAME, never written to) in a temporary directory, one after
# the other. Fails if any target finds a crash, a leak, a timeout or runs out of memory; its
# log and reproducer are then kept and named. Without a failure the directory is removed.
set -uo pipefail
[ $# -ge 3 ] || { echo "usage: $0 SECONDS BINDIR NAME..." >&2; exit 2; }
secs=$1 bindir=$2
shift 2
cd "$(dirname "$0")/.."

# inputs longer than a request body the parser would see are not worth the time
max_len() {
    case $1 in
    multipart) echo 262144 ;;
    media) echo 73728 ;; # past the 64 KiB thumb limit
    *) echo 65536 ;;
    esac
}

work=$(mktemp -d "${TMPDIR:-/tmp}/lianjie-fuzz.XXXXXX")
failed=()
for name in "$@"; do
    dir=$work/$name
    mkdir -p "$dir/corpus"
    cp fuzz/corpus/"$name"/* "$dir/corpus/" 2>/dev/null || true
    dict=()
    [ -f fuzz/dict/"$name".dict ] && dict=(-dict=fuzz/dict/"$name".dict)
    start=$SECONDS
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
        "$bindir/fuzz_$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -max_len="$(max_len "$name")" -print_final_stats=1 -artifact_prefix="$dir/" \
        "${dict[@]}" "$dir/corpus" >"$dir/log" 2>&1
    rc=$?
    last=$(grep -E '^#[0-9]+' "$dir/log" | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/cov \1 ft \2 corpus \3/p' <<<"$last")
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log")
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log")
    if [ $rc -eq 0 ]; then
        printf 'fuzz %-10s %3ds  %9s runs  %6s exec/s  %s\n' "$name" $((SECONDS - start)) \
            "${runs:-?}" "${speed:-?}" "${cov:-}"
    else
        echo "fuzz $name FAILED (exit $rc); log: $dir/log" >&2
        grep -E 'ERROR|SUMMARY|invariant broken|^ *#[0-9]+ 0x' "$dir/log" |
            grep -vE 'fuzzer::|__sanitizer|libc\.so|libc_start|nptl/|raise\.c|abort\.c| in _start ' |
            head -30 >&2
        for a in "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-*; do
            [ -e "$a" ] && echo "  reproducer: $a (run: $bindir/fuzz_$name $a)" >&2
        done
        failed+=("$name")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: ${failed[*]} failed; everything is kept in $work" >&2
    exit 1
fi
rm -rf "$work"
