#include "shard/kv/exec/key_prefetcher.h"

#include <cstdint>

#include "net/resp/request_parser.h"
#include "shard/kv/commands/command.h"
#include "shard/kv/store/prefetch_window.h"
#include "shard/shard_set.h"

namespace shardd::kv {

static_assert(KeyPrefetcher::kDepth <= Store::kPrefetchWindow,
              "every request's key fits in one window");
namespace {

// Arguments kept over the requests of one Prefetch: a request of many more
// costs far more to run than to parse again, and they would stay allocated.
constexpr size_t kMostKeptArgs = 1024;

}  // namespace

bool KeyPrefetcher::Keep(std::string_view request, resp::ParseStatus status) {
  if (parsed_args_.size() + args_.size() > kMostKeptArgs) return false;
  const auto begin = reinterpret_cast<uintptr_t>(request.data());
  for (std::string_view arg : args_) {
    const auto at = reinterpret_cast<uintptr_t>(arg.data());
    if (at < begin || at + arg.size() > begin + request.size()) {
      return false;
    }
  }
  parsed_[parsed_count_++] = {
      .begin = request.data(),
      .consumed = request.size(),
      .status = status,
      .first_arg = static_cast<uint32_t>(parsed_args_.size()),
      .arg_count = static_cast<uint32_t>(args_.size())};
  parsed_args_.insert(parsed_args_.end(), args_.begin(), args_.end());
  return true;
}

bool KeyPrefetcher::TakeParsed(const void* reader, std::string_view input,
                               std::vector<std::string_view>* args,
                               resp::ParseResult* parsed) {
  if (reader != reader_ || next_parsed_ == parsed_count_) return false;
  const Parsed& next = parsed_[next_parsed_];
  if (next.begin != input.data() || next.consumed > input.size()) {
    // Not where this connection's input is now: none is taken any more.
    parsed_count_ = next_parsed_ = 0;
    return false;
  }
  ++next_parsed_;
  const auto first = parsed_args_.begin() + next.first_arg;
  args->assign(first, first + next.arg_count);
  *parsed = {.status = next.status, .consumed = next.consumed};
  return true;
}

size_t KeyPrefetcher::Prefetch(KvShards& shards,
                               const resp::ParseLimits& limits,
                               std::string_view input, uint32_t db,
                               const void* reader) {
  const Reactor& here = *Reactor::Current();
  reader_ = reader;
  parsed_count_ = next_parsed_ = 0;
  parsed_args_.clear();
  bool keeping = true;
  PrefetchWindow window;
  size_t parsed_count = 0;
  while (parsed_count < kDepth && !input.empty()) {
    const resp::ParseResult parsed = resp::ParseRequest(
        input, limits, &args_, &scratch_);
    if (parsed.status != resp::ParseStatus::kComplete &&
        parsed.status != resp::ParseStatus::kEmpty) {
      break;
    }
    const std::string_view request = input.substr(0, parsed.consumed);
    input.remove_prefix(parsed.consumed);
    ++parsed_count;
    if (parsed.status == resp::ParseStatus::kEmpty) args_.clear();
    keeping = keeping && Keep(request, parsed.status);
    if (parsed.status == resp::ParseStatus::kEmpty) continue;
    if (parsed_count == 1 && input.empty()) return 1;  // a lone request
    if (args_.size() < 2) continue;
    const CommandSpec* spec = finder_.Find(args_[0]);
    if (spec == nullptr || spec->keys != KeyLayout::kFirst) continue;
    // Inline requests may view scratch_, which the next parse overwrites.
    const auto at = reinterpret_cast<uintptr_t>(args_[1].data());
    const auto begin = reinterpret_cast<uintptr_t>(request.data());
    if (at < begin || at >= begin + request.size()) continue;
    // Here, or on a shard of this thread, which runs the command at once
    // (command_router.h).
    const uint32_t owner = ShardSet::OwnerOf(args_[1], shards.shard_count());
    if (here.ThreadMate(owner) == nullptr) continue;
    window.Add(shards.On(owner).dbs.Db(db), args_[1]);
  }
  window.Finish();
  return parsed_count;
}

}  // namespace shardd::kv
