#include "shard/kv/commands/command_table.h"

#include <cstddef>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "shard/kv/commands/family_tables.h"
#include "shard/string_view_hash.h"

namespace shardd::kv {
namespace {

// No Redis command name is longer than this, so FindCommand can lower-case
// into a fixed stack buffer instead of allocating; longer names match nothing.
constexpr size_t kLongestName = 32;

using CommandIndex =
    absl::flat_hash_map<std::string_view, const CommandSpec*, StringViewHash>;

const CommandIndex& Index() {
  static const CommandIndex* const index = [] {
    auto* built = new CommandIndex();
    for (const CommandSpec* spec : AllCommands()) built->emplace(spec->name, spec);
    return built;
  }();
  return *index;
}

}  // namespace

const CommandSpec* CommandFinder::Find(std::string_view name) {
  if (last_spec_ != nullptr && name == last_name_) return last_spec_;
  const CommandSpec* spec = FindCommand(name);
  if (spec != nullptr) {
    last_name_.assign(name);
    last_spec_ = spec;
  }
  return spec;
}

const CommandSpec* FindCommand(std::string_view name) {
  if (name.size() > kLongestName) return nullptr;
  char lower[kLongestName];
  for (size_t i = 0; i < name.size(); ++i) {
    lower[i] = absl::ascii_tolower(static_cast<unsigned char>(name[i]));
  }
  const CommandIndex& index = Index();
  auto it = index.find(std::string_view(lower, name.size()));
  if (it == index.end()) return nullptr;
  return it->second;
}

const std::vector<const CommandSpec*>& AllCommands() {
  static const std::vector<const CommandSpec*>* const all = [] {
    auto* joined = new std::vector<const CommandSpec*>();
    for (absl::Span<const CommandSpec> table :
         {StringCommandTable(), KeyCommandTable(), HashCommandTable(),
          ListCommandTable(), SetCommandTable(), ZSetCommandTable(),
          GeoCommandTable(), HyperLogLogCommandTable(), ServerCommandTable(),
          ConnectionCommandTable(), PubSubCommandTable()}) {
      for (const CommandSpec& spec : table) joined->push_back(&spec);
    }
    return joined;
  }();
  return *all;
}

void FindWrittenKeyPositions(const CommandSpec& spec, CommandArgs args,
                             std::vector<size_t>* positions) {
  // Most writes write every key they name: they pay a set lookup here, and
  // allocate nothing.
  static const absl::flat_hash_set<const CommandSpec*>* const reading = [] {
    auto* found = new absl::flat_hash_set<const CommandSpec*>();
    for (const CommandSpec* command : AllCommands()) {
      if (HasReadOnlyKeySpec(*command)) found->insert(command);
    }
    return found;
  }();
  std::vector<std::pair<size_t, bool>> keys;
  if (!reading->contains(&spec) || !KeysByAccess(spec, args, &keys)) {
    FindKeyPositions(spec, args, positions);
    return;
  }
  for (const auto& [position, read_only] : keys) {
    if (!read_only) positions->push_back(position);
  }
}

}  // namespace shardd::kv
