#!/usr/bin/env bash
# bench/run.sh: the benchmarks run by `make bench`. Each one starts and stops its own servers on
# 127.0.0.1 and prints a summary; environment overrides are passed through (see each script).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$HERE/token-api"
"$HERE/oauth-api"
"$HERE/authorizer"
"$HERE/push"
"$HERE/mass"
"$HERE/userget"
"$HERE/multinode"
"$HERE/hardening"
