#include "shard/kv/commands/server/command_meta.h"

#include <algorithm>
#include <iterator>

#include "shard/kv/commands/server/subcommand_range.h"

namespace shardd::kv {
namespace {

// Sorted by name (the generator writes them so).
constexpr CommandMeta kMeta[] = {
#include "shard/kv/commands/server/command_meta.inc"
};
static_assert(std::is_sorted(std::begin(kMeta), std::end(kMeta),
                             [](const CommandMeta& a, const CommandMeta& b) {
                               return a.name < b.name;
                             }),
              "FindCommandMeta searches kMeta by name");

}  // namespace

const CommandMeta* FindCommandMeta(std::string_view name) {
  const auto it =
      std::lower_bound(std::begin(kMeta), std::end(kMeta), name,
                       [](const CommandMeta& meta, std::string_view n) {
                         return meta.name < n;
                       });
  return it != std::end(kMeta) && it->name == name ? &*it : nullptr;
}

std::span<const CommandMeta> SubcommandMetas(std::string_view parent) {
  return SubcommandRange(std::span<const CommandMeta>(kMeta), parent);
}

}  // namespace shardd::kv
