#include "shard/kv/commands/hll/hll_estimate.h"

#include <cmath>
#include <cstdint>
#include <limits>

namespace shardd::kv {
namespace {

constexpr double kRegisters = 16384;
// The bits of the hash left after the register index (64 - 14): a register
// holds at most kHashBits + 1.
constexpr int kHashBits = 50;
// The limit of the bias-correction constant alpha as the register count
// grows, 1 / (2 ln 2).
constexpr double kAlphaInfinity = 0.721347520444481703680;

// Ertl's sigma(x) = x + sum over k >= 1 of x^(2^k) * 2^(k-1), summed until
// the double stops changing. Infinite at x = 1 (every register empty), which
// makes the estimate 0.
double Sigma(double x) {
  if (x == 1.0) return std::numeric_limits<double>::infinity();
  double weight = 1;
  double sum = x;
  double previous;
  do {
    x *= x;
    previous = sum;
    sum += x * weight;
    weight += weight;
  } while (previous != sum);
  return sum;
}

// Ertl's tau(x) = (1 - x - sum over k >= 1 of (1 - x^(2^-k))^2 * 2^-k) / 3,
// summed until the double stops changing.
double Tau(double x) {
  if (x == 0.0 || x == 1.0) return 0.0;
  double weight = 1.0;
  double sum = 1 - x;
  double previous;
  do {
    x = std::sqrt(x);
    previous = sum;
    weight *= 0.5;
    sum -= std::pow(1 - x, 2) * weight;
  } while (previous != sum);
  return sum / 3;
}

}  // namespace

uint64_t HllEstimate(const HllHistogram& histogram) {
  const double m = kRegisters;
  // Horner's scheme over the register values, from the saturated ones
  // (tau's correction) down to 1, then the empty ones (sigma's).
  double z = m * Tau((m - histogram[kHashBits + 1]) / m);
  for (int value = kHashBits; value >= 1; --value) {
    z += histogram[value];
    z *= 0.5;
  }
  z += m * Sigma(histogram[0] / m);
  return static_cast<uint64_t>(std::llround(kAlphaInfinity * m * m / z));
}

}  // namespace shardd::kv
