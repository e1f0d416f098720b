// RateSampler: a counter's rate per second over its last 16 samples, as
// Redis computes instantaneous_ops_per_sec (a sample every 100 ms).
//
//   sampler.Sample(stats.TotalCommands(), stats::MonotonicNanos());
//   uint64_t per_second = sampler.PerSecond();
#ifndef SHARDD_SHARD_STATS_RATE_SAMPLER_H_
#define SHARDD_SHARD_STATS_RATE_SAMPLER_H_

#include <array>
#include <cstddef>
#include <cstdint>

namespace shardd::stats {

class RateSampler {
 public:
  // `count` is the counter now (it only grows), `now_ns` a monotonic time.
  void Sample(uint64_t count, uint64_t now_ns) {
    if (last_ns_ != 0 && now_ns > last_ns_ && count >= last_count_) {
      rates_[next_] =
          (count - last_count_) * 1'000'000'000 / (now_ns - last_ns_);
      next_ = (next_ + 1) % rates_.size();
      filled_ = filled_ < rates_.size() ? filled_ + 1 : filled_;
    }
    last_count_ = count;
    last_ns_ = now_ns;
  }

  // The mean of the samples taken (0 before any).
  uint64_t PerSecond() const {
    if (filled_ == 0) return 0;
    uint64_t sum = 0;
    for (size_t i = 0; i < filled_; ++i) sum += rates_[i];
    return sum / filled_;
  }

 private:
  std::array<uint64_t, 16> rates_{};
  size_t next_ = 0;
  size_t filled_ = 0;
  uint64_t last_count_ = 0;
  uint64_t last_ns_ = 0;
};

}  // namespace shardd::stats

#endif  // SHARDD_SHARD_STATS_RATE_SAMPLER_H_
