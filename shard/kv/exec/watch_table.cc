#include "shard/kv/exec/watch_table.h"

namespace shardd::kv {

WatchTable::Mark WatchTable::Watch(std::string_view key, bool exists) {
  auto [it, inserted] = keys_.try_emplace(key);
  if (inserted) it->second.version = clock_;
  ++it->second.watchers;
  return {.version = it->second.version, .existed = exists};
}

void WatchTable::Unwatch(std::string_view key) {
  auto it = keys_.find(key);
  if (it == keys_.end()) return;
  if (--it->second.watchers == 0) keys_.erase(it);
}

void WatchTable::Touch(std::string_view key) {
  auto it = keys_.find(key);
  if (it != keys_.end()) it->second.version = ++clock_;
}

bool WatchTable::Changed(std::string_view key, const Mark& mark,
                         bool exists) const {
  auto it = keys_.find(key);
  if (it == keys_.end()) return true;  // not watched: cannot vouch for it
  return it->second.version != mark.version || (mark.existed && !exists);
}

}  // namespace shardd::kv
