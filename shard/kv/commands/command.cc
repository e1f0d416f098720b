#include "shard/kv/commands/command.h"

#include <utility>

namespace shardd::kv {

std::vector<std::string_view> CommandFlagNames(uint32_t flags) {
  static constexpr std::pair<uint32_t, std::string_view> kNames[] = {
      {kWrite, "write"},     {kReadonly, "readonly"}, {kDenyOom, "denyoom"},
      {kNoScript, "noscript"}, {kBlocking, "blocking"}, {kLoading, "loading"},
      {kStale, "stale"},     {kFast, "fast"},         {kNoAuth, "no_auth"},
      {kAllowBusy, "allow_busy"}, {kMovableKeys, "movablekeys"},
  };
  std::vector<std::string_view> names;
  for (const auto& [bit, name] : kNames) {
    if (flags & bit) names.push_back(name);
  }
  return names;
}

bool ArityMatches(const CommandSpec& spec, size_t arg_count) {
  if (spec.arity >= 0) return arg_count == static_cast<size_t>(spec.arity);
  return arg_count >= static_cast<size_t>(-spec.arity);
}

}  // namespace shardd::kv
