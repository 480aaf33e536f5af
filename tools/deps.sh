#!/usr/bin/env bash
# deps.sh PKG...: installs the Debian packages among PKG that are not installed yet.
set -euo pipefail
missing=()
for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
        # nodejs may come from elsewhere: a working node is enough
        if [ "$p" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
        if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
