// PFADD, PFCOUNT and PFMERGE. Expected bytes and counts are what
// redis-server 7.0.15 stores and replies for the same commands; the dense
// values (12304 bytes) are compared by their 64-bit FNV-1a hash.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "net/resp/reply_writer.h"
#include "shard/kv/commands/command_table.h"
#include "shard/kv/store/keyspace_event.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kNotHll =
    "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n";
constexpr std::string_view kCorrupt =
    "-INVALIDOBJ Corrupted HLL object detected\r\n";
constexpr std::string_view kWrongType =
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

std::string FromHex(std::string_view hex) {
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(
        std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return bytes;
}

std::string BulkFromHex(std::string_view hex) {
  const std::string bytes = FromHex(hex);
  return absl::StrCat("$", bytes.size(), "\r\n", bytes, "\r\n");
}

uint64_t Fnv1a(std::string_view bytes) {
  uint64_t hash = 0xcbf29ce484222325;
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3;
  }
  return hash;
}

// The stored value of `key`, read from the store rather than through GET's
// reply.
std::string_view Value(HandlerRunner& run, std::string_view key) {
  const Entry* entry = run.store.Find(key, run.now_ms);
  return entry == nullptr ? std::string_view() : entry->string();
}

// Runs `command` with `prefix` followed by the elements <prefix>first..last-1
// ("e0", "e1", ...).
std::string RunWithElements(HandlerRunner& run,
                            std::vector<std::string_view> command,
                            std::string_view prefix, int first, int last) {
  std::vector<std::string> elements;
  for (int i = first; i < last; ++i)
    elements.push_back(absl::StrCat(std::string(prefix), i));
  for (const std::string& element : elements) command.push_back(element);
  return run(command);
}

// {a, b, c}: sparse, cache stale.
constexpr std::string_view kAbc =
    "48594c4c01000000000000000000008060f38050b1844bfb80425a";
// The same after PFCOUNT: cache 3, valid.
constexpr std::string_view kAbcCounted =
    "48594c4c01000000030000000000000060f38050b1844bfb80425a";
// {a, b, c} merged with {c, d, e}.
constexpr std::string_view kAbcde =
    "48594c4c0100000000000000000000805c7b8044768050b184498c80426d80425a";
// What PFADD (no elements) or PFMERGE of nothing creates.
constexpr std::string_view kEmpty = "48594c4c0100000000000000000000807fff";

TEST(PfAddTest, SmallSetStaysSparseAsInRedis) {
  HandlerRunner run;
  EXPECT_EQ(run({"pfadd", "h", "a", "b", "c"}), ":1\r\n");
  EXPECT_EQ(run({"get", "h"}), BulkFromHex(kAbc));
  EXPECT_EQ(run({"pfadd", "h", "a", "b"}), ":0\r\n");
  EXPECT_EQ(run({"get", "h"}), BulkFromHex(kAbc));
  EXPECT_EQ(run({"pfcount", "h"}), ":3\r\n");
  EXPECT_EQ(run({"get", "h"}), BulkFromHex(kAbcCounted));
  // A change marks the cache stale but leaves the old count in place.
  EXPECT_EQ(run({"pfadd", "h", "zz"}), ":1\r\n");
  EXPECT_EQ(run({"get", "h"}),
            BulkFromHex("48594c4c0100000003000000000000804ad98056188050b184"
                        "4bfb80425a"));
}

TEST(PfAddTest, NoElementsCreatesAnEmptySketchOnce) {
  HandlerRunner run;
  EXPECT_EQ(run({"pfadd", "h"}), ":1\r\n");
  EXPECT_EQ(run({"get", "h"}), BulkFromHex(kEmpty));
  EXPECT_EQ(run({"pfadd", "h"}), ":0\r\n");
  EXPECT_EQ(run({"pfcount", "h"}), ":0\r\n");
  EXPECT_EQ(run({"get", "h"}),
            BulkFromHex("48594c4c0100000000000000000000007fff"));
}

TEST(PfAddTest, TurnsDensePastTheSparseLimit) {
  HandlerRunner run;
  EXPECT_EQ(RunWithElements(run, {"pfadd", "g"}, "g", 0, 1700), ":1\r\n");
  EXPECT_EQ(run({"strlen", "g"}), ":2999\r\n");
  EXPECT_EQ(run({"pfadd", "g", "g1700"}), ":1\r\n");
  EXPECT_EQ(run({"strlen", "g"}), ":12304\r\n");
  EXPECT_EQ(Fnv1a(Value(run, "g")), 0x395a48f7396219b3u);
  EXPECT_EQ(run({"pfcount", "g"}), ":1688\r\n");
  EXPECT_EQ(Fnv1a(Value(run, "g")), 0x2bdc0a7f5f6a1d5du);
}

TEST(PfAddTest, DenseSketchMatchesRedis) {
  HandlerRunner run;
  EXPECT_EQ(RunWithElements(run, {"pfadd", "d"}, "e", 0, 5000), ":1\r\n");
  EXPECT_EQ(run({"strlen", "d"}), ":12304\r\n");
  EXPECT_EQ(Value(run, "d").substr(0, 16),
            FromHex("48594c4c000000000000000000000080"));
  EXPECT_EQ(Fnv1a(Value(run, "d")), 0x805246753a1cdadau);
  EXPECT_EQ(run({"pfcount", "d"}), ":4968\r\n");
  // 4968 = 0x1368, little-endian, cache valid.
  EXPECT_EQ(Value(run, "d").substr(0, 16),
            FromHex("48594c4c000000006813000000000000"));
  EXPECT_EQ(Fnv1a(Value(run, "d")), 0x9219c5a2921db657u);
  EXPECT_EQ(run({"pfadd", "d", "e1"}), ":0\r\n");
  EXPECT_EQ(run({"pfcount", "d"}), ":4968\r\n");
  EXPECT_EQ(run({"pfadd", "d", "new-element-x"}), ":1\r\n");
}

TEST(PfAddTest, KeepsTheKeysExpiry) {
  HandlerRunner run;
  run({"pfadd", "t", "a"});
  run({"expire", "t", "100"});
  EXPECT_EQ(run({"pfadd", "t", "b"}), ":1\r\n");
  EXPECT_EQ(run({"ttl", "t"}), ":100\r\n");
  run({"pfadd", "h", "c"});
  EXPECT_EQ(run({"pfmerge", "t", "h"}), "+OK\r\n");
  EXPECT_EQ(run({"ttl", "t"}), ":100\r\n");
}

TEST(PfCountTest, SeveralKeysCountTheUnionWithoutStoringIt) {
  HandlerRunner run;
  run({"pfadd", "s1", "a", "b", "c"});
  run({"pfadd", "s2", "c", "d", "e"});
  EXPECT_EQ(run({"pfcount", "s1", "s2"}), ":5\r\n");
  EXPECT_EQ(run({"pfcount", "s1", "s2", "nokey"}), ":5\r\n");
  EXPECT_EQ(run({"pfcount", "nokey", "other"}), ":0\r\n");
  EXPECT_EQ(run({"pfcount", "nokey"}), ":0\r\n");
  EXPECT_EQ(run({"get", "s1"}), BulkFromHex(kAbc));
  RunWithElements(run, {"pfadd", "d"}, "e", 0, 5000);
  EXPECT_EQ(run({"pfcount", "s1", "d"}), ":4972\r\n");
  EXPECT_EQ(Fnv1a(Value(run, "d")), 0x805246753a1cdadau);
}

TEST(PfCountTest, TrustsAValidCache) {
  HandlerRunner run;
  // Registers that cover only 16383 of the 16384 registers, with a valid
  // cached count of 5: Redis answers from the cache without reading them.
  run({"set", "cached", FromHex("48594c4c0100000005000000000000007ffe")});
  EXPECT_EQ(run({"pfcount", "cached"}), ":5\r\n");
  EXPECT_EQ(run({"pfcount", "cached", "other"}), kCorrupt);
}

TEST(PfMergeTest, SparseSourcesGiveASparseResult) {
  HandlerRunner run;
  run({"pfadd", "s1", "a", "b", "c"});
  run({"pfadd", "s2", "c", "d", "e"});
  EXPECT_EQ(run({"pfmerge", "m", "s1", "s2"}), "+OK\r\n");
  EXPECT_EQ(run({"get", "m"}), BulkFromHex(kAbcde));
  EXPECT_EQ(run({"pfcount", "m"}), ":5\r\n");
  // The destination is a source too.
  EXPECT_EQ(run({"pfmerge", "s1", "s2"}), "+OK\r\n");
  EXPECT_EQ(run({"get", "s1"}), BulkFromHex(kAbcde));
}

TEST(PfMergeTest, NothingToMergeStillWritesTheDestination) {
  HandlerRunner run;
  EXPECT_EQ(run({"pfmerge", "empty"}), "+OK\r\n");
  EXPECT_EQ(run({"get", "empty"}), BulkFromHex(kEmpty));
  run({"pfadd", "single", "a"});
  run({"pfcount", "single"});
  EXPECT_EQ(run({"pfmerge", "single"}), "+OK\r\n");
  // Unchanged registers, but the cache is marked stale.
  EXPECT_EQ(run({"get", "single"}),
            BulkFromHex("48594c4c01000000010000000000008071a6844e57"));
}

TEST(PfMergeTest, ADenseSourceGivesADenseResult) {
  HandlerRunner run;
  run({"pfadd", "s1", "a", "b", "c"});
  RunWithElements(run, {"pfadd", "d"}, "e", 0, 5000);
  run({"pfcount", "d"});
  EXPECT_EQ(run({"pfmerge", "md", "s1", "d"}), "+OK\r\n");
  EXPECT_EQ(run({"strlen", "md"}), ":12304\r\n");
  EXPECT_EQ(Fnv1a(Value(run, "md")), 0x516ec73eddfca916u);
  EXPECT_EQ(run({"pfcount", "md"}), ":4972\r\n");
}

TEST(HllErrorsTest, OtherStringsAndTypesAreRefused) {
  HandlerRunner run;
  run({"pfadd", "h", "a"});
  run({"set", "str", "hello"});
  run({"lpush", "list", "x"});
  EXPECT_EQ(run({"pfadd", "str", "x"}), kNotHll);
  EXPECT_EQ(run({"pfcount", "str"}), kNotHll);
  EXPECT_EQ(run({"pfcount", "h", "str"}), kNotHll);
  EXPECT_EQ(run({"pfmerge", "h", "str"}), kNotHll);
  EXPECT_EQ(run({"pfmerge", "str", "h"}), kNotHll);
  EXPECT_EQ(run({"get", "str"}), "$5\r\nhello\r\n");
  EXPECT_EQ(run({"pfadd", "list", "x"}), kWrongType);
  EXPECT_EQ(run({"pfcount", "list"}), kWrongType);
  EXPECT_EQ(run({"pfcount", "h", "list"}), kWrongType);
  EXPECT_EQ(run({"pfmerge", "list"}), kWrongType);
  EXPECT_EQ(run({"pfmerge", "h", "list"}), kWrongType);
  // A dense header on the wrong size, an unknown encoding, a bare header.
  run({"set", "short_dense", "HYLL" + std::string(21, '\0')});
  run({"set", "encoding2", "HYLL\x02" + std::string(20, '\0')});
  run({"set", "header_only", "HYLL\x01"});
  EXPECT_EQ(run({"pfcount", "short_dense"}), kNotHll);
  EXPECT_EQ(run({"pfcount", "encoding2"}), kNotHll);
  EXPECT_EQ(run({"pfcount", "header_only"}), kNotHll);
}

TEST(HllErrorsTest, CorruptSparseOpcodes) {
  HandlerRunner run;
  // Runs covering 16383 registers, cache stale.
  const std::string bad = FromHex("48594c4c0100000000000000000000807ffe");
  run({"set", "bad", bad});
  run({"pfadd", "h", "a"});
  EXPECT_EQ(run({"pfcount", "bad"}), kCorrupt);
  EXPECT_EQ(run({"pfcount", "bad", "h"}), kCorrupt);
  EXPECT_EQ(run({"pfmerge", "x", "bad"}), kCorrupt);
  EXPECT_EQ(run({"exists", "x"}), ":0\r\n");
  // Registers the runs cover can still be set.
  EXPECT_EQ(run({"pfadd", "bad", "a", "b", "c"}), ":1\r\n");
  EXPECT_EQ(run({"get", "bad"}),
            BulkFromHex("48594c4c01000000000000000000008060f38050b1844bfb"
                        "804259"));
  // "x8784" hashes to register 16383, which the runs miss: the error, but
  // "a", added before it, stays added, as in Redis.
  run({"set", "bad", FromHex("48594c4c0100000000000000000000007ffe")});
  EXPECT_EQ(run({"pfadd", "bad", "a", "x8784", "b"}), kCorrupt);
  EXPECT_EQ(run({"get", "bad"}),
            BulkFromHex("48594c4c01000000000000000000008071a6844e56"));
}

TEST(HllErrorsTest, Arity) {
  HandlerRunner run;
  EXPECT_EQ(run({"pfadd"}),
            "-ERR wrong number of arguments for 'pfadd' command\r\n");
  EXPECT_EQ(run({"pfcount"}),
            "-ERR wrong number of arguments for 'pfcount' command\r\n");
  EXPECT_EQ(run({"pfmerge"}),
            "-ERR wrong number of arguments for 'pfmerge' command\r\n");
}

// Records keyspace events as "<event>:<key>".
class RecordingSink final : public KeyspaceEventSink {
 public:
  void Notify(uint32_t type, std::string_view event,
              std::string_view key) override {
    if (type == kNotifyString) {
      events.push_back(std::string(event) + ":" + std::string(key));
    }
  }
  std::vector<std::string> events;
};

using Events = std::vector<std::string>;

// Runs a command as HandlerRunner does, with keyspace events on, and
// returns the string events it reported.
Events RunForEvents(Store& store, std::vector<std::string_view> args) {
  std::string out;
  resp::ReplyWriter reply(&out);
  RecordingSink sink;
  CommandContext ctx{store, reply, CommandArgs(args), kTestEpochMs};
  ctx.events = &sink;
  FindCommand(args.at(0))->handler(ctx);
  return std::move(sink.events);
}

// As redis-server 7.0 reports them: "pfadd" for a change by PFADD and for
// every PFMERGE, nothing for PFCOUNT even when it fills the cache.
TEST(HllEventsTest, PfAddAndPfMergeReportPfAdd) {
  Store store;
  EXPECT_EQ(RunForEvents(store, {"pfadd", "h"}), Events{"pfadd:h"});
  EXPECT_EQ(RunForEvents(store, {"pfadd", "h"}), Events{});
  EXPECT_EQ(RunForEvents(store, {"pfadd", "h", "a"}), Events{"pfadd:h"});
  EXPECT_EQ(RunForEvents(store, {"pfadd", "h", "a"}), Events{});
  EXPECT_EQ(RunForEvents(store, {"pfcount", "h"}), Events{});
  EXPECT_EQ(RunForEvents(store, {"pfmerge", "h"}), Events{"pfadd:h"});
  EXPECT_EQ(RunForEvents(store, {"pfmerge", "m", "h"}), Events{"pfadd:m"});
}

}  // namespace
}  // namespace shardd::kv
