#include "shard/kv/commands/command.h"

#include <utility>

namespace shardd::kv {

std::vector<std::string_view> CommandFlagNames(uint32_t flags) {
  // Redis 7.0's order.
  static constexpr std::pair<uint32_t, std::string_view> kNames[] = {
      {kWrite, "write"},
      {kReadonly, "readonly"},
      {kDenyOom, "denyoom"},
      {kAdmin, "admin"},
      {kPubSub, "pubsub"},
      {kNoScript, "noscript"},
      {kBlocking, "blocking"},
      {kLoading, "loading"},
      {kStale, "stale"},
      {kSkipMonitor, "skip_monitor"},
      {kSkipSlowlog, "skip_slowlog"},
      {kFast, "fast"},
      {kNoAuth, "no_auth"},
      {kNoMandatoryKeys, "no_mandatory_keys"},
      {kNoAsyncLoading, "no_async_loading"},
      {kNoMulti, "no_multi"},
      {kMovableKeys, "movablekeys"},
      {kAllowBusy, "allow_busy"},
  };

  std::vector<std::string_view> names;
  for (const auto& [bit, name] : kNames) {
    if (flags & bit) names.push_back(name);
  }
  return names;
}

void FindKeyPositions(const CommandSpec& spec, CommandArgs args,
                      std::vector<size_t>* positions) {
  switch (spec.keys) {
    case KeyLayout::kCustom:
      spec.key_finder(args, positions);
      break;
    case KeyLayout::kFirst:
      if (args.size() > 1) positions->push_back(1);
      break;
    case KeyLayout::kAll:
      for (size_t i = 1; i < args.size(); ++i) positions->push_back(i);
      break;
    case KeyLayout::kPairs:
      if (args.size() % 2 == 1) {
        for (size_t i = 1; i < args.size(); i += 2) positions->push_back(i);
      }
      break;
    case KeyLayout::kNone:
    case KeyLayout::kEveryShard:
    case KeyLayout::kScanCursor:
      break;
  }
}

bool ArityMatches(const CommandSpec& spec, size_t arg_count) {
  if (spec.arity >= 0) return arg_count == static_cast<size_t>(spec.arity);
  return arg_count >= static_cast<size_t>(-spec.arity);
}

}  // namespace shardd::kv
