#include "shard/kv/store.h"

namespace shardd::kv {

void Entry::AssignString(std::string_view value) {
  type_ = ValueType::kString;
  string_.assign(value.data(), value.size());
}

Entry* Store::Find(std::string_view key, int64_t now_ms) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  const int64_t expire_at_ms = it->second.expire_at_ms_;
  if (IsExpired(expire_at_ms, now_ms)) {
    expiry_index_.erase(
        std::pair<int64_t, std::string_view>(expire_at_ms, key));
    entries_.erase(it);
    return nullptr;
  }
  return &it->second;
}

Entry& Store::SetString(std::string_view key, std::string_view value,
                        int64_t expire_at_ms) {
  auto [it, inserted] = entries_.try_emplace(key);
  Entry& entry = it->second;
  entry.AssignString(value);
  UpdateExpiry(key, entry, expire_at_ms);
  return entry;
}

bool Store::SetExpiry(std::string_view key, int64_t expire_at_ms) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return false;
  UpdateExpiry(key, it->second, expire_at_ms);
  return true;
}

bool Store::Erase(std::string_view key, int64_t now_ms) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return false;
  const int64_t expire_at_ms = it->second.expire_at_ms_;
  if (expire_at_ms != 0) {
    expiry_index_.erase(
        std::pair<int64_t, std::string_view>(expire_at_ms, key));
  }
  entries_.erase(it);
  return !IsExpired(expire_at_ms, now_ms);
}

size_t Store::ActiveExpireCycle(int64_t now_ms, size_t max_keys) {
  size_t deleted = 0;
  while (deleted < max_keys && !expiry_index_.empty()) {
    auto first = expiry_index_.begin();
    if (!IsExpired(first->first, now_ms)) break;
    entries_.erase(first->second);
    expiry_index_.erase(first);
    ++deleted;
  }
  return deleted;
}

void Store::Clear() {
  entries_.clear();
  expiry_index_.clear();
}

void Store::UpdateExpiry(std::string_view key, Entry& entry,
                         int64_t expire_at_ms) {
  if (entry.expire_at_ms_ == expire_at_ms) return;
  if (entry.expire_at_ms_ != 0) {
    expiry_index_.erase(
        std::pair<int64_t, std::string_view>(entry.expire_at_ms_, key));
  }
  if (expire_at_ms != 0) expiry_index_.emplace(expire_at_ms, key);
  entry.expire_at_ms_ = expire_at_ms;
}

}  // namespace shardd::kv
