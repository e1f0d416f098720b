// HRANDFIELD and HSCAN: the commands that return part of a hash, picked at
// random or a cursor step at a time.
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "absl/random/random.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/hash/hash_handlers.h"
#include "shard/kv/commands/random_pick.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/scan_arguments.h"

namespace shardd::kv {
namespace {

constexpr int64_t kMaxCount = std::numeric_limits<int64_t>::max();

// HRANDFIELD key count [WITHVALUES].
void RandomFieldsWithCount(CommandContext& ctx) {
  int64_t count;
  if (!ParseRandomCount(ctx.args[2], ctx.reply, &count)) return;
  const bool with_values = ctx.args.size() == 4;
  if (ctx.args.size() > 4 ||
      (with_values && !EqualsIgnoreCase(ctx.args[3], "withvalues"))) {
    ctx.reply.Error(kSyntaxError);
    return;
  }
  // Twice as many replies must still fit a long.
  if (with_values && (count > kMaxCount / 2 || count < -(kMaxCount / 2))) {
    ctx.reply.Error("ERR value is out of range");
    return;
  }
  HashValue* hash;
  if (!FindValue(ctx, ctx.args[1], &hash)) return;
  if (hash == nullptr || count == 0) {
    ctx.reply.ArrayHeader(0);
    return;
  }
  if (!WithinPickLimit(count, ctx.reply)) return;
  // RESP3 pairs each field with its value; RESP2 lists them flat.
  const bool pairs = with_values && ctx.reply.resp3();
  const size_t per_field = with_values && !pairs ? 2 : 1;
  // Seeding from absl's pool takes ~130 ns, so no generator is kept.
  absl::BitGenRef gen(*ctx.random);
  auto reply_entry = [&](const HashValue::EntryView& entry) {
    if (pairs) ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(entry.first);
    if (with_values) ctx.reply.Bulk(entry.second);
  };
  if (count < 0) {  // -count fields, repeats allowed
    const uint64_t picks = 0 - static_cast<uint64_t>(count);
    ctx.reply.ArrayHeader(picks * per_field);
    for (uint64_t i = 0; i < picks; ++i) reply_entry(hash->RandomEntry(gen));
    return;
  }
  const std::vector<HashValue::EntryView> picked =
      PickDistinct<HashValue::EntryView>(
          hash->size(), static_cast<size_t>(count),
          [hash] { return hash->Entries(); },
          [hash, &gen] { return hash->RandomEntry(gen); }, gen);
  ctx.reply.ArrayHeader(picked.size() * per_field);
  for (const HashValue::EntryView& entry : picked) reply_entry(entry);
}

}  // namespace

void HRandFieldCommand(CommandContext& ctx) {
  if (ctx.args.size() >= 3) {
    RandomFieldsWithCount(ctx);
    return;
  }
  HashValue* hash;
  if (!FindValue(ctx, ctx.args[1], &hash)) return;
  if (hash == nullptr) {
    ctx.reply.NullBulk();
    return;
  }
  absl::BitGenRef gen(*ctx.random);
  ctx.reply.Bulk(hash->RandomEntry(gen).first);
}

void HScanCommand(CommandContext& ctx) {
  uint64_t cursor;
  ScanOptions options;
  HashValue* hash = StartValueScan<HashValue>(ctx, &cursor, &options);
  if (hash == nullptr) return;
  std::vector<std::string_view> page;
  const uint64_t next =
      hash->Scan(cursor, options.count,
                 [&](std::string_view field, std::string_view value) {
                   if (!options.Matches(field)) return;
                   page.push_back(field);
                   page.push_back(value);
                 });
  ReplyScanPage(ctx.reply, next, page);
}

}  // namespace shardd::kv
