// SORT and SORT_RO (their key finders and key discovery:
// sort_key_discovery_test.cc). Expected
// bytes are what redis-server 7.0.15 replied to the same commands (RESP2
// unless a test says RESP3).
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "shard/kv/commands/keys/key_handlers.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kNotDouble =
    "-ERR One or more scores can't be converted into double\r\n";
constexpr std::string_view kSyntax = "-ERR syntax error\r\n";
constexpr std::string_view kNotInteger =
    "-ERR value is not an integer or out of range\r\n";
constexpr std::string_view kWrongType =
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

// Records keyspace events as "<event>:<key>".
class RecordingSink final : public KeyspaceEventSink {
 public:
  void Notify(uint32_t, std::string_view event, std::string_view key) override {
    events.push_back(std::string(event) + ":" + std::string(key));
  }
  std::vector<std::string> events;
};

// The command run as HandlerRunner runs it, in `protocol`, with its
// keyspace events going to `sink` if given.
std::string RunWith(HandlerRunner& run,
                    const std::vector<std::string_view>& args,
                    resp::Protocol protocol, RecordingSink* sink = nullptr) {
  std::string out;
  resp::ReplyWriter reply(&out, protocol);
  const CommandSpec* spec = FindCommand(args.at(0));
  if (spec == nullptr || spec->handler == nullptr) {
    ADD_FAILURE() << "no handler for " << args[0];
    return out;
  }
  CommandContext ctx{run.store, reply, CommandArgs(args), run.now_ms};
  ctx.random = &run.random;
  ctx.events = sink;
  spec->handler(ctx);
  return out;
}

TEST(SortTest, ListNumericAlphaAndDesc) {
  HandlerRunner run;
  run({"rpush", "l", "3", "1", "2", "10"});
  EXPECT_EQ(run({"sort", "l"}),
            "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n");
  EXPECT_EQ(run({"sort", "l", "desc"}),
            "*4\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n");
  EXPECT_EQ(run({"sort", "l", "alpha"}),
            "*4\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_EQ(run({"sort", "l", "ALPHA", "DESC"}),
            "*4\r\n$1\r\n3\r\n$1\r\n2\r\n$2\r\n10\r\n$1\r\n1\r\n");
  // The last of ASC and DESC counts.
  EXPECT_EQ(run({"sort", "l", "asc", "desc", "asc"}),
            "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n");
  EXPECT_EQ(run({"sort_ro", "l", "desc"}),
            "*4\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n");
}

TEST(SortTest, EqualScoresOrderByTheElementsBytes) {
  HandlerRunner run;
  run({"rpush", "l", "1.0", "1", "01", "1e0", "-0", "0"});
  EXPECT_EQ(run({"sort", "l"}),
            "*6\r\n$2\r\n-0\r\n$1\r\n0\r\n$2\r\n01\r\n$1\r\n1\r\n$3\r\n1.0\r\n"
            "$3\r\n1e0\r\n");
  EXPECT_EQ(run({"sort", "l", "desc"}),
            "*6\r\n$3\r\n1e0\r\n$3\r\n1.0\r\n$1\r\n1\r\n$2\r\n01\r\n$1\r\n0\r\n"
            "$2\r\n-0\r\n");
}

TEST(SortTest, Sets) {
  HandlerRunner run;
  run({"sadd", "s", "5", "-1", "3"});
  ASSERT_EQ(run({"object", "encoding", "s"}), "$6\r\nintset\r\n");
  EXPECT_EQ(run({"sort", "s"}), "*3\r\n$2\r\n-1\r\n$1\r\n3\r\n$1\r\n5\r\n");
  EXPECT_EQ(run({"sort", "s", "desc", "limit", "0", "2"}),
            "*2\r\n$1\r\n5\r\n$1\r\n3\r\n");
  run({"sadd", "h", "a", "c", "B", "b", "10"});
  ASSERT_EQ(run({"object", "encoding", "h"}), "$9\r\nhashtable\r\n");
  EXPECT_EQ(run({"sort", "h", "alpha"}),
            "*5\r\n$2\r\n10\r\n$1\r\nB\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(run({"sort", "h", "alpha", "limit", "1", "2"}),
            "*2\r\n$1\r\nB\r\n$1\r\na\r\n");
  EXPECT_EQ(run({"sort", "h"}), kNotDouble);
}

TEST(SortTest, SortedSets) {
  HandlerRunner run;
  run({"zadd", "z", "1", "c", "2", "b", "3", "a"});
  ASSERT_EQ(run({"object", "encoding", "z"}), "$8\r\nlistpack\r\n");
  EXPECT_EQ(run({"sort", "z", "alpha"}),
            "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  // Redis converts a sorted set it sorts for good.
  EXPECT_EQ(run({"object", "encoding", "z"}), "$8\r\nskiplist\r\n");
  EXPECT_EQ(run({"sort_ro", "z", "alpha", "desc"}),
            "*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n");
  EXPECT_EQ(run({"sort", "z"}), kNotDouble);
}

TEST(SortTest, SortRoConvertsSortedSetsToo) {
  HandlerRunner run;
  run({"zadd", "z", "1", "a"});
  EXPECT_EQ(run({"sort_ro", "z", "by", "nosort"}), "*1\r\n$1\r\na\r\n");
  EXPECT_EQ(run({"object", "encoding", "z"}), "$8\r\nskiplist\r\n");
  EXPECT_EQ(run({"zscore", "z", "a"}), "$1\r\n1\r\n");
}

TEST(SortTest, MissingSourceIsEmpty) {
  HandlerRunner run;
  EXPECT_EQ(run({"sort", "nosuch"}), "*0\r\n");
  EXPECT_EQ(run({"sort", "nosuch", "by", "nosort", "limit", "1", "1"}),
            "*0\r\n");
  EXPECT_EQ(run({"sort", "nosuch", "store", "d"}), ":0\r\n");
  EXPECT_EQ(run({"exists", "d"}), ":0\r\n");
}

TEST(SortTest, LimitIsClampedToTheElements) {
  HandlerRunner run;
  run({"rpush", "l", "5", "4", "3", "2", "1"});
  EXPECT_EQ(run({"sort", "l", "limit", "-5", "2"}),
            "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
  const std::string from_two =
      "*4\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n";
  EXPECT_EQ(run({"sort", "l", "limit", "1", "-1"}), from_two);
  EXPECT_EQ(run({"sort", "l", "limit", "1", "-100"}), from_two);
  EXPECT_EQ(run({"sort", "l", "limit", "3", "100"}),
            "*2\r\n$1\r\n4\r\n$1\r\n5\r\n");
  EXPECT_EQ(run({"sort", "l", "limit", "0", "0"}), "*0\r\n");
  EXPECT_EQ(run({"sort", "l", "limit", "5", "1"}), "*0\r\n");
  EXPECT_EQ(
      run({"sort", "l", "limit", "9223372036854775807", "9223372036854775807"}),
      "*0\r\n");
  EXPECT_EQ(run({"sort", "l", "limit", "-9223372036854775808",
                 "-9223372036854775808"}),
            "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n");
  EXPECT_EQ(run({"sort", "l", "limit", "2", "9223372036854775807"}),
            "*3\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n");
  EXPECT_EQ(run({"sort", "l", "limit", "0", "9223372036854775808"}),
            kNotInteger);
  EXPECT_EQ(run({"sort", "l", "limit", "01", "1"}), kNotInteger);
}

TEST(SortTest, ByNosortKeepsAListsOrder) {
  HandlerRunner run;
  run({"rpush", "l", "5", "4", "3", "2", "1"});
  const std::string as_is =
      "*5\r\n$1\r\n5\r\n$1\r\n4\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n";
  EXPECT_EQ(run({"sort", "l", "by", "nosort"}), as_is);
  // DESC reads it from the tail.
  EXPECT_EQ(run({"sort", "l", "by", "nosort", "desc"}),
            "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n");
  EXPECT_EQ(run({"sort", "l", "by", "nosort", "limit", "1", "2"}),
            "*2\r\n$1\r\n4\r\n$1\r\n3\r\n");
  EXPECT_EQ(run({"sort", "l", "by", "nosort", "desc", "limit", "1", "2"}),
            "*2\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_EQ(run({"sort", "l", "by", "nosort", "limit", "10", "2"}), "*0\r\n");
  EXPECT_EQ(run({"sort", "l", "by", "nosort", "desc", "limit", "4", "10"}),
            "*1\r\n$1\r\n5\r\n");
  EXPECT_EQ(
      run({"sort", "l", "by", "nosort", "alpha", "desc", "limit", "0", "1"}),
      "*1\r\n$1\r\n1\r\n");
  // A BY without '*' anywhere means no sorting, whatever the other BYs.
  EXPECT_EQ(run({"sort", "l", "by", "nosort", "by", "w_*"}), as_is);
  EXPECT_EQ(run({"sort", "l", "by", "w_*", "by", "nosort"}), as_is);
  // Elements that are not numbers do not matter then.
  run({"rpush", "x", "1", "x", "2"});
  EXPECT_EQ(run({"sort", "x", "by", "nosort"}),
            "*3\r\n$1\r\n1\r\n$1\r\nx\r\n$1\r\n2\r\n");
}

TEST(SortTest, ByNosortKeepsASortedSetsOrder) {
  HandlerRunner run;
  run({"zadd", "z", "1", "c", "2", "b", "3", "a"});
  EXPECT_EQ(run({"sort", "z", "by", "nosort"}),
            "*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n");
  EXPECT_EQ(run({"sort", "z", "by", "nosort", "desc"}),
            "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(run({"sort", "z", "by", "nosort", "limit", "1", "1"}),
            "*1\r\n$1\r\nb\r\n");
  EXPECT_EQ(run({"sort", "z", "by", "nosort", "desc", "limit", "1", "5"}),
            "*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(
      run({"sort", "z", "by", "nosort", "limit", "-1", "9223372036854775807"}),
      "*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n");
  EXPECT_EQ(run({"sort", "z", "by", "nosort", "limit", "3", "1"}), "*0\r\n");
}

TEST(SortTest, ByNosortOnASet) {
  HandlerRunner run;
  // An intset's own order is ascending; DESC does not reverse it.
  run({"sadd", "si", "3", "1", "2"});
  EXPECT_EQ(run({"sort", "si", "by", "nosort", "desc"}),
            "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_EQ(run({"sort", "si", "by", "nosort", "limit", "1", "1"}),
            "*1\r\n$1\r\n2\r\n");
  // Stored, a set is sorted lexicographically instead, DESC included.
  EXPECT_EQ(run({"sort", "si", "by", "nosort", "store", "d", "desc"}),
            ":3\r\n");
  EXPECT_EQ(run({"lrange", "d", "0", "-1"}),
            "*3\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n");
  run({"sadd", "s", "b", "a", "c", "10", "9"});
  EXPECT_EQ(run({"sort", "s", "by", "nosort", "store", "d"}), ":5\r\n");
  EXPECT_EQ(run({"lrange", "d", "0", "-1"}),
            "*5\r\n$2\r\n10\r\n$1\r\n9\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(run({"sort", "s", "by", "nosort", "desc", "store", "d"}), ":5\r\n");
  EXPECT_EQ(run({"lrange", "d", "0", "-1"}),
            "*5\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\n9\r\n$2\r\n10\r\n");
  EXPECT_EQ(run({"sort", "s", "by", "nosort", "limit", "1", "2", "store", "d"}),
            ":2\r\n");
  EXPECT_EQ(run({"lrange", "d", "0", "-1"}), "*2\r\n$1\r\n9\r\n$1\r\na\r\n");
  EXPECT_EQ(run({"sort", "s", "by", "nosort", "get", "x_*", "store", "d"}),
            ":5\r\n");
  EXPECT_EQ(run({"lrange", "d", "0", "-1"}),
            "*5\r\n$0\r\n\r\n$0\r\n\r\n$0\r\n\r\n$0\r\n\r\n$0\r\n\r\n");
}

TEST(SortTest, ByStringKeys) {
  HandlerRunner run;
  run({"rpush", "l", "a", "b", "c", "d"});
  run({"mset", "w_a", "3", "w_b", "1", "w_c", "2"});
  // w_d is missing: it scores 0.
  EXPECT_EQ(run({"sort", "l", "by", "w_*"}),
            "*4\r\n$1\r\nd\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n");
  EXPECT_EQ(run({"sort", "l", "by", "w_*", "desc"}),
            "*4\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\nd\r\n");
  EXPECT_EQ(run({"sort", "l", "by", "w_*", "limit", "0", "2"}),
            "*2\r\n$1\r\nd\r\n$1\r\nb\r\n");
  // ALPHA: a missing value sorts first.
  EXPECT_EQ(run({"sort", "l", "by", "w_*", "alpha"}),
            "*4\r\n$1\r\nd\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n");
  // Equal (here all missing) ALPHA values keep the list's order, even
  // with DESC; numbers fall back on the elements.
  const std::string as_is =
      "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n";
  EXPECT_EQ(run({"sort", "l", "by", "x_*", "alpha"}), as_is);
  EXPECT_EQ(run({"sort", "l", "by", "x_*", "alpha", "desc"}), as_is);
  EXPECT_EQ(run({"sort", "l", "by", "x_*", "desc"}),
            "*4\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n");
  // A key of another type counts as missing.
  run({"rpush", "w_d", "0"});
  EXPECT_EQ(run({"sort", "l", "by", "w_*"}),
            "*4\r\n$1\r\nd\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n");
  // The pattern may be the element itself.
  run({"mset", "a", "9", "b", "8"});
  EXPECT_EQ(run({"sort", "l", "by", "*", "get", "*"}),
            "*4\r\n$-1\r\n$-1\r\n$1\r\n8\r\n$1\r\n9\r\n");
}

TEST(SortTest, ByHashFields) {
  HandlerRunner run;
  run({"rpush", "l", "a", "b", "c", "d"});
  run({"hset", "h_a", "f", "30", "g", "x"});
  run({"hset", "h_b", "f", "10"});
  run({"hset", "h_c", "f", "20"});
  run({"hset", "h_d", "g", "1"});
  EXPECT_EQ(run({"sort", "l", "by", "h_*->f"}),
            "*4\r\n$1\r\nd\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n");
  EXPECT_EQ(run({"sort", "l", "by", "h_*->f", "desc", "get", "#"}),
            "*4\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\nd\r\n");
  EXPECT_EQ(run({"sort", "l", "by", "h_*->g", "alpha"}),
            "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\na\r\n");
  EXPECT_EQ(run({"sort", "l", "by", "h_*->g", "alpha", "desc"}),
            "*4\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(run({"sort", "l", "by", "h_*->g"}), kNotDouble);
}

TEST(SortTest, ScoresAreReadWithStrtod) {
  HandlerRunner run;
  run({"rpush", "l", "a", "b", "c"});
  run({"mset", "w_a", " 1", "w_b", "0x10", "w_c", ""});
  EXPECT_EQ(run({"sort", "l", "by", "w_*"}),
            "*3\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n");
  run({"set", "w_c", "-inf"});
  EXPECT_EQ(run({"sort", "l", "by", "w_*", "get", "w_*"}),
            "*3\r\n$4\r\n-inf\r\n$2\r\n 1\r\n$4\r\n0x10\r\n");
  for (const std::string_view bad : {"1e400", "1e-400", "nan", "1 ", "x"}) {
    run({"set", "w_c", bad});
    EXPECT_EQ(run({"sort", "l", "by", "w_*"}), kNotDouble) << bad;
  }
}

TEST(SortTest, GetPatterns) {
  HandlerRunner run;
  run({"rpush", "l", "a", "b", "c", "d"});
  run({"mset", "w_a", "3", "w_b", "1", "w_c", "2"});
  run({"hset", "h_a", "f", "30"});
  run({"hset", "h_b", "f", "10"});
  run({"hset", "h_c", "f", "20"});
  EXPECT_EQ(
      run({"sort", "l", "by", "w_*", "get", "#", "get", "w_*", "get", "h_*->f",
           "get", "nostar", "get", "h_*->nofield"}),
      "*20\r\n$1\r\nd\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$1\r\nb\r\n$1\r\n1\r\n"
      "$2\r\n10\r\n$-1\r\n$-1\r\n$1\r\nc\r\n$1\r\n2\r\n$2\r\n20\r\n$-1\r\n"
      "$-1\r\n$1\r\na\r\n$1\r\n3\r\n$2\r\n30\r\n$-1\r\n$-1\r\n");
  // A hash pattern on a string key, and a string pattern on a hash.
  EXPECT_EQ(run({"sort", "l", "by", "nosort", "get", "w_*->f", "get", "h_*",
                 "get", "#"}),
            "*12\r\n$-1\r\n$-1\r\n$1\r\na\r\n$-1\r\n$-1\r\n$1\r\nb\r\n$-1\r\n"
            "$-1\r\n$1\r\nc\r\n$-1\r\n$-1\r\n$1\r\nd\r\n");
  // "->" with no field after it is part of the key's name.
  run({"set", "w_b->", "arrow"});
  EXPECT_EQ(run({"sort", "l", "by", "nosort", "get", "w_*->"}),
            "*4\r\n$-1\r\n$5\r\narrow\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(run({"sort", "l", "by", "nosort", "get", "#x"}),
            "*4\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n");
}

TEST(SortTest, NullsInResp3) {
  HandlerRunner run;
  run({"rpush", "l", "b", "a"});
  run({"set", "w_a", "1"});
  EXPECT_EQ(
      RunWith(run, {"sort", "l", "by", "nosort", "get", "#", "get", "w_*"},
              resp::Protocol::kResp3),
      "*4\r\n$1\r\nb\r\n_\r\n$1\r\na\r\n$1\r\n1\r\n");
  EXPECT_EQ(RunWith(run, {"sort", "l", "alpha"}, resp::Protocol::kResp3),
            "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
}

TEST(SortTest, StoreMakesAList) {
  HandlerRunner run;
  run({"rpush", "l", "3", "1", "2"});
  run({"set", "d", "old", "ex", "100"});
  EXPECT_EQ(run({"sort", "l", "store", "d"}), ":3\r\n");
  EXPECT_EQ(run({"type", "d"}), "+list\r\n");
  EXPECT_EQ(run({"ttl", "d"}), ":-1\r\n");
  EXPECT_EQ(run({"lrange", "d", "0", "-1"}),
            "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_EQ(run({"sort", "l", "desc", "limit", "0", "2", "store", "d"}),
            ":2\r\n");
  EXPECT_EQ(run({"lrange", "d", "0", "-1"}), "*2\r\n$1\r\n3\r\n$1\r\n2\r\n");
  // A missing GET value is stored as an empty string.
  EXPECT_EQ(run({"sort", "l", "get", "#", "get", "nokey_*", "store", "d"}),
            ":6\r\n");
  EXPECT_EQ(run({"lrange", "d", "0", "-1"}),
            "*6\r\n$1\r\n1\r\n$0\r\n\r\n$1\r\n2\r\n$0\r\n\r\n$1\r\n3\r\n"
            "$0\r\n\r\n");
  // The last STORE counts; options may come in any case and order.
  EXPECT_EQ(run({"sort", "l", "store", "x", "store", "e"}), ":3\r\n");
  EXPECT_EQ(run({"exists", "x"}), ":0\r\n");
  EXPECT_EQ(run({"sort", "l", "STORE", "d", "LIMIT", "0", "1", "GET", "#", "BY",
                 "NoSort", "DESC", "ALPHA"}),
            ":1\r\n");
  EXPECT_EQ(run({"lrange", "d", "0", "-1"}), "*1\r\n$1\r\n2\r\n");
}

TEST(SortTest, StoreOntoTheSource) {
  HandlerRunner run;
  run({"rpush", "l", "3", "1", "2"});
  EXPECT_EQ(run({"sort", "l", "store", "l"}), ":3\r\n");
  EXPECT_EQ(run({"lrange", "l", "0", "-1"}),
            "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
}

TEST(SortTest, EmptyStoreDeletesTheDestination) {
  HandlerRunner run;
  run({"rpush", "l", "3", "1", "2"});
  run({"set", "d", "old"});
  EXPECT_EQ(run({"sort", "l", "limit", "0", "0", "store", "d"}), ":0\r\n");
  EXPECT_EQ(run({"exists", "d"}), ":0\r\n");
  EXPECT_EQ(run({"sort", "l", "store", "d", "limit", "5", "5"}), ":0\r\n");
}

TEST(SortTest, ErrorLeavesTheDestinationAlone) {
  HandlerRunner run;
  run({"rpush", "l", "1", "x", "2"});
  run({"set", "d", "old"});
  EXPECT_EQ(run({"sort", "l", "store", "d"}), kNotDouble);
  EXPECT_EQ(run({"get", "d"}), "$3\r\nold\r\n");
  EXPECT_EQ(run({"sort", "l", "limit", "0", "1"}), kNotDouble);
  EXPECT_EQ(run({"sort", "l", "alpha"}),
            "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\nx\r\n");
}

TEST(SortTest, StoreEvents) {
  HandlerRunner run;
  run({"rpush", "l", "1", "2"});
  run({"set", "d", "old"});
  RecordingSink sink;
  EXPECT_EQ(RunWith(run, {"sort", "l", "by", "w_*", "get", "k_*", "store", "d"},
                    resp::Protocol::kResp2, &sink),
            ":2\r\n");
  // The pattern keys' misses, as Redis reports them, then the store.
  EXPECT_EQ(sink.events, (std::vector<std::string>{"keymiss:w_1", "keymiss:w_2",
                                                   "keymiss:k_1", "keymiss:k_2",
                                                   "sortstore:d"}));
  sink.events.clear();
  EXPECT_EQ(RunWith(run, {"sort", "nosuch", "store", "d"},
                    resp::Protocol::kResp2, &sink),
            ":0\r\n");
  EXPECT_EQ(sink.events, std::vector<std::string>{"del:d"});
  sink.events.clear();
  EXPECT_EQ(RunWith(run, {"sort", "nosuch", "store", "d"},
                    resp::Protocol::kResp2, &sink),
            ":0\r\n");
  EXPECT_TRUE(sink.events.empty());
}

TEST(SortTest, SortRoRefusesStore) {
  HandlerRunner run;
  run({"rpush", "l", "1", "2"});
  EXPECT_EQ(run({"sort_ro", "l", "store", "d"}), kSyntax);
  EXPECT_EQ(run({"sort_ro", "l", "store"}), kSyntax);
  EXPECT_EQ(run({"exists", "d"}), ":0\r\n");
}

TEST(SortTest, SyntaxErrors) {
  HandlerRunner run;
  run({"rpush", "l", "1", "2"});
  EXPECT_EQ(run({"sort", "l", "by"}), kSyntax);
  EXPECT_EQ(run({"sort", "l", "get"}), kSyntax);
  EXPECT_EQ(run({"sort", "l", "store"}), kSyntax);
  EXPECT_EQ(run({"sort", "l", "limit"}), kSyntax);
  EXPECT_EQ(run({"sort", "l", "limit", "1"}), kSyntax);
  EXPECT_EQ(run({"sort", "l", "limit", "1", "x"}), kNotInteger);
  // The first bad option decides the error.
  EXPECT_EQ(run({"sort", "l", "limit", "x", "1", "foo"}), kNotInteger);
  EXPECT_EQ(run({"sort", "l", "foo", "limit", "x", "1"}), kSyntax);
  EXPECT_EQ(run({"sort", "l", "desc", "alpha", "by", "nosort", "bogus"}),
            kSyntax);
  EXPECT_EQ(run({"sort"}),
            "-ERR wrong number of arguments for 'sort' command\r\n");
  EXPECT_EQ(run({"sort_ro"}),
            "-ERR wrong number of arguments for 'sort_ro' command\r\n");
}

TEST(SortTest, WrongTypeComesAfterTheOptions) {
  HandlerRunner run;
  run({"set", "str", "v"});
  run({"hset", "hash", "f", "v"});
  EXPECT_EQ(run({"sort", "str"}), kWrongType);
  EXPECT_EQ(run({"sort", "hash"}), kWrongType);
  EXPECT_EQ(run({"sort_ro", "str"}), kWrongType);
  EXPECT_EQ(run({"sort", "str", "foo"}), kSyntax);
  EXPECT_EQ(run({"sort", "str", "by"}), kSyntax);
  EXPECT_EQ(run({"sort", "str", "limit", "a", "1"}), kNotInteger);
}

}  // namespace
}  // namespace shardd::kv
