#include "shard/kv/exec/key_prefetcher.h"

#include <cstdint>

#include "net/resp/request_parser.h"
#include "shard/kv/commands/command.h"
#include "shard/shard_set.h"

namespace shardd::kv {

size_t KeyPrefetcher::Prefetch(KvShards& shards,
                               const resp::ParseLimits& limits,
                               std::string_view input, uint32_t db) {
  const Reactor& here = *Reactor::Current();
  size_t key_count = 0;
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
    stores_[key_count] = &shards.On(owner).dbs.Db(db);
    keys_[key_count++] = args_[1];
  }
  for (size_t i = 0; i < key_count; ++i) stores_[i]->PrefetchSlot(keys_[i]);
  for (size_t i = 0; i < key_count; ++i) stores_[i]->PrefetchNode(keys_[i]);
  return parsed_count;
}

}  // namespace shardd::kv
