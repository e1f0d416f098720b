// The sorted-set algebra: ZUNION, ZINTER and ZDIFF (numkeys key [key ...]
// [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]; ZDIFF takes only
// WITHSCORES), their STORE forms (dst numkeys key ...), and ZINTERCARD
// (numkeys key [key ...] [LIMIT n]). A source may also be a plain set,
// whose members all score 1. The arithmetic follows Redis step by step
// (sources from the smallest, weights applied, NaN taken as 0) so that sums
// round the same.
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

enum class Operation { kUnion, kInter, kDiff };

// What one of the commands is: its name (for errors and events), its
// operation, and its form.
struct Form {
  std::string_view name;
  Operation operation;
  bool store = false;             // ZUNIONSTORE ...: dst comes first
  bool cardinality_only = false;  // ZINTERCARD
  size_t count_at() const { return store ? 2 : 1; }
};

// Parses the numkeys argument; false after replying the error.
bool ParseKeyCount(CommandContext& ctx, const Form& form, int64_t* n) {
  const size_t at = form.count_at();
  const std::string_view name = form.name;
  if (!ParseInt64(ctx.args[at], n)) {
    ctx.reply.Error(kNotIntegerError);
    return false;
  }
  if (*n < 1) {
    ctx.reply.Error(absl::StrCat("ERR at least 1 input key is needed for '",
                                 absl::string_view(name.data(), name.size()),
                                 "' command"));
    return false;
  }
  if (*n > static_cast<int64_t>(ctx.args.size() - at) - 1) {
    ctx.reply.Error(kSyntaxError);
    return false;
  }
  return true;
}

// The options after the keys.
struct Options {
  Aggregate aggregate = Aggregate::kSum;
  bool with_scores = false;
  int64_t limit = 0;  // ZINTERCARD's; 0: none
};

// Finds the sources and reads the options the form takes; false after
// replying an error. Keys are checked for their type before the options
// are read, as Redis does.
bool ParseSources(CommandContext& ctx, const Form& form, size_t n,
                  std::vector<Source>* sources, Options* options) {
  const size_t first_key = form.count_at() + 1;
  const bool combines =
      form.operation != Operation::kDiff && !form.cardinality_only;
  sources->resize(n);
  for (size_t i = 0; i < n; ++i) {
    const std::string_view key = ctx.args[first_key + i];
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
  for (size_t i = first_key + n; i < ctx.args.size();) {
    const size_t left = ctx.args.size() - i;
    if (combines && left >= n + 1 && EqualsIgnoreCase(ctx.args[i], "weights")) {
      for (size_t k = 0; k < n; ++k) {
        if (!ParseDouble(ctx.args[i + 1 + k], &(*sources)[k].weight)) {
          ctx.reply.Error("ERR weight value is not a float");
          return false;
        }
      }
      i += n + 1;
    } else if (combines && left >= 2 &&
               EqualsIgnoreCase(ctx.args[i], "aggregate")) {
      const std::string_view how = ctx.args[i + 1];
      if (EqualsIgnoreCase(how, "sum")) {
        options->aggregate = Aggregate::kSum;
      } else if (EqualsIgnoreCase(how, "min")) {
        options->aggregate = Aggregate::kMin;
      } else if (EqualsIgnoreCase(how, "max")) {
        options->aggregate = Aggregate::kMax;
      } else {
        ctx.reply.Error(kSyntaxError);
        return false;
      }
      i += 2;
    } else if (!form.store && !form.cardinality_only &&
               EqualsIgnoreCase(ctx.args[i], "withscores")) {
      options->with_scores = true;
      i += 1;
    } else if (form.cardinality_only && left >= 2 &&
               EqualsIgnoreCase(ctx.args[i], "limit")) {
      if (!ParseInt64(ctx.args[i + 1], &options->limit) || options->limit < 0) {
        ctx.reply.Error("ERR LIMIT can't be negative");
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

// The members of the first source in none of the others, with their
// scores there.
Scores Difference(const std::vector<Source>& sources) {
  Scores result;
  sources[0].ForEach([&](std::string_view member, double score) {
    for (size_t j = 1; j < sources.size(); ++j) {
      if (sources[j].Score(member)) return;
    }
    result.emplace_back(member, score);
  });
  return result;
}

// How many members every source has, counting no further than `limit`
// (0: no limit).
int64_t IntersectionSize(const std::vector<Source>& sources, int64_t limit) {
  int64_t count = 0;
  sources[0].ForEach([&](std::string_view member, double) {
    if (limit > 0 && count >= limit) return;
    for (size_t j = 1; j < sources.size(); ++j) {
      if (!sources[j].Score(member)) return;
    }
    ++count;
  });
  return count;
}

void RunOperation(CommandContext& ctx, const Form& form) {
  int64_t n;
  if (!ParseKeyCount(ctx, form, &n)) return;
  std::vector<Source> sources;
  Options options;
  if (!ParseSources(ctx, form, static_cast<size_t>(n), &sources, &options)) {
    return;
  }
  if (form.operation != Operation::kDiff) {
    // Redis works from the smallest source up (its sort is stable here);
    // a difference keeps its first source first.
    std::stable_sort(
        sources.begin(), sources.end(),
        [](const Source& a, const Source& b) { return a.size() < b.size(); });
  }
  if (form.cardinality_only) {
    ctx.reply.Integer(IntersectionSize(sources, options.limit));
    return;
  }
  Scores scores = form.operation == Operation::kUnion
                      ? Union(sources, options.aggregate)
                  : form.operation == Operation::kInter
                      ? Intersection(sources, options.aggregate)
                      : Difference(sources);
  if (form.store) {
    size_t longest = 0;
    for (const auto& [member, score] : scores) {
      longest = std::max(longest, member.size());
    }
    ZSetValue result;
    // Redis builds the result as a skip list and makes it compact only if
    // it fits; either way it is the encoding the final size calls for.
    result.Reserve(scores.size(), longest);
    for (const auto& [member, score] : scores) result.Put(member, score);
    StoreZSet(ctx, ctx.args[1], std::move(result), form.name);
    return;
  }
  // In a sorted set's order, scores as computed: Redis replies from the
  // skip list it built, which keeps a -0 a listpack would make 0.
  std::sort(scores.begin(), scores.end(), [](const auto& a, const auto& b) {
    return a.second < b.second || (a.second == b.second && a.first < b.first);
  });
  // RESP3 pairs each member with its score.
  const bool pairs = options.with_scores && ctx.reply.resp3();
  ctx.reply.ArrayHeader(options.with_scores && !pairs ? 2 * scores.size()
                                                      : scores.size());
  for (const auto& [member, score] : scores) {
    if (pairs) ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(member);
    if (options.with_scores) ctx.reply.Double(FormatScore(score));
  }
}

}  // namespace

void ZUnionCommand(CommandContext& ctx) {
  RunOperation(ctx, {"zunion", Operation::kUnion});
}

void ZInterCommand(CommandContext& ctx) {
  RunOperation(ctx, {"zinter", Operation::kInter});
}

void ZDiffCommand(CommandContext& ctx) {
  RunOperation(ctx, {"zdiff", Operation::kDiff});
}

void ZInterCardCommand(CommandContext& ctx) {
  RunOperation(ctx, {"zintercard", Operation::kInter, false, true});
}

void ZUnionStoreCommand(CommandContext& ctx) {
  RunOperation(ctx, {"zunionstore", Operation::kUnion, true});
}

void ZInterStoreCommand(CommandContext& ctx) {
  RunOperation(ctx, {"zinterstore", Operation::kInter, true});
}

void ZDiffStoreCommand(CommandContext& ctx) {
  RunOperation(ctx, {"zdiffstore", Operation::kDiff, true});
}

void ZReadKeys(CommandArgs args, std::vector<size_t>* positions) {
  int64_t n;
  if (args.size() < 3 || !ParseInt64(args[1], &n) || n < 1 ||
      n > static_cast<int64_t>(args.size()) - 2) {
    return;
  }
  for (int64_t i = 0; i < n; ++i) positions->push_back(2 + i);
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
