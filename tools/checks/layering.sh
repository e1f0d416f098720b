#!/usr/bin/env bash
# Keeps the dependency direction of docs/architecture.md: services -> (net/,
# aio/) -> runtime, and inside the KV service
#   store/ <- commands/ (shared) <- commands/<family>/ <- command_table
#          <- exec/ <- kv_service, resp_session; pubsub/ <- exec/.
# Each rule names the files it covers and the includes they must not have.
# Includes are checked as written, from the source root ("shard/kv/...").
# Usage: tools/checks/layering.sh [source root]; prints offenders, exits 1.
set -euo pipefail
cd "${1:-$(dirname "$0")/../..}"

status=0
# forbid <rule> <include regex> <files...>: no file may match the regex.
forbid() {
  local rule=$1 pattern=$2
  shift 2
  [ $# -eq 0 ] && return 0
  if grep -HnE "#include \"($pattern)" "$@"; then
    echo "layering: $rule" >&2
    status=1
  fi
}
sources() { find "$@" \( -name '*.h' -o -name '*.cc' \) 2>/dev/null | sort; }

runtime=$(ls shard/*.h shard/*.cc 2>/dev/null |
            grep -v '^shard/shardd_main.cc$' || true)
families=$(find shard/kv/commands -mindepth 1 -maxdepth 1 -type d \
             -printf '%f\n' 2>/dev/null | sort)
any_family=$(echo "$families" | paste -sd '|' -)

# shellcheck disable=SC2086
forbid "the runtime, net/ and aio/ include no service header" \
  'shard/(kv|admin|files)/' $runtime $(sources shard/stats net aio)
# shellcheck disable=SC2046
forbid "kv store/ includes nothing above it" \
  'shard/kv/(commands|exec)/|shard/kv/[a-z_]+\.h' $(sources shard/kv/store)
# shellcheck disable=SC2046
forbid "kv commands/ includes nothing from exec/ or the service" \
  'shard/kv/exec/|shard/kv/[a-z_]+\.h' $(sources shard/kv/commands)
# shellcheck disable=SC2046
forbid "kv commands/ (shared) includes no family" \
  "shard/kv/commands/($any_family)/" \
  $(find shard/kv/commands -maxdepth 1 \( -name '*.h' -o -name '*.cc' \) |
      sort)
for name in $families; do
  others=$(echo "$families" | grep -vx "$name" | paste -sd '|' - || true)
  [ -n "$others" ] || continue
  # shellcheck disable=SC2046
  forbid "kv commands/$name includes no other family" \
    "shard/kv/commands/($others)/" $(sources "shard/kv/commands/$name")
done
# shellcheck disable=SC2046
forbid "kv families do not include the joined table (it includes them)" \
  'shard/kv/commands/command_table\.h' \
  $(find shard/kv/commands -mindepth 2 \( -name '*.h' -o -name '*.cc' \) |
      sort)
# shellcheck disable=SC2046
forbid "kv exec/ reaches commands through the table, not a family's files" \
  "shard/kv/commands/($any_family)/" $(sources shard/kv/exec)
# shellcheck disable=SC2046
forbid "kv exec/ includes nothing of the service above it" \
  'shard/kv/[a-z_]+\.h' $(sources shard/kv/exec)
# shellcheck disable=SC2046
forbid "kv pubsub/ (below exec/) includes nothing from exec/ or the service" \
  'shard/kv/exec/|shard/kv/[a-z_]+\.h' $(sources shard/kv/pubsub)
exit $status
