#include "shard/stats/rate_sampler.h"

#include "gtest/gtest.h"

namespace shardd::stats {
namespace {

constexpr uint64_t kTenthNs = 100'000'000;

TEST(RateSamplerTest, MeanRateOfTheLastSixteenSamples) {
  RateSampler sampler;
  EXPECT_EQ(sampler.PerSecond(), 0u);
  sampler.Sample(0, kTenthNs);
  EXPECT_EQ(sampler.PerSecond(), 0u);  // one reading is no rate yet
  // 50 more each tenth of a second: 500 a second.
  for (uint64_t i = 1; i <= 5; ++i) sampler.Sample(50 * i, (1 + i) * kTenthNs);
  EXPECT_EQ(sampler.PerSecond(), 500u);
  // Then 16 quiet tenths push every busy sample out.
  for (uint64_t i = 6; i < 22; ++i) sampler.Sample(250, (1 + i) * kTenthNs);
  EXPECT_EQ(sampler.PerSecond(), 0u);
}

TEST(RateSamplerTest, IgnoresAClockThatDidNotMove) {
  RateSampler sampler;
  sampler.Sample(10, kTenthNs);
  sampler.Sample(20, kTenthNs);
  EXPECT_EQ(sampler.PerSecond(), 0u);
  sampler.Sample(30, 2 * kTenthNs);
  EXPECT_EQ(sampler.PerSecond(), 100u);
}

}  // namespace
}  // namespace shardd::stats
