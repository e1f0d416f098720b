#!/usr/bin/env bash
# Keeps the dependency direction of DESIGN.md: services -> (net/, aio/) ->
# runtime. The runtime (shard/ itself and shard/stats/), net/ and aio/ must
# include no service header (shard/kv, shard/admin, shard/files).
# Usage: tools/checks/layering.sh [source root]; prints offenders, exits 1.
set -euo pipefail
cd "${1:-$(dirname "$0")/../..}"
files=$(ls shard/*.h shard/*.cc shard/stats/*.h shard/stats/*.cc 2>/dev/null |
          grep -v '^shard/shardd_main.cc$' || true)
files+=" $(find net aio -name '*.h' -o -name '*.cc' 2>/dev/null || true)"
# shellcheck disable=SC2086
if grep -nE '#include "shard/(kv|admin|files)/' $files; then
  echo "layering: the files above include a service header" >&2
  exit 1
fi
