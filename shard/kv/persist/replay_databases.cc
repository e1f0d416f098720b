// Records over whole databases (FLUSHALL, FLUSHDB, SWAPDB) in a replay:
// every shard's file has such a record, so each file's applies to the keys
// whose history that file holds, and no others (replay.h).
#include <string>
#include <utility>
#include <vector>

#include "shard/invoke_on.h"
#include "shard/kv/persist/replay.h"
#include "shard/shard_set.h"

namespace shardd::kv {

Task<void> Recovery::FlushKeysOf(uint32_t index, uint32_t files,
                                 std::optional<uint32_t> db) {
  const uint32_t shard_count = shards_.shard_count();
  for (uint32_t s = 0; s < shard_count; ++s) {
    co_await InvokeOn(s, [this, s, index, files, shard_count, db] {
      shards_.Local().dbs.ForEach([&](uint32_t number, Store& store) {
        if (db.has_value() && number != *db) return;
        if (files == shard_count) {
          if (s == index) store.Clear();
          return;
        }
        store.EraseIf([index, files](std::string_view key) {
          return ShardSet::OwnerOf(key, files) == index;
        });
      });
    });
  }
}

Task<void> Recovery::SwapKeysOf(uint32_t index, uint32_t files, uint32_t a,
                                uint32_t b) {
  const uint32_t shard_count = shards_.shard_count();
  for (uint32_t s = 0; s < shard_count; ++s) {
    co_await InvokeOn(s, [this, s, index, files, shard_count, a, b] {
      Databases& dbs = shards_.Local().dbs;
      if (files == shard_count) {
        if (s == index) dbs.Swap(a, b);
        return;
      }
      // Each database's keys of that file, taken out, then put in the
      // other. (Loading: nothing expires, time is 0.)
      const auto take = [index, files](Store& store) {
        std::vector<std::string> keys;
        store.ForEachKey(0, [&](std::string_view key, const Entry&) {
          if (ShardSet::OwnerOf(key, files) == index) keys.emplace_back(key);
        });
        std::vector<std::pair<std::string, Entry>> taken;
        for (std::string& key : keys) {
          Entry entry = std::move(*store.Find(key, 0));
          store.Erase(key, 0);
          taken.emplace_back(std::move(key), std::move(entry));
        }
        return taken;
      };
      auto from_a = take(dbs.Db(a));
      auto from_b = take(dbs.Db(b));
      for (auto& [key, entry] : from_a) dbs.Db(b).Put(key, std::move(entry));
      for (auto& [key, entry] : from_b) dbs.Db(a).Put(key, std::move(entry));
    });
  }
}

}  // namespace shardd::kv
