#include "shard/kv/exec/reply_merger.h"

#include <cstdint>
#include <optional>

#include "absl/random/distributions.h"
#include "net/resp/reply_reader.h"
#include "net/resp/reply_writer.h"

namespace shardd::kv {
namespace {

template <typename T>
void DropIfLarge(T& buffer, size_t most) {
  if (buffer.capacity() > most) T().swap(buffer);
}

}  // namespace

void ReplyMerger::Trim(size_t most) {
  DropIfLarge(ordered_, most);
  DropIfLarge(elements_, most);
  DropIfLarge(weights_, most);
}

void ReplyMerger::Merge(const CommandSpec& spec,
                        absl::Span<const std::string> replies,
                        absl::Span<const std::vector<size_t>> key_positions,
                        size_t key_count, absl::BitGen& random,
                        resp::Protocol protocol, std::string* out) {
  for (const std::string& reply : replies) {
    if (!reply.empty() && reply[0] == '-') {
      out->append(reply);
      return;
    }
  }
  resp::ReplyWriter writer(out, protocol);
  switch (spec.merge) {
    case Merge::kSumIntegers: {
      int64_t total = 0;
      for (const std::string& reply : replies) {
        total += resp::IntegerValue(reply).value_or(0);
      }
      writer.Integer(total);
      return;
    }
    case Merge::kArrayByKey: {
      ordered_.assign(key_count, std::string_view());
      for (size_t part = 0; part < replies.size(); ++part) {
        elements_.clear();
        resp::SplitArray(replies[part], &elements_);
        const std::vector<size_t>& positions = key_positions[part];
        for (size_t i = 0; i < positions.size() && i < elements_.size(); ++i) {
          ordered_[positions[i]] = elements_[i];
        }
      }
      writer.ArrayHeader(key_count);
      for (std::string_view element : ordered_) out->append(element);
      return;
    }
    case Merge::kConcatArrays: {
      elements_.clear();
      for (const std::string& reply : replies) {
        resp::SplitArray(reply, &elements_);
      }
      writer.ArrayHeader(elements_.size());
      for (std::string_view element : elements_) out->append(element);
      return;
    }
    case Merge::kWeightedByKeys: {
      // Each shard picked uniformly among its keys; taking shard s with the
      // chance count_s / total makes the pick uniform over the keyspace.
      weights_.clear();
      elements_.clear();
      uint64_t total = 0;
      for (const std::string& reply : replies) {
        ordered_.clear();
        std::optional<int64_t> count;
        if (resp::SplitArray(reply, &ordered_) && ordered_.size() == 2) {
          count = resp::IntegerValue(ordered_[0]);
        }
        if (!count) {
          // A lone shard's part is the bare reply (the handler adds the
          // count only when there are several).
          count = resp::IsNull(reply) ? 0 : 1;
          ordered_.assign({std::string_view(), reply});
        }
        const uint64_t weight = *count > 0 ? static_cast<uint64_t>(*count) : 0;
        weights_.push_back(weight);
        elements_.push_back(ordered_[1]);
        total += weight;
      }
      if (total == 0) {
        writer.NullBulk();
        return;
      }
      uint64_t pick = absl::Uniform<uint64_t>(random, 0, total);
      for (size_t part = 0; part < replies.size(); ++part) {
        if (pick < weights_[part]) {
          out->append(elements_[part]);
          return;
        }
        pick -= weights_[part];
      }
      return;
    }
    case Merge::kAllOk:
    case Merge::kSingle:
    case Merge::kCoordinated:  // never split (atomic_command.h)
      writer.Ok();
      return;
  }
}

}  // namespace shardd::kv
