// INCR, DECR, INCRBY, DECRBY. Expected bytes are what redis-server 7.0
// replies.
#include "gtest/gtest.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kNotInteger =
    "-ERR value is not an integer or out of range\r\n";
constexpr std::string_view kOverflow =
    "-ERR increment or decrement would overflow\r\n";

TEST(CounterTest, CountsFromZero) {
  HandlerRunner run;
  EXPECT_EQ(run({"incr", "n"}), ":1\r\n");
  EXPECT_EQ(run({"incrby", "n", "5"}), ":6\r\n");
  EXPECT_EQ(run({"decrby", "n", "10"}), ":-4\r\n");
  EXPECT_EQ(run({"decr", "n"}), ":-5\r\n");
  EXPECT_EQ(run({"get", "n"}), "$2\r\n-5\r\n");
  EXPECT_EQ(run({"decr", "m"}), ":-1\r\n");
  EXPECT_EQ(run({"incrby", "z", "0"}), ":0\r\n");
  EXPECT_EQ(run({"get", "z"}), "$1\r\n0\r\n");
}

TEST(CounterTest, KeepsExpiry) {
  HandlerRunner run;
  run({"set", "n", "12", "ex", "100"});
  EXPECT_EQ(run({"incr", "n"}), ":13\r\n");
  EXPECT_EQ(run({"ttl", "n"}), ":100\r\n");
}

TEST(CounterTest, ExpiredCounterStartsOver) {
  HandlerRunner run;
  run({"set", "n", "12", "px", "10"});
  run.now_ms += 11;
  EXPECT_EQ(run({"incr", "n"}), ":1\r\n");
  EXPECT_EQ(run({"ttl", "n"}), ":-1\r\n");
}

TEST(CounterTest, StoredValueMustBeACanonicalInteger) {
  HandlerRunner run;
  for (std::string_view bad :
       {"abc", " 1", "007", "", "-0", "+1", "1.0", "9223372036854775808"}) {
    run({"set", "s", bad});
    EXPECT_EQ(run({"incr", "s"}), kNotInteger) << bad;
  }
  run({"set", "s", "abc"});
  EXPECT_EQ(run({"decrby", "s", "1"}), kNotInteger);
  EXPECT_EQ(run({"get", "s"}), "$3\r\nabc\r\n");
}

TEST(CounterTest, IncrementMustBeAnInteger) {
  HandlerRunner run;
  for (std::string_view bad :
       {"abc", "01", "-0", "+1", "", "9223372036854775808"}) {
    EXPECT_EQ(run({"incrby", "n", bad}), kNotInteger) << bad;
    EXPECT_EQ(run({"decrby", "n", bad}), kNotInteger) << bad;
  }
  EXPECT_EQ(run.store.KeyCount(), 0u);
}

TEST(CounterTest, ReachesTheInt64LimitsButNotPast) {
  HandlerRunner run;
  EXPECT_EQ(run({"incrby", "n", "9223372036854775807"}),
            ":9223372036854775807\r\n");
  EXPECT_EQ(run({"incr", "n"}), kOverflow);
  EXPECT_EQ(run({"incrby", "n", "1"}), kOverflow);
  EXPECT_EQ(run({"get", "n"}), "$19\r\n9223372036854775807\r\n");
  run({"set", "n", "-9223372036854775808"});
  EXPECT_EQ(run({"decr", "n"}), kOverflow);
  EXPECT_EQ(run({"incrby", "n", "-1"}), kOverflow);
  EXPECT_EQ(run({"incrby", "n", "0"}), ":-9223372036854775808\r\n");
  EXPECT_EQ(run({"incrby", "n", "9223372036854775807"}), ":-1\r\n");
}

TEST(CounterTest, DecrByOverflowMessages) {
  HandlerRunner run;
  run({"set", "n", "-5"});
  // -INT64_MIN does not exist: Redis has a separate message for it.
  EXPECT_EQ(run({"decrby", "n", "-9223372036854775808"}),
            "-ERR decrement would overflow\r\n");
  EXPECT_EQ(run({"decrby", "n", "9223372036854775807"}), kOverflow);
  EXPECT_EQ(run({"decrby", "n", "9223372036854775803"}),
            ":-9223372036854775808\r\n");
  // Checked even when the key is missing.
  EXPECT_EQ(run({"decrby", "m", "-9223372036854775808"}),
            "-ERR decrement would overflow\r\n");
}

TEST(CounterTest, ArityErrors) {
  HandlerRunner run;
  EXPECT_EQ(run({"incr"}),
            "-ERR wrong number of arguments for 'incr' command\r\n");
  EXPECT_EQ(run({"incrby", "n"}),
            "-ERR wrong number of arguments for 'incrby' command\r\n");
  EXPECT_EQ(run({"decr", "n", "1"}),
            "-ERR wrong number of arguments for 'decr' command\r\n");
}

}  // namespace
}  // namespace shardd::kv
