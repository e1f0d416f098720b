#include "shard/kv/key_prefetcher.h"

#include "net/resp/request_parser.h"
#include "shard/kv/command.h"
#include "shard/shard_set.h"

namespace shardd::kv {

void KeyPrefetcher::Prefetch(KvService& service, std::string_view input) {
  const uint32_t here = Reactor::Current()->shard_id();
  size_t key_count = 0;
  size_t requests = 0;
  while (requests < kDepth && !input.empty()) {
    const resp::ParseResult parsed = resp::ParseRequest(
        input, service.parse_limits(), &args_, &scratch_);
    if (parsed.status != resp::ParseStatus::kComplete &&
        parsed.status != resp::ParseStatus::kEmpty) {
      break;
    }
    input.remove_prefix(parsed.consumed);
    if (parsed.status == resp::ParseStatus::kEmpty) continue;
    ++requests;
    if (requests == 1 && input.empty()) return;  // a lone request
    if (args_.size() < 2) continue;
    const CommandSpec* spec = FindCommand(args_[0]);
    if (spec == nullptr || spec->keys != KeyLayout::kFirst) continue;
    // Inline requests may view scratch_, which the next parse overwrites.
    if (args_[1].data() < input.data() - parsed.consumed ||
        args_[1].data() >= input.data()) {
      continue;
    }
    if (ShardSet::OwnerOf(args_[1], service.shard_count()) != here) continue;
    keys_[key_count++] = args_[1];
  }
  const Store& store = service.Local().store;
  for (size_t i = 0; i < key_count; ++i) store.PrefetchSlot(keys_[i]);
  for (size_t i = 0; i < key_count; ++i) store.PrefetchNode(keys_[i]);
}

}  // namespace shardd::kv
