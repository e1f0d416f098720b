// Tables of the admin endpoint's /stats document, one row per shard plus a
// "total" row: the cumulative view of `shardctl stats` and the per-second
// view of `shardctl top` (rates between two documents).
//
//   std::string text = RenderStatsTable(doc);
//   std::string text = RenderTopTable(previous, current, /*seconds=*/1.0);
#ifndef SHARDD_TOOLS_SHARDCTL_STATS_TABLE_H_
#define SHARDD_TOOLS_SHARDCTL_STATS_TABLE_H_

#include <string>

#include "tools/shardctl/json_value.h"

namespace shardd::shardctl {

std::string RenderStatsTable(const JsonValue& doc);

// Rates over `seconds` between two /stats documents of the same server.
std::string RenderTopTable(const JsonValue& previous, const JsonValue& current,
                           double seconds);

}  // namespace shardd::shardctl

#endif  // SHARDD_TOOLS_SHARDCTL_STATS_TABLE_H_
