// WatchTable: one shard's versions of the keys some client WATCHes, so that
// EXEC can tell whether any of them changed since (multi_exec.h). Only
// watched keys are tracked: a write to any other key pays one check of the
// table's emptiness.
//
//   WatchTable::Mark mark = table.Watch(key, exists);  // WATCH, on the owner
//   table.Touch(key);                  // a write changed key: new version
//   bool changed = table.Changed(key, mark, exists_now);  // EXEC, locked
//   table.Unwatch(key);                // UNWATCH, EXEC, DISCARD, close
#ifndef SHARDD_SHARD_KV_EXEC_WATCH_TABLE_H_
#define SHARDD_SHARD_KV_EXEC_WATCH_TABLE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "shard/string_view_hash.h"

namespace shardd::kv {

class WatchTable {
 public:
  // What a watcher remembers of a key when it starts watching it.
  struct Mark {
    uint64_t version = 0;
    bool existed = false;  // the key was alive (not expired) then
  };

  bool empty() const { return keys_.empty(); }

  // One more watcher of `key`.
  Mark Watch(std::string_view key, bool exists);
  // One watcher fewer; the key is forgotten with its last watcher.
  void Unwatch(std::string_view key);
  // A write changed `key` (no-op for keys nobody watches).
  void Touch(std::string_view key);
  // Every watched key: FLUSHALL (`alive` says which keys exist, as Redis
  // touches only those).
  template <typename AliveFn>
  void TouchAll(AliveFn alive) {
    for (auto& [key, watch] : keys_) {
      if (alive(key)) watch.version = ++clock_;
    }
  }
  // Whether `key` changed since `mark` was taken: written since, or alive
  // then and gone now (expired, as Redis 7.0's EXEC checks).
  bool Changed(std::string_view key, const Mark& mark, bool exists) const;

 private:
  struct Watched {
    uint64_t version = 0;
    uint32_t watchers = 0;
  };
  absl::flat_hash_map<std::string, Watched, StringViewHash, std::equal_to<>>
      keys_;
  uint64_t clock_ =
      0;  // versions only grow, so a forgotten key's is never reused
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_WATCH_TABLE_H_
