#include "shard/kv/exec/publish.h"

#include <algorithm>
#include <iterator>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "shard/invoke_on_each.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"

namespace shardd::kv {
namespace {

// PUBSUB HELP's lines.
constexpr std::string_view kHelp[] = {
    "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CHANNELS [<pattern>]",
    "    Channels with at least one subscriber, matching <pattern> if given.",
    "NUMPAT",
    "    How many distinct patterns are subscribed to.",
    "NUMSUB [<channel> ...]",
    "    Subscribers of each channel (pattern subscriptions not counted).",
    "SHARDCHANNELS [<pattern>]",
    "    Shard channels with at least one subscriber, matching <pattern>.",
    "SHARDNUMSUB [<shard channel> ...]",
    "    Subscribers of each shard channel.",
    "HELP",
    "    This text.",
};

// This shard and every other that has a subscription. (One that
// subscribes meanwhile was not subscribed when the command ran.)
std::vector<uint32_t> ShardsWithInterest(KvShards& shards) {
  const uint32_t here = Reactor::Current()->shard_id();
  std::vector<uint32_t> targets;
  for (uint32_t s = 0; s < shards.shard_count(); ++s) {
    if (s == here || shards.On(s).pubsub.interest() != 0) targets.push_back(s);
  }
  return targets;
}

// The names every shard holds (channels, shard channels or patterns),
// once each, in order.
Task<std::vector<std::string>> GatherNames(KvShards& shards,
                                           SubscriptionKind kind,
                                           std::string_view pattern) {
  std::vector<std::vector<std::string>> by_shard = co_await InvokeOnEach(
      ShardsWithInterest(shards), [&shards, kind, pattern](uint32_t) {
        std::vector<std::string> names;
        const PubSubRegistry& registry = shards.Local().pubsub;
        if (kind == SubscriptionKind::kPattern) {
          registry.AppendPatterns(&names);
        } else {
          registry.AppendChannels(kind, pattern, &names);
        }
        return names;
      });
  std::vector<std::string> names;
  for (std::vector<std::string>& some : by_shard) {
    std::move(some.begin(), some.end(), std::back_inserter(names));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  co_return names;
}

// NUMSUB / SHARDNUMSUB: each name and its subscribers on every shard.
Task<std::vector<int64_t>> CountSubscribers(KvShards& shards,
                                            SubscriptionKind kind,
                                            CommandArgs names) {
  const std::vector<std::vector<int64_t>> by_shard = co_await InvokeOnEach(
      ShardsWithInterest(shards), [&shards, kind, names](uint32_t) {
        std::vector<int64_t> counts(names.size(), 0);
        for (size_t i = 0; i < names.size(); ++i) {
          counts[i] = shards.Local().pubsub.Subscribers(kind, names[i]);
        }
        return counts;
      });
  std::vector<int64_t> counts(names.size(), 0);
  for (const std::vector<int64_t>& some : by_shard) {
    for (size_t i = 0; i < names.size(); ++i) counts[i] += some[i];
  }
  co_return counts;
}

}  // namespace

bool OnlyLocalSubscribers(KvShards& shards) {
  const uint32_t here = Reactor::Current()->shard_id();
  for (uint32_t s = 0; s < shards.shard_count(); ++s) {
    if (s != here && shards.On(s).pubsub.interest() != 0) return false;
  }
  return true;
}

Task<int64_t> PublishEverywhere(KvShards& shards, std::string_view channel,
                                std::string_view payload, bool sharded) {
  // A shard with no subscription costs no hop.
  const std::vector<int64_t> by_shard = co_await InvokeOnEach(
      ShardsWithInterest(shards),
      [&shards, channel, payload, sharded](uint32_t) {
        return shards.Local().pubsub.Publish(channel, payload, sharded);
      });
  int64_t receivers = 0;
  for (int64_t some : by_shard) receivers += some;
  co_return receivers;
}

Task<PubSubCounts> CountSubscriptions(KvShards& shards) {
  PubSubCounts counts;
  counts.channels =
      (co_await GatherNames(shards, SubscriptionKind::kChannel, "")).size();
  counts.patterns =
      (co_await GatherNames(shards, SubscriptionKind::kPattern, "")).size();
  counts.shard_channels =
      (co_await GatherNames(shards, SubscriptionKind::kShardChannel, ""))
          .size();
  co_return counts;
}

Task<std::string> RunPubSub(KvShards& shards, CommandArgs args,
                            resp::Protocol protocol) {
  std::string out;
  resp::ReplyWriter reply(&out, protocol);
  const std::string sub = absl::AsciiStrToUpper(std::string(args[1]));
  const bool channels = sub == "CHANNELS" || sub == "SHARDCHANNELS";
  const bool numsub = sub == "NUMSUB" || sub == "SHARDNUMSUB";
  const SubscriptionKind kind = sub.starts_with("SHARD")
                                    ? SubscriptionKind::kShardChannel
                                    : SubscriptionKind::kChannel;
  if (sub == "HELP" && args.size() == 2) {
    reply.ArrayHeader(std::size(kHelp));
    for (std::string_view line : kHelp) reply.SimpleString(line);
  } else if (channels && args.size() <= 3) {
    // A lone "*" matches every name, the empty one too.
    std::string_view pattern = args.size() == 3 ? args[2] : "";
    if (pattern == "*") pattern = "";
    const std::vector<std::string> names =
        co_await GatherNames(shards, kind, pattern);
    reply.ArrayHeader(names.size());
    for (const std::string& name : names) reply.Bulk(name);
  } else if (numsub) {
    const CommandArgs names = args.subspan(2);
    const std::vector<int64_t> counts =
        co_await CountSubscribers(shards, kind, names);
    reply.ArrayHeader(2 * names.size());
    for (size_t i = 0; i < names.size(); ++i) {
      reply.Bulk(names[i]);
      reply.Integer(counts[i]);
    }
  } else if (sub == "NUMPAT" && args.size() == 2) {
    const std::vector<std::string> patterns =
        co_await GatherNames(shards, SubscriptionKind::kPattern, "");
    reply.Integer(static_cast<int64_t>(patterns.size()));
  } else if (sub == "HELP" || channels || sub == "NUMPAT") {
    reply.Error(absl::StrCat(
        "ERR unknown subcommand or wrong number of arguments for '",
        ArgumentForError(args[1]), "'. Try PUBSUB HELP."));
  } else {
    ReplyUnknownSubcommand(reply, args);
  }
  co_return out;
}

}  // namespace shardd::kv
