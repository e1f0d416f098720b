#include "shard/kv/commands/server/command_docs.h"

#include <algorithm>
#include <iterator>

#include "shard/kv/commands/server/subcommand_range.h"

namespace shardd::kv {
namespace {

// Sorted by name (the generator writes them so).
constexpr CommandDocs kDocs[] = {
#include "shard/kv/commands/server/command_docs.inc"
};

}  // namespace

const CommandDocs* FindCommandDocs(std::string_view name) {
  const auto it =
      std::lower_bound(std::begin(kDocs), std::end(kDocs), name,
                       [](const CommandDocs& docs, std::string_view n) {
                         return docs.name < n;
                       });
  return it != std::end(kDocs) && it->name == name ? &*it : nullptr;
}

std::span<const CommandDocs> SubcommandDocs(std::string_view parent) {
  return SubcommandRange(std::span<const CommandDocs>(kDocs), parent);
}

}  // namespace shardd::kv
