#include "shard/stats/prometheus_writer.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "absl/strings/str_cat.h"

namespace shardd::stats {
namespace {

constexpr double kQuantiles[] = {0.5, 0.9, 0.99, 0.999};

absl::string_view Absl(std::string_view s) { return {s.data(), s.size()}; }

// Label values may hold any byte; the format escapes \, " and newline.
std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string ShardLabel(const ShardStatsSnapshot& s) {
  return absl::StrCat("shard=\"", s.shard, "\"");
}

// Command names in a stable order, for readable and diffable output.
std::vector<std::string_view> SortedCommands(const ShardStats& stats) {
  std::vector<std::string_view> names;
  for (const auto& entry : stats.commands) names.push_back(entry.first);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

std::string PrometheusWriter::Seconds(uint64_t ns) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.9g", static_cast<double>(ns) / 1e9);
  return text;
}

void PrometheusWriter::Family(std::string_view name, std::string_view type,
                              std::string_view help) {
  absl::StrAppend(out_, "# HELP ", Absl(name), " ", Absl(help), "\n",
                  "# TYPE ", Absl(name), " ", Absl(type), "\n");
}

void PrometheusWriter::Sample(std::string_view name, std::string_view labels,
                              std::string_view value) {
  absl::StrAppend(out_, Absl(name), "{", Absl(labels), "} ", Absl(value),
                  "\n");
}

void PrometheusWriter::Counter(std::string_view name, std::string_view help,
                               uint64_t ShardStats::*field) {
  PerShard(name, "counter", help, [field](const ShardStatsSnapshot& s) {
    return absl::StrCat(s.stats.*field);
  });
}

void PrometheusWriter::Gauge(
    std::string_view name, std::string_view help,
    const std::function<uint64_t(const ShardStatsSnapshot&)>& value) {
  PerShard(name, "gauge", help, [&value](const ShardStatsSnapshot& s) {
    return absl::StrCat(value(s));
  });
}

void PrometheusWriter::PerShard(
    std::string_view name, std::string_view type, std::string_view help,
    const std::function<std::string(const ShardStatsSnapshot&)>& value) {
  Family(name, type, help);
  for (const ShardStatsSnapshot& s : shards_) {
    Sample(name, ShardLabel(s), value(s));
  }
}

void PrometheusWriter::CounterByLabel(std::string_view name,
                                      std::string_view help,
                                      std::string_view label,
                                      absl::Span<const LabeledField> fields) {
  Family(name, "counter", help);
  for (const ShardStatsSnapshot& s : shards_) {
    for (const auto& [value, field] : fields) {
      Sample(name,
             absl::StrCat(ShardLabel(s), ",", Absl(label), "=\"",
                          EscapeLabelValue(value), "\""),
             absl::StrCat(s.stats.*field));
    }
  }
}

void PrometheusWriter::PerCommand(
    std::string_view name, std::string_view help,
    const std::function<std::string(const CommandCounters&)>& value) {
  Family(name, "counter", help);
  for (const ShardStatsSnapshot& s : shards_) {
    for (std::string_view command : SortedCommands(s.stats)) {
      Sample(name,
             absl::StrCat(ShardLabel(s), ",command=\"",
                          EscapeLabelValue(command), "\""),
             value(s.stats.commands.at(command)));
    }
  }
}

void PrometheusWriter::PerPeer(
    std::string_view name, std::string_view help, std::string_view type,
    const std::function<uint64_t(const PeerCounters&)>& value) {
  Family(name, type, help);
  for (const ShardStatsSnapshot& s : shards_) {
    for (size_t peer = 0; peer < s.stats.peers.size(); ++peer) {
      if (peer == s.shard) continue;
      Sample(name, absl::StrCat(ShardLabel(s), ",peer=\"", peer, "\""),
             absl::StrCat(value(s.stats.peers[peer])));
    }
  }
}

void PrometheusWriter::Summary(std::string_view name, std::string_view help,
                               const LatencyHistogram ShardStats::*histogram) {
  Family(name, "summary", help);
  const std::string sum = std::string(name) + "_sum";
  const std::string count = std::string(name) + "_count";
  for (const ShardStatsSnapshot& s : shards_) {
    const LatencyHistogram& h = s.stats.*histogram;
    for (double q : kQuantiles) {
      Sample(name, absl::StrCat(ShardLabel(s), ",quantile=\"", q, "\""),
             Seconds(h.Percentile(q * 100)));
    }
    Sample(sum, ShardLabel(s), Seconds(h.sum()));
    Sample(count, ShardLabel(s), absl::StrCat(h.count()));
  }
}

}  // namespace shardd::stats
