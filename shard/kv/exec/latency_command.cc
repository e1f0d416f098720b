#include "shard/kv/exec/latency_command.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "shard/invoke_on.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kHelp[] = {
    "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "LATEST",
    "    Each event's latest spike: its name, Unix time, milliseconds, and",
    "    the largest ever seen.",
    "HISTORY <event>",
    "    The event's spikes of the last 160 seconds that had one, as",
    "    [time, milliseconds] pairs.",
    "RESET [<event> ...]",
    "    Forgets the events named (all if none).",
    "DOCTOR",
    "    A short report on the spikes seen.",
    "HELP",
    "    This text.",
};

using Series = LatencyMonitor::Series;

// Every shard's series, merged by event.
Task<absl::btree_map<std::string, Series>> Gather(KvShards& shards) {
  absl::btree_map<std::string, Series> merged;
  for (uint32_t s = 0; s < shards.shard_count(); ++s) {
    co_await InvokeOn(s, [&shards, &merged] {
      for (const auto& [event, series] : shards.Local().latency.events()) {
        Series& into = merged[event];
        into.max_millis = std::max(into.max_millis, series.max_millis);
        // By second: the largest sample of each.
        std::map<int64_t, uint64_t> by_second;
        for (const auto& sample : into.samples) {
          by_second[sample.unix_seconds] = sample.millis;
        }
        for (const auto& sample : series.samples) {
          uint64_t& millis = by_second[sample.unix_seconds];
          millis = std::max(millis, sample.millis);
        }
        into.samples.clear();
        for (const auto& [second, millis] : by_second) {
          into.samples.push_back({second, millis});
        }
        while (into.samples.size() > LatencyMonitor::kSamplesKept) {
          into.samples.pop_front();
        }
      }
    });
  }
  co_return merged;
}

std::string Doctor(const absl::btree_map<std::string, Series>& events,
                   int64_t threshold_ms) {
  if (threshold_ms <= 0) {
    return "Latency monitoring is off: CONFIG SET latency-monitor-threshold "
           "<milliseconds> turns it on.\n";
  }
  if (events.empty()) {
    return absl::StrCat("No command took ", threshold_ms,
                        " ms or more since monitoring began.\n");
  }
  std::string text =
      absl::StrCat("Spikes of ", threshold_ms, " ms or more, by event:\n");
  for (const auto& [event, series] : events) {
    uint64_t sum = 0;
    for (const auto& sample : series.samples) sum += sample.millis;
    const auto& latest = series.samples.back();
    absl::StrAppendFormat(
        &text,
        "- %s: %d seconds with a spike in the last %d kept; the latest, %d ms, "
        "at %d; %.1f ms on average; %d ms at most.\n",
        event, series.samples.size(), LatencyMonitor::kSamplesKept,
        latest.millis, latest.unix_seconds,
        static_cast<double>(sum) / static_cast<double>(series.samples.size()),
        series.max_millis);
  }
  return text;
}

}  // namespace

Task<std::string> RunLatency(KvShards& shards, CommandArgs args,
                             resp::Protocol protocol) {
  std::string out;
  resp::ReplyWriter reply(&out, protocol);
  const std::string sub = absl::AsciiStrToUpper(std::string(args[1]));
  if (sub == "LATEST" && args.size() == 2) {
    const auto events = co_await Gather(shards);
    reply.ArrayHeader(events.size());
    for (const auto& [event, series] : events) {
      reply.ArrayHeader(4);
      reply.Bulk(event);
      reply.Integer(series.samples.back().unix_seconds);
      reply.Integer(static_cast<int64_t>(series.samples.back().millis));
      reply.Integer(static_cast<int64_t>(series.max_millis));
    }
  } else if (sub == "HISTORY" && args.size() == 3) {
    const auto events = co_await Gather(shards);
    const auto it = events.find(std::string(args[2]));
    if (it == events.end()) {
      reply.ArrayHeader(0);
    } else {
      reply.ArrayHeader(it->second.samples.size());
      for (const auto& sample : it->second.samples) {
        reply.ArrayHeader(2);
        reply.Integer(sample.unix_seconds);
        reply.Integer(static_cast<int64_t>(sample.millis));
      }
    }
  } else if (sub == "RESET") {
    // Each event named (or every one) counts once, on however many shards.
    absl::btree_set<std::string> reset;
    const CommandArgs named = args.subspan(2);
    for (uint32_t s = 0; s < shards.shard_count(); ++s) {
      co_await InvokeOn(s, [&shards, &reset, named] {
        LatencyMonitor& latency = shards.Local().latency;
        if (named.empty()) {
          for (const auto& [event, series] : latency.events()) {
            reset.insert(event);
          }
          latency.Reset("");
          return;
        }
        for (std::string_view event : named) {
          if (latency.Reset(event)) reset.insert(std::string(event));
        }
      });
    }
    reply.Integer(static_cast<int64_t>(reset.size()));
  } else if (sub == "DOCTOR" && args.size() == 2) {
    const auto events = co_await Gather(shards);
    reply.Verbatim(Doctor(events, shards.latency_threshold_ms()));
  } else if (sub == "HELP" && args.size() == 2) {
    reply.ArrayHeader(std::size(kHelp));
    for (std::string_view line : kHelp) reply.SimpleString(line);
  } else if (sub == "GRAPH" || sub == "HISTOGRAM") {
    reply.Error(
        absl::StrCat("ERR LATENCY ", sub, " is not supported by shardd"));
  } else if (sub == "LATEST" || sub == "HISTORY" || sub == "DOCTOR" ||
             sub == "HELP") {
    ReplyWrongArity(reply,
                    absl::StrCat("latency|", absl::AsciiStrToLower(sub)));
  } else {
    ReplyUnknownSubcommand(reply, args);
  }
  co_return out;
}

}  // namespace shardd::kv
