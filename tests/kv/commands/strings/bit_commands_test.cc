// SETBIT, GETBIT, BITCOUNT, BITPOS and BITOP. Expected bytes are what
// redis-server 7.0 replies.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "net/resp/reply_writer.h"
#include "shard/kv/commands/command_table.h"
#include "shard/kv/commands/strings/string_limits.h"
#include "shard/kv/store/keyspace_event.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

TEST(SetBitTest, RepliesOldBitAndGrowsWithZeroBytes) {
  HandlerRunner run;
  EXPECT_EQ(run({"setbit", "k", "7", "1"}), ":0\r\n");
  EXPECT_EQ(run({"get", "k"}), "$1\r\n\x01\r\n");
  EXPECT_EQ(run({"setbit", "k", "7", "1"}), ":1\r\n");
  EXPECT_EQ(run({"setbit", "k", "7", "0"}), ":1\r\n");
  EXPECT_EQ(run({"setbit", "k", "0", "1"}), ":0\r\n");
  EXPECT_EQ(run({"setbit", "k", "20", "1"}), ":0\r\n");
  EXPECT_EQ(run({"get", "k"}), std::string_view("$3\r\n\x80\x00\x08\r\n", 9));
  // Clearing a bit past the end still grows the string.
  EXPECT_EQ(run({"setbit", "k", "47", "0"}), ":0\r\n");
  EXPECT_EQ(run({"strlen", "k"}), ":6\r\n");
  EXPECT_EQ(run({"setbit", "zero", "3", "0"}), ":0\r\n");
  EXPECT_EQ(run({"get", "zero"}), std::string_view("$1\r\n\x00\r\n", 7));
}

TEST(SetBitTest, EditsAnExistingStringAndKeepsItsExpiry) {
  HandlerRunner run;
  run({"set", "k", "a", "ex", "100"});
  EXPECT_EQ(run({"setbit", "k", "6", "1"}), ":0\r\n");
  EXPECT_EQ(run({"setbit", "k", "7", "0"}), ":1\r\n");
  EXPECT_EQ(run({"get", "k"}), "$1\r\nb\r\n");
  EXPECT_EQ(run({"ttl", "k"}), ":100\r\n");
  // Longer than the inline bytes of an Entry.
  run({"set", "long", "abcdefghijkl"});
  EXPECT_EQ(run({"setbit", "long", "95", "1"}), ":0\r\n");
  EXPECT_EQ(run({"setbit", "long", "100", "1"}), ":0\r\n");
  EXPECT_EQ(run({"get", "long"}), "$13\r\nabcdefghijkm\x08\r\n");
}

TEST(SetBitTest, RejectsBadOffsetsAndBits) {
  HandlerRunner run;
  EXPECT_EQ(run({"setbit", "k", "4294967296", "1"}),
            "-ERR bit offset is not an integer or out of range\r\n");
  EXPECT_EQ(run({"setbit", "k", "-1", "1"}),
            "-ERR bit offset is not an integer or out of range\r\n");
  EXPECT_EQ(run({"setbit", "k", "abc", "1"}),
            "-ERR bit offset is not an integer or out of range\r\n");
  EXPECT_EQ(run({"setbit", "k", "+4", "1"}),
            "-ERR bit offset is not an integer or out of range\r\n");
  EXPECT_EQ(run({"setbit", "k", "04", "1"}),
            "-ERR bit offset is not an integer or out of range\r\n");
  EXPECT_EQ(run({"setbit", "k", "4294967295", "2"}),
            "-ERR bit is not an integer or out of range\r\n");
  EXPECT_EQ(run({"setbit", "k", "0", "-1"}),
            "-ERR bit is not an integer or out of range\r\n");
  EXPECT_EQ(run({"setbit", "k", "0", "01"}),
            "-ERR bit is not an integer or out of range\r\n");
  EXPECT_EQ(run({"setbit", "k", "0", "abc"}),
            "-ERR bit is not an integer or out of range\r\n");
  // The offset is checked first.
  EXPECT_EQ(run({"setbit", "k", "abc", "2"}),
            "-ERR bit offset is not an integer or out of range\r\n");
  EXPECT_EQ(run({"exists", "k"}), ":0\r\n");
  EXPECT_EQ(run({"setbit", "k", "1"}),
            "-ERR wrong number of arguments for 'setbit' command\r\n");
}

TEST(SetBitTest, LargestOffsetFitsTheStringLimit) {
  // 2^32-1 is the last bit of a 512 MiB string: allowed, and checked on the
  // rule rather than by allocating half a gigabyte in a unit test.
  EXPECT_EQ(uint64_t{4294967295} / 8 + 1, kMaxStringBytes);
  HandlerRunner run;
  EXPECT_EQ(run({"getbit", "k", "4294967295"}), ":0\r\n");
  EXPECT_EQ(run({"getbit", "k", "4294967296"}),
            "-ERR bit offset is not an integer or out of range\r\n");
}

TEST(GetBitTest, ReadsBitsAndZeroPastTheEnd) {
  HandlerRunner run;
  EXPECT_EQ(run({"getbit", "missing", "5"}), ":0\r\n");
  run({"set", "k", "a"});
  EXPECT_EQ(run({"getbit", "k", "0"}), ":0\r\n");
  EXPECT_EQ(run({"getbit", "k", "1"}), ":1\r\n");
  EXPECT_EQ(run({"getbit", "k", "7"}), ":1\r\n");
  EXPECT_EQ(run({"getbit", "k", "8"}), ":0\r\n");
  EXPECT_EQ(run({"getbit", "k", "100"}), ":0\r\n");
  EXPECT_EQ(run({"getbit", "k", "-1"}),
            "-ERR bit offset is not an integer or out of range\r\n");
  EXPECT_EQ(run({"getbit", "k", "x"}),
            "-ERR bit offset is not an integer or out of range\r\n");
  EXPECT_EQ(run({"getbit", "k"}),
            "-ERR wrong number of arguments for 'getbit' command\r\n");
  EXPECT_EQ(run({"exists", "missing"}), ":0\r\n");
}

TEST(BitCountTest, CountsWholeStringsAndByteRanges) {
  HandlerRunner run;
  EXPECT_EQ(run({"bitcount", "missing"}), ":0\r\n");
  run({"set", "k", "foobar"});
  EXPECT_EQ(run({"bitcount", "k"}), ":26\r\n");
  EXPECT_EQ(run({"bitcount", "k", "0", "0"}), ":4\r\n");
  EXPECT_EQ(run({"bitcount", "k", "1", "1"}), ":6\r\n");
  EXPECT_EQ(run({"bitcount", "k", "0", "-1"}), ":26\r\n");
  EXPECT_EQ(run({"bitcount", "k", "0", "-1", "byte"}), ":26\r\n");
  EXPECT_EQ(run({"bitcount", "k", "-2", "-1"}), ":7\r\n");
  EXPECT_EQ(run({"bitcount", "k", "5", "30"}), ":4\r\n");
  EXPECT_EQ(run({"bitcount", "k", "-100", "-1"}), ":26\r\n");
  EXPECT_EQ(run({"bitcount", "k", "3", "1"}), ":0\r\n");
  EXPECT_EQ(run({"bitcount", "k", "-1", "-2"}), ":0\r\n");
  // Both before the start: clamped to the first byte...
  EXPECT_EQ(run({"bitcount", "k", "-100", "-90"}), ":4\r\n");
  // ...unless crossed, which is empty.
  EXPECT_EQ(run({"bitcount", "k", "-100", "-200"}), ":0\r\n");
  EXPECT_EQ(
      run({"bitcount", "k", "9223372036854775807", "9223372036854775807"}),
      ":0\r\n");
  EXPECT_EQ(
      run({"bitcount", "k", "-9223372036854775808", "9223372036854775807"}),
      ":26\r\n");
  run({"set", "empty", ""});
  EXPECT_EQ(run({"bitcount", "empty"}), ":0\r\n");
  EXPECT_EQ(run({"bitcount", "empty", "0", "-1"}), ":0\r\n");
}

TEST(BitCountTest, BitRanges) {
  HandlerRunner run;
  run({"set", "k", "foobar"});
  EXPECT_EQ(run({"bitcount", "k", "1", "5", "bit"}), ":3\r\n");
  EXPECT_EQ(run({"bitcount", "k", "1", "5", "BIT"}), ":3\r\n");
  EXPECT_EQ(run({"bitcount", "k", "0", "-1", "bit"}), ":26\r\n");
  EXPECT_EQ(run({"bitcount", "k", "-5", "-1", "bit"}), ":2\r\n");
  EXPECT_EQ(run({"bitcount", "k", "10", "47", "bit"}), ":21\r\n");
  EXPECT_EQ(run({"bitcount", "k", "10", "48", "bit"}), ":21\r\n");
  EXPECT_EQ(run({"bitcount", "k", "46", "46", "bit"}), ":1\r\n");
  EXPECT_EQ(run({"bitcount", "k", "47", "47", "bit"}), ":0\r\n");
  EXPECT_EQ(run({"bitcount", "k", "8", "8", "bit"}), ":0\r\n");
  EXPECT_EQ(run({"bitcount", "k", "9", "9", "bit"}), ":1\r\n");
  EXPECT_EQ(run({"bitcount", "k", "3", "2", "bit"}), ":0\r\n");
  EXPECT_EQ(run({"bitcount", "k", "-3", "-5", "bit"}), ":0\r\n");
  EXPECT_EQ(run({"bitcount", "k", "-100", "-200", "bit"}), ":0\r\n");
  EXPECT_EQ(run({"bitcount", "k", "0", "9223372036854775807", "bit"}),
            ":26\r\n");
  EXPECT_EQ(run({"bitcount", "k", "-9223372036854775808", "-1", "bit"}),
            ":26\r\n");
  run({"set", "empty", ""});
  EXPECT_EQ(run({"bitcount", "empty", "0", "-1", "bit"}), ":0\r\n");
}

TEST(BitCountTest, LongStringsCountEveryWord) {
  HandlerRunner run;
  const std::string ones(100, '\xff');
  run({"set", "k", ones});
  run({"setbit", "k", "700", "0"});
  EXPECT_EQ(run({"bitcount", "k"}), ":799\r\n");
  EXPECT_EQ(run({"bitcount", "k", "3", "-5"}), ":743\r\n");
  EXPECT_EQ(run({"bitcount", "k", "3", "-5", "bit"}), ":792\r\n");
  EXPECT_EQ(run({"bitcount", "k", "13", "790", "bit"}), ":777\r\n");
}

TEST(BitCountTest, ErrorsAfterTheKeyLookup) {
  HandlerRunner run;
  run({"set", "k", "foobar"});
  EXPECT_EQ(run({"bitcount", "k", "0"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"bitcount", "k", "a"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"bitcount", "k", "0", "1", "2"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"bitcount", "k", "0", "1", "bits"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"bitcount", "k", "0", "1", "bit", "x"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"bitcount", "k", "a", "1"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"bitcount", "k", "0", "b"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"bitcount", "k", "a", "b", "xx"}),
            "-ERR value is not an integer or out of range\r\n");
  // A missing key counts 0 before its arguments are looked at.
  EXPECT_EQ(run({"bitcount", "missing", "0"}), ":0\r\n");
  EXPECT_EQ(run({"bitcount", "missing", "a", "b"}), ":0\r\n");
  EXPECT_EQ(run({"bitcount", "missing", "0", "1", "xx"}), ":0\r\n");
  EXPECT_EQ(run({"bitcount"}),
            "-ERR wrong number of arguments for 'bitcount' command\r\n");
}

TEST(BitPosTest, MissingKeysAreEndlessZeros) {
  HandlerRunner run;
  EXPECT_EQ(run({"bitpos", "missing", "0"}), ":0\r\n");
  EXPECT_EQ(run({"bitpos", "missing", "1"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "missing", "0", "5"}), ":0\r\n");
  EXPECT_EQ(run({"bitpos", "missing", "1", "0", "-1"}), ":-1\r\n");
  // Only the bit is checked before the lookup.
  EXPECT_EQ(run({"bitpos", "missing", "0", "a"}), ":0\r\n");
  EXPECT_EQ(run({"bitpos", "missing", "0", "1", "2", "bit", "extra"}),
            ":0\r\n");
  EXPECT_EQ(run({"bitpos", "missing", "2"}),
            "-ERR The bit argument must be 1 or 0.\r\n");
  EXPECT_EQ(run({"bitpos", "missing", "x"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"bitpos", "missing", "01"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"bitpos", "missing"}),
            "-ERR wrong number of arguments for 'bitpos' command\r\n");
}

TEST(BitPosTest, FindsBitsInByteRanges) {
  HandlerRunner run;
  run({"set", "k", std::string_view("\xff\xf0\x00", 3)});
  EXPECT_EQ(run({"bitpos", "k", "0"}), ":12\r\n");
  EXPECT_EQ(run({"bitpos", "k", "1"}), ":0\r\n");
  EXPECT_EQ(run({"bitpos", "k", "1", "1"}), ":8\r\n");
  EXPECT_EQ(run({"bitpos", "k", "1", "2"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "0", "0"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "0", "-1"}), ":12\r\n");
  EXPECT_EQ(run({"bitpos", "k", "1", "2", "-1", "byte"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "k", "1", "-1"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "-100"}), ":12\r\n");
  EXPECT_EQ(run({"bitpos", "k", "1", "3", "1"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "k", "1", "-1", "-3"}), ":-1\r\n");
  // Unlike BITCOUNT, crossed ranges before the start clamp to byte 0.
  EXPECT_EQ(run({"bitpos", "k", "1", "-100", "-200"}), ":0\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "-100", "-50"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "9223372036854775807"}), ":-1\r\n");
}

TEST(BitPosTest, FindsBitsInBitRanges) {
  HandlerRunner run;
  run({"set", "k", std::string_view("\xff\xf0\x00", 3)});
  EXPECT_EQ(run({"bitpos", "k", "0", "7", "15", "bit"}), ":12\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "12", "15", "BIT"}), ":12\r\n");
  EXPECT_EQ(run({"bitpos", "k", "1", "12", "15", "bit"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "k", "1", "-10", "-1", "bit"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "k", "1", "-20", "-1", "bit"}), ":4\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "1", "2", "bit"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "k", "1", "0", "0", "bit"}), ":0\r\n");
  EXPECT_EQ(run({"bitpos", "k", "1", "7", "7", "bit"}), ":7\r\n");
  EXPECT_EQ(run({"bitpos", "k", "1", "8", "8", "bit"}), ":8\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "-1", "-1", "bit"}), ":23\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "0", "9223372036854775807", "bit"}),
            ":12\r\n");
  EXPECT_EQ(run({"bitpos", "k", "1", "-3", "-200", "bit"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "k", "1", "-30", "-200", "bit"}), ":0\r\n");
  EXPECT_EQ(run({"bitpos", "k", "1", "-9223372036854775808",
                 "9223372036854775807", "bit"}),
            ":0\r\n");
}

TEST(BitPosTest, ClearBitPastAllOnesOnlyWithoutAnEnd) {
  HandlerRunner run;
  run({"set", "k", std::string_view("\xff\xff", 2)});
  // Without an end the string counts as followed by zeros...
  EXPECT_EQ(run({"bitpos", "k", "0"}), ":16\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "1"}), ":16\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "-1"}), ":16\r\n");
  // ...but not past a start beyond the string, or with an explicit end.
  EXPECT_EQ(run({"bitpos", "k", "0", "5"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "0", "-1"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "0", "1"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "0", "15", "bit"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "k", "1", "2"}), ":-1\r\n");
  run({"set", "empty", ""});
  EXPECT_EQ(run({"bitpos", "empty", "0"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "empty", "1"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "empty", "0", "0", "-1", "bit"}), ":-1\r\n");
}

TEST(BitPosTest, LongStringsSkipWholeWords) {
  HandlerRunner run;
  const std::string ones(100, '\xff');
  const std::string zeros(100, '\0');
  run({"set", "ones", ones});
  run({"set", "zeros", zeros});
  EXPECT_EQ(run({"bitpos", "ones", "0"}), ":800\r\n");
  EXPECT_EQ(run({"bitpos", "ones", "0", "0", "-1"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "zeros", "1"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "zeros", "0", "50"}), ":400\r\n");
  run({"setbit", "ones", "700", "0"});
  run({"setbit", "zeros", "555", "1"});
  EXPECT_EQ(run({"bitpos", "ones", "0"}), ":700\r\n");
  EXPECT_EQ(run({"bitpos", "ones", "0", "1", "-1"}), ":700\r\n");
  EXPECT_EQ(run({"bitpos", "ones", "0", "88"}), ":800\r\n");
  EXPECT_EQ(run({"bitpos", "ones", "0", "9", "699", "bit"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "ones", "0", "9", "700", "bit"}), ":700\r\n");
  EXPECT_EQ(run({"bitpos", "zeros", "1"}), ":555\r\n");
  EXPECT_EQ(run({"bitpos", "zeros", "1", "-40", "-1"}), ":555\r\n");
  EXPECT_EQ(run({"bitpos", "zeros", "1", "3", "554", "bit"}), ":-1\r\n");
  EXPECT_EQ(run({"bitpos", "zeros", "1", "556", "-1", "bit"}), ":-1\r\n");
}

TEST(BitPosTest, ErrorsInRedisOrder) {
  HandlerRunner run;
  run({"set", "k", std::string_view("\xff\xf0\x00", 3)});
  EXPECT_EQ(run({"bitpos", "k", "2"}),
            "-ERR The bit argument must be 1 or 0.\r\n");
  EXPECT_EQ(run({"bitpos", "k", "-0"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "a"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "0", "a"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "0", "1", "xx"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "0", "1", "bit", "extra"}),
            "-ERR syntax error\r\n");
  // The start, then the unit, then the end.
  EXPECT_EQ(run({"bitpos", "k", "0", "a", "1", "xx"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "0", "a", "xx"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"bitpos", "k", "0", "a", "b", "c", "d"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"bitpos", "k"}),
            "-ERR wrong number of arguments for 'bitpos' command\r\n");
}

TEST(BitOpTest, CombinesSourcesPaddedWithZeros) {
  HandlerRunner run;
  run({"set", "a", "foobar"});
  run({"set", "b", "abcdef"});
  run({"set", "short", "ab"});
  EXPECT_EQ(run({"bitop", "and", "dest", "a", "b"}), ":6\r\n");
  EXPECT_EQ(run({"get", "dest"}), "$6\r\n`bc`ab\r\n");
  EXPECT_EQ(run({"bitop", "or", "dest", "a", "b"}), ":6\r\n");
  EXPECT_EQ(run({"get", "dest"}), "$6\r\ngoofev\r\n");
  EXPECT_EQ(run({"bitop", "xor", "dest", "a", "b"}), ":6\r\n");
  EXPECT_EQ(run({"get", "dest"}), "$6\r\n\x07\r\x0c\x06\x04\x14\r\n");
  EXPECT_EQ(run({"bitop", "AND", "dest", "a", "short"}), ":6\r\n");
  EXPECT_EQ(run({"get", "dest"}),
            std::string_view("$6\r\n`b\x00\x00\x00\x00\r\n", 12));
  EXPECT_EQ(run({"bitop", "Or", "dest", "short", "a"}), ":6\r\n");
  EXPECT_EQ(run({"get", "dest"}), "$6\r\ngoobar\r\n");
  EXPECT_EQ(run({"bitop", "xor", "dest", "short", "a"}), ":6\r\n");
  EXPECT_EQ(run({"get", "dest"}), "$6\r\n\x07\robar\r\n");
  EXPECT_EQ(run({"bitop", "and", "dest", "a", "missing"}), ":6\r\n");
  EXPECT_EQ(run({"get", "dest"}),
            std::string_view("$6\r\n\x00\x00\x00\x00\x00\x00\r\n", 12));
  EXPECT_EQ(run({"bitop", "or", "dest", "missing", "short", "a", "b"}),
            ":6\r\n");
  EXPECT_EQ(run({"get", "dest"}), "$6\r\ngoofev\r\n");
  EXPECT_EQ(run({"bitop", "and", "dest", "a"}), ":6\r\n");
  EXPECT_EQ(run({"get", "dest"}), "$6\r\nfoobar\r\n");
}

TEST(BitOpTest, NotInvertsItsSingleSource) {
  HandlerRunner run;
  run({"set", "short", "ab"});
  EXPECT_EQ(run({"bitop", "not", "dest", "short"}), ":2\r\n");
  EXPECT_EQ(run({"get", "dest"}), "$2\r\n\x9e\x9d\r\n");
  EXPECT_EQ(run({"bitop", "NoT", "dest", "dest"}), ":2\r\n");
  EXPECT_EQ(run({"get", "dest"}), "$2\r\nab\r\n");
  EXPECT_EQ(run({"bitop", "not", "dest", "short", "short"}),
            "-ERR BITOP NOT must be called with a single source key.\r\n");
  EXPECT_EQ(run({"bitop", "not", "dest"}),
            "-ERR wrong number of arguments for 'bitop' command\r\n");
  // A missing source is an empty string: the result deletes destkey.
  EXPECT_EQ(run({"bitop", "not", "dest", "missing"}), ":0\r\n");
  EXPECT_EQ(run({"exists", "dest"}), ":0\r\n");
}

TEST(BitOpTest, EmptyResultDeletesDestination) {
  HandlerRunner run;
  run({"set", "dest", "x"});
  run({"set", "empty", ""});
  EXPECT_EQ(run({"bitop", "or", "dest", "empty", "missing"}), ":0\r\n");
  EXPECT_EQ(run({"exists", "dest"}), ":0\r\n");
  EXPECT_EQ(run({"bitop", "and", "dest", "missing", "missing2"}), ":0\r\n");
  EXPECT_EQ(run({"exists", "dest"}), ":0\r\n");
}

TEST(BitOpTest, ReplacesAnyValueAndExpiryAtDestination) {
  HandlerRunner run;
  run({"set", "a", "foo"});
  run({"set", "dest", "x", "ex", "100"});
  EXPECT_EQ(run({"bitop", "or", "dest", "a"}), ":3\r\n");
  EXPECT_EQ(run({"ttl", "dest"}), ":-1\r\n");
  run({"lpush", "list", "x"});
  EXPECT_EQ(run({"bitop", "and", "list", "a"}), ":3\r\n");
  EXPECT_EQ(run({"type", "list"}), "+string\r\n");
  EXPECT_EQ(run({"get", "list"}), "$3\r\nfoo\r\n");
  // The destination may be a source.
  EXPECT_EQ(run({"bitop", "xor", "a", "a", "list"}), ":3\r\n");
  EXPECT_EQ(run({"get", "a"}), std::string_view("$3\r\n\x00\x00\x00\r\n", 9));
}

TEST(BitOpTest, ErrorsBeforeAnyWrite) {
  HandlerRunner run;
  run({"set", "a", "foo"});
  run({"lpush", "list", "x"});
  EXPECT_EQ(run({"bitop", "foo", "dest", "a"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"bitop", "andx", "dest", "a"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"bitop", "foo", "dest", "list"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"bitop", "not", "dest", "a", "list"}),
            "-ERR BITOP NOT must be called with a single source key.\r\n");
  EXPECT_EQ(
      run({"bitop", "and", "dest", "a", "list"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"bitop", "and", "dest", "missing", "list"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"bitop", "not", "dest", "list"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(run({"exists", "dest"}), ":0\r\n");
  EXPECT_EQ(run({"bitop", "and", "dest"}),
            "-ERR wrong number of arguments for 'bitop' command\r\n");
}

TEST(BitCommandsTest, WrongTypeAfterArgumentChecks) {
  HandlerRunner run;
  run({"lpush", "list", "x"});
  EXPECT_EQ(
      run({"setbit", "list", "0", "1"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(run({"setbit", "list", "-1", "1"}),
            "-ERR bit offset is not an integer or out of range\r\n");
  EXPECT_EQ(run({"setbit", "list", "0", "5"}),
            "-ERR bit is not an integer or out of range\r\n");
  EXPECT_EQ(
      run({"getbit", "list", "0"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(run({"getbit", "list", "-1"}),
            "-ERR bit offset is not an integer or out of range\r\n");
  // BITCOUNT looks the key up before reading any argument.
  EXPECT_EQ(
      run({"bitcount", "list"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"bitcount", "list", "0"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"bitcount", "list", "a", "b", "c", "d", "e"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"bitpos", "list", "1"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(run({"bitpos", "list", "2"}),
            "-ERR The bit argument must be 1 or 0.\r\n");
  EXPECT_EQ(run({"bitpos", "list", "x"}),
            "-ERR value is not an integer or out of range\r\n");
}

// Records keyspace events as "<class>:<event>:<key>".
class RecordingSink final : public KeyspaceEventSink {
 public:
  void Notify(uint32_t type, std::string_view event,
              std::string_view key) override {
    const std::string_view kind = type == kNotifyString    ? "string"
                                  : type == kNotifyGeneric ? "generic"
                                                           : "other";
    events.push_back(std::string(kind) + ":" + std::string(event) + ":" +
                     std::string(key));
  }
  std::vector<std::string> events;
};

// Runs commands as HandlerRunner does, with keyspace events on.
struct EventRunner {
  std::string Run(const std::vector<std::string_view>& args) {
    std::string out;
    resp::ReplyWriter reply(&out);
    CommandContext ctx{store, reply, CommandArgs(args), kTestEpochMs};
    ctx.events = &sink;
    FindCommand(args.at(0))->handler(ctx);
    return out;
  }
  // The events since the last call.
  std::vector<std::string> Events() { return std::exchange(sink.events, {}); }

  Store store;
  RecordingSink sink;
};

using Events = std::vector<std::string>;

// Redis 7.0 reports "setbit" only when the string was made, grew, or the
// bit flipped (seen with PSUBSCRIBE __keyevent@0__:* on redis-server).
TEST(BitEventsTest, SetBitReportsOnlyChanges) {
  EventRunner events;
  events.Run({"setbit", "k", "3", "0"});  // made
  EXPECT_EQ(events.Events(), (Events{"string:setbit:k"}));
  events.Run({"setbit", "k", "3", "0"});  // unchanged
  EXPECT_EQ(events.Events(), Events{});
  events.Run({"setbit", "k", "3", "1"});  // flipped
  EXPECT_EQ(events.Events(), (Events{"string:setbit:k"}));
  events.Run({"setbit", "k", "3", "1"});
  EXPECT_EQ(events.Events(), Events{});
  events.Run({"setbit", "k", "20", "0"});  // grew
  EXPECT_EQ(events.Events(), (Events{"string:setbit:k"}));
  events.Run({"setbit", "k", "x", "0"});
  events.Run({"getbit", "k", "20"});
  events.Run({"bitcount", "k"});
  events.Run({"bitpos", "k", "1"});
  EXPECT_EQ(events.Events(), Events{});
}

TEST(BitEventsTest, BitOpReportsSetOrDel) {
  EventRunner events;
  events.Run({"set", "a", "foo"});
  events.Events();
  EXPECT_EQ(events.Run({"bitop", "and", "dest", "a", "missing"}), ":3\r\n");
  EXPECT_EQ(events.Events(), (Events{"string:set:dest"}));
  EXPECT_EQ(events.Run({"bitop", "not", "dest", "missing"}), ":0\r\n");
  EXPECT_EQ(events.Events(), (Events{"generic:del:dest"}));
  // Nothing to delete, nothing reported.
  EXPECT_EQ(events.Run({"bitop", "not", "dest", "missing"}), ":0\r\n");
  EXPECT_EQ(events.Events(), Events{});
  events.Run({"bitop", "not", "dest", "a", "a"});
  EXPECT_EQ(events.Events(), Events{});
}

TEST(BitCommandsTest, TableRowsMatchRedis) {
  struct Expected {
    std::string_view name;
    int arity;
    std::string_view flags;
  };
  // From COMMAND INFO on redis-server 7.0.
  const Expected kExpected[] = {
      {"setbit", 4, "write denyoom"}, {"getbit", 3, "readonly fast"},
      {"bitcount", -2, "readonly"},   {"bitpos", -3, "readonly"},
      {"bitop", -4, "write denyoom"},
  };
  for (const Expected& expected : kExpected) {
    const CommandSpec* spec = FindCommand(expected.name);
    ASSERT_NE(spec, nullptr) << expected.name;
    EXPECT_EQ(spec->arity, expected.arity) << expected.name;
    std::string names;
    for (std::string_view flag : CommandFlagNames(spec->flags)) {
      if (!names.empty()) names += ' ';
      names += flag;
    }
    EXPECT_EQ(names, expected.flags) << expected.name;
  }
  EXPECT_EQ(FindCommand("setbit")->keys, KeyLayout::kFirst);
  EXPECT_EQ(FindCommand("bitop")->keys, KeyLayout::kCustom);
  EXPECT_EQ(FindCommand("bitop")->merge, Merge::kCoordinated);
}

TEST(BitCommandsTest, BitOpKeysAreDestinationAndSources) {
  const CommandSpec* bitop = FindCommand("bitop");
  ASSERT_NE(bitop, nullptr);
  ASSERT_NE(bitop->key_finder, nullptr);
  std::vector<size_t> positions;
  bitop->key_finder(
      std::vector<std::string_view>{"bitop", "and", "d", "a", "b", "c"},
      &positions);
  EXPECT_EQ(positions, (std::vector<size_t>{2, 3, 4, 5}));
  positions.clear();
  bitop->key_finder(std::vector<std::string_view>{"bitop", "not", "d", "a"},
                    &positions);
  EXPECT_EQ(positions, (std::vector<size_t>{2, 3}));
}

}  // namespace
}  // namespace shardd::kv
