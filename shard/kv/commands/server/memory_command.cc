// MEMORY USAGE|STATS|DOCTOR|HELP. USAGE estimates a key's bytes on its
// owner (store/memory_estimate.h); STATS and DOCTOR read every shard's
// jemalloc arena and key count, as INFO memory does. PURGE and MALLOC-STATS
// answer that shardd does not have them.
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/server/server_handlers.h"
#include "shard/stats/shard_stats.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kHelp[] = {
    "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "USAGE <key> [SAMPLES <count>]",
    "    An estimate of the bytes <key> and its value take; an aggregate's",
    "    first <count> elements (5 if not given, all with 0) stand for all.",
    "STATS",
    "    The memory of every shard's allocator arena, and the keys.",
    "DOCTOR",
    "    A short report on that.",
    "HELP",
    "    This text.",
};

// Redis's OBJ_COMPUTE_SIZE_DEF_SAMPLES.
constexpr int64_t kDefaultSamples = 5;

double Ratio(uint64_t a, uint64_t b) {
  return b == 0 ? 0 : static_cast<double>(a) / static_cast<double>(b);
}

void Stats(resp::ReplyWriter& reply, const stats::ShardStatsSnapshot& total) {
  const stats::ArenaMemory& m = total.memory;
  reply.MapHeader(9);
  reply.Bulk("total.allocated");
  reply.Integer(static_cast<int64_t>(m.allocated));
  reply.Bulk("dataset.bytes");
  reply.Integer(static_cast<int64_t>(m.allocated));
  reply.Bulk("keys.count");
  reply.Integer(static_cast<int64_t>(total.keys));
  reply.Bulk("keys.bytes-per-key");
  reply.Integer(
      total.keys == 0 ? 0 : static_cast<int64_t>(m.allocated / total.keys));
  reply.Bulk("allocator.allocated");
  reply.Integer(static_cast<int64_t>(m.allocated));
  reply.Bulk("allocator.active");
  reply.Integer(static_cast<int64_t>(m.active));
  reply.Bulk("allocator.resident");
  reply.Integer(static_cast<int64_t>(m.resident));
  reply.Bulk("allocator-fragmentation.ratio");
  reply.Double(absl::StrFormat("%.3f", Ratio(m.active, m.allocated)));
  reply.Bulk("allocator-fragmentation.bytes");
  reply.Integer(static_cast<int64_t>(m.active) -
                static_cast<int64_t>(m.allocated));
}

std::string Doctor(const stats::ShardStatsSnapshot& total) {
  const stats::ArenaMemory& m = total.memory;
  if (m.allocated < (uint64_t{5} << 20)) {
    return "Less than 5 MB in use: nothing to report.\n";
  }
  const double fragmentation = Ratio(m.active, m.allocated);
  std::string text = absl::StrFormat(
      "%d bytes allocated by the shards for %d keys; their pages hold %d "
      "bytes (fragmentation %.2f).\n",
      m.allocated, total.keys, m.active, fragmentation);
  if (fragmentation > 1.4) {
    absl::StrAppend(&text,
                    "Fragmentation is high: values were freed in many pages "
                    "that still hold live ones.\n");
  }
  return text;
}

}  // namespace

Task<std::string> MemoryCommand(ServerView& server, CommandArgs args,
                                resp::Protocol protocol, uint32_t db) {
  std::string out;
  resp::ReplyWriter reply(&out, protocol);
  const std::string sub = absl::AsciiStrToUpper(std::string(args[1]));
  if (sub == "USAGE" && args.size() >= 3) {
    int64_t samples = kDefaultSamples;
    for (size_t i = 3; i < args.size(); i += 2) {
      if (!EqualsIgnoreCase(args[i], "SAMPLES") || i + 1 >= args.size()) {
        reply.Error(kSyntaxError);
        co_return out;
      }
      if (!ParseInt64(args[i + 1], &samples)) {
        reply.Error(kNotIntegerError);
        co_return out;
      }
      if (samples < 0) {
        reply.Error(kSyntaxError);
        co_return out;
      }
    }
    const std::optional<uint64_t> bytes =
        co_await server.MemoryUsage(args[2], db, static_cast<size_t>(samples));
    if (bytes.has_value()) {
      reply.Integer(static_cast<int64_t>(*bytes));
    } else {
      reply.NullBulk();
    }
  } else if ((sub == "STATS" || sub == "DOCTOR") && args.size() == 2) {
    const std::vector<stats::ShardStatsSnapshot> shards =
        co_await server.SnapshotEveryShard();
    const stats::ShardStatsSnapshot total = stats::SumSnapshots(shards);
    if (sub == "STATS") {
      Stats(reply, total);
    } else {
      reply.Verbatim(Doctor(total));
    }
  } else if (sub == "HELP" && args.size() == 2) {
    reply.ArrayHeader(std::size(kHelp));
    for (std::string_view line : kHelp) reply.SimpleString(line);
  } else if (sub == "PURGE" || sub == "MALLOC-STATS") {
    reply.Error(
        absl::StrCat("ERR MEMORY ", sub, " is not supported by shardd"));
  } else if (sub == "USAGE" || sub == "STATS" || sub == "DOCTOR" ||
             sub == "HELP") {
    ReplyWrongArity(reply, absl::StrCat("memory|", absl::AsciiStrToLower(sub)));
  } else {
    ReplyUnknownSubcommand(reply, args);
  }
  co_return out;
}

}  // namespace shardd::kv
