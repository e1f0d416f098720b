#include "shard/stats/stats_json.h"

#include <cstdio>

#include "absl/strings/str_cat.h"

namespace shardd::stats {
namespace {

void AppendObject(std::string* out, const ShardStatsSnapshot& s, bool totals,
                  absl::Span<const StatsPart* const> parts) {
  absl::StrAppend(out, "{\"shard\":", s.shard);
  RuntimeStatsPart().AppendJson(out, s, totals);
  for (const StatsPart* part : parts) part->AppendJson(out, s, totals);
  out->push_back('}');
}

}  // namespace

std::string RenderStatsJson(absl::Span<const ShardStatsSnapshot> shards,
                            absl::Span<const StatsPart* const> parts) {
  std::string out = "{\"shards\":[";
  for (size_t i = 0; i < shards.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendObject(&out, shards[i], /*totals=*/false, parts);
  }
  out.append("],\"totals\":");
  AppendObject(&out, SumSnapshots(shards), /*totals=*/true, parts);
  out.append("}\n");
  return out;
}

// Command names are plain ASCII today; escaping keeps the document valid
// whatever a name holds.
void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
      out->append(escaped);
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

void AppendJsonLatency(std::string* out, std::string_view name,
                       const LatencyHistogram& h) {
  absl::StrAppend(out, ",\"", absl::string_view(name.data(), name.size()),
                  "\":{\"count\":", h.count(), ",\"sum\":", h.sum(),
                  ",\"p50\":", h.Percentile(50), ",\"p90\":", h.Percentile(90),
                  ",\"p99\":", h.Percentile(99),
                  ",\"p999\":", h.Percentile(99.9), ",\"max\":", h.max(), "}");
}

}  // namespace shardd::stats
