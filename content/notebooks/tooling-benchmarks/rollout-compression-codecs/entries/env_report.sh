#!/bin/sh
# Environment fingerprint for benchmark pages: a number without a machine is not a result.
# POSIX sh; every probe tolerates a missing tool.
set -u
probe() { printf '%-10s ' "$1:"; shift; "$@" 2>/dev/null | head -n 1 || echo "n/a"; }
probe os uname -srm
probe cpu sh -c "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || sysctl -n machdep.cpu.brand_string"
probe cores sh -c "nproc || getconf _NPROCESSORS_ONLN"
probe memory sh -c "awk '/MemTotal/ {printf \"%.1f GiB\\n\", \$2/1048576}' /proc/meminfo"
probe node node --version
probe python3 python3 --version
probe sqlite3 python3 -c "import sqlite3; print(sqlite3.sqlite_version)"
probe git git --version
