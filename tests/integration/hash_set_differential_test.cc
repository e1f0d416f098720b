// Differential test of the hash and set commands: the same seeded random
// command stream goes to shardd (4 shards, over several connections, so
// commands start on different shards) and to a real redis-server 7.0.
//
// Replies must be byte-for-byte equal, except where Redis itself leaves them
// open (HashSetGenerator::ReplyOrder says which): the listing of a hashtable
// (SMEMBERS, HGETALL, ... when OBJECT ENCODING on Redis says "hashtable",
// and set algebra results) is compared as a multiset; random picks
// (SRANDMEMBER, HRANDFIELD) must have Redis's shape and size, be distinct for
// a positive count, and be members according to Redis; a scan that does not
// finish in one step is run to the end on both servers and the elements seen
// compared as sets.
//
// To replay a failure: SHARDD_DIFF_SEED=<seed> ./hash_set_differential_test
// To see every command and reply: SHARDD_DIFF_VERBOSE=1.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/support/differential_fixture.h"
#include "tests/integration/support/hash_set_generator.h"
#include "tests/integration/support/reply_tree.h"
#include "tests/integration/support/resp_codec.h"

namespace shardd::integration {
namespace {

using ReplyOrder = HashSetGenerator::ReplyOrder;

constexpr int kCommandsPerSeed = 3000;

// RESP3 replies HRANDFIELD ... WITHVALUES as [field, value] pairs, RESP2
// flat: pairs are flattened, so that both compare alike.
void FlattenPairs(Reply* reply) {
  if (reply->type != '*' || reply->elements.empty()) return;
  for (const Reply& element : reply->elements) {
    if (element.type != '*' || element.elements.size() != 2) return;
  }
  std::vector<Reply> flat;
  for (Reply& pair : reply->elements) {
    for (Reply& part : pair.elements) flat.push_back(std::move(part));
  }
  reply->elements = std::move(flat);
}

// The elements of a flat array, `group` at a time (2 for field-value pairs),
// each group joined into one string, sorted.
std::vector<std::string> Grouped(const Reply& array, size_t group) {
  std::vector<std::string> groups;
  for (size_t i = 0; i + group <= array.elements.size(); i += group) {
    std::string joined;
    for (size_t j = 0; j < group; ++j) {
      const std::string& part = array.elements[i + j].text;
      absl::StrAppend(&joined, part.size(), ":", part, ";");
    }
    groups.push_back(std::move(joined));
  }
  std::sort(groups.begin(), groups.end());
  return groups;
}

std::string Lowercase(std::string text) {
  absl::AsciiStrToLower(&text);
  return text;
}

// Field-value pairs: HGETALL, HSCAN and HRANDFIELD ... WITHVALUES.
size_t GroupOf(const std::vector<std::string>& command) {
  const std::string name = Lowercase(command[0]);
  if (name == "hgetall" || name == "hscan") return 2;
  if (name == "hrandfield" && command.size() == 4) return 2;
  return 1;
}

class HashSetDifferentialTest : public DifferentialFixture {
 protected:
  // Redis's reply to `command`, for the checks' own questions.
  std::string AskRedis(const std::vector<std::string>& command) {
    absl::StatusOr<std::string> reply = reference().Command(command);
    return reply.ok() ? *reply : "";
  }

  // True if Redis keeps `key` in a compact encoding, whose order it fixes.
  bool IsCompact(const std::string& key) {
    const std::string encoding = AskRedis({"OBJECT", "ENCODING", key});
    return encoding == Bulk("listpack") || encoding == Bulk("intset");
  }

  // True if `ours` is an acceptable reply where Redis replied `theirs`.
  bool Agree(const std::vector<std::string>& command, const std::string& ours,
             const std::string& theirs, RespClient& shardd) {
    if (ours == theirs) return true;
    std::optional<Reply> a = ParseReply(ours);
    std::optional<Reply> b = ParseReply(theirs);
    if (!a || !b || a->type != b->type || a->null != b->null) return false;
    const size_t group = GroupOf(command);
    if (group == 2) {
      FlattenPairs(&*a);
      FlattenPairs(&*b);
    }
    switch (HashSetGenerator::OrderOf(command)) {
      case ReplyOrder::kExact:
        return false;
      case ReplyOrder::kExactIfCompact:
        return IsAggregate(a->type) && !IsCompact(command[1]) &&
               Grouped(*a, group) == Grouped(*b, group);
      case ReplyOrder::kUnordered:
        return IsAggregate(a->type) && Grouped(*a, group) == Grouped(*b, group);
      case ReplyOrder::kRandom:
        return ValidPicks(command, *a, *b, group);
      case ReplyOrder::kScan:
        // A compact hash or set comes whole, in Redis's order: exact.
        if (a->type != '*' || IsCompact(command[1])) return false;
        return ScanAll(shardd, command, *a, group) ==
               ScanAll(reference(), command, *b, group);
    }
    return false;
  }

  // SRANDMEMBER / HRANDFIELD: our picks have Redis's shape and size, are
  // distinct for a positive count, and are members (with their values).
  bool ValidPicks(const std::vector<std::string>& command, const Reply& ours,
                  const Reply& theirs, size_t group) {
    const bool hash = Lowercase(command[0]) == "hrandfield";
    std::vector<std::string> picks;
    if (ours.type == '$') {
      picks.push_back(ours.text);
    } else if (IsAggregate(ours.type) &&
               ours.elements.size() == theirs.elements.size()) {
      for (size_t i = 0; i < ours.elements.size(); i += group) {
        picks.push_back(ours.elements[i].text);
      }
      const bool distinct = ParseInt64(command[2]).value_or(-1) > 0;
      if (distinct &&
          std::set<std::string>(picks.begin(), picks.end()).size() !=
              picks.size()) {
        return false;
      }
    } else {
      return false;
    }
    if (picks.empty()) return true;
    std::vector<std::string> ask = {hash ? "HMGET" : "SMISMEMBER", command[1]};
    ask.insert(ask.end(), picks.begin(), picks.end());
    const std::optional<Reply> answer = ParseReply(AskRedis(ask));
    if (!answer || answer->elements.size() != picks.size()) return false;
    for (size_t i = 0; i < picks.size(); ++i) {
      const Reply& found = answer->elements[i];
      if (hash ? found.null : found.text != "1") return false;
      if (group == 2 && found.text != ours.elements[2 * i + 1].text) {
        return false;
      }
    }
    return true;
  }

  // Every element (grouped) a scan sees from its first reply `first` to its
  // end, continuing `command` with each cursor returned.
  std::set<std::string> ScanAll(RespClient& client,
                                std::vector<std::string> command, Reply first,
                                size_t group) {
    std::set<std::string> seen;
    for (int step = 0; step < 100000; ++step) {
      if (first.elements.size() != 2) return {"<malformed>"};
      for (std::string& element : Grouped(first.elements[1], group)) {
        seen.insert(std::move(element));
      }
      if (first.elements[0].text == "0") return seen;
      command[2] = first.elements[0].text;
      absl::StatusOr<std::string> next = client.Command(command);
      std::optional<Reply> parsed;
      if (next.ok()) parsed = ParseReply(*next);
      if (!parsed) return {"<failed>"};
      first = *std::move(parsed);
    }
    return {"<endless>"};
  }

};

TEST_P(HashSetDifferentialTest, RepliesMatchRedis) {
  HashSetGenerator generator(seed());
  RunStream(
      seed(), kCommandsPerSeed, [&] { return generator.Next(); },
      [this](const std::vector<std::string>& command, const std::string& ours,
             const std::string& theirs, RespClient& shardd) {
        return Agree(command, ours, theirs, shardd);
      });
}

INSTANTIATE_TEST_SUITE_P(Seeds, HashSetDifferentialTest,
                         ::testing::ValuesIn(CasesToRun()), CaseName);

}  // namespace
}  // namespace shardd::integration
