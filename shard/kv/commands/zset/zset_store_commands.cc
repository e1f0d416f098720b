// ZUNIONSTORE and ZINTERSTORE: dst numkeys key [key ...] [WEIGHTS w ...]
// [AGGREGATE SUM|MIN|MAX]. A source may also be a plain set, whose members
// all score 1. The arithmetic follows Redis step by step (sources from the
// smallest, weights applied, NaN taken as 0) so that sums round the same.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/zset/zset_handlers.h"
#include "shard/kv/commands/zset/zset_score.h"
#include "shard/kv/store/set_value.h"

namespace shardd::kv {
namespace {

enum class Aggregate { kSum, kMin, kMax };

struct Source {
  const ZSetValue* zset = nullptr;  // at most one of zset and set is set
  const SetValue* set = nullptr;
  double weight = 1;

  size_t size() const {
    return zset != nullptr ? zset->size() : set != nullptr ? set->size() : 0;
  }
  template <typename Visit>
  void ForEach(Visit visit) const {
    if (zset != nullptr) {
      zset->ForEachInRanks(0, zset->size(), false, visit);
    } else if (set != nullptr) {
      set->ForEach([&](std::string_view member) { visit(member, 1.0); });
    }
  }
  std::optional<double> Score(std::string_view member) const {
    if (zset != nullptr) return zset->Score(member);
    if (set != nullptr && set->Contains(member)) return 1.0;
    return std::nullopt;
  }
};

void Combine(Aggregate aggregate, double value, double* target) {
  switch (aggregate) {
    case Aggregate::kSum:
      *target += value;
      // inf + -inf: Redis's convention is 0.
      if (std::isnan(*target)) *target = 0;
      break;
    case Aggregate::kMin:
      *target = value < *target ? value : *target;
      break;
    case Aggregate::kMax:
      *target = value > *target ? value : *target;
      break;
  }
}

// Parses the numkeys argument; false after replying the error.
bool ParseKeyCount(CommandContext& ctx, std::string_view name, int64_t* n) {
  if (!ParseInt64(ctx.args[2], n)) {
    ctx.reply.Error(kNotIntegerError);
    return false;
  }
  if (*n < 1) {
    ctx.reply.Error(absl::StrCat("ERR at least 1 input key is needed for '",
                                 absl::string_view(name.data(), name.size()),
                                 "' command"));
    return false;
  }
  if (*n > static_cast<int64_t>(ctx.args.size()) - 3) {
    ctx.reply.Error(kSyntaxError);
    return false;
  }
  return true;
}

// Finds the sources and reads WEIGHTS and AGGREGATE; false after replying an
// error. Keys are checked for their type before the options are read, as
// Redis does.
bool ParseSources(CommandContext& ctx, size_t n, std::vector<Source>* sources,
                  Aggregate* aggregate) {
  sources->resize(n);
  for (size_t i = 0; i < n; ++i) {
    const std::string_view key = ctx.args[3 + i];
    Entry* entry = ctx.store.Find(key, ctx.now_ms);
    if (entry == nullptr) continue;
    if (entry->type() == ValueType::kZSet) {
      (*sources)[i].zset = &entry->zset();
    } else if (entry->type() == ValueType::kSet) {
      (*sources)[i].set = &entry->set();
    } else {
      ctx.reply.Error(kWrongTypeError);
      return false;
    }
  }
  for (size_t i = 3 + n; i < ctx.args.size();) {
    const size_t left = ctx.args.size() - i;
    if (left >= n + 1 && EqualsIgnoreCase(ctx.args[i], "weights")) {
      for (size_t k = 0; k < n; ++k) {
        if (!ParseScore(ctx.args[i + 1 + k], &(*sources)[k].weight)) {
          ctx.reply.Error("ERR weight value is not a float");
          return false;
        }
      }
      i += n + 1;
    } else if (left >= 2 && EqualsIgnoreCase(ctx.args[i], "aggregate")) {
      const std::string_view how = ctx.args[i + 1];
      if (EqualsIgnoreCase(how, "sum")) {
        *aggregate = Aggregate::kSum;
      } else if (EqualsIgnoreCase(how, "min")) {
        *aggregate = Aggregate::kMin;
      } else if (EqualsIgnoreCase(how, "max")) {
        *aggregate = Aggregate::kMax;
      } else {
        ctx.reply.Error(kSyntaxError);
        return false;
      }
      i += 2;
    } else {
      ctx.reply.Error(kSyntaxError);
      return false;
    }
  }
  return true;
}

using Scores = std::vector<std::pair<std::string, double>>;

Scores Union(const std::vector<Source>& sources, Aggregate aggregate) {
  absl::flat_hash_map<std::string, double> totals;
  for (const Source& source : sources) {
    source.ForEach([&](std::string_view member, double score) {
      double value = source.weight * score;
      if (std::isnan(value)) value = 0;  // 0 * inf
      auto [it, inserted] = totals.try_emplace(
          absl::string_view(member.data(), member.size()), value);
      if (!inserted) Combine(aggregate, value, &it->second);
    });
  }
  return Scores(totals.begin(), totals.end());
}

Scores Intersection(const std::vector<Source>& sources, Aggregate aggregate) {
  Scores result;
  if (sources[0].size() == 0) return result;  // the smallest is empty
  sources[0].ForEach([&](std::string_view member, double score) {
    double total = sources[0].weight * score;
    if (std::isnan(total)) total = 0;
    for (size_t j = 1; j < sources.size(); ++j) {
      const std::optional<double> other = sources[j].Score(member);
      if (!other) return;
      Combine(aggregate, *other * sources[j].weight, &total);
    }
    result.emplace_back(member, total);
  });
  return result;
}

void StoreCommand(CommandContext& ctx, std::string_view name, bool union_op) {
  int64_t n;
  if (!ParseKeyCount(ctx, name, &n)) return;
  std::vector<Source> sources;
  Aggregate aggregate = Aggregate::kSum;
  if (!ParseSources(ctx, static_cast<size_t>(n), &sources, &aggregate)) {
    return;
  }
  // Redis works from the smallest source up (its sort is stable here).
  std::stable_sort(
      sources.begin(), sources.end(),
      [](const Source& a, const Source& b) { return a.size() < b.size(); });
  const Scores scores =
      union_op ? Union(sources, aggregate) : Intersection(sources, aggregate);
  size_t longest = 0;
  for (const auto& [member, score] : scores) {
    longest = std::max(longest, member.size());
  }
  ZSetValue result;
  // Redis builds the result as a skip list and makes it compact only if it
  // fits; either way it is the encoding the final size calls for.
  result.Reserve(scores.size(), longest);
  for (const auto& [member, score] : scores) result.Put(member, score);
  StoreZSet(ctx, ctx.args[1], std::move(result), name);
}

}  // namespace

void ZUnionStoreCommand(CommandContext& ctx) {
  StoreCommand(ctx, "zunionstore", true);
}

void ZInterStoreCommand(CommandContext& ctx) {
  StoreCommand(ctx, "zinterstore", false);
}

void ZStoreKeys(CommandArgs args, std::vector<size_t>* positions) {
  int64_t n;
  if (args.size() < 4 || !ParseInt64(args[2], &n) || n < 1 ||
      n > static_cast<int64_t>(args.size()) - 3) {
    return;
  }
  positions->push_back(1);
  for (int64_t i = 0; i < n; ++i) positions->push_back(3 + i);
}

}  // namespace shardd::kv
