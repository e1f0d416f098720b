#include "shard/kv/commands/arg_parsing.h"

#include <cstdint>
#include <limits>

#include "gtest/gtest.h"

namespace shardd::kv {
namespace {

TEST(ParseInt64Test, AcceptsCanonicalDecimals) {
  int64_t value = 99;
  ASSERT_TRUE(ParseInt64("0", &value));
  EXPECT_EQ(value, 0);
  ASSERT_TRUE(ParseInt64("42", &value));
  EXPECT_EQ(value, 42);
  ASSERT_TRUE(ParseInt64("-7", &value));
  EXPECT_EQ(value, -7);
  ASSERT_TRUE(ParseInt64("9223372036854775807", &value));
  EXPECT_EQ(value, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(ParseInt64("-9223372036854775808", &value));
  EXPECT_EQ(value, std::numeric_limits<int64_t>::min());
}

TEST(ParseInt64Test, RejectsWhatRedisRejects) {
  int64_t value = 99;
  for (const char* text :
       {"", "-", "+1", " 1", "1 ", "01", "00", "-0", "-01", "1a", "a1", "1.5",
        "0x10", "9223372036854775808", "-9223372036854775809",
        "99999999999999999999999", "--1"}) {
    EXPECT_FALSE(ParseInt64(text, &value)) << text;
  }
  EXPECT_EQ(value, 99);  // untouched on failure
}

TEST(ParseInt64Test, RejectsEmbeddedNul) {
  int64_t value;
  EXPECT_FALSE(ParseInt64(std::string_view("1\0", 2), &value));
}

}  // namespace
}  // namespace shardd::kv
