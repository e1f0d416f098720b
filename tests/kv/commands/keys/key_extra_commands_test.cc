// TYPE, RENAME, RENAMENX, COPY, EXPIREAT/PEXPIREAT, EXPIRETIME/PEXPIRETIME,
// UNLINK, TOUCH, OBJECT, FLUSHDB. Expected bytes are Redis 7.0's.
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

TEST(KeyExtraCommandsTest, TypeNamesStringsAndMissingKeys) {
  HandlerRunner run;
  run({"set", "s", "v"});
  EXPECT_EQ(run({"type", "s"}), "+string\r\n");
  EXPECT_EQ(run({"type", "missing"}), "+none\r\n");
}

TEST(KeyExtraCommandsTest, RenameMovesValueAndExpiry) {
  HandlerRunner run;
  run({"set", "a", "1", "PX", "5000"});
  run({"set", "b", "2"});
  EXPECT_EQ(run({"rename", "a", "b"}), "+OK\r\n");
  EXPECT_EQ(run({"get", "b"}), "$1\r\n1\r\n");
  EXPECT_EQ(run({"pttl", "b"}), ":5000\r\n");
  EXPECT_EQ(run({"exists", "a"}), ":0\r\n");
  EXPECT_EQ(run({"rename", "a", "c"}), "-ERR no such key\r\n");
  EXPECT_EQ(run({"rename", "b", "b"}), "+OK\r\n");
  run({"set", "c", "3"});
  EXPECT_EQ(run({"renamenx", "b", "c"}), ":0\r\n");
  EXPECT_EQ(run({"renamenx", "b", "b"}), ":0\r\n");
  EXPECT_EQ(run({"renamenx", "b", "d"}), ":1\r\n");
}

TEST(KeyExtraCommandsTest, CopyHonoursReplaceAndDb) {
  HandlerRunner run;
  run({"set", "a", "1", "EX", "100"});
  run({"set", "b", "2"});
  EXPECT_EQ(run({"copy", "a", "b"}), ":0\r\n");
  EXPECT_EQ(run({"copy", "a", "b", "REPLACE"}), ":1\r\n");
  EXPECT_EQ(run({"get", "b"}), "$1\r\n1\r\n");
  EXPECT_EQ(run({"ttl", "b"}), ":100\r\n");
  EXPECT_EQ(run({"copy", "a", "a"}),
            "-ERR source and destination objects are the same\r\n");
  EXPECT_EQ(run({"copy", "missing", "x"}), ":0\r\n");
  EXPECT_EQ(run({"copy", "a", "c", "DB", "0"}), ":1\r\n");
  EXPECT_EQ(run({"copy", "a", "d", "DB", "16"}),
            "-ERR DB index is out of range\r\n");
  EXPECT_EQ(run({"copy", "a", "d", "DB", "x"}),
            "-ERR value is not an integer or out of range\r\n");
  // The range is checked at the option, before the syntax, as in Redis.
  EXPECT_EQ(run({"copy", "a", "d", "DB", "16", "FOO"}),
            "-ERR DB index is out of range\r\n");
  EXPECT_EQ(run({"copy", "a", "d", "DB", "99999999999"}),
            "-ERR value is out of range, value must between -2147483648 and "
            "2147483647\r\n");
  EXPECT_EQ(run({"copy", "a", "d", "FOO"}), "-ERR syntax error\r\n");
  // Into another database, under the same name too.
  EXPECT_EQ(run({"copy", "a", "a", "DB", "3"}), ":1\r\n");
  EXPECT_EQ(run({"copy", "a", "a", "DB", "3"}), ":0\r\n");
  EXPECT_EQ(run({"exists", "d"}), ":0\r\n");
  const Entry* copied = run.databases.Db(3).Find("a", run.now_ms);
  ASSERT_NE(copied, nullptr);
  EXPECT_EQ(copied->string(), "1");
  EXPECT_EQ(copied->expire_at_ms(), run.now_ms + 100'000);
}

TEST(KeyExtraCommandsTest, MoveAndSwapDb) {
  HandlerRunner run;
  run({"set", "k", "v", "EX", "100"});
  EXPECT_EQ(run({"move", "k", "0"}),
            "-ERR source and destination objects are the same\r\n");
  EXPECT_EQ(run({"move", "k", "16"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(run({"move", "k", "x"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"move", "missing", "2"}), ":0\r\n");
  run.databases.Db(2).SetString("taken", "there", 0);
  run({"set", "taken", "here"});
  EXPECT_EQ(run({"move", "taken", "2"}), ":0\r\n");  // not overwritten
  EXPECT_EQ(run({"move", "k", "2"}), ":1\r\n");
  EXPECT_EQ(run({"exists", "k"}), ":0\r\n");
  const Entry* moved = run.databases.Db(2).Find("k", run.now_ms);
  ASSERT_NE(moved, nullptr);
  EXPECT_EQ(moved->expire_at_ms(), run.now_ms + 100'000);  // with its TTL

  EXPECT_EQ(run({"swapdb", "0", "2"}), "+OK\r\n");
  EXPECT_NE(run.databases.Db(0).Find("k", run.now_ms), nullptr);
  EXPECT_EQ(run.databases.Db(0).Find("taken", run.now_ms)->string(), "there");
  EXPECT_EQ(run.databases.Db(2).Find("taken", run.now_ms)->string(), "here");
  EXPECT_EQ(run({"swapdb", "x", "0"}), "-ERR invalid first DB index\r\n");
  EXPECT_EQ(run({"swapdb", "0", "x"}), "-ERR invalid second DB index\r\n");
  EXPECT_EQ(run({"swapdb", "0", "16"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(run({"swapdb", "0", "99999999999"}),
            "-ERR invalid second DB index\r\n");
  EXPECT_EQ(run({"move", "k", "-99999999999"}),
            "-ERR value is out of range, value must between -2147483648 and "
            "2147483647\r\n");
  EXPECT_EQ(run({"swapdb", "-1", "0"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(run({"swapdb", "1", "1"}), "+OK\r\n");
}

TEST(KeyExtraCommandsTest, AbsoluteExpiryAndExpireTime) {
  HandlerRunner run;
  run({"set", "k", "v"});
  const int64_t at_s = kTestEpochMs / 1000 + 100;
  EXPECT_EQ(run({"expireat", "k", absl::StrCat(at_s)}), ":1\r\n");
  EXPECT_EQ(run({"expiretime", "k"}), absl::StrCat(":", at_s, "\r\n"));
  EXPECT_EQ(run({"pexpiretime", "k"}), absl::StrCat(":", at_s * 1000, "\r\n"));
  EXPECT_EQ(run({"pexpireat", "k", "1", "GT"}), ":0\r\n");
  EXPECT_EQ(run({"pexpireat", "k", "1"}), ":1\r\n");
  EXPECT_EQ(run({"exists", "k"}), ":0\r\n");
  EXPECT_EQ(run({"expiretime", "k"}), ":-2\r\n");
  run({"set", "p", "v"});
  EXPECT_EQ(run({"expiretime", "p"}), ":-1\r\n");
}

TEST(KeyExtraCommandsTest, UnlinkAndTouchCountKeys) {
  HandlerRunner run;
  run({"mset", "a", "1", "b", "2"});
  EXPECT_EQ(run({"touch", "a", "a", "c"}), ":2\r\n");
  EXPECT_EQ(run({"unlink", "a", "a", "c"}), ":1\r\n");
}

TEST(KeyExtraCommandsTest, ObjectEncodingOfStrings) {
  HandlerRunner run;
  run({"set", "i", "12345"});
  run({"set", "e", "short"});
  run({"set", "r", std::string(45, 'x')});
  EXPECT_EQ(run({"object", "encoding", "i"}), "$3\r\nint\r\n");
  EXPECT_EQ(run({"object", "ENCODING", "e"}), "$6\r\nembstr\r\n");
  EXPECT_EQ(run({"object", "encoding", "r"}), "$3\r\nraw\r\n");
  EXPECT_EQ(run({"object", "encoding", "missing"}), "$-1\r\n");
  EXPECT_EQ(run({"object", "nope", "i"}),
            "-ERR unknown subcommand 'nope'. Try OBJECT HELP.\r\n");
  EXPECT_EQ(run({"object", "encoding"}),
            "-ERR wrong number of arguments for 'object|encoding' command\r\n");
}

TEST(KeyExtraCommandsTest, FlushDbClearsTheShard) {
  HandlerRunner run;
  run({"mset", "a", "1", "b", "2"});
  EXPECT_EQ(run({"flushdb"}), "+OK\r\n");
  EXPECT_EQ(run({"dbsize"}), ":0\r\n");
}

}  // namespace
}  // namespace shardd::kv
