#include "shard/kv/commands/geo/geo_search_options.h"

#include <cstdio>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/geo/geohash.h"
#include "shard/kv/commands/reply_errors.h"

namespace shardd::kv {
namespace {

// Only the writing GEORADIUS forms take STORE and STOREDIST with a key.
bool TakesStoreKey(GeoSearchForm form) {
  return form == GeoSearchForm::kRadius ||
         form == GeoSearchForm::kRadiusByMember;
}

size_t FirstOption(GeoSearchForm form) {
  switch (form) {
    case GeoSearchForm::kRadius:
    case GeoSearchForm::kRadiusReadonly:
      return 6;
    case GeoSearchForm::kRadiusByMember:
    case GeoSearchForm::kRadiusByMemberReadonly:
      return 5;
    case GeoSearchForm::kSearch:
      return 2;
    case GeoSearchForm::kSearchStore:
      return 3;
  }
  return 2;
}

// A length and its unit (BYRADIUS, or GEORADIUS's radius).
bool ParseRadius(CommandContext& ctx, std::string_view value,
                 std::string_view unit, GeoShape* shape) {
  double radius;
  if (!ParseDouble(value, &radius)) {
    ctx.reply.Error("ERR need numeric radius");
    return false;
  }
  if (radius < 0) {
    ctx.reply.Error("ERR radius cannot be negative");
    return false;
  }
  shape->is_box = false;
  shape->radius = radius;
  return ParseGeoUnit(ctx, unit, &shape->to_meters);
}

bool ParseBox(CommandContext& ctx, std::string_view width_text,
              std::string_view height_text, std::string_view unit,
              GeoShape* shape) {
  double width, height;
  if (!ParseDouble(width_text, &width)) {
    ctx.reply.Error("ERR need numeric width");
    return false;
  }
  if (!ParseDouble(height_text, &height)) {
    ctx.reply.Error("ERR need numeric height");
    return false;
  }
  if (height < 0 || width < 0) {
    ctx.reply.Error("ERR height or width cannot be negative");
    return false;
  }
  shape->is_box = true;
  shape->width = width;
  shape->height = height;
  return ParseGeoUnit(ctx, unit, &shape->to_meters);
}

bool MemberPosition(CommandContext& ctx, const ZSetValue& zset,
                    std::string_view member, GeoPoint* point) {
  const std::optional<double> score = zset.Score(member);
  if (!score) {
    ctx.reply.Error(kGeoMemberError);
    return false;
  }
  *point = DecodeGeoScore(*score);
  return true;
}

// The options after the fixed arguments, left to right; an option is
// accepted only where its form allows it and its arguments are there.
bool ParseOptions(CommandContext& ctx, GeoSearchForm form,
                  const ZSetValue* zset, GeoQuery* query, bool* has_center,
                  bool* has_shape) {
  const CommandArgs args = ctx.args;
  const size_t n = args.size();
  const bool search = IsGeoSearch(form);
  bool from_member = false, from_point = false;
  bool by_radius = false, by_box = false;
  for (size_t i = FirstOption(form); i < n; ++i) {
    const std::string_view option = args[i];
    if (EqualsIgnoreCase(option, "withdist")) {
      query->with_dist = true;
    } else if (EqualsIgnoreCase(option, "withhash")) {
      query->with_hash = true;
    } else if (EqualsIgnoreCase(option, "withcoord")) {
      query->with_coord = true;
    } else if (EqualsIgnoreCase(option, "any")) {
      query->any = true;
    } else if (EqualsIgnoreCase(option, "asc")) {
      query->sort = GeoSort::kAscending;
    } else if (EqualsIgnoreCase(option, "desc")) {
      query->sort = GeoSort::kDescending;
    } else if (EqualsIgnoreCase(option, "count") && i + 1 < n) {
      if (!ParseInt64(args[i + 1], &query->count)) {
        ctx.reply.Error(kNotIntegerError);
        return false;
      }
      if (query->count <= 0) {
        ctx.reply.Error("ERR COUNT must be > 0");
        return false;
      }
      ++i;
    } else if ((EqualsIgnoreCase(option, "store") ||
                EqualsIgnoreCase(option, "storedist")) &&
               i + 1 < n && TakesStoreKey(form)) {
      query->store = true;
      query->store_key = args[i + 1];
      query->store_dist = EqualsIgnoreCase(option, "storedist");
      ++i;
    } else if (EqualsIgnoreCase(option, "storedist") &&
               form == GeoSearchForm::kSearchStore) {
      query->store_dist = true;
    } else if (EqualsIgnoreCase(option, "frommember") && i + 1 < n && search &&
               !from_point) {
      if (zset != nullptr &&
          !MemberPosition(ctx, *zset, args[i + 1], &query->shape.center)) {
        return false;
      }
      from_member = true;
      ++i;
    } else if (EqualsIgnoreCase(option, "fromlonlat") && i + 2 < n && search &&
               !from_member) {
      if (!ParseGeoPoint(ctx, args[i + 1], args[i + 2], &query->shape.center)) {
        return false;
      }
      from_point = true;
      i += 2;
    } else if (EqualsIgnoreCase(option, "byradius") && i + 2 < n && search &&
               !by_box) {
      if (!ParseRadius(ctx, args[i + 1], args[i + 2], &query->shape)) {
        return false;
      }
      by_radius = true;
      i += 2;
    } else if (EqualsIgnoreCase(option, "bybox") && i + 3 < n && search &&
               !by_radius) {
      if (!ParseBox(ctx, args[i + 1], args[i + 2], args[i + 3],
                    &query->shape)) {
        return false;
      }
      by_box = true;
      i += 3;
    } else {
      ctx.reply.Error(kSyntaxError);
      return false;
    }
  }
  *has_center = from_member || from_point;
  *has_shape = by_radius || by_box;
  return true;
}

}  // namespace

bool ParseGeoUnit(CommandContext& ctx, std::string_view unit,
                  double* to_meters) {
  if (EqualsIgnoreCase(unit, "m")) {
    *to_meters = 1;
  } else if (EqualsIgnoreCase(unit, "km")) {
    *to_meters = 1000;
  } else if (EqualsIgnoreCase(unit, "ft")) {
    *to_meters = 0.3048;
  } else if (EqualsIgnoreCase(unit, "mi")) {
    *to_meters = 1609.34;
  } else {
    ctx.reply.Error("ERR unsupported unit provided. please use M, KM, FT, MI");
    return false;
  }
  return true;
}

bool ParseGeoPoint(CommandContext& ctx, std::string_view longitude,
                   std::string_view latitude, GeoPoint* point) {
  if (!ParseDouble(longitude, &point->longitude) ||
      !ParseDouble(latitude, &point->latitude)) {
    ctx.reply.Error(kNotFloatError);
    return false;
  }
  if (!IsValidGeoPoint(*point)) {
    char text[128];
    std::snprintf(text, sizeof(text), "%f,%f", point->longitude,
                  point->latitude);
    ctx.reply.Error(absl::StrCat("ERR invalid longitude,latitude pair ", text));
    return false;
  }
  return true;
}

bool ParseGeoQuery(CommandContext& ctx, GeoSearchForm form,
                   const ZSetValue* zset, GeoQuery* query) {
  const CommandArgs args = ctx.args;
  switch (form) {
    case GeoSearchForm::kRadius:
    case GeoSearchForm::kRadiusReadonly:
      if (!ParseGeoPoint(ctx, args[2], args[3], &query->shape.center) ||
          !ParseRadius(ctx, args[4], args[5], &query->shape)) {
        return false;
      }
      break;
    case GeoSearchForm::kRadiusByMember:
    case GeoSearchForm::kRadiusByMemberReadonly:
      // With no key Redis reads neither the member nor the radius.
      if (zset != nullptr &&
          (!MemberPosition(ctx, *zset, args[2], &query->shape.center) ||
           !ParseRadius(ctx, args[3], args[4], &query->shape))) {
        return false;
      }
      break;
    case GeoSearchForm::kSearch:
      break;
    case GeoSearchForm::kSearchStore:
      query->store = true;
      query->store_key = args[1];
      break;
  }
  bool has_center, has_shape;
  if (!ParseOptions(ctx, form, zset, query, &has_center, &has_shape)) {
    return false;
  }
  if (query->store &&
      (query->with_dist || query->with_hash || query->with_coord)) {
    ctx.reply.Error(form == GeoSearchForm::kSearchStore
                        ? "ERR GEOSEARCHSTORE is not compatible with "
                          "WITHDIST, WITHHASH and WITHCOORD options"
                        : "ERR STORE option in GEORADIUS is not compatible "
                          "with WITHDIST, WITHHASH and WITHCOORD options");
    return false;
  }
  // Redis names the command as the client spelled it.
  if (IsGeoSearch(form) && !has_center) {
    ctx.reply.Error(absl::StrCat(
        "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ",
        ArgumentForError(args[0])));
    return false;
  }
  if (IsGeoSearch(form) && !has_shape) {
    ctx.reply.Error(absl::StrCat(
        "ERR exactly one of BYRADIUS and BYBOX can be specified for ",
        ArgumentForError(args[0])));
    return false;
  }
  if (query->any && query->count == 0) {
    ctx.reply.Error("ERR the ANY argument requires COUNT argument");
    return false;
  }
  return true;
}

bool IsGeoSearch(GeoSearchForm form) {
  return form == GeoSearchForm::kSearch || form == GeoSearchForm::kSearchStore;
}

void GeoRadiusKeys(CommandArgs args, GeoSearchForm form,
                   std::vector<size_t>* positions) {
  const size_t first_option = FirstOption(form);
  if (args.size() < first_option) return;
  size_t store_key = 0;
  for (size_t i = first_option; i + 1 < args.size(); ++i) {
    if (EqualsIgnoreCase(args[i], "count")) {
      ++i;
    } else if (EqualsIgnoreCase(args[i], "store") ||
               EqualsIgnoreCase(args[i], "storedist")) {
      store_key = ++i;
    }
  }
  positions->push_back(1);
  if (store_key != 0) positions->push_back(store_key);
}

}  // namespace shardd::kv
