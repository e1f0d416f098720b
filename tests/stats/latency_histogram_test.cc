#include "shard/stats/latency_histogram.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace shardd::stats {
namespace {

// The header promises percentiles within 1/64 of a recorded value.
constexpr double kRelativeError = 1.0 / 64;

void ExpectNear(uint64_t actual, uint64_t expected) {
  const double bound = std::max(1.0, expected * kRelativeError);
  EXPECT_NEAR(static_cast<double>(actual), static_cast<double>(expected), bound)
      << "expected " << expected;
}

// The exact percentile of `values` by the same rank rule (nearest rank).
uint64_t ExactPercentile(std::vector<uint64_t> values, double percent) {
  std::sort(values.begin(), values.end());
  size_t rank = static_cast<size_t>(std::ceil(percent / 100 * values.size()));
  rank = std::max<size_t>(rank, 1);
  return values[rank - 1];
}

TEST(LatencyHistogramTest, EmptyReportsZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.Percentile(99), 0u);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.max(), 0u);
}

TEST(LatencyHistogramTest, BucketsTileTheRangeWithoutGaps) {
  EXPECT_EQ(LatencyHistogram::BucketOf(0), 0u);
  for (size_t b = 1; b < LatencyHistogram::kBucketCount; ++b) {
    ASSERT_EQ(LatencyHistogram::BucketLowest(b),
              LatencyHistogram::BucketHighest(b - 1) + 1)
        << b;
    ASSERT_EQ(LatencyHistogram::BucketOf(LatencyHistogram::BucketLowest(b)), b);
    ASSERT_EQ(LatencyHistogram::BucketOf(LatencyHistogram::BucketHighest(b)), b);
  }
  EXPECT_EQ(LatencyHistogram::BucketHighest(LatencyHistogram::kBucketCount - 1),
            LatencyHistogram::kMaxValue);
}

TEST(LatencyHistogramTest, BucketWidthIsWithinTheErrorBound) {
  for (size_t b = 0; b < LatencyHistogram::kBucketCount; ++b) {
    const uint64_t low = LatencyHistogram::BucketLowest(b);
    const uint64_t width = LatencyHistogram::BucketHighest(b) - low + 1;
    if (low > 0) {
      // The midpoint answer is off by at most half the width less one.
      ASSERT_LE((width - 1) / 2.0 / low, kRelativeError) << b;
    }
  }
}

TEST(LatencyHistogramTest, SingleValueIsExact) {
  LatencyHistogram h;
  h.Record(123'456);
  EXPECT_EQ(h.Percentile(0), 123'456u);
  EXPECT_EQ(h.Percentile(50), 123'456u);
  EXPECT_EQ(h.Percentile(100), 123'456u);
  EXPECT_EQ(h.sum(), 123'456u);
}

TEST(LatencyHistogramTest, UniformMicrosecondsToMilliseconds) {
  LatencyHistogram h;
  std::vector<uint64_t> values;
  for (uint64_t us = 1; us <= 10'000; ++us) {
    h.Record(us * 1000);
    values.push_back(us * 1000);
  }
  EXPECT_EQ(h.count(), 10'000u);
  EXPECT_EQ(h.sum(), 10'000ull * 10'001 / 2 * 1000);
  for (double p : {50.0, 90.0, 99.0, 99.9}) {
    ExpectNear(h.Percentile(p), ExactPercentile(values, p));
  }
}

TEST(LatencyHistogramTest, LogNormalTailPercentiles) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(/*m=*/11.0, /*s=*/1.5);  // ~60 µs
  LatencyHistogram h;
  std::vector<uint64_t> values;
  for (int i = 0; i < 200'000; ++i) {
    const uint64_t ns = static_cast<uint64_t>(dist(rng));
    h.Record(ns);
    values.push_back(std::min(ns, LatencyHistogram::kMaxValue));
  }
  for (double p : {50.0, 90.0, 99.0, 99.9}) {
    ExpectNear(h.Percentile(p), ExactPercentile(values, p));
  }
}

TEST(LatencyHistogramTest, HugeValuesClampToTheMaximum) {
  LatencyHistogram h;
  h.Record(UINT64_MAX);
  EXPECT_EQ(h.max(), LatencyHistogram::kMaxValue);
  EXPECT_EQ(h.Percentile(100), LatencyHistogram::kMaxValue);
}

TEST(LatencyHistogramTest, MergeEqualsRecordingEverythingInOne) {
  LatencyHistogram a, b, both;
  for (uint64_t v = 1; v < 5000; v += 7) {
    a.Record(v * 100);
    both.Record(v * 100);
  }
  for (uint64_t v = 1; v < 900; v += 3) {
    b.Record(v * 10'000, 2);
    both.Record(v * 10'000, 2);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), both.count());
  EXPECT_EQ(a.sum(), both.sum());
  EXPECT_EQ(a.min(), both.min());
  EXPECT_EQ(a.max(), both.max());
  for (double p : {1.0, 50.0, 90.0, 99.0, 99.9}) {
    EXPECT_EQ(a.Percentile(p), both.Percentile(p)) << p;
  }
}

TEST(LatencyHistogramTest, BimodalPercentilesLandInTheRightMode) {
  LatencyHistogram h;
  h.Record(10'000, 990);      // 99% fast: 10 µs
  h.Record(50'000'000, 10);   // 1% slow: 50 ms
  ExpectNear(h.Percentile(50), 10'000);
  ExpectNear(h.Percentile(99), 10'000);
  ExpectNear(h.Percentile(99.9), 50'000'000);
}

}  // namespace
}  // namespace shardd::stats
