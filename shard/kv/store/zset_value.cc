#include "shard/kv/store/zset_value.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "shard/kv/store/encoding_limits.h"
#include "shard/kv/store/scan_order.h"
#include "shard/kv/store/zset_member_index.h"
#include "shard/kv/store/zset_skiplist.h"

namespace shardd::kv {

struct ZSetValue::Large {
  ZSetSkipList list;
  ZSetMemberIndex index;

  void Add(std::string_view member, double score) {
    index.Insert(list.Insert(score, member, ScanHash(member)));
  }
  void Erase(ZSetNode* node) {
    index.Remove(node);
    list.Erase(node);
  }
};

ZSetValue::ZSetValue() = default;
ZSetValue::~ZSetValue() = default;
ZSetValue::ZSetValue(ZSetValue&& other) noexcept = default;
ZSetValue& ZSetValue::operator=(ZSetValue&& other) noexcept = default;

ZSetValue::ZSetValue(const ZSetValue& other) : compact_(other.compact_) {
  if (other.large_ == nullptr) return;
  large_ = std::make_unique<Large>();
  for (const ZSetNode* node = other.large_->list.first(); node != nullptr;
       node = node->next()) {
    large_->Add(node->member, node->score);
  }
}

ZSetValue& ZSetValue::operator=(const ZSetValue& other) {
  ZSetValue copy(other);
  compact_.swap(copy.compact_);
  large_.swap(copy.large_);
  return *this;
}

size_t ZSetValue::size() const {
  return large_ == nullptr ? compact_.size() : large_->list.size();
}

std::string_view ZSetValue::Encoding() const {
  return large_ == nullptr ? "listpack" : "skiplist";
}

void ZSetValue::Reserve(size_t count, size_t max_member_bytes) {
  const EncodingLimits& limits = EncodingLimits::Current();
  if (size() == 0 && large_ == nullptr &&
      (count > limits.zset_entries() ||
       max_member_bytes > limits.zset_value())) {
    ConvertToSkipList();
  }
}

size_t ZSetValue::CompactFind(std::string_view member) const {
  for (size_t i = 0; i < compact_.size(); ++i) {
    if (compact_[i].member == member) return i;
  }
  return compact_.size();
}

std::optional<double> ZSetValue::Score(std::string_view member) const {
  if (large_ != nullptr) {
    const ZSetNode* node = large_->index.Find(member, ScanHash(member));
    if (node == nullptr) return std::nullopt;
    return node->score;
  }
  const size_t i = CompactFind(member);
  if (i == compact_.size()) return std::nullopt;
  return compact_[i].score;
}

bool ZSetValue::Put(std::string_view member, double score) {
  if (large_ == nullptr) {
    const size_t i = CompactFind(member);
    const bool added = i == compact_.size();
    // Copied first: `member` may be a view of the element erased below.
    // Adding 0.0 turns -0 into 0, as a listpack's integer would.
    Element element{score + 0.0, std::string(member)};
    if (!added) {
      if (compact_[i].score == score) return false;
      compact_.erase(compact_.begin() + i);
    } else if (compact_.size() + 1 > EncodingLimits::Current().zset_entries() ||
               member.size() > EncodingLimits::Current().zset_value()) {
      ConvertToSkipList();
    }
    if (large_ == nullptr) {
      auto at =
          std::lower_bound(compact_.begin(), compact_.end(), element,
                           [](const Element& a, const Element& b) {
                             return a.score < b.score ||
                                    (a.score == b.score && a.member < b.member);
                           });
      compact_.insert(at, std::move(element));
      return added;
    }
  }
  const uint64_t hash = ScanHash(member);
  ZSetNode* old = large_->index.Find(member, hash);
  if (old != nullptr && old->score == score) return false;
  // Insert before erasing: `member` may be a view of the old node's bytes.
  ZSetNode* node = large_->list.Insert(score, member, hash);
  if (old != nullptr) large_->Erase(old);
  large_->index.Insert(node);
  return old == nullptr;
}

bool ZSetValue::Remove(std::string_view member) {
  if (large_ != nullptr) {
    ZSetNode* node = large_->index.Find(member, ScanHash(member));
    if (node == nullptr) return false;
    large_->Erase(node);
    return true;
  }
  const size_t i = CompactFind(member);
  if (i == compact_.size()) return false;
  compact_.erase(compact_.begin() + i);
  return true;
}

std::optional<size_t> ZSetValue::Rank(std::string_view member) const {
  if (large_ != nullptr) {
    const ZSetNode* node = large_->index.Find(member, ScanHash(member));
    if (node == nullptr) return std::nullopt;
    return large_->list.RankOf(node);
  }
  const size_t i = CompactFind(member);
  if (i == compact_.size()) return std::nullopt;
  return i;
}

size_t ZSetValue::CountWhile(
    absl::FunctionRef<bool(double score, std::string_view member)> before)
    const {
  if (large_ != nullptr) {
    return large_->list.CountWhile(
        [&](const ZSetNode& node) { return before(node.score, node.member); });
  }
  return static_cast<size_t>(
      std::partition_point(
          compact_.begin(), compact_.end(),
          [&](const Element& e) { return before(e.score, e.member); }) -
      compact_.begin());
}

void ZSetValue::ForEachInRanks(size_t first, size_t end, bool reverse,
                               Visit visit) const {
  if (first >= end) return;
  if (large_ == nullptr) {
    for (size_t k = 0; k < end - first; ++k) {
      const Element& e = compact_[reverse ? end - 1 - k : first + k];
      visit(e.member, e.score);
    }
    return;
  }
  const ZSetNode* node = large_->list.AtRank(reverse ? end - 1 : first);
  for (size_t k = 0; k < end - first; ++k) {
    visit(node->member, node->score);
    node = reverse ? node->backward : node->next();
  }
}

void ZSetValue::EraseRanks(size_t first, size_t end) {
  if (first >= end) return;
  if (large_ == nullptr) {
    compact_.erase(compact_.begin() + first, compact_.begin() + end);
    return;
  }
  ZSetNode* node = large_->list.AtRank(first);
  for (size_t k = first; k < end; ++k) {
    ZSetNode* next = node->next();
    large_->Erase(node);
    node = next;
  }
}

uint64_t ZSetValue::Scan(uint64_t cursor, size_t count, Visit visit) const {
  if (large_ != nullptr) {
    return large_->index.Scan(cursor, count, [&](const ZSetNode& node) {
      visit(node.member, node.score);
    });
  }
  for (const Element& e : compact_) visit(e.member, e.score);
  return 0;
}

void ZSetValue::ConvertToSkipList() {
  if (!is_compact()) return;
  large_ = std::make_unique<Large>();
  for (const Element& e : compact_) large_->Add(e.member, e.score);
  compact_.clear();
  compact_.shrink_to_fit();
}

bool ZSetValue::operator==(const ZSetValue& other) const {
  if (is_compact() != other.is_compact() || size() != other.size()) {
    return false;
  }
  // Walk both in rank order; scores compare bitwise so that -0 and 0 differ
  // as they do in replies.
  std::vector<std::pair<double, std::string>> mine;
  ForEachInRanks(0, size(), /*reverse=*/false,
                 [&](std::string_view member, double score) {
                   mine.emplace_back(score, std::string(member));
                 });
  size_t i = 0;
  bool same = true;
  other.ForEachInRanks(0, other.size(), /*reverse=*/false,
                       [&](std::string_view member, double score) {
                         same = same && std::signbit(score) ==
                                            std::signbit(mine[i].first) &&
                                score == mine[i].first &&
                                member == mine[i].second;
                         ++i;
                       });
  return same;
}

}  // namespace shardd::kv
