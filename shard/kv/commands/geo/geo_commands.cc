// The geo commands on members: GEOADD, GEOPOS, GEODIST, GEOHASH; and the
// geo command table. A geo set is a sorted set whose scores are geohashes
// (geohash.h); the searches are in geo_search_commands.cc.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/command.h"
#include "shard/kv/commands/family_tables.h"
#include "shard/kv/commands/geo/geo_handlers.h"
#include "shard/kv/commands/geo/geo_search_options.h"
#include "shard/kv/commands/geo/geo_shape.h"
#include "shard/kv/commands/geo/geohash.h"
#include "shard/kv/commands/long_double.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/typed_lookup.h"
#include "shard/kv/store/zset_value.h"

namespace shardd::kv {
namespace {

// GEOADD key [NX|XX] [CH] longitude latitude member [...]: ZADD with the
// positions' geohashes as scores, as Redis runs it.
void GeoAddCommand(CommandContext& ctx) {
  bool nx = false, xx = false, ch = false;
  size_t first = 2;  // the first longitude
  for (; first < ctx.args.size(); ++first) {
    const std::string_view option = ctx.args[first];
    if (EqualsIgnoreCase(option, "nx")) {
      nx = true;
    } else if (EqualsIgnoreCase(option, "xx")) {
      xx = true;
    } else if (EqualsIgnoreCase(option, "ch")) {
      ch = true;
    } else {
      break;
    }
  }
  const size_t rest = ctx.args.size() - first;
  // Unlike ZADD, NX with XX is a plain syntax error here.
  if (rest == 0 || rest % 3 != 0 || (nx && xx)) {
    ctx.reply.Error(kSyntaxError);
    return;
  }
  // Every position is checked before anything changes.
  std::vector<double> scores(rest / 3);
  for (size_t i = 0; i < scores.size(); ++i) {
    GeoPoint point;
    if (!ParseGeoPoint(ctx, ctx.args[first + 3 * i],
                       ctx.args[first + 3 * i + 1], &point)) {
      return;
    }
    scores[i] = GeoScore(point);
  }
  const std::string_view key = ctx.args[1];
  ZSetValue* zset;
  if (!FindValue(ctx, key, &zset)) return;
  if (zset == nullptr) {
    if (xx) {
      ctx.reply.Integer(0);
      return;
    }
    zset = &ctx.store.Create(key, ValueType::kZSet).zset();
  }
  int64_t added = 0, updated = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    const std::string_view member = ctx.args[first + 3 * i + 2];
    const std::optional<double> current = zset->Score(member);
    if (!current) {
      if (xx) continue;
      zset->Put(member, scores[i]);
      ++added;
    } else if (!nx && *current != scores[i]) {
      zset->Put(member, scores[i]);
      ++updated;
    }
  }
  ctx.reply.Integer(ch ? added + updated : added);
  if (added + updated > 0) ctx.Notify(kNotifyZset, "zadd", key);
}

void GeoPosCommand(CommandContext& ctx) {
  ZSetValue* zset;
  if (!FindValue(ctx, ctx.args[1], &zset)) return;
  ctx.reply.ArrayHeader(ctx.args.size() - 2);
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    const std::optional<double> score =
        zset == nullptr ? std::nullopt : zset->Score(ctx.args[i]);
    if (!score) {
      ctx.reply.NullArray();
      continue;
    }
    const GeoPoint point = DecodeGeoScore(*score);
    ctx.reply.ArrayHeader(2);
    ctx.reply.Double(FormatLongDouble(point.longitude));
    ctx.reply.Double(FormatLongDouble(point.latitude));
  }
}

// GEODIST key member1 member2 [unit]: nil unless both members are there.
void GeoDistCommand(CommandContext& ctx) {
  double to_meters = 1;
  if (ctx.args.size() > 5) {
    ctx.reply.Error(kSyntaxError);
    return;
  }
  if (ctx.args.size() == 5 && !ParseGeoUnit(ctx, ctx.args[4], &to_meters)) {
    return;
  }
  ZSetValue* zset;
  if (!FindValue(ctx, ctx.args[1], &zset)) return;
  const std::optional<double> first =
      zset == nullptr ? std::nullopt : zset->Score(ctx.args[2]);
  const std::optional<double> second =
      first ? zset->Score(ctx.args[3]) : std::nullopt;
  if (!second) {
    ctx.reply.NullBulk();
    return;
  }
  ctx.reply.Bulk(FormatGeoDistance(
      GeoDistance(DecodeGeoScore(*first), DecodeGeoScore(*second)) /
      to_meters));
}

void GeoHashCommand(CommandContext& ctx) {
  ZSetValue* zset;
  if (!FindValue(ctx, ctx.args[1], &zset)) return;
  ctx.reply.ArrayHeader(ctx.args.size() - 2);
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    const std::optional<double> score =
        zset == nullptr ? std::nullopt : zset->Score(ctx.args[i]);
    if (score) {
      ctx.reply.Bulk(GeoHashString(*score));
    } else {
      ctx.reply.NullBulk();
    }
  }
}

void GeoRadiusKeyFinder(CommandArgs args, std::vector<size_t>* positions) {
  GeoRadiusKeys(args, GeoSearchForm::kRadius, positions);
}
void GeoRadiusByMemberKeyFinder(CommandArgs args,
                                std::vector<size_t>* positions) {
  GeoRadiusKeys(args, GeoSearchForm::kRadiusByMember, positions);
}
// GEOSEARCHSTORE destination source ...
void GeoSearchStoreKeyFinder(CommandArgs args, std::vector<size_t>* positions) {
  if (args.size() < 3) return;
  positions->push_back(1);
  positions->push_back(2);
}

using enum KeyLayout;
using enum Merge;

// Redis 7.0's arity and flags, as COMMAND INFO reports them.
constexpr CommandSpec kGeoCommands[] = {
    {"geoadd", -5, kWrite | kDenyOom, kFirst, kSingle, GeoAddCommand},
    {"geopos", -2, kReadonly, kFirst, kSingle, GeoPosCommand},
    {"geodist", -4, kReadonly, kFirst, kSingle, GeoDistCommand},
    {"geohash", -2, kReadonly, kFirst, kSingle, GeoHashCommand},
    {"geosearch", -7, kReadonly, kFirst, kSingle, GeoSearchCommand},
    {"geosearchstore", -8, kWrite | kDenyOom, kCustom, kCoordinated,
     GeoSearchStoreCommand, GeoSearchStoreKeyFinder},
    {"georadius", -6, kWrite | kDenyOom | kMovableKeys | kWritesOnlyStore,
     kCustom, kCoordinated, GeoRadiusCommand, GeoRadiusKeyFinder},
    {"georadius_ro", -6, kReadonly, kFirst, kSingle, GeoRadiusRoCommand},
    {"georadiusbymember", -5,
     kWrite | kDenyOom | kMovableKeys | kWritesOnlyStore, kCustom, kCoordinated,
     GeoRadiusByMemberCommand, GeoRadiusByMemberKeyFinder},
    {"georadiusbymember_ro", -5, kReadonly, kFirst, kSingle,
     GeoRadiusByMemberRoCommand},
};

}  // namespace

absl::Span<const CommandSpec> GeoCommandTable() { return kGeoCommands; }

}  // namespace shardd::kv
