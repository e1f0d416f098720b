#include "shard/stats/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace shardd::stats {

// Values below 2 * kSubBuckets get one bucket each (range 0 has width 1).
// Above that, the range [2^m, 2^(m+1)) is range m - kSubBucketBits, whose
// values are shifted right by that much: the top kSubBucketBits + 1 bits
// select one of its kSubBuckets buckets, the upper half of [0, 2 kSubBuckets).
size_t LatencyHistogram::BucketOf(uint64_t ns) {
  ns = std::min(ns, kMaxValue);
  const int msb = std::bit_width(ns) - 1;  // -1 for 0
  const int range = std::max(0, msb - kSubBucketBits);
  return static_cast<size_t>(range) * kSubBuckets + (ns >> range);
}

uint64_t LatencyHistogram::BucketLowest(size_t bucket) {
  if (bucket < 2 * kSubBuckets) return bucket;
  const size_t range = bucket / kSubBuckets - 1;
  const uint64_t sub = bucket - range * kSubBuckets;
  return sub << range;
}

uint64_t LatencyHistogram::BucketHighest(size_t bucket) {
  if (bucket < 2 * kSubBuckets) return bucket;
  const size_t range = bucket / kSubBuckets - 1;
  return BucketLowest(bucket) + (uint64_t{1} << range) - 1;
}

void LatencyHistogram::Record(uint64_t ns, uint64_t count) {
  if (count == 0) return;
  ns = std::min(ns, kMaxValue);
  counts_[BucketOf(ns)] += count;
  count_ += count;
  sum_ += ns * count;
  min_ = std::min(min_, ns);
  max_ = std::max(max_, ns);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (size_t i = 0; i < kBucketCount; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

uint64_t LatencyHistogram::Percentile(double percent) const {
  if (count_ == 0) return 0;
  percent = std::clamp(percent, 0.0, 100.0);
  // The rank of the wanted observation, 1-based: the smallest covering
  // `percent` of them (at least the first).
  const uint64_t rank = std::max<uint64_t>(
      1, static_cast<uint64_t>(std::ceil(percent / 100.0 * count_)));
  uint64_t seen = 0;
  for (size_t i = 0; i < kBucketCount; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      // The bucket's midpoint halves the worst-case error; the exact extremes
      // are better answers when they fall inside this bucket.
      const uint64_t mid = BucketLowest(i) + (BucketHighest(i) - BucketLowest(i)) / 2;
      return std::clamp(mid, min_, max_);
    }
  }
  return max_;
}

}  // namespace shardd::stats
