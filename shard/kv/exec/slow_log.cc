#include "shard/kv/exec/slow_log.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace shardd::kv {
namespace {

// Redis's SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING.
constexpr size_t kMaxArgs = 32;
constexpr size_t kMaxArgBytes = 128;

}  // namespace

void SlowLog::Record(uint64_t id, int64_t unix_seconds, uint64_t duration_us,
                     CommandArgs args, uint64_t client_id, uint64_t max_len) {
  if (max_len == 0) {
    entries_.clear();
    return;
  }
  SlowLogEntry entry{.id = id,
                     .unix_seconds = unix_seconds,
                     .duration_us = duration_us,
                     .client_id = client_id};
  const size_t kept = args.size() > kMaxArgs ? kMaxArgs - 1 : args.size();
  entry.args.reserve(kept + 1);
  for (size_t i = 0; i < kept; ++i) {
    const std::string_view arg = args[i];
    if (arg.size() <= kMaxArgBytes) {
      entry.args.emplace_back(arg);
    } else {
      entry.args.push_back(
          absl::StrCat(std::string(arg.substr(0, kMaxArgBytes)), "... (",
                       arg.size() - kMaxArgBytes, " more bytes)"));
    }
  }
  if (kept < args.size()) {
    entry.args.push_back(
        absl::StrCat("... (", args.size() - kept, " more arguments)"));
  }
  entries_.push_front(std::move(entry));
  while (entries_.size() > max_len) entries_.pop_back();
}

}  // namespace shardd::kv
