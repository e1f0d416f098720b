#!/usr/bin/env bash
# Proves that tools/checks/layering.sh catches what it is meant to: on a copy
# of the source tree it passes, then fails for each planted violation, one
# rule at a time, naming the offending file and the rule it breaks.
# Usage: tests/tools/checks/layering_test.sh <source root>
set -euo pipefail
root=$(cd "${1:?source root}" && pwd)
check="$root/tools/checks/layering.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fresh_copy() {
  rm -rf "$work/tree"
  mkdir -p "$work/tree"
  cp -r "$root/shard" "$root/net" "$root/aio" "$work/tree/"
}

fresh_copy
if ! "$check" "$work/tree" >/dev/null 2>&1; then
  echo "FAIL: the unmodified tree does not pass" >&2
  "$check" "$work/tree" >&2 || true
  exit 1
fi

failures=0
# plant <file> <include> <rule>: the check must fail, name <file> and print
# the line of <rule>.
plant() {
  local file=$1 include=$2 rule=$3
  fresh_copy
  echo "#include \"$include\"" >> "$work/tree/$file"
  local out
  if out=$("$check" "$work/tree" 2>&1); then
    echo "FAIL: $file including $include was not caught" >&2
    failures=$((failures + 1))
  elif ! grep -qF "$file:" <<<"$out" ||
       ! grep -qF "layering: $rule" <<<"$out"; then
    echo "FAIL: $file including $include: expected '$rule' naming it, got:" >&2
    echo "$out" >&2
    failures=$((failures + 1))
  else
    echo "ok: $file including $include: $rule"
  fi
}

runtime="the runtime, net/ and aio/ include no service header"
plant shard/reactor.cc shard/kv/kv_service.h "$runtime"
plant shard/stats/shard_stats.h shard/admin/admin_service.h "$runtime"
plant net/acceptor.cc shard/kv/exec/command_router.h "$runtime"
plant aio/file.h shard/files/file_service.h "$runtime"
plant shard/kv/store/store.h shard/kv/commands/command.h \
  "kv store/ includes nothing above it"
plant shard/kv/store/entry.cc shard/kv/kv_service.h \
  "kv store/ includes nothing above it"
plant shard/kv/commands/command.h shard/kv/exec/kv_shards.h \
  "kv commands/ includes nothing from exec/ or the service"
plant shard/kv/commands/strings/string_commands.cc shard/kv/resp_session.h \
  "kv commands/ includes nothing from exec/ or the service"
plant shard/kv/commands/scan_arguments.h shard/kv/commands/keys/key_handlers.h \
  "kv commands/ (shared) includes no family"
plant shard/kv/commands/zset/zset_commands.cc \
  shard/kv/commands/set/set_handlers.h "kv commands/zset includes no other family"
# A folder of one file: grep must still name it.
plant shard/kv/commands/connection/connection_commands.cc \
  shard/kv/commands/server/server_handlers.h \
  "kv commands/connection includes no other family"
plant shard/kv/commands/hash/hash_commands.cc \
  shard/kv/commands/command_table.h \
  "kv families do not include the joined table (it includes them)"
plant shard/kv/exec/command_router.cc shard/kv/commands/keys/key_handlers.h \
  "kv exec/ reaches commands through the table, not a family's files"
plant shard/kv/exec/command_router.cc shard/kv/kv_service.h \
  "kv exec/ includes nothing of the service above it"

[ "$failures" -eq 0 ] || exit 1
