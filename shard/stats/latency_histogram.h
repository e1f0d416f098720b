// LatencyHistogram: a fixed-size log-linear histogram of durations in
// nanoseconds, for percentiles (p50, p99, p99.9) of per-shard latencies.
// Each power-of-two range is split into 32 linear sub-buckets (as
// HdrHistogram does), so a reported percentile is within 1/64 (1.6%) of a
// recorded value, over 0 ns .. 2^37 ns (~137 s; longer values count as the
// maximum). It has one writer, its shard; readers receive copies.
//
//   LatencyHistogram h;
//   h.Record(elapsed_ns);
//   uint64_t p99 = h.Percentile(99.0);
#ifndef SHARDD_SHARD_STATS_LATENCY_HISTOGRAM_H_
#define SHARDD_SHARD_STATS_LATENCY_HISTOGRAM_H_

#include <array>
#include <cstddef>
#include <cstdint>

namespace shardd::stats {

class LatencyHistogram {
 public:
  // 2^5 sub-buckets per power of two: at most 1/64 relative error.
  static constexpr int kSubBucketBits = 5;
  static constexpr uint64_t kSubBuckets = uint64_t{1} << kSubBucketBits;
  // The largest value kept apart; larger values are recorded as this one.
  static constexpr uint64_t kMaxValue = (uint64_t{1} << 37) - 1;
  // Buckets up to and including the one of kMaxValue.
  static constexpr size_t kBucketCount = (37 - kSubBucketBits + 1) * kSubBuckets;

  // Adds `count` observations of `ns`.
  void Record(uint64_t ns, uint64_t count = 1);

  // Adds every observation of `other`.
  void Merge(const LatencyHistogram& other);

  // The value at or below which `percent` (0..100) of the observations lie,
  // to within the bucket resolution; 0 when empty.
  uint64_t Percentile(double percent) const;

  uint64_t count() const { return count_; }
  uint64_t sum() const { return sum_; }  // of the recorded (clamped) values
  uint64_t min() const { return count_ == 0 ? 0 : min_; }
  uint64_t max() const { return max_; }

  // Bucket layout, public for tests and exposition.
  static size_t BucketOf(uint64_t ns);
  static uint64_t BucketLowest(size_t bucket);
  static uint64_t BucketHighest(size_t bucket);

 private:
  std::array<uint64_t, kBucketCount> counts_{};
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
};

}  // namespace shardd::stats

#endif  // SHARDD_SHARD_STATS_LATENCY_HISTOGRAM_H_
