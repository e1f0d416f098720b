// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]: the longest
// common subsequence of two strings, its length, or the ranges of both
// strings it is made of. It fills the classic dynamic-programming table of
// prefix LCS lengths, then walks back from its far corner, picking the same
// path through ties as Redis 7.0 so that the subsequence and the ranges come
// out byte for byte alike.
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/strings/string_handlers.h"
#include "shard/kv/commands/strings/string_limits.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kNotStringsError =
    "ERR The specified keys must contain string values";
constexpr std::string_view kLenAndIdxError =
    "ERR If you want both the length and indexes, please just use IDX.";
// Redis caps the table at proto-max-bulk-len bytes.
constexpr std::string_view kTableTooBigError =
    "ERR Insufficient memory, transient memory for LCS exceeds "
    "proto-max-bulk-len";
constexpr std::string_view kTableAllocError =
    "ERR Insufficient memory, failed allocating transient memory for LCS";

struct LcsOptions {
  bool len = false;
  bool idx = false;
  bool with_match_len = false;
  int64_t min_match_len = 0;
};

// Reads the options after the two keys. False once it has replied an error.
bool ParseLcsOptions(CommandContext& ctx, LcsOptions* options) {
  const CommandArgs args = ctx.args;
  for (size_t i = 3; i < args.size(); ++i) {
    const std::string_view option = args[i];
    if (EqualsIgnoreCase(option, "IDX")) {
      options->idx = true;
    } else if (EqualsIgnoreCase(option, "LEN")) {
      options->len = true;
    } else if (EqualsIgnoreCase(option, "WITHMATCHLEN")) {
      options->with_match_len = true;
    } else if (EqualsIgnoreCase(option, "MINMATCHLEN") && i + 1 < args.size()) {
      if (!ParseInt64(args[i + 1], &options->min_match_len)) {
        ctx.reply.Error(kNotIntegerError);
        return false;
      }
      // A negative minimum keeps every match, like zero.
      if (options->min_match_len < 0) options->min_match_len = 0;
      ++i;
    } else {
      ctx.reply.Error(kSyntaxError);
      return false;
    }
  }
  if (options->len && options->idx) {
    ctx.reply.Error(kLenAndIdxError);
    return false;
  }
  return true;
}

// A run of consecutive bytes common to both strings, as inclusive offsets.
struct LcsMatch {
  size_t a_start, a_end;
  size_t b_start, b_end;
};

// The table of prefix LCS lengths: cell (i, j) holds the length of the LCS
// of a's first i bytes and b's first j bytes.
class LcsTable {
 public:
  LcsTable(std::string_view a, std::string_view b)
      : a_(a), b_(b), columns_(b.size() + 1) {}

  // Whether the table's (|a|+1)*(|b|+1) 32-bit cells fit within the limit
  // Redis sets them (exactly the limit is allowed).
  bool FitsLimit() const {
    constexpr size_t kMaxCells = kMaxStringBytes / sizeof(uint32_t);
    const size_t rows = a_.size() + 1;
    return rows <= kMaxCells / columns_;
  }

  // Allocates and fills the table; false if the memory is not there.
  bool Fill() {
    const size_t rows = a_.size() + 1;
    cells_.reset(new (std::nothrow) uint32_t[rows * columns_]);
    if (cells_ == nullptr) return false;
    // Only the first row and column are read before being written.
    for (size_t j = 0; j < columns_; ++j) cells_[j] = 0;
    for (size_t i = 1; i < rows; ++i) {
      uint32_t* row = &cells_[i * columns_];
      const uint32_t* above = row - columns_;
      row[0] = 0;
      const char byte = a_[i - 1];
      for (size_t j = 1; j < columns_; ++j) {
        if (byte == b_[j - 1]) {
          row[j] = above[j - 1] + 1;
        } else {
          row[j] = above[j] > row[j - 1] ? above[j] : row[j - 1];
        }
      }
    }
    return true;
  }

  uint32_t At(size_t i, size_t j) const { return cells_[i * columns_ + j]; }
  uint32_t Length() const { return At(a_.size(), b_.size()); }

  // Walks back from the last cell, writing the subsequence into
  // `*subsequence` (resized to Length()) and, if `matches` is not null,
  // appending the runs it is made of, last first, that are at least
  // `min_match_len` bytes long.
  void Trace(int64_t min_match_len, std::string* subsequence,
             std::vector<LcsMatch>* matches) const {
    size_t remaining = Length();
    subsequence->assign(remaining, '\0');
    size_t i = a_.size();
    size_t j = b_.size();
    bool in_run = false;
    LcsMatch run{};
    while (i > 0 && j > 0) {
      bool run_ends;
      if (a_[i - 1] == b_[j - 1]) {
        // Walking backwards, a run grows at its start.
        if (!in_run) {
          in_run = true;
          run.a_end = i - 1;
          run.b_end = j - 1;
        }
        run.a_start = i - 1;
        run.b_start = j - 1;
        (*subsequence)[--remaining] = a_[i - 1];
        --i;
        --j;
        run_ends = i == 0 || j == 0;
      } else {
        // Towards the larger neighbour; on a tie, along b (as Redis).
        if (At(i - 1, j) > At(i, j - 1)) {
          --i;
        } else {
          --j;
        }
        run_ends = in_run;
      }
      if (in_run && run_ends) {
        in_run = false;
        const size_t run_length = run.a_end - run.a_start + 1;
        if (matches != nullptr && static_cast<uint64_t>(run_length) >=
                                      static_cast<uint64_t>(min_match_len)) {
          matches->push_back(run);
        }
      }
    }
  }

 private:
  std::string_view a_;
  std::string_view b_;
  size_t columns_;
  std::unique_ptr<uint32_t[]> cells_;
};

void ReplyMatches(resp::ReplyWriter& reply,
                  const std::vector<LcsMatch>& matches, bool with_match_len,
                  uint32_t length) {
  reply.MapHeader(2);
  reply.Bulk("matches");
  reply.ArrayHeader(matches.size());
  for (const LcsMatch& match : matches) {
    reply.ArrayHeader(with_match_len ? 3 : 2);
    reply.ArrayHeader(2);
    reply.Integer(static_cast<int64_t>(match.a_start));
    reply.Integer(static_cast<int64_t>(match.a_end));
    reply.ArrayHeader(2);
    reply.Integer(static_cast<int64_t>(match.b_start));
    reply.Integer(static_cast<int64_t>(match.b_end));
    if (with_match_len) {
      reply.Integer(static_cast<int64_t>(match.a_end - match.a_start + 1));
    }
  }
  reply.Bulk("len");
  reply.Integer(length);
}

}  // namespace

void LcsCommand(CommandContext& ctx) {
  // Redis checks the types of both keys before it reads the options, with an
  // error of its own rather than WRONGTYPE. A missing key is an empty string.
  bool a_wrong = false;
  bool b_wrong = false;
  const Entry* a_entry = ctx.store.FindTyped(ctx.args[1], ValueType::kString,
                                             ctx.now_ms, &a_wrong);
  const Entry* b_entry = ctx.store.FindTyped(ctx.args[2], ValueType::kString,
                                             ctx.now_ms, &b_wrong);
  if (a_wrong || b_wrong) {
    ctx.reply.Error(kNotStringsError);
    return;
  }
  LcsOptions options;
  if (!ParseLcsOptions(ctx, &options)) return;

  const std::string_view a = a_entry == nullptr ? "" : a_entry->string();
  const std::string_view b = b_entry == nullptr ? "" : b_entry->string();
  LcsTable table(a, b);
  if (!table.FitsLimit()) {
    ctx.reply.Error(kTableTooBigError);
    return;
  }
  if (!table.Fill()) {
    ctx.reply.Error(kTableAllocError);
    return;
  }
  if (options.len) {
    ctx.reply.Integer(table.Length());
    return;
  }
  std::string subsequence;
  if (!options.idx) {
    table.Trace(options.min_match_len, &subsequence, nullptr);
    ctx.reply.Bulk(subsequence);
    return;
  }
  std::vector<LcsMatch> matches;
  table.Trace(options.min_match_len, &subsequence, &matches);
  ReplyMatches(ctx.reply, matches, options.with_match_len, table.Length());
}

}  // namespace shardd::kv
