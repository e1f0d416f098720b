#include "shard/kv/store.h"

#include "shard/kv/hash_value.h"
#include "shard/kv/list_value.h"
#include "shard/kv/set_value.h"
#include "shard/kv/zset_value.h"

namespace shardd::kv {

Entry::Entry() = default;
Entry::~Entry() = default;
Entry::Entry(Entry&&) noexcept = default;
Entry& Entry::operator=(Entry&&) noexcept = default;

Entry Entry::Clone() const {
  Entry copy;
  copy.expire_at_ms_ = expire_at_ms_;
  std::visit(
      [&copy](const auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::string>) {
          copy.value_ = value;
        } else {
          copy.value_ = std::make_unique<typename T::element_type>(*value);
        }
      },
      value_);
  return copy;
}

bool Entry::operator==(const Entry& other) const {
  if (expire_at_ms_ != other.expire_at_ms_ || type() != other.type()) {
    return false;
  }
  return std::visit(
      [&other](const auto& value) {
        using T = std::decay_t<decltype(value)>;
        const T& theirs = std::get<T>(other.value_);
        if constexpr (std::is_same_v<T, std::string>) {
          return value == theirs;
        } else {
          return *value == *theirs;
        }
      },
      value_);
}

void Entry::AssignString(std::string_view value) {
  if (auto* text = std::get_if<std::string>(&value_)) {
    text->assign(value.data(), value.size());  // reuses the buffer
  } else {
    value_ = std::string(value);
  }
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

Entry& Store::Create(std::string_view key, ValueType type) {
  auto [it, inserted] = entries_.try_emplace(key);
  Entry& entry = it->second;
  switch (type) {
    case ValueType::kString:
      entry.value_ = std::string();
      break;
    case ValueType::kList:
      entry.value_ = std::make_unique<ListValue>();
      break;
    case ValueType::kHash:
      entry.value_ = std::make_unique<HashValue>();
      break;
    case ValueType::kSet:
      entry.value_ = std::make_unique<SetValue>();
      break;
    case ValueType::kZSet:
      entry.value_ = std::make_unique<ZSetValue>();
      break;
  }
  UpdateExpiry(key, entry, 0);
  return entry;
}

Entry* Store::FindTyped(std::string_view key, ValueType type, int64_t now_ms,
                        bool* wrong_type) {
  Entry* entry = Find(key, now_ms);
  if (entry != nullptr && entry->type() != type) {
    *wrong_type = true;
    return nullptr;
  }
  return entry;
}

void Store::Put(std::string_view key, Entry entry) {
  const int64_t expire_at_ms = entry.expire_at_ms_;
  entry.expire_at_ms_ = 0;
  auto [it, inserted] = entries_.try_emplace(key);
  const int64_t old_expiry = it->second.expire_at_ms_;
  it->second = std::move(entry);
  // Keep the index in step: it still lists the old expiry, if any.
  it->second.expire_at_ms_ = old_expiry;
  UpdateExpiry(key, it->second, expire_at_ms);
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

std::optional<std::string> Store::RandomKey(int64_t now_ms, size_t skip) {
  while (!entries_.empty()) {
    auto it = entries_.begin();
    for (size_t i = 0; i < skip % entries_.size(); ++i) ++it;
    if (!IsExpired(it->second.expire_at_ms_, now_ms)) return it->first;
    const std::string key = it->first;
    Erase(key, now_ms);
  }
  return std::nullopt;
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
