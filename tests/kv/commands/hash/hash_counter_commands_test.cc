// HINCRBY and HINCRBYFLOAT. Expected bytes are what redis-server 7.0
// replies.
#include <string>

#include "gtest/gtest.h"
#include "tests/kv/expected_replies.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

const std::string kNotFloat = Err("ERR value is not a valid float");
const std::string kHashNotFloat = Err("ERR hash value is not a float");
const std::string kWouldBeInfinite =
    Err("ERR increment would produce NaN or Infinity");

TEST(HashCounterTest, IncrByCountsFromZero) {
  HandlerRunner run;
  EXPECT_EQ(run({"hincrby", "h", "n", "5"}), Int(5));
  EXPECT_EQ(run({"hincrby", "h", "n", "-7"}), Int(-2));
  EXPECT_EQ(run({"hget", "h", "n"}), Bulk("-2"));
  EXPECT_EQ(run({"hincrby", "h", "m", "0"}), Int(0));
}

TEST(HashCounterTest, IncrByLimitsAndErrors) {
  HandlerRunner run;
  EXPECT_EQ(run({"hincrby", "h", "u", "-9223372036854775808"}), Int(INT64_MIN));
  EXPECT_EQ(run({"hincrby", "h", "u", "-1"}),
            Err("ERR increment or decrement would overflow"));
  EXPECT_EQ(run({"hincrby", "h", "v", "9223372036854775807"}), Int(INT64_MAX));
  EXPECT_EQ(run({"hincrby", "h", "v", "1"}),
            Err("ERR increment or decrement would overflow"));
  EXPECT_EQ(run({"hincrby", "h", "w", "01"}),
            Err("ERR value is not an integer or out of range"));
  // The increment is checked before the key's type.
  run({"set", "s", "x"});
  EXPECT_EQ(run({"hincrby", "s", "a", "x"}),
            Err("ERR value is not an integer or out of range"));
  run({"hset", "h", "x", "01", "f", "1.5"});
  EXPECT_EQ(run({"hincrby", "h", "x", "1"}),
            Err("ERR hash value is not an integer"));
  EXPECT_EQ(run({"hincrby", "h", "f", "1"}),
            Err("ERR hash value is not an integer"));
  EXPECT_EQ(run({"hget", "h", "x"}), Bulk("01"));
}

TEST(HashCounterTest, IncrByFloatFormatsAsRedis) {
  HandlerRunner run;
  EXPECT_EQ(run({"hincrbyfloat", "f", "a", "10.5"}), Bulk("10.5"));
  EXPECT_EQ(run({"hincrbyfloat", "f", "a", "3.0e3"}), Bulk("3010.5"));
  EXPECT_EQ(run({"hincrbyfloat", "f", "b", "0.1"}), Bulk("0.1"));
  EXPECT_EQ(run({"hincrbyfloat", "f", "b", "0.2"}), Bulk("0.3"));
  EXPECT_EQ(run({"hincrbyfloat", "f", "c", "-0.0"}), Bulk("0"));
  EXPECT_EQ(run({"hincrbyfloat", "f", "d", "1e-20"}), Bulk("0"));
  EXPECT_EQ(run({"hincrbyfloat", "f", "e", "0x10"}), Bulk("16"));
  EXPECT_EQ(run({"hincrbyfloat", "f", "g", "5.0000000000000001"}),
            Bulk("5.0000000000000001"));
  EXPECT_EQ(run({"hincrbyfloat", "f", "h", "123456789012345678901234567890"}),
            Bulk("123456789012345678899921813504"));
  EXPECT_EQ(run({"hincrbyfloat", "f", "i", "-1.5"}), Bulk("-1.5"));
  EXPECT_EQ(run({"hincrbyfloat", "f", "j", ".5"}), Bulk("0.5"));
  EXPECT_EQ(run({"hincrbyfloat", "f", "k", "5."}), Bulk("5"));
  EXPECT_EQ(run({"hincrbyfloat", "f", "l", "+3"}), Bulk("3"));
  EXPECT_EQ(run({"hincrbyfloat", "f", "r", "3.14159265358979323846"}),
            Bulk("3.14159265358979324"));
  EXPECT_EQ(run({"hincrbyfloat", "f", "s", "1.1"}), Bulk("1.1"));
  EXPECT_EQ(run({"hincrbyfloat", "f", "s", "-1.1"}), Bulk("0"));
  EXPECT_EQ(run({"hincrbyfloat", "f", "y", "1e-4940"}), Bulk("0"));
  // Fixed notation, never an exponent: 1e308 prints all 309 digits.
  const std::string huge = run({"hincrbyfloat", "f", "z", "1e308"});
  EXPECT_EQ(huge.substr(0, 30), "$308\r\n999999999999999999966858");
  // An integer field becomes a float and back.
  run({"hset", "f", "t", "7"});
  EXPECT_EQ(run({"hincrbyfloat", "f", "t", "1"}), Bulk("8"));
  EXPECT_EQ(run({"hincrby", "f", "t", "1"}), Int(9));
  EXPECT_EQ(run({"hincrby", "f", "a", "1"}),
            Err("ERR hash value is not an integer"));
  // "01" is not an integer for HINCRBY but is a float.
  run({"hset", "f", "x", "01"});
  EXPECT_EQ(run({"hincrbyfloat", "f", "x", "1"}), Bulk("2"));
}

TEST(HashCounterTest, IncrByFloatErrors) {
  HandlerRunner run;
  for (const std::string& bad :
       {std::string("abc"), std::string(""), std::string(" 1"),
        std::string("1 "), std::string("nan"), std::string("1e5000"),
        std::string("1e-5000"),
        std::string("1\0"
                    "5",
                    3),
        std::string("infinity!"), std::string(5200, '1')}) {
    EXPECT_EQ(run({"hincrbyfloat", "f", "a", bad}), kNotFloat) << bad;
  }
  EXPECT_EQ(run({"hincrbyfloat", "f", "a", "inf"}),
            Err("ERR value is NaN or Infinity"));
  EXPECT_EQ(run({"hincrbyfloat", "f", "a", "-inf"}),
            Err("ERR value is NaN or Infinity"));
  EXPECT_EQ(run.store.KeyCount(), 0u);  // no empty hash left behind
  run({"set", "s", "x"});
  EXPECT_EQ(run({"hincrbyfloat", "s", "a", "x"}), kNotFloat);
  EXPECT_EQ(run({"hincrbyfloat", "s", "a", "inf"}),
            Err("ERR value is NaN or Infinity"));
  EXPECT_EQ(run({"hincrbyfloat", "s", "a", "1"}), kWrongType);
  run({"hset", "f", "q", "1 ", "n", "inf", "o", "1e4932"});
  EXPECT_EQ(run({"hincrbyfloat", "f", "q", "1"}), kHashNotFloat);
  EXPECT_EQ(run({"hincrbyfloat", "f", "n", "1"}), kWouldBeInfinite);
  EXPECT_EQ(run({"hincrbyfloat", "f", "o", "1e4932"}), kWouldBeInfinite);
  EXPECT_EQ(run({"hget", "f", "o"}), Bulk("1e4932"));
}

}  // namespace
}  // namespace shardd::kv
