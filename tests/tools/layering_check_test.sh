#!/usr/bin/env bash
# Proves that tools/checks/layering.sh catches what it is meant to: on a copy
# of the source tree it passes, then fails for each planted violation, one
# rule at a time, naming the offending file.
# Usage: tests/tools/layering_check_test.sh <source root>
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
# plant <file> <include>: the check must fail and name <file>.
plant() {
  local file=$1 include=$2
  fresh_copy
  echo "#include \"$include\"" >> "$work/tree/$file"
  local out
  if out=$("$check" "$work/tree" 2>&1); then
    echo "FAIL: $file including $include was not caught" >&2
    failures=$((failures + 1))
  elif ! grep -q "$file" <<<"$out"; then
    echo "FAIL: $file including $include: offender not named:" >&2
    echo "$out" >&2
    failures=$((failures + 1))
  else
    echo "ok: $file including $include is refused"
  fi
}

plant shard/reactor.cc shard/kv/kv_service.h
plant shard/stats/shard_stats.h shard/admin/admin_service.h
plant net/acceptor.cc shard/kv/exec/command_router.h
plant aio/file.h shard/files/file_service.h
plant shard/kv/store/store.h shard/kv/commands/command.h
plant shard/kv/store/entry.cc shard/kv/kv_service.h
plant shard/kv/commands/command.h shard/kv/exec/kv_shards.h
plant shard/kv/commands/strings/string_commands.cc shard/kv/resp_session.h
plant shard/kv/commands/zset/zset_commands.cc shard/kv/commands/set/set_handlers.h
plant shard/kv/exec/command_router.cc shard/kv/kv_service.h

[ "$failures" -eq 0 ] || exit 1
