#include "shard/kv/persist/records.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "shard/kv/store/hash_value.h"
#include "shard/kv/store/list_value.h"
#include "shard/kv/store/set_value.h"
#include "shard/kv/store/zset_value.h"

namespace shardd::kv {
namespace {

// Elements per command when an aggregate is recreated (Redis's
// AOF_REWRITE_ITEMS_PER_CMD).
constexpr size_t kItemsPerCommand = 64;

// Collects one aggregate's elements into commands of kItemsPerCommand.
class Batcher {
 public:
  Batcher(std::string* out, std::string_view command, std::string_view key,
          size_t fields_per_item)
      : out_(out), fields_per_item_(fields_per_item) {
    head_ = {command, key};
  }
  ~Batcher() { Flush(); }

  // Adds one element's fields (their bytes must live until the next Add
  // that flushes, or the end; they are copied here).
  void Add(std::initializer_list<std::string_view> fields) {
    for (std::string_view field : fields) owned_.emplace_back(field);
    if (owned_.size() >= kItemsPerCommand * fields_per_item_) Flush();
  }

 private:
  void Flush() {
    if (owned_.empty()) return;
    std::vector<std::string_view> args = head_;
    for (const std::string& field : owned_) args.push_back(field);
    AppendCommand(out_, args);
    owned_.clear();
  }

  std::string* out_;
  size_t fields_per_item_;
  std::vector<std::string_view> head_;
  std::vector<std::string> owned_;
};

}  // namespace

void AppendCommand(std::string* out, absl::Span<const std::string_view> args) {
  absl::StrAppend(out, "*", args.size(), "\r\n");
  for (std::string_view arg : args) {
    absl::StrAppend(out, "$", arg.size(), "\r\n");
    out->append(arg);
    out->append("\r\n");
  }
}

namespace {
absl::string_view Absl(std::string_view s) { return {s.data(), s.size()}; }
}  // namespace

void AppendSelect(std::string* out, uint32_t* selected, uint32_t db) {
  if (*selected == db) return;
  const std::string number = absl::StrCat(db);
  const std::string_view select[] = {"SELECT", number};
  AppendCommand(out, select);
  *selected = db;
}

void AppendEntry(std::string* out, std::string_view key, const Entry& entry) {
  switch (entry.type()) {
    case ValueType::kString: {
      const std::string_view args[] = {"SET", key, entry.string()};
      AppendCommand(out, args);
      break;
    }
    case ValueType::kList: {
      Batcher batch(out, "RPUSH", key, 1);
      const ListValue& list = entry.list();
      for (size_t i = 0; i < list.size(); ++i) batch.Add({list[i]});
      break;
    }
    case ValueType::kHash: {
      Batcher batch(out, "HSET", key, 2);
      entry.hash().ForEach([&](std::string_view field, std::string_view value) {
        batch.Add({field, value});
      });
      break;
    }
    case ValueType::kSet: {
      Batcher batch(out, "SADD", key, 1);
      entry.set().ForEach(
          [&](std::string_view member) { batch.Add({member}); });
      break;
    }
    case ValueType::kZSet: {
      Batcher batch(out, "ZADD", key, 2);
      const ZSetValue& zset = entry.zset();
      zset.ForEachInRanks(0, zset.size(), /*reverse=*/false,
                          [&](std::string_view member, double score) {
                            // %.17g reads back as the same double.
                            const std::string text =
                                absl::StrFormat("%.17g", score);
                            batch.Add({text, member});
                          });
      break;
    }
  }
  if (entry.expire_at_ms() != 0) {
    const std::string at = absl::StrCat(entry.expire_at_ms());
    const std::string_view args[] = {"PEXPIREAT", key, at};
    AppendCommand(out, args);
  }
}

void AppendTxBegin(std::string* out, std::string_view id, uint32_t index,
                   uint32_t total) {
  absl::StrAppend(out, "#TX ", Absl(id), " ", index);
  if (total != 0) absl::StrAppend(out, " ", total);
  out->append("\r\n*1\r\n$5\r\nMULTI\r\n");
}

void AppendTxEnd(std::string* out) { out->append("*1\r\n$4\r\nEXEC\r\n"); }

bool ParseTxMark(std::string_view line, TxMark* mark) {
  std::vector<absl::string_view> words = absl::StrSplit(Absl(line), ' ');
  if (words.size() < 3 || words.size() > 4 || words[0] != "#TX" ||
      words[1].empty() || !absl::SimpleAtoi(words[2], &mark->index)) {
    return false;
  }
  mark->id = std::string_view(words[1].data(), words[1].size());
  mark->total = 0;
  if (words.size() == 4 &&
      (!absl::SimpleAtoi(words[3], &mark->total) || mark->total == 0 ||
       mark->index >= mark->total)) {
    return false;
  }
  return true;
}

}  // namespace shardd::kv
