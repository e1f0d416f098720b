// EXPIRE and PEXPIRE with their NX/XX/GT/LT options. Expected bytes are what
// redis-server 7.0 replies.
#include "gtest/gtest.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

TEST(ExpireTest, SetsRelativeExpiry) {
  HandlerRunner run;
  EXPECT_EQ(run({"expire", "k", "10"}), ":0\r\n");
  run({"set", "k", "v"});
  EXPECT_EQ(run({"expire", "k", "10"}), ":1\r\n");
  EXPECT_EQ(run({"pttl", "k"}), ":10000\r\n");
  EXPECT_EQ(run({"PEXPIRE", "k", "1500"}), ":1\r\n");
  EXPECT_EQ(run({"pttl", "k"}), ":1500\r\n");
  run.now_ms += 1501;
  EXPECT_EQ(run({"exists", "k"}), ":0\r\n");
}

TEST(ExpireTest, ZeroOrNegativeDeletesTheKey) {
  HandlerRunner run;
  run({"set", "k", "v"});
  EXPECT_EQ(run({"expire", "k", "0"}), ":1\r\n");
  EXPECT_EQ(run({"exists", "k"}), ":0\r\n");
  run({"set", "k", "v"});
  EXPECT_EQ(run({"pexpire", "k", "-100"}), ":1\r\n");
  EXPECT_EQ(run({"exists", "k"}), ":0\r\n");
  EXPECT_EQ(run.store.KeyCount(), 0u);
  EXPECT_EQ(run({"pexpire", "k", "-100"}), ":0\r\n");
}

TEST(ExpireTest, Options) {
  HandlerRunner run;
  run({"set", "k", "v"});
  EXPECT_EQ(run({"expire", "k", "10", "xx"}), ":0\r\n");  // no expiry yet
  EXPECT_EQ(run({"expire", "k", "10", "gt"}), ":0\r\n");  // none = forever
  EXPECT_EQ(run({"expire", "k", "10", "lt"}), ":1\r\n");  // sooner than never
  EXPECT_EQ(run({"ttl", "k"}), ":10\r\n");
  EXPECT_EQ(run({"expire", "k", "20", "nx"}), ":0\r\n");
  EXPECT_EQ(run({"expire", "k", "5", "gt"}), ":0\r\n");
  EXPECT_EQ(run({"expire", "k", "10", "gt"}), ":0\r\n");  // equal is not later
  EXPECT_EQ(run({"expire", "k", "20", "GT"}), ":1\r\n");
  EXPECT_EQ(run({"expire", "k", "20", "lt"}), ":0\r\n");
  EXPECT_EQ(run({"expire", "k", "5", "Lt"}), ":1\r\n");
  EXPECT_EQ(run({"expire", "k", "30", "xx", "gt"}), ":1\r\n");
  EXPECT_EQ(run({"ttl", "k"}), ":30\r\n");
  run({"persist", "k"});
  EXPECT_EQ(run({"pexpire", "k", "100", "NX", "NX"}), ":1\r\n");
  EXPECT_EQ(run({"pexpire", "k", "100", "gt"}), ":0\r\n");
  EXPECT_EQ(run({"pttl", "k"}), ":100\r\n");
}

TEST(ExpireTest, OptionsCanStillDeleteTheKey) {
  HandlerRunner run;
  run({"set", "k", "v", "ex", "100"});
  EXPECT_EQ(run({"expire", "k", "-1", "lt"}), ":1\r\n");
  EXPECT_EQ(run({"exists", "k"}), ":0\r\n");
}

TEST(ExpireTest, OptionErrors) {
  HandlerRunner run;
  run({"set", "k", "v"});
  EXPECT_EQ(run({"expire", "k", "10", "foo"}),
            "-ERR Unsupported option foo\r\n");
  EXPECT_EQ(run({"expire", "k", "10", "a\r\nb"}),
            "-ERR Unsupported option a  b\r\n");
  const std::string_view nx_error =
      "-ERR NX and XX, GT or LT options at the same time are not "
      "compatible\r\n";
  EXPECT_EQ(run({"expire", "k", "10", "nx", "xx"}), nx_error);
  EXPECT_EQ(run({"expire", "k", "10", "xx", "nx"}), nx_error);
  EXPECT_EQ(run({"expire", "k", "10", "nx", "gt"}), nx_error);
  EXPECT_EQ(run({"expire", "k", "10", "lt", "nx"}), nx_error);
  EXPECT_EQ(run({"expire", "k", "10", "gt", "lt", "nx"}), nx_error);
  EXPECT_EQ(run({"pexpire", "k", "10", "gt", "lt"}),
            "-ERR GT and LT options at the same time are not compatible\r\n");
  EXPECT_EQ(run({"expire", "missing", "10", "nx", "xx"}), nx_error);
  EXPECT_EQ(run({"ttl", "k"}), ":-1\r\n");
}

TEST(ExpireTest, OptionsCheckedBeforeNumber) {
  HandlerRunner run;
  EXPECT_EQ(run({"expire", "k", "abc", "foo"}),
            "-ERR Unsupported option foo\r\n");
  EXPECT_EQ(run({"expire", "k", "abc"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"pexpire", "k", "01"}),
            "-ERR value is not an integer or out of range\r\n");
}

TEST(ExpireTest, OverflowIsInvalid) {
  HandlerRunner run;
  run({"set", "k", "v"});
  const std::string_view expire_error =
      "-ERR invalid expire time in 'expire' command\r\n";
  EXPECT_EQ(run({"expire", "k", "9223372036854775807"}), expire_error);
  EXPECT_EQ(run({"expire", "k", "9223372036854775"}), expire_error);
  EXPECT_EQ(run({"expire", "k", "9223372036854774"}), expire_error);
  EXPECT_EQ(run({"expire", "k", "-9223372036854775808"}), expire_error);
  EXPECT_EQ(run({"pexpire", "k", "9223372036854775807"}),
            "-ERR invalid expire time in 'pexpire' command\r\n");
  // Checked before looking at the key.
  EXPECT_EQ(run({"expire", "missing", "9223372036854775807"}), expire_error);
  EXPECT_EQ(run({"ttl", "k"}), ":-1\r\n");
  // The most negative ms is fine: it just deletes the key.
  EXPECT_EQ(run({"pexpire", "k", "-9223372036854775808"}), ":1\r\n");
  EXPECT_EQ(run({"exists", "k"}), ":0\r\n");
}

TEST(ExpireTest, ActiveCycleCollectsUnreadKeys) {
  HandlerRunner run;
  run({"set", "a", "v", "px", "10"});
  run({"set", "b", "v"});
  run({"expire", "b", "1"});
  run({"set", "c", "v"});
  EXPECT_EQ(run.store.ExpiringKeyCount(), 2u);
  EXPECT_EQ(run.store.ActiveExpireCycle(run.now_ms + 11, 20), 1u);
  EXPECT_EQ(run({"dbsize"}), ":2\r\n");
  EXPECT_EQ(run.store.ActiveExpireCycle(run.now_ms + 1001, 20), 1u);
  EXPECT_EQ(run({"dbsize"}), ":1\r\n");
  EXPECT_EQ(run.store.ExpiringKeyCount(), 0u);
}

}  // namespace
}  // namespace shardd::kv
