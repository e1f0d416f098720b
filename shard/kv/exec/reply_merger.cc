#include "shard/kv/exec/reply_merger.h"

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
    case Merge::kAnyNonNull: {
      size_t found = 0;
      for (const std::string& reply : replies) found += !resp::IsNull(reply);
      if (found == 0) {
        writer.NullBulk();
        return;
      }
      // The pick-th non-null reply, uniformly.
      size_t pick = absl::Uniform<size_t>(random, 0, found);
      for (const std::string& reply : replies) {
        if (resp::IsNull(reply)) continue;
        if (pick-- == 0) {
          out->append(reply);
          return;
        }
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
