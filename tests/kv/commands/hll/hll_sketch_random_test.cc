// The sketch code reads bytes a client chose (SET k "HYLL..." makes any
// string an HLL to PFCOUNT, PFADD and PFMERGE), so under AddressSanitizer
// and UBSan it gets thousands of damaged sketches: valid ones with bytes
// flipped, cut short or lengthened, and random opcodes behind a valid
// header. Whatever the bytes, every operation must stay within them and
// either work or say the sketch is corrupt; a sketch an edit reports
// corrupt must come back unchanged.
#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "shard/kv/commands/hll/hll_sketch.h"

namespace shardd::kv {
namespace {

// Runs every operation on `value`, as the commands would; false if the
// commands would refuse it at once (not an HLL).
bool Exercise(const std::string& value, std::mt19937_64& random) {
  if (!HllLooksValid(value)) return false;
  (void)HllIsDense(value);
  (void)HllCachedCount(value);
  (void)HllCount(value);
  HllRegisters registers{};
  (void)HllMergeInto(value, &registers);
  (void)HllCount(registers);

  std::string added = value;
  for (int i = 0; i < 4; ++i) {
    const std::string before = added;
    const HllUpdate update =
        HllAdd(&added, absl::StrCat("element", random() % 100000));
    if (update == HllUpdate::kCorrupt) {
      EXPECT_EQ(added, before);
      break;
    }
  }
  std::string raised = value;
  const std::string before = raised;
  const auto index = static_cast<uint32_t>(random() % kHllRegisterCount);
  const auto rank = static_cast<uint8_t>(1 + random() % 51);
  if (HllRaise(&raised, index, rank) == HllUpdate::kCorrupt) {
    EXPECT_EQ(raised, before);
  }
  std::string dense = value;
  if (!HllMakeDense(&dense)) {
    EXPECT_EQ(dense, value);
  }
  return true;
}

// A valid sketch to damage: empty, sparse or dense.
std::string Seed(std::mt19937_64& random) {
  std::string sketch = HllEmpty();
  const int elements =
      static_cast<int>(random() % 4 == 0 ? 4000 : random() % 200);
  for (int i = 0; i < elements; ++i) {
    HllAdd(&sketch, absl::StrCat("seed", random()));
  }
  return sketch;
}

TEST(HllSketchRandomTest, DamagedSketchesNeverReadOutOfBounds) {
  std::mt19937_64 random(20261129);
  constexpr int kRounds = 1500;
  int exercised = 0;
  for (int round = 0; round < kRounds; ++round) {
    std::string value = Seed(random);
    switch (random() % 4) {
      case 0:  // flipped bytes past the magic
        for (int i = 0; i < 1 + static_cast<int>(random() % 8); ++i) {
          const size_t at = 4 + random() % (value.size() - 4);
          value[at] = static_cast<char>(value[at] ^ (1 + random() % 255));
        }
        break;
      case 1:  // cut short
        value.resize(4 + random() % (value.size() - 4));
        break;
      case 2:  // lengthened with random bytes
        for (int i = 0; i < 1 + static_cast<int>(random() % 64); ++i) {
          value.push_back(static_cast<char>(random()));
        }
        break;
      default:  // a sparse header over random opcodes
        value.resize(kHllHeaderBytes);
        value[4] = 1;
        for (int i = 0; i < static_cast<int>(random() % 400); ++i) {
          value.push_back(static_cast<char>(random()));
        }
    }
    exercised += Exercise(value, random) ? 1 : 0;
  }
  // Most damage leaves the header alone: the sketch code, not the first
  // check, must be what copes with it.
  EXPECT_GT(exercised, kRounds / 2);
}

}  // namespace
}  // namespace shardd::kv
