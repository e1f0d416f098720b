#include "shard/kv/store/hash_value.h"

#include <algorithm>

#include "absl/random/distributions.h"
#include "shard/kv/store/encoding_limits.h"

namespace shardd::kv {

std::string_view HashValue::Encoding() const {
  return large_ ? "hashtable" : "listpack";
}

std::vector<std::pair<std::string, std::string>>::iterator HashValue::FindPair(
    std::string_view field) {
  return std::find_if(pairs_.begin(), pairs_.end(), [field](const Pair& pair) {
    return pair.first == field;
  });
}

const std::string* HashValue::Find(std::string_view field) const {
  if (large_) {
    auto it = table_.find(MakeScanKeyView(field));
    return it == table_.end() ? nullptr : &it->second;
  }
  for (const Pair& pair : pairs_) {
    if (pair.first == field) return &pair.second;
  }
  return nullptr;
}

bool HashValue::Set(std::string_view field, std::string_view value) {
  const EncodingLimits& limits = EncodingLimits::Current();
  if (!large_ && (field.size() > limits.hash_value() ||
                  value.size() > limits.hash_value())) {
    ConvertToLarge();
  }
  if (large_) {
    auto it = table_.find(MakeScanKeyView(field));
    if (it != table_.end()) {
      it->second.assign(value.data(), value.size());
      return false;
    }
    table_.emplace(MakeScanKey(field), std::string(value));
    return true;
  }
  if (auto it = FindPair(field); it != pairs_.end()) {
    it->second.assign(value.data(), value.size());
    return false;
  }
  pairs_.emplace_back(std::string(field), std::string(value));
  if (pairs_.size() > limits.hash_entries()) ConvertToLarge();
  return true;
}

bool HashValue::Erase(std::string_view field) {
  if (large_) {
    auto it = table_.find(MakeScanKeyView(field));
    if (it == table_.end()) return false;
    table_.erase(it);
    return true;
  }
  auto it = FindPair(field);
  if (it == pairs_.end()) return false;
  pairs_.erase(it);  // keeps the insertion order of the others
  return true;
}

std::vector<HashValue::EntryView> HashValue::Entries() const {
  std::vector<EntryView> entries;
  entries.reserve(size());
  ForEach([&entries](std::string_view field, std::string_view value) {
    entries.emplace_back(field, value);
  });
  return entries;
}

HashValue::EntryView HashValue::RandomEntry(absl::BitGenRef gen) const {
  if (large_) {
    auto it = RandomElement(table_, table_.size(), [gen](uint64_t n) mutable {
      return absl::Uniform<uint64_t>(gen, 0, n);
    });
    return {it->first.text, it->second};
  }
  const Pair& pair = pairs_[absl::Uniform<size_t>(gen, 0, pairs_.size())];
  return {pair.first, pair.second};
}

void HashValue::ConvertToLarge() {
  for (Pair& pair : pairs_) {
    const uint64_t hash = ScanHash(pair.first);
    table_.emplace(ScanKey{hash, std::move(pair.first)},
                   std::move(pair.second));
  }
  pairs_ = {};
  large_ = true;
}

}  // namespace shardd::kv
