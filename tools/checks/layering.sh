#!/usr/bin/env bash
# Keeps the dependency direction of DESIGN.md (Layout): services -> (net/,
# aio/) -> runtime, and inside the KV service
#   store/ <- commands/ <- commands/<family>/ <- exec/ <- kv_service, session.
# Each rule names the files it covers and the includes they must not have.
# Usage: tools/checks/layering.sh [source root]; prints offenders, exits 1.
set -euo pipefail
cd "${1:-$(dirname "$0")/../..}"

status=0
# forbid <what> <include regex> <files...>: no file may match the regex.
forbid() {
  local what=$1 pattern=$2
  shift 2
  [ $# -eq 0 ] && return 0
  if grep -nE "#include \"($pattern)" "$@"; then
    echo "layering: $what" >&2
    status=1
  fi
}
sources() { find "$@" \( -name '*.h' -o -name '*.cc' \) 2>/dev/null | sort; }

runtime=$(ls shard/*.h shard/*.cc 2>/dev/null | grep -v '^shard/shardd_main.cc$' || true)
# shellcheck disable=SC2086
forbid "the runtime, net/ and aio/ include no service header" \
  'shard/(kv|admin|files)/' $runtime $(sources shard/stats net aio)
# shellcheck disable=SC2086
forbid "kv store/ includes nothing above it" \
  'shard/kv/(commands|exec)/|shard/kv/[a-z_]+\.h' $(sources shard/kv/store)
# shellcheck disable=SC2086
forbid "kv commands/ includes nothing from exec/ or the service" \
  'shard/kv/exec/|shard/kv/[a-z_]+\.h' $(sources shard/kv/commands)
families=$(find shard/kv/commands -mindepth 1 -maxdepth 1 -type d -printf '%f\n' |
             sort)
for name in $families; do
  others=$(echo "$families" | grep -vx "$name" | paste -sd '|' -)
  [ -z "$others" ] && continue
  # shellcheck disable=SC2046
  forbid "kv commands/$name includes no other family" \
    "shard/kv/commands/($others)/" $(sources "shard/kv/commands/$name")
done
# shellcheck disable=SC2086
forbid "kv exec/ includes nothing of the service above it" \
  'shard/kv/[a-z_]+\.h' $(sources shard/kv/exec)
exit $status
