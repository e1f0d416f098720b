// GEOSEARCH, GEOSEARCHSTORE, GEORADIUS, GEORADIUSBYMEMBER and their _RO
// forms: the members within a circle or a box, found as Redis finds them
// (the score ranges of 9 geohash cells, each read in score order), so that
// an unsorted reply lists them in Redis's order too.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shard/kv/commands/command.h"
#include "shard/kv/commands/geo/geo_handlers.h"
#include "shard/kv/commands/geo/geo_search_options.h"
#include "shard/kv/commands/geo/geo_shape.h"
#include "shard/kv/commands/geo/geohash.h"
#include "shard/kv/commands/long_double.h"
#include "shard/kv/commands/partial_sort.h"
#include "shard/kv/commands/typed_lookup.h"
#include "shard/kv/store/zset_value.h"

namespace shardd::kv {
namespace {

struct Match {
  std::string member;
  GeoPoint point;
  double distance;  // meters until the reply converts it
  double score;
};

// Appends the members of `cell` that lie in the shape, in score order,
// stopping once `matches` holds `limit` (0: no limit).
void CollectCell(const ZSetValue& zset, GeoHash cell, const GeoShape& shape,
                 size_t limit, std::vector<Match>* matches) {
  GeoHash next = cell;
  ++next.bits;
  // The cell's scores: every 52-bit value starting with its bits.
  const double min = static_cast<double>(AlignGeoHash(cell));
  const double max = static_cast<double>(AlignGeoHash(next));
  const size_t first = zset.CountWhile(
      [&](double score, std::string_view) { return score < min; });
  const size_t end = zset.CountWhile(
      [&](double score, std::string_view) { return score < max; });
  const auto visit = [&](std::string_view member, double score) {
    const GeoPoint point = DecodeGeoScore(score);
    double distance;
    if (WithinGeoShape(shape, point, &distance)) {
      matches->push_back({std::string(member), point, distance, score});
    }
  };
  // Each member adds at most one match: a batch as long as the room left
  // cannot overshoot the limit, and ANY reads no further than it needs.
  for (size_t rank = first; rank < end;) {
    if (limit != 0 && matches->size() >= limit) return;
    const size_t batch_end =
        limit == 0 ? end : std::min(end, rank + (limit - matches->size()));
    zset.ForEachInRanks(rank, batch_end, /*reverse=*/false, visit);
    rank = batch_end;
  }
}

std::vector<Match> FindMatches(const ZSetValue& zset, const GeoQuery& query) {
  const size_t limit = query.any ? static_cast<size_t>(query.count) : 0;
  std::vector<Match> matches;
  for (const GeoHash& cell : GeoSearchCells(query.shape)) {
    if (limit != 0 && matches.size() >= limit) break;
    CollectCell(zset, cell, query.shape, limit, &matches);
  }
  return matches;
}

void ReplyMatches(CommandContext& ctx, const GeoQuery& query,
                  const std::vector<Match>& matches) {
  const size_t extras = size_t{query.with_dist} + size_t{query.with_hash} +
                        size_t{query.with_coord};
  ctx.reply.ArrayHeader(matches.size());
  for (const Match& match : matches) {
    if (extras > 0) ctx.reply.ArrayHeader(extras + 1);
    ctx.reply.Bulk(match.member);
    if (query.with_dist) {
      ctx.reply.Bulk(FormatGeoDistance(match.distance / query.shape.to_meters));
    }
    if (query.with_hash) ctx.reply.Integer(static_cast<int64_t>(match.score));
    if (query.with_coord) {
      ctx.reply.ArrayHeader(2);
      ctx.reply.Double(FormatLongDouble(match.point.longitude));
      ctx.reply.Double(FormatLongDouble(match.point.latitude));
    }
  }
}

// STORE, STOREDIST and GEOSEARCHSTORE: the matches become the destination
// sorted set, scored by position or by distance in the request's unit; no
// match deletes it.
void StoreMatches(CommandContext& ctx, GeoSearchForm form,
                  const GeoQuery& query, const std::vector<Match>& matches) {
  if (matches.empty()) {
    ctx.DeleteEmptyResult(query.store_key);
    ctx.reply.Integer(0);
    return;
  }
  size_t longest = 0;
  for (const Match& match : matches) {
    longest = std::max(longest, match.member.size());
  }
  ZSetValue result;
  result.Reserve(matches.size(), longest);
  for (const Match& match : matches) {
    result.Put(match.member, query.store_dist
                                 ? match.distance / query.shape.to_meters
                                 : match.score);
  }
  ctx.store.Create(query.store_key, ValueType::kZSet).zset() =
      std::move(result);
  ctx.Notify(kNotifyZset,
             IsGeoSearch(form) ? "geosearchstore" : "georadiusstore",
             query.store_key);
  ctx.reply.Integer(static_cast<int64_t>(matches.size()));
}

void Search(CommandContext& ctx, GeoSearchForm form) {
  ZSetValue* zset;
  if (!FindValue(ctx, ctx.args[GeoSourceIndex(form)], &zset)) return;
  GeoQuery query;
  if (!ParseGeoQuery(ctx, form, zset, &query)) return;
  if (zset == nullptr) {
    if (query.store) {
      ctx.DeleteEmptyResult(query.store_key);
      ctx.reply.Integer(0);
    } else {
      ctx.reply.ArrayHeader(0);
    }
    return;
  }
  std::vector<Match> matches = FindMatches(*zset, query);
  // The nearest `count` need an order: ascending unless asked otherwise
  // (ANY takes the first found instead).
  GeoSort sort = query.sort;
  if (query.count != 0 && sort == GeoSort::kNone && !query.any) {
    sort = GeoSort::kAscending;
  }
  // Redis sorts with glibc's qsort (a stable merge sort) when it keeps all
  // the matches, and with its partial quicksort, which moves equal
  // distances about, when COUNT cuts them.
  const bool cut =
      query.count != 0 && matches.size() > static_cast<size_t>(query.count);
  if (sort != GeoSort::kNone) {
    const bool ascending = sort == GeoSort::kAscending;
    if (cut) {
      PartialQuickSort(matches.begin(), matches.end(), 0,
                       static_cast<size_t>(query.count) - 1,
                       [ascending](const Match& a, const Match& b) {
                         if (a.distance == b.distance) return 0;
                         return (a.distance < b.distance) == ascending ? -1 : 1;
                       });
    } else {
      std::stable_sort(matches.begin(), matches.end(),
                       [ascending](const Match& a, const Match& b) {
                         return ascending ? a.distance < b.distance
                                          : a.distance > b.distance;
                       });
    }
  }
  if (cut) matches.resize(static_cast<size_t>(query.count));
  if (query.store) {
    StoreMatches(ctx, form, query, matches);
  } else {
    ReplyMatches(ctx, query, matches);
  }
}

}  // namespace

void GeoSearchCommand(CommandContext& ctx) {
  Search(ctx, GeoSearchForm::kSearch);
}
void GeoSearchStoreCommand(CommandContext& ctx) {
  Search(ctx, GeoSearchForm::kSearchStore);
}
void GeoRadiusCommand(CommandContext& ctx) {
  Search(ctx, GeoSearchForm::kRadius);
}
void GeoRadiusRoCommand(CommandContext& ctx) {
  Search(ctx, GeoSearchForm::kRadiusReadonly);
}
void GeoRadiusByMemberCommand(CommandContext& ctx) {
  Search(ctx, GeoSearchForm::kRadiusByMember);
}
void GeoRadiusByMemberRoCommand(CommandContext& ctx) {
  Search(ctx, GeoSearchForm::kRadiusByMemberReadonly);
}

}  // namespace shardd::kv
