#include "shard/kv/persist/write_records.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "shard/kv/commands/command_table.h"
#include "shard/kv/persist/records.h"
#include "shard/kv/store/store.h"

namespace shardd::kv {
namespace {

std::string Command(std::vector<std::string_view> args) {
  std::string out;
  AppendCommand(&out, args);
  return out;
}

// The record for `args` after it ran on `store` and replied `reply`.
std::string RecordOf(Store& store, std::vector<std::string_view> args,
                     std::string_view reply = "+OK\r\n") {
  const CommandSpec* spec = FindCommand(args[0]);
  if (spec == nullptr) {
    ADD_FAILURE() << "no command " << args[0];
    return "";
  }
  std::string out;
  AppendWriteRecord(&out, *spec, args, reply, store, /*now_ms=*/1000);
  return out;
}

TEST(WriteRecordsTest, DeterministicCommandsAreLoggedAsSent) {
  Store store;
  EXPECT_EQ(RecordOf(store, {"incr", "n"}, ":1\r\n"), Command({"incr", "n"}));
  EXPECT_EQ(RecordOf(store, {"mset", "a", "1", "b", "2"}),
            Command({"mset", "a", "1", "b", "2"}));
}

TEST(WriteRecordsTest, RelativeExpiriesBecomeAbsolute) {
  Store store;
  store.SetString("k", "v", 61000);  // as SET k v EX 60 left it at 1000 ms
  EXPECT_EQ(RecordOf(store, {"set", "k", "v", "EX", "60"}),
            Command({"SET", "k", "v", "PXAT", "61000"}));
  EXPECT_EQ(RecordOf(store, {"setex", "k", "60", "v"}),
            Command({"SET", "k", "v", "PXAT", "61000"}));
  EXPECT_EQ(RecordOf(store, {"expire", "k", "60"}, ":1\r\n"),
            Command({"PEXPIREAT", "k", "61000"}));
  store.SetString("p", "v", 0);
  EXPECT_EQ(RecordOf(store, {"getex", "p", "PERSIST"}, "$1\r\nv\r\n"),
            Command({"PERSIST", "p"}));
  EXPECT_EQ(RecordOf(store, {"getex", "p"}, "$1\r\nv\r\n"), "");
  // An expiry in the past deleted the key.
  EXPECT_EQ(RecordOf(store, {"expire", "gone", "-1"}, ":1\r\n"),
            Command({"DEL", "gone"}));
  store.SetString("plain", "v", 0);
  EXPECT_EQ(RecordOf(store, {"set", "plain", "v"}),
            Command({"SET", "plain", "v"}));
}

TEST(WriteRecordsTest, RandomAndFloatResultsAreLoggedByEffect) {
  Store store;
  EXPECT_EQ(RecordOf(store, {"spop", "s"}, "$1\r\nb\r\n"),
            Command({"SREM", "s", "b"}));
  EXPECT_EQ(
      RecordOf(store, {"spop", "s", "2"}, "*2\r\n$1\r\na\r\n$2\r\ncc\r\n"),
      Command({"SREM", "s", "a", "cc"}));
  store.SetString("f", "3.35", 0);
  EXPECT_EQ(RecordOf(store, {"incrbyfloat", "f", "1.1"}, "$4\r\n3.35\r\n"),
            Command({"SET", "f", "3.35"}));
  EXPECT_EQ(RecordOf(store, {"hincrbyfloat", "h", "x", "0.5"},
                     "$3\r\n1.5\r\n"),
            Command({"HSET", "h", "x", "1.5"}));
}

TEST(WriteRecordsTest, ServedBlockingCommandsAreLoggedAsTheirNonBlockingForm) {
  Store store;
  EXPECT_EQ(RecordOf(store, {"blpop", "a", "b", "0"},
                     "*2\r\n$1\r\nb\r\n$1\r\nv\r\n"),
            Command({"LPOP", "b"}));
  EXPECT_EQ(RecordOf(store, {"brpop", "a", "0"},
                     "*2\r\n$1\r\na\r\n$1\r\nv\r\n"),
            Command({"RPOP", "a"}));
  EXPECT_EQ(RecordOf(store, {"blmove", "a", "b", "LEFT", "RIGHT", "0"},
                     "$1\r\nv\r\n"),
            Command({"LMOVE", "a", "b", "LEFT", "RIGHT"}));
}

}  // namespace
}  // namespace shardd::kv
