#include "tools/shardctl/stats_table.h"

#include <cstdio>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"

namespace shardd::shardctl {
namespace {

double Field(const JsonValue& shard, const std::string& name) {
  return shard.Get(name).number();
}

// The file service's requests (0 when it is off: no "files" object).
double FileRequests(const JsonValue& shard) {
  return shard.Get("files").Get("requests").number();
}

std::string Bytes(double bytes) {
  const char* units[] = {"B", "K", "M", "G", "T"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof(text), unit == 0 ? "%.0f%s" : "%.1f%s", bytes,
                units[unit]);
  return text;
}

std::string Fixed(double value, int decimals) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  return text;
}

std::string Micros(double ns) { return Fixed(ns / 1000, 1); }

// Right-aligned columns, the first left-aligned; widths fit the contents.
std::string Columns(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  std::string out;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      const std::string pad(widths[i] - row[i].size(), ' ');
      if (i == 0) {
        absl::StrAppend(&out, row[i], pad);
      } else {
        absl::StrAppend(&out, "  ", pad, row[i]);
      }
    }
    out += "\n";
  }
  return out;
}

// A compaction on the shard: "walk" while it writes its base, then the
// most memory it held ("-": none yet).
std::string RewriteState(const JsonValue& shard) {
  if (Field(shard, "aof_rewrite_walking") > 0) return "walk";
  const double peak = Field(shard, "aof_rewrite_peak_bytes");
  return peak > 0 ? Bytes(peak) : "-";
}

// The shard objects followed by the totals object, with their row labels.
std::vector<std::pair<std::string, const JsonValue*>> Rows(
    const JsonValue& doc) {
  std::vector<std::pair<std::string, const JsonValue*>> rows;
  for (const JsonValue& shard : doc.Get("shards").array()) {
    rows.emplace_back(absl::StrCat(static_cast<int64_t>(Field(shard, "shard"))),
                      &shard);
  }
  rows.emplace_back("total", &doc.Get("totals"));
  return rows;
}

}  // namespace

std::string RenderStatsTable(const JsonValue& doc) {
  std::vector<std::vector<std::string>> table = {
      {"shard", "conns", "accepted", "commands", "errors", "keys", "expires",
       "files", "msgs_out", "msgs_in", "mbox", "mbox_max", "util%", "p99_us",
       "mem", "aof", "fsyncs", "batch", "fsync_p99", "rewrite"}};
  for (const auto& [label, s] : Rows(doc)) {
    const JsonValue& latency = s->Get("request_ns");
    const double writes = Field(*s, "aof_writes");
    table.push_back({label, Fixed(Field(*s, "connections"), 0),
                     Fixed(Field(*s, "connections_accepted"), 0),
                     Fixed(Field(*s, "commands_total"), 0),
                     Fixed(Field(*s, "errors"), 0), Fixed(Field(*s, "keys"), 0),
                     Fixed(Field(*s, "expires"), 0),
                     Fixed(FileRequests(*s), 0),
                     Fixed(Field(*s, "messages_sent"), 0),
                     Fixed(Field(*s, "messages_received"), 0),
                     Fixed(Field(*s, "mailbox_depth"), 0),
                     Fixed(Field(*s, "mailbox_depth_high"), 0),
                     Fixed(100 * Field(*s, "utilisation"), 1),
                     Micros(latency.Get("p99").number()),
                     Bytes(Field(*s, "memory_allocated")),
                     Bytes(Field(*s, "aof_size")),
                     Fixed(Field(*s, "aof_fsyncs"), 0),
                     Fixed(writes > 0 ? Field(*s, "aof_records") / writes : 0,
                           1),
                     Micros(s->Get("aof_fsync_ns").Get("p99").number()),
                     RewriteState(*s)});
  }
  return Columns(table);
}

std::string RenderTopTable(const JsonValue& previous, const JsonValue& current,
                           double seconds) {
  std::vector<std::vector<std::string>> table = {
      {"shard", "ops/s", "files/s", "util%", "conns", "mbox", "p99_us",
       "mem", "aof/s", "fsync/s", "batch", "rewrite"}};
  const auto previous_rows = Rows(previous);
  const auto current_rows = Rows(current);
  for (size_t i = 0; i < current_rows.size(); ++i) {
    const JsonValue& now = *current_rows[i].second;
    // A shard missing before (first sample) counts as all zero.
    static const JsonValue kNone;
    const JsonValue& before =
        i < previous_rows.size() ? *previous_rows[i].second : kNone;
    const auto delta = [&](const std::string& f) {
      return Field(now, f) - Field(before, f);
    };
    const double busy = delta("busy_ns");
    const double idle = delta("idle_ns");
    const double ops = seconds > 0 ? delta("commands_total") / seconds : 0;
    const double files =
        seconds > 0 ? (FileRequests(now) - FileRequests(before)) / seconds : 0;
    table.push_back({current_rows[i].first, Fixed(ops, 0), Fixed(files, 0),
                     Fixed(busy + idle > 0 ? 100 * busy / (busy + idle) : 0, 1),
                     Fixed(Field(now, "connections"), 0),
                     Fixed(Field(now, "mailbox_depth"), 0),
                     Micros(now.Get("request_ns").Get("p99").number()),
                     Bytes(Field(now, "memory_allocated")),
                     Bytes(seconds > 0 ? delta("aof_bytes_written") / seconds
                                       : 0),
                     Fixed(seconds > 0 ? delta("aof_fsyncs") / seconds : 0, 0),
                     Fixed(delta("aof_writes") > 0
                               ? delta("aof_records") / delta("aof_writes")
                               : 0,
                           1),
                     RewriteState(now)});
  }
  return Columns(table);
}

}  // namespace shardd::shardctl
