#include "net/input_buffer.h"

#include <cstring>
#include <string>

#include "gtest/gtest.h"

namespace shardd::net {
namespace {

void Append(InputBuffer& in, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    std::span<char> space = in.WritableSpace();
    ASSERT_FALSE(space.empty());
    const size_t n = std::min(space.size(), bytes.size() - done);
    std::memcpy(space.data(), bytes.data() + done, n);
    in.Commit(n);
    done += n;
  }
}

TEST(InputBufferTest, KeepsUnconsumedBytesAcrossCompaction) {
  InputBuffer in(8, 64);
  Append(in, "abcdefgh");
  in.Consume(6);
  Append(in, "ijklmn");
  EXPECT_EQ(in.data(), "ghijklmn");
}

TEST(InputBufferTest, GrowsUpToLimitThenRefuses) {
  InputBuffer in(8, 32);
  Append(in, std::string(32, 'x'));
  EXPECT_EQ(in.size(), 32u);
  EXPECT_TRUE(in.WritableSpace().empty());
  in.Consume(1);
  EXPECT_FALSE(in.WritableSpace().empty());
}

TEST(InputBufferTest, ShrinksBackAfterLargeRequestIsConsumed) {
  InputBuffer in(8, 1024);
  Append(in, std::string(1000, 'y'));
  in.Consume(1000);
  EXPECT_EQ(in.size(), 0u);
  EXPECT_LE(in.WritableSpace().size(), 8u);
}

TEST(InputBufferTest, AppendKeepsWhatArrivedPastTheLimit) {
  InputBuffer in(8, 16);
  in.Append(std::string(10, 'a'));
  EXPECT_FALSE(in.full());
  in.Append(std::string(10, 'b'));
  EXPECT_TRUE(in.full());
  std::string expected(10, 'a');
  expected.append(10, 'b');
  EXPECT_EQ(in.data(), expected);
  EXPECT_TRUE(in.WritableSpace().empty());
}

TEST(InputBufferTest, ReleaseFreesOnlyAnEmptyBuffer) {
  InputBuffer in(8, 64);
  EXPECT_TRUE(in.data().empty());  // nothing allocated yet
  in.Append("abc");
  in.Release();
  EXPECT_EQ(in.data(), "abc");
  in.Consume(3);
  in.Release();
  EXPECT_EQ(in.size(), 0u);
  in.Append("de");
  EXPECT_EQ(in.data(), "de");
}

}  // namespace
}  // namespace shardd::net
