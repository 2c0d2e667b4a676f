#!/usr/bin/env bash
# Smoke test of the compiled CLI (lib/) with a given node binary, on a copy of the sample journal:
# `lab --version`, `lab check`, and one `sql` entry (SQLite, node:sqlite) run for real.
#   bash scripts/smoke.sh [path/to/node]
set -euo pipefail
node_bin="${1:-node}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$repo/content" "$repo/lab" "$repo/lab.config.yaml" "$work/"
lab() { "$node_bin" "$repo/lib/cli/bin.js" -C "$work" "$@"; }
echo "smoke: node $("$node_bin" --version), lab $(lab --version)"
lab check >/dev/null
entry=$(grep -rl '^type: sql' "$work/content/notebooks" | head -1)
[ -n "$entry" ] || { echo "smoke: the sample journal has no sql entry"; exit 1; }
lab run "$entry" --force
grep -q '^status: completed' "$entry" || { echo "smoke: $entry did not complete"; exit 1; }
echo "smoke: ok"
