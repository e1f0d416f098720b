#include "shard/kv/store/set_value.h"

#include <algorithm>

#include "absl/random/distributions.h"
#include "net/resp/integer.h"
#include "shard/kv/store/encoding_limits.h"

namespace shardd::kv {

std::string_view SetValue::Encoding() const {
  return large_ ? "hashtable" : "intset";
}

bool SetValue::Contains(std::string_view member) const {
  if (large_) return table_.contains(MakeScanKeyView(member));
  // Only the canonical spelling of an integer is in an intset: "01" is not
  // the member "1".
  int64_t integer;
  return resp::ParseInteger(member, &integer) &&
         std::binary_search(integers_.begin(), integers_.end(), integer);
}

bool SetValue::Add(std::string_view member) {
  if (!large_) {
    int64_t integer;
    if (resp::ParseInteger(member, &integer)) {
      auto it = std::lower_bound(integers_.begin(), integers_.end(), integer);
      if (it != integers_.end() && *it == integer) return false;
      integers_.insert(it, integer);
      if (integers_.size() > EncodingLimits::Current().set_intset_entries()) {
        ConvertToLarge();
      }
      return true;
    }
    ConvertToLarge();
  }
  return table_.insert(MakeScanKey(member)).second;
}

bool SetValue::Remove(std::string_view member) {
  if (large_) return table_.erase(MakeScanKeyView(member)) > 0;
  int64_t integer;
  if (!resp::ParseInteger(member, &integer)) return false;
  auto it = std::lower_bound(integers_.begin(), integers_.end(), integer);
  if (it == integers_.end() || *it != integer) return false;
  integers_.erase(it);
  return true;
}

std::vector<std::string> SetValue::Members() const {
  std::vector<std::string> members;
  members.reserve(size());
  ForEach(
      [&members](std::string_view member) { members.emplace_back(member); });
  return members;
}

std::string SetValue::RandomMember(absl::BitGenRef gen) const {
  if (large_) {
    return RandomElement(table_, table_.size(),
                         [gen](uint64_t n) mutable {
                           return absl::Uniform<uint64_t>(gen, 0, n);
                         })
        ->text;
  }
  const size_t index = absl::Uniform<size_t>(gen, 0, integers_.size());
  return std::string(Format(integers_[index]).view());
}

void SetValue::ConvertToLarge() {
  for (const int64_t integer : integers_) {
    table_.insert(MakeScanKey(Format(integer).view()));
  }
  integers_ = {};
  large_ = true;
}

}  // namespace shardd::kv
