#include "shard/kv/commands/server/key_spec_search.h"

#include <cstdint>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/family_tables.h"
#include "shard/kv/commands/server/command_meta.h"

namespace shardd::kv {
namespace {

bool HasFlag(const KeySpecMeta& spec, std::string_view flag) {
  std::string_view flags = spec.flags;
  while (!flags.empty()) {
    const size_t space = flags.find(' ');
    if (flags.substr(0, space) == flag) return true;
    if (space == std::string_view::npos) break;
    flags.remove_prefix(space + 1);
  }
  return false;
}

// A key spec with variable flags leaves them to the command. Of shardd's
// commands only SET has one: it reads its key only with GET.
std::string_view FlagsFor(const KeySpecMeta& spec, CommandArgs command) {
  if (!HasFlag(spec, "variable_flags")) return spec.flags;
  for (size_t i = 3; i < command.size(); ++i) {
    if (EqualsIgnoreCase(command[i], "GET")) return "RW access update";
  }
  return "OW update";
}

}  // namespace

bool HasKeySpecs(const CommandMeta& meta) {
  for (int s = 0; s < meta.key_spec_count; ++s) {
    if (!HasFlag(meta.key_specs[s], "not_key")) return true;
  }
  return false;
}

bool KeysFromSpecs(const CommandMeta& meta, CommandArgs command,
                   std::vector<SpecKey>* keys) {
  const int argc = static_cast<int>(command.size());
  for (int s = 0; s < meta.key_spec_count; ++s) {
    const KeySpecMeta& spec = meta.key_specs[s];
    if (HasFlag(spec, "not_key")) continue;
    int first = 0;
    switch (spec.begin_search.type) {
      case kIndex:
        first = spec.begin_search.index;
        break;
      case kKeyword: {
        // Forwards from a positive start, backwards from a negative one,
        // stopping before the far end; a spec whose keyword is absent
        // names no key.
        const int from = spec.begin_search.startfrom;
        const int start = from > 0 ? from : argc + from;
        const int end = from > 0 ? argc - 1 : 1;
        for (int i = start; i != end; i += start <= end ? 1 : -1) {
          if (i >= argc || i < 1) break;
          if (EqualsIgnoreCase(command[i], spec.begin_search.keyword)) {
            first = i + 1;
            break;
          }
        }
        if (first == 0) continue;
        break;
      }
      case kUnknownSearch:
        return false;
    }
    int last = 0;
    int step = 1;
    switch (spec.find_keys.type) {
      case kRange: {
        const int lastkey = spec.find_keys.a;
        const int limit = spec.find_keys.c;
        step = spec.find_keys.b;
        if (lastkey >= 0) {
          last = first + lastkey;
        } else if (limit == 0) {
          last = argc + lastkey;
        } else {
          last = first + ((argc - first) / limit + lastkey);
        }
        break;
      }
      case kKeynum: {
        const int keynumidx = spec.find_keys.a;
        if (keynumidx >= argc - first) return false;
        int64_t count = 0;
        if (!ParseInt64(command[first + keynumidx], &count) || count < 0 ||
            count > argc) {
          return false;
        }
        first += spec.find_keys.b;
        step = spec.find_keys.c;
        last = first + static_cast<int>(count) - 1;
        break;
      }
      case kUnknownFind:
        return false;
    }
    if (last >= argc || last < first || first >= argc || step <= 0) {
      return false;
    }
    for (int i = first; i <= last; i += step) {
      keys->push_back({static_cast<size_t>(i), FlagsFor(spec, command)});
    }
  }
  return true;
}

bool KeysByAccess(const CommandSpec& spec, CommandArgs args,
                  std::vector<std::pair<size_t, bool>>* keys) {
  const CommandMeta* meta = FindCommandMeta(spec.name);
  std::vector<SpecKey> found;
  if (meta == nullptr || !KeysFromSpecs(*meta, args, &found)) return false;
  for (const SpecKey& key : found) {
    keys->emplace_back(key.position, key.flags.starts_with("RO"));
  }
  return true;
}

bool HasReadOnlyKeySpec(const CommandSpec& spec) {
  const CommandMeta* meta = FindCommandMeta(spec.name);
  if (meta == nullptr) return false;
  for (int i = 0; i < meta->key_spec_count; ++i) {
    if (meta->key_specs[i].flags.starts_with("RO")) return true;
  }
  return false;
}

}  // namespace shardd::kv
