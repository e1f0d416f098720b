// The hash commands. Expected bytes are what redis-server 7.0 replies.
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "shard/kv/store/hash_value.h"
#include "tests/kv/expected_replies.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

std::string_view EncodingOf(HandlerRunner& run, std::string_view key) {
  return run.store.Find(key, run.now_ms)->hash().Encoding();
}

TEST(HashCommandsTest, SetAndReadFieldsInInsertionOrder) {
  HandlerRunner run;
  EXPECT_EQ(run({"hset", "h", "f1", "v1", "f2", "v2"}), Int(2));
  EXPECT_EQ(run({"hset", "h", "f1", "x", "f3", "v3"}), Int(1));
  EXPECT_EQ(run({"hgetall", "h"}), Array({"f1", "x", "f2", "v2", "f3", "v3"}));
  EXPECT_EQ(run({"hkeys", "h"}), Array({"f1", "f2", "f3"}));
  EXPECT_EQ(run({"hvals", "h"}), Array({"x", "v2", "v3"}));
  EXPECT_EQ(run({"hmset", "h", "a", "b"}), "+OK\r\n");
  EXPECT_EQ(run({"hsetnx", "h", "a", "c"}), Int(0));
  EXPECT_EQ(run({"hsetnx", "h", "n", "v"}), Int(1));
  EXPECT_EQ(run({"hget", "h", "a"}), Bulk("b"));
  EXPECT_EQ(run({"hget", "h", "zz"}), kNil);
  EXPECT_EQ(run({"hmget", "h", "a", "zz", "f1"}),
            "*3\r\n$1\r\nb\r\n$-1\r\n$1\r\nx\r\n");
  EXPECT_EQ(run({"hlen", "h"}), Int(5));
  EXPECT_EQ(run({"hexists", "h", "a"}), Int(1));
  EXPECT_EQ(run({"hexists", "h", "zz"}), Int(0));
  EXPECT_EQ(run({"hstrlen", "h", "f3"}), Int(2));
  EXPECT_EQ(run({"hstrlen", "h", "zz"}), Int(0));
}

TEST(HashCommandsTest, DeletedFieldLeavesTheOrderAndComesBackLast) {
  HandlerRunner run;
  run({"hset", "h", "a", "1", "b", "2", "c", "3"});
  EXPECT_EQ(run({"hdel", "h", "a"}), Int(1));
  EXPECT_EQ(run({"hset", "h", "a", "9"}), Int(1));
  EXPECT_EQ(run({"hgetall", "h"}), Array({"b", "2", "c", "3", "a", "9"}));
}

TEST(HashCommandsTest, MissingKeyReadsAsEmpty) {
  HandlerRunner run;
  EXPECT_EQ(run({"hget", "nokey", "a"}), kNil);
  EXPECT_EQ(run({"hmget", "nokey", "a", "b"}), "*2\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(run({"hlen", "nokey"}), Int(0));
  EXPECT_EQ(run({"hexists", "nokey", "a"}), Int(0));
  EXPECT_EQ(run({"hstrlen", "nokey", "a"}), Int(0));
  EXPECT_EQ(run({"hgetall", "nokey"}), kEmptyArray);
  EXPECT_EQ(run({"hkeys", "nokey"}), kEmptyArray);
  EXPECT_EQ(run({"hvals", "nokey"}), kEmptyArray);
  EXPECT_EQ(run({"hdel", "nokey", "a"}), Int(0));
  EXPECT_EQ(run.store.KeyCount(), 0u);
}

TEST(HashCommandsTest, DeletingTheLastFieldDeletesTheKey) {
  HandlerRunner run;
  run({"hset", "h", "f1", "v", "f2", "v", "a", "b"});
  EXPECT_EQ(run({"hdel", "h", "a", "zz", "a"}), Int(1));
  EXPECT_EQ(run({"hdel", "h", "f1", "f2", "f3"}), Int(2));
  EXPECT_EQ(run({"exists", "h"}), Int(0));
  EXPECT_EQ(run.store.KeyCount(), 0u);
}

TEST(HashCommandsTest, WrongType) {
  HandlerRunner run;
  run({"set", "s", "x"});
  for (const std::vector<std::string_view>& command :
       std::vector<std::vector<std::string_view>>{
           {"hset", "s", "a", "b"},
           {"hmset", "s", "a", "b"},
           {"hsetnx", "s", "a", "b"},
           {"hget", "s", "a"},
           {"hmget", "s", "a"},
           {"hdel", "s", "a"},
           {"hlen", "s"},
           {"hexists", "s", "a"},
           {"hstrlen", "s", "a"},
           {"hkeys", "s"},
           {"hvals", "s"},
           {"hgetall", "s"},
           {"hincrby", "s", "a", "1"},
           {"hincrbyfloat", "s", "a", "1"},
           {"hrandfield", "s"},
           {"hrandfield", "s", "1"},
           {"hscan", "s", "0"}}) {
    EXPECT_EQ(run(command), kWrongType) << command[0];
  }
  EXPECT_EQ(run({"get", "s"}), Bulk("x"));
}

TEST(HashCommandsTest, ArityErrors) {
  HandlerRunner run;
  run({"set", "s", "x"});
  const std::string hset_arity =
      Err("ERR wrong number of arguments for 'hset' command");
  EXPECT_EQ(run({"hset", "h", "a"}), hset_arity);
  // An odd field count is an arity error, reported before the type check.
  EXPECT_EQ(run({"hset", "h", "a", "b", "c"}), hset_arity);
  EXPECT_EQ(run({"hset", "s", "a", "b", "c"}), hset_arity);
  EXPECT_EQ(run({"hmset", "h", "a", "b", "c"}),
            Err("ERR wrong number of arguments for 'hmset' command"));
  EXPECT_EQ(run({"hget", "h"}),
            Err("ERR wrong number of arguments for 'hget' command"));
  EXPECT_EQ(run({"hsetnx", "h", "a"}),
            Err("ERR wrong number of arguments for 'hsetnx' command"));
  EXPECT_EQ(run({"hrandfield"}),
            Err("ERR wrong number of arguments for 'hrandfield' command"));
  EXPECT_EQ(run({"hscan", "h"}),
            Err("ERR wrong number of arguments for 'hscan' command"));
  EXPECT_EQ(run.store.KeyCount(), 1u);
}

TEST(HashCommandsTest, ManyFieldsConvertToHashtable) {
  HandlerRunner run;
  for (int i = 0; i < 512; ++i) {
    run({"hset", "h", absl::StrCat("f", i), "v"});
  }
  EXPECT_EQ(EncodingOf(run, "h"), "listpack");
  EXPECT_EQ(run({"hset", "h", "f0", "again"}), Int(0));
  EXPECT_EQ(EncodingOf(run, "h"), "listpack");
  EXPECT_EQ(run({"hset", "h", "f512", "v"}), Int(1));
  EXPECT_EQ(EncodingOf(run, "h"), "hashtable");
  EXPECT_EQ(run({"hlen", "h"}), Int(513));
  EXPECT_EQ(run({"hget", "h", "f0"}), Bulk("again"));
  // Shrinking never converts back, as in Redis.
  for (int i = 0; i < 510; ++i) run({"hdel", "h", absl::StrCat("f", i)});
  EXPECT_EQ(EncodingOf(run, "h"), "hashtable");
  EXPECT_EQ(run({"hlen", "h"}), Int(3));
}

TEST(HashCommandsTest, LongFieldOrValueConvertsToHashtable) {
  HandlerRunner run;
  const std::string long64(64, 'x');
  const std::string long65(65, 'x');
  run({"hset", "a", long64, long64});
  EXPECT_EQ(EncodingOf(run, "a"), "listpack");
  run({"hset", "a", "f", long65});
  EXPECT_EQ(EncodingOf(run, "a"), "hashtable");
  run({"hset", "b", long65, "v"});
  EXPECT_EQ(EncodingOf(run, "b"), "hashtable");
  // HSETNX on an existing field changes nothing, so converts nothing.
  run({"hset", "c", "f", "v"});
  EXPECT_EQ(run({"hsetnx", "c", "f", long65}), Int(0));
  EXPECT_EQ(EncodingOf(run, "c"), "listpack");
  // The counters convert too when the new field is long.
  EXPECT_EQ(run({"hincrby", "c", long65, "1"}), Int(1));
  EXPECT_EQ(EncodingOf(run, "c"), "hashtable");
  run({"hset", "d", "f", "v"});
  run({"hincrbyfloat", "d", "g", "1e100"});
  EXPECT_EQ(EncodingOf(run, "d"), "hashtable");
}

TEST(HashCommandsTest, BinaryFieldsAndValues) {
  HandlerRunner run;
  const std::string field("a\0b\r\n", 5);
  const std::string value("\xff\0", 2);
  EXPECT_EQ(run({"hset", "h", field, value}), Int(1));
  EXPECT_EQ(run({"hget", "h", field}), Bulk(value));
  EXPECT_EQ(run({"hget", "h", "a"}), kNil);
  EXPECT_EQ(run({"hstrlen", "h", field}), Int(2));
}

TEST(HashCommandsTest, ExpiredHashIsGone) {
  HandlerRunner run;
  run({"hset", "h", "a", "1"});
  run({"pexpire", "h", "10"});
  run.now_ms += 11;
  EXPECT_EQ(run({"hget", "h", "a"}), kNil);
  EXPECT_EQ(run({"hset", "h", "b", "2"}), Int(1));
  EXPECT_EQ(run({"hgetall", "h"}), Array({"b", "2"}));
  EXPECT_EQ(run({"ttl", "h"}), Int(-1));
}

TEST(HashCommandsTest, WritesKeepTheExpiry) {
  HandlerRunner run;
  run({"hset", "h", "a", "1"});
  run({"expire", "h", "100"});
  run({"hset", "h", "b", "2"});
  run({"hincrby", "h", "a", "1"});
  run({"hdel", "h", "b"});
  EXPECT_EQ(run({"ttl", "h"}), Int(100));
}

}  // namespace
}  // namespace shardd::kv
