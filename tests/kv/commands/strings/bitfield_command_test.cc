// BITFIELD and BITFIELD_RO: reads, writes, overflow policies, offsets, errors
// and keyspace events. Expected bytes are those redis-server 7.0.15 replied,
// except where a test says shardd differs on purpose.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "net/resp/reply_writer.h"
#include "shard/kv/commands/command_table.h"
#include "shard/kv/commands/strings/string_limits.h"
#include "shard/kv/store/keyspace_event.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kTypeError =
    "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is "
    "not supported but i64 is.\r\n";
constexpr std::string_view kOffsetError =
    "-ERR bit offset is not an integer or out of range\r\n";
constexpr std::string_view kSyntax = "-ERR syntax error\r\n";
constexpr std::string_view kNotInteger =
    "-ERR value is not an integer or out of range\r\n";
constexpr std::string_view kWrongType =
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
constexpr std::string_view kReadOnly =
    "-ERR BITFIELD_RO only supports the GET subcommand\r\n";

// A command written as its words with single spaces between them.
std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> words;
  size_t start = 0;
  while (true) {
    const size_t space = line.find(' ', start);
    words.push_back(line.substr(start, space - start));
    if (space == std::string_view::npos) return words;
    start = space + 1;
  }
}

std::string RunLine(HandlerRunner& run, std::string_view line) {
  return run(Words(line));
}

TEST(BitFieldTest, GetsFieldsOfEveryWidthAndZerosPastTheEnd) {
  HandlerRunner run;
  EXPECT_EQ(RunLine(run, "bitfield k set i8 0 200"), "*1\r\n:0\r\n");
  EXPECT_EQ(RunLine(run, "get k"), "$1\r\n\xc8\r\n");
  EXPECT_EQ(
      RunLine(
          run,
          "bitfield k get u8 0 get i8 0 get u4 0 get i4 4 get i64 0 get u63 0"),
      "*6\r\n:200\r\n:-56\r\n:12\r\n:-8\r\n:-4035225266123964416\r\n"
      ":7205759403792793600\r\n");
  EXPECT_EQ(RunLine(run, "bitfield_ro k get i8 0 get u8 0"),
            "*2\r\n:-56\r\n:200\r\n");
}

TEST(BitFieldTest, SetRepliesTheOldValueAndIncrByTheNew) {
  HandlerRunner run;
  RunLine(run, "bitfield k set i8 0 200");
  EXPECT_EQ(
      RunLine(run,
              "bitfield k get u8 0 set u8 0 300 overflow fail set u8 0 300 "
              "incrby u8 0 1"),
      "*4\r\n:200\r\n:200\r\n$-1\r\n:45\r\n");
}

TEST(BitFieldTest, NoOpsRepliesAnEmptyArray) {
  HandlerRunner run;
  EXPECT_EQ(RunLine(run, "bitfield k"), "*0\r\n");
  EXPECT_EQ(RunLine(run, "bitfield_ro k"), "*0\r\n");
  EXPECT_EQ(RunLine(run, "bitfield k overflow fail"), "*0\r\n");
  EXPECT_EQ(RunLine(run, "bitfield_ro k overflow wrap"), "*0\r\n");
  EXPECT_EQ(RunLine(run, "exists k"), ":0\r\n");
  EXPECT_EQ(RunLine(run, "bitfield"),
            "-ERR wrong number of arguments for 'bitfield' command\r\n");
  EXPECT_EQ(RunLine(run, "bitfield_ro"),
            "-ERR wrong number of arguments for 'bitfield_ro' command\r\n");
}

TEST(BitFieldTest, GetsOnAMissingKeyReadZerosAndMakeNothing) {
  HandlerRunner run;
  EXPECT_EQ(RunLine(run, "bitfield missing get u8 0 get i64 100"),
            "*2\r\n:0\r\n:0\r\n");
  EXPECT_EQ(RunLine(run, "exists missing"), ":0\r\n");
}

TEST(BitFieldTest, WritesMakeOrGrowTheStringEvenWhenTheyFail) {
  HandlerRunner run;
  EXPECT_EQ(RunLine(run, "bitfield k overflow fail set u8 100 300"),
            "*1\r\n$-1\r\n");
  EXPECT_EQ(RunLine(run, "exists k"), ":1\r\n");
  EXPECT_EQ(RunLine(run, "strlen k"), ":14\r\n");
  RunLine(run, "set s abc");
  EXPECT_EQ(RunLine(run, "bitfield s overflow fail set u8 100 300"),
            "*1\r\n$-1\r\n");
  EXPECT_EQ(RunLine(run, "strlen s"), ":14\r\n");
}

TEST(BitFieldTest, FieldsNeedNotBeByteAligned) {
  HandlerRunner run;
  EXPECT_EQ(RunLine(run, "bitfield e set u5 7 23 get u16 0"),
            "*2\r\n:0\r\n:368\r\n");
  EXPECT_EQ(RunLine(run, "get e"), "$2\r\n\x01p\r\n");
  EXPECT_EQ(
      RunLine(
          run,
          "bitfield f set i13 5 -1000 get i13 5 get u13 5 get i64 0 incrby i13 "
          "#3 17 incrby i13 #3 4095 overflow SAT INCRBY i13 #3 100000"),
      "*7\r\n:0\r\n:-1000\r\n:7192\r\n:506092008125759488\r\n:17\r\n"
      ":-4080\r\n:4095\r\n");
  EXPECT_EQ(RunLine(run, "get f"),
            std::string_view("$7\r\n\x07\x06\x00\x00\x00\xff\xf0\r\n", 13));
}

TEST(BitFieldTest, HashOffsetsCountFieldsOfTheTypesWidth) {
  HandlerRunner run;
  EXPECT_EQ(
      RunLine(run, "bitfield g set u8 #2 255 get u8 16 get u8 #2 get i4 #5"),
      "*4\r\n:0\r\n:255\r\n:255\r\n:-1\r\n");
  EXPECT_EQ(RunLine(run, "strlen g"), ":3\r\n");
}

TEST(BitFieldTest, OneBitFields) {
  HandlerRunner run;
  EXPECT_EQ(
      RunLine(run,
              "bitfield d set i1 0 1 set i1 1 -1 get i1 0 get u1 1 set u1 2 "
              "2 overflow sat set u1 3 2 set i1 4 1 set i1 5 -2 get u8 0"),
      "*9\r\n:0\r\n:0\r\n:-1\r\n:1\r\n:0\r\n:0\r\n:0\r\n:0\r\n:212\r\n");
}

TEST(BitFieldTest, SignedAndUnsignedBytesUnderEachOverflowPolicy) {
  HandlerRunner run;
  EXPECT_EQ(
      RunLine(run,
              "bitfield c overflow sat set u8 0 -5 set i8 8 -200 set i8 8 "
              "200 incrby u8 0 -300 incrby u8 0 300 incrby i8 8 -1000 incrby "
              "i8 8 1000"),
      "*7\r\n:0\r\n:0\r\n:-128\r\n:0\r\n:255\r\n:-128\r\n:127\r\n");
  EXPECT_EQ(
      RunLine(run,
              "bitfield c overflow wrap set u8 0 -5 set i8 8 -200 set i8 8 "
              "200 incrby u8 0 -300 incrby u8 0 300 incrby i8 8 -1000 incrby "
              "i8 8 1000"),
      "*7\r\n:255\r\n:127\r\n:56\r\n:207\r\n:251\r\n:-32\r\n:-56\r\n");
  EXPECT_EQ(
      RunLine(run,
              "bitfield c overflow fail set u8 0 -5 set i8 8 -200 set i8 8 "
              "200 set u8 0 255 set i8 8 -128 incrby u8 0 1 incrby i8 8 -1 "
              "incrby i8 8 255"),
      "*8\r\n$-1\r\n$-1\r\n$-1\r\n:251\r\n:-56\r\n$-1\r\n$-1\r\n"
      ":127\r\n");
}

// Redis's overflow check takes max - value in an int64, which wraps for a
// SET value more than INT64_MAX below a signed field's maximum: SAT then
// stores the maximum, not the minimum. 64-bit fields are spared.
TEST(BitFieldTest, SatStoresTheMaximumForSetValuesFarBelowTheMinimum) {
  HandlerRunner run;
  EXPECT_EQ(RunLine(run,
                    "bitfield q overflow sat set i63 0 -9223372036854775808 "
                    "get i63 0"),
            "*2\r\n:0\r\n:4611686018427387903\r\n");
  EXPECT_EQ(RunLine(run,
                    "bitfield q overflow sat set i8 0 -9223372036854775681 get "
                    "i8 0"),
            "*2\r\n:127\r\n:127\r\n");
  EXPECT_EQ(RunLine(run,
                    "bitfield q overflow sat set i8 0 -9223372036854775680 get "
                    "i8 0"),
            "*2\r\n:127\r\n:-128\r\n");
  EXPECT_EQ(RunLine(run,
                    "bitfield q overflow fail set i8 0 -9223372036854775808 "
                    "get i8 0"),
            "*2\r\n$-1\r\n:-128\r\n");
  EXPECT_EQ(RunLine(run,
                    "bitfield q overflow sat set i64 0 -9223372036854775808 "
                    "get i64 0"),
            "*2\r\n:-9151314442816847874\r\n:-9223372036854775808\r\n");
}

TEST(BitFieldTest, SixtyFourBitSignedArithmeticAtItsLimits) {
  HandlerRunner run;
  EXPECT_EQ(
      RunLine(
          run,
          "bitfield a set i64 0 9223372036854775807 incrby i64 0 1 get i64 0"),
      "*3\r\n:0\r\n:-9223372036854775808\r\n:-9223372036854775808\r\n");
  EXPECT_EQ(
      RunLine(run,
              "bitfield a overflow sat set i64 0 9223372036854775807 incrby "
              "i64 0 1 incrby i64 0 -9223372036854775808 incrby i64 0 "
              "-9223372036854775808 incrby i64 0 -9223372036854775808 incrby "
              "i64 0 -1"),
      "*6\r\n:-9223372036854775808\r\n:9223372036854775807\r\n:-1\r\n"
      ":-9223372036854775808\r\n:-9223372036854775808\r\n"
      ":-9223372036854775808\r\n");
  EXPECT_EQ(
      RunLine(run,
              "bitfield a overflow wrap set i64 0 -9223372036854775808 "
              "incrby i64 0 -1 incrby i64 0 -9223372036854775808 incrby i64 "
              "0 9223372036854775807"),
      "*4\r\n:-9223372036854775808\r\n:9223372036854775807\r\n:-1\r\n"
      ":9223372036854775806\r\n");
  EXPECT_EQ(
      RunLine(run,
              "bitfield a overflow fail set i64 0 -9223372036854775808 "
              "incrby i64 0 -1 incrby i64 0 9223372036854775807 incrby i64 0 "
              "9223372036854775807 incrby i64 0 1 get i64 0"),
      "*6\r\n:9223372036854775806\r\n$-1\r\n:-1\r\n"
      ":9223372036854775806\r\n:9223372036854775807\r\n"
      ":9223372036854775807\r\n");
}

// SET takes a negative value for an unsigned field as a huge one: SAT makes
// it the maximum, not 0.
TEST(BitFieldTest, SixtyThreeBitUnsignedArithmeticAtItsLimits) {
  HandlerRunner run;
  EXPECT_EQ(
      RunLine(run,
              "bitfield b set u63 0 9223372036854775807 incrby u63 0 1 get "
              "u63 0 set u63 0 -1 get u63 0"),
      "*5\r\n:0\r\n:0\r\n:0\r\n:0\r\n:9223372036854775807\r\n");
  EXPECT_EQ(
      RunLine(run,
              "bitfield b overflow sat set u63 0 -1 incrby u63 0 "
              "-9223372036854775808 incrby u63 0 9223372036854775807 incrby "
              "u63 0 1 set u63 0 -9223372036854775808"),
      "*5\r\n:9223372036854775807\r\n:0\r\n:9223372036854775807\r\n"
      ":9223372036854775807\r\n:9223372036854775807\r\n");
  EXPECT_EQ(
      RunLine(
          run,
          "bitfield b overflow fail set u63 0 -1 set u63 0 9223372036854775807 "
          "incrby u63 0 1 incrby u63 0 -9223372036854775807 incrby u63 0 -1"),
      "*5\r\n$-1\r\n:9223372036854775807\r\n$-1\r\n:0\r\n$-1\r\n");
}

TEST(BitFieldTest, OverflowAppliesToTheOpsAfterIt) {
  HandlerRunner run;
  EXPECT_EQ(
      RunLine(run,
              "bitfield h set u8 8 1 overflow fail set u8 0 1 overflow Wrap "
              "incrby u8 0 256"),
      "*3\r\n:0\r\n:0\r\n:1\r\n");
  EXPECT_EQ(RunLine(run, "bitfield h overflow fail overflow sat set u8 0 300"),
            "*1\r\n:1\r\n");
}

TEST(BitFieldTest, SubcommandsAndPoliciesInAnyCaseButTypesLowerCase) {
  HandlerRunner run;
  run({"set", "k", "\x81\x02"});
  EXPECT_EQ(
      RunLine(run,
              "bitfield k Get u4 0 gEt u4 #1 INCRBY u4 #1 -3 overflow FAIL "
              "SET u4 #1 100"),
      "*4\r\n:8\r\n:1\r\n:14\r\n$-1\r\n");
  EXPECT_EQ(RunLine(run, "bitfield k get I8 0"), kTypeError);
}

// Redis reads the type as a C string: a NUL ends it.
TEST(BitFieldTest, TypeEndsAtANul) {
  HandlerRunner run;
  run({"set", "k", "\x81\x02"});
  EXPECT_EQ(run({"bitfield", "k", "get", std::string_view("i8\0x", 4), "0"}),
            "*1\r\n:-127\r\n");
}

TEST(BitFieldTest, RejectsBadTypes) {
  HandlerRunner run;
  for (const std::string_view type :
       std::vector<std::string_view>{"u64", "i65", "u0", "i0", "i08", "", "x8",
                                     "i-8", "i8x", "i", "u+8"}) {
    EXPECT_EQ(run({"bitfield", "k", "set", type, "0", "1"}), kTypeError)
        << type;
  }
  EXPECT_EQ(RunLine(run, "bitfield k get u63 0 get i64 0"),
            "*2\r\n:0\r\n:0\r\n");
}

TEST(BitFieldTest, RejectsBadOffsets) {
  HandlerRunner run;
  for (const std::string_view offset :
       std::vector<std::string_view>{"-1", "#-1", "#", "##1", "#01", "+1",
                                     "#-0", "x", std::string_view("1\0", 2)}) {
    EXPECT_EQ(run({"bitfield", "k", "get", "i8", offset}), kOffsetError)
        << offset;
  }
  EXPECT_EQ(RunLine(run, "bitfield k get i8 #0 get i8 #1"),
            "*2\r\n:0\r\n:0\r\n");
}

// A field must start within the first 512 MiB (proto-max-bulk-len), "#N"
// counted in bits; checked on reads, which allocate nothing.
TEST(BitFieldTest, OffsetsUpToTheStringLimit) {
  EXPECT_EQ(uint64_t{4294967295} / 8 + 1, kMaxStringBytes);
  HandlerRunner run;
  EXPECT_EQ(RunLine(run, "bitfield k get i64 4294967295"), "*1\r\n:0\r\n");
  EXPECT_EQ(RunLine(run, "bitfield k get i8 4294967296"), kOffsetError);
  EXPECT_EQ(RunLine(run, "bitfield k get i8 #536870911"), "*1\r\n:0\r\n");
  EXPECT_EQ(RunLine(run, "bitfield k get i8 #536870912"), kOffsetError);
  EXPECT_EQ(RunLine(run, "bitfield k get i64 #67108863"), "*1\r\n:0\r\n");
  EXPECT_EQ(RunLine(run, "bitfield k get i64 #67108864"), kOffsetError);
  EXPECT_EQ(RunLine(run, "bitfield k get u63 #68174084"), "*1\r\n:0\r\n");
  EXPECT_EQ(RunLine(run, "bitfield k get u63 #68174085"), kOffsetError);
  EXPECT_EQ(RunLine(run, "bitfield k get u8 #1152921504606846976"),
            kOffsetError);
  EXPECT_EQ(RunLine(run, "exists k"), ":0\r\n");
}

// Differs from Redis on purpose: Redis multiplies "#N" by the width without
// an overflow check, so 2^61+1 fields of 8 bits wrap to bit 8 there (it
// replies *1 :2 for "\x81\x02"); shardd refuses the offset.
TEST(BitFieldTest, RefusesHashOffsetsWhoseBitOverflows) {
  HandlerRunner run;
  run({"set", "k", "\x81\x02"});
  EXPECT_EQ(RunLine(run, "bitfield k get u8 #2305843009213693953"),
            kOffsetError);
}

TEST(BitFieldTest, RejectsBadValuesAndOverflowTypes) {
  HandlerRunner run;
  EXPECT_EQ(RunLine(run, "bitfield k set i8 0 abc"), kNotInteger);
  EXPECT_EQ(RunLine(run, "bitfield k set i8 0 9223372036854775808"),
            kNotInteger);
  EXPECT_EQ(RunLine(run, "bitfield k incrby i8 0 1.5"), kNotInteger);
  EXPECT_EQ(RunLine(run, "bitfield k set i8 0 -0"), kNotInteger);
  EXPECT_EQ(run({"bitfield", "k", "set", "i8", "0", " 1"}), kNotInteger);
  EXPECT_EQ(RunLine(run, "bitfield k overflow foo"),
            "-ERR Invalid OVERFLOW type specified\r\n");
}

TEST(BitFieldTest, IncompleteOrUnknownSubcommandsAreSyntaxErrors) {
  HandlerRunner run;
  EXPECT_EQ(RunLine(run, "bitfield k OVERFLOW"), kSyntax);
  EXPECT_EQ(RunLine(run, "bitfield k get i8"), kSyntax);
  EXPECT_EQ(RunLine(run, "bitfield k foo"), kSyntax);
  EXPECT_EQ(RunLine(run, "bitfield k set i8 0 5 incrby i8 0"), kSyntax);
  EXPECT_EQ(RunLine(run, "bitfield k overflow sat overflow"), kSyntax);
}

// The whole command is parsed first: the first bad argument decides the
// error, and nothing is written.
TEST(BitFieldTest, ParsesEverythingBeforeWriting) {
  HandlerRunner run;
  run({"set", "k", "\x01\x02"});
  EXPECT_EQ(RunLine(run, "bitfield k set i8 0 1 get i8 x"), kOffsetError);
  EXPECT_EQ(RunLine(run, "bitfield k set i8 0 5 set x 0 1"), kTypeError);
  EXPECT_EQ(RunLine(run, "bitfield k get i8 x set i8 0 abc"), kOffsetError);
  EXPECT_EQ(RunLine(run, "bitfield k set i8 0 abc get i8 x"), kNotInteger);
  EXPECT_EQ(RunLine(run, "bitfield k get u64 0 overflow bad"), kTypeError);
  EXPECT_EQ(RunLine(run, "bitfield k overflow bad get u64 0"),
            "-ERR Invalid OVERFLOW type specified\r\n");
  EXPECT_EQ(RunLine(run, "get k"), "$2\r\n\x01\x02\r\n");
  EXPECT_EQ(RunLine(run, "bitfield new set i8 0 1 get i8 x"), kOffsetError);
  EXPECT_EQ(RunLine(run, "exists new"), ":0\r\n");
}

TEST(BitFieldTest, KeepsExpiryAndEditsNumericStrings) {
  HandlerRunner run;
  RunLine(run, "set t 1 ex 100");
  EXPECT_EQ(RunLine(run, "bitfield t incrby i8 0 1"), "*1\r\n:50\r\n");
  EXPECT_EQ(RunLine(run, "ttl t"), ":100\r\n");
  EXPECT_EQ(RunLine(run, "get t"), "$1\r\n2\r\n");
}

TEST(BitFieldTest, WrongTypeAfterParsing) {
  HandlerRunner run;
  RunLine(run, "lpush l a");
  EXPECT_EQ(RunLine(run, "bitfield l get u8 0"), kWrongType);
  EXPECT_EQ(RunLine(run, "bitfield l set u8 0 1"), kWrongType);
  EXPECT_EQ(RunLine(run, "bitfield l"), kWrongType);
  EXPECT_EQ(RunLine(run, "bitfield l overflow sat"), kWrongType);
  EXPECT_EQ(RunLine(run, "bitfield l overflow fail set u8 0 300"), kWrongType);
  EXPECT_EQ(RunLine(run, "bitfield l get i8 x"), kOffsetError);
  EXPECT_EQ(RunLine(run, "bitfield_ro l get u8 0"), kWrongType);
  EXPECT_EQ(RunLine(run, "bitfield_ro l overflow fail"), kWrongType);
}

// BITFIELD_RO parses the whole command, then refuses any write before it
// looks at the key.
TEST(BitFieldRoTest, OnlyGets) {
  HandlerRunner run;
  RunLine(run, "lpush l a");
  EXPECT_EQ(RunLine(run, "bitfield_ro k set i8 0 1"), kReadOnly);
  EXPECT_EQ(RunLine(run, "bitfield_ro k incrby i8 0 1"), kReadOnly);
  EXPECT_EQ(RunLine(run, "bitfield_ro l set u8 0 1"), kReadOnly);
  EXPECT_EQ(RunLine(run, "bitfield_ro k get i8 0 set i8 0 1 get x 0"),
            kTypeError);
  EXPECT_EQ(RunLine(run, "bitfield_ro k set i8 0 1 overflow foo"),
            "-ERR Invalid OVERFLOW type specified\r\n");
  EXPECT_EQ(RunLine(run, "bitfield_ro k GET i8 0"), "*1\r\n:0\r\n");
  EXPECT_EQ(RunLine(run, "exists k"), ":0\r\n");
}

TEST(BitFieldTest, FailIsNullInResp3) {
  HandlerRunner run;
  const std::vector<std::string_view> args =
      Words("bitfield r3 overflow fail set u8 0 300 get u8 0");
  std::string out;
  resp::ReplyWriter reply(&out, resp::Protocol::kResp3);
  CommandContext ctx{run.store, reply, CommandArgs(args), run.now_ms};
  FindCommand("bitfield")->handler(ctx);
  EXPECT_EQ(out, "*2\r\n_\r\n:0\r\n");
}

// Records keyspace events as "<class>:<event>:<key>".
class RecordingSink final : public KeyspaceEventSink {
 public:
  void Notify(uint32_t type, std::string_view event,
              std::string_view key) override {
    const std::string_view kind = type == kNotifyString ? "string" : "other";
    events.push_back(std::string(kind) + ":" + std::string(event) + ":" +
                     std::string(key));
  }
  std::vector<std::string> events;
};

using Events = std::vector<std::string>;

// Redis 7.0 reports "setbit" once per command, and only if a write that did
// not fail made or grew the string or changed a field (seen with
// PSUBSCRIBE __keyevent@0__:* on redis-server).
TEST(BitFieldTest, ReportsSetbitOnlyForChanges) {
  HandlerRunner run;
  RecordingSink sink;
  const auto events = [&](std::string_view line) {
    const std::vector<std::string_view> args = Words(line);
    std::string out;
    resp::ReplyWriter reply(&out);
    CommandContext ctx{run.store, reply, CommandArgs(args), run.now_ms};
    ctx.events = &sink;
    FindCommand(args[0])->handler(ctx);
    return std::exchange(sink.events, {});
  };
  const Events setbit = {"string:setbit:k"};
  EXPECT_EQ(events("bitfield k set u8 0 5"), setbit);
  EXPECT_EQ(events("bitfield k set u8 0 5"), Events{});
  EXPECT_EQ(events("bitfield k incrby u8 0 0"), Events{});
  EXPECT_EQ(events("bitfield k overflow fail set u8 0 300"), Events{});
  EXPECT_EQ(events("bitfield k set u8 0 5 set u8 8 7"), setbit);
  EXPECT_EQ(events("bitfield k set u8 0 5 get u8 0"), Events{});
  // Growing is a change even when the field written stays 0.
  EXPECT_EQ(events("bitfield k set u8 1600 0"), setbit);
  EXPECT_EQ(events("bitfield k incrby u8 0 1 incrby u8 0 1"), setbit);
  EXPECT_EQ(events("bitfield k get u8 0"), Events{});
  EXPECT_EQ(events("bitfield_ro k get u8 0"), Events{});
  // Made by a write that failed: the key exists, silently.
  EXPECT_EQ(events("bitfield n overflow fail set u8 0 300"), Events{});
  EXPECT_EQ(RunLine(run, "exists n"), ":1\r\n");
  // A failed write and a later one that stores what was there: the string
  // was made, so that is a change.
  EXPECT_EQ(events("bitfield k3 overflow fail incrby u8 0 -1 set u8 0 0"),
            Events{"string:setbit:k3"});
}

}  // namespace
}  // namespace shardd::kv
