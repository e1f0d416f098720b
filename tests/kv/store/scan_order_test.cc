#include "shard/kv/store/scan_order.h"

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/random/random.h"
#include "gtest/gtest.h"

namespace shardd::kv {
namespace {

using Elements = absl::btree_set<ScanKey, ScanOrder>;

// Visits all of `elements` in steps of `count` and returns the texts seen.
std::vector<std::string> ScanAll(const Elements& elements, size_t count,
                                 int* steps) {
  std::vector<std::string> seen;
  uint64_t cursor = 0;
  *steps = 0;
  do {
    cursor = ScanFrom(elements, cursor, count, [&seen](const ScanKey& key) {
      seen.push_back(key.text);
    });
    ++*steps;
  } while (cursor != 0);
  return seen;
}

TEST(ScanOrderTest, ElementsSharingAHashAreNeverSplitByACursor) {
  // Hand-made hashes: a run of three elements with hash 5.
  const Elements elements = {{1, "a"}, {5, "b"}, {5, "c"},
                             {5, "d"}, {9, "e"}, {~0ull, "f"}};
  int steps;
  const std::vector<std::string> seen = ScanAll(elements, 1, &steps);
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c", "d", "e", "f"}));
  EXPECT_EQ(steps, 4);  // a | b c d | e | f
  EXPECT_EQ(ScanFrom(elements, 5, 1, [](const ScanKey&) {}), 9u);
}

TEST(ScanOrderTest, ResumesAtTheCursorEvenIfItsElementIsGone) {
  Elements elements = {{10, "a"}, {20, "b"}, {30, "c"}};
  std::vector<std::string> seen;
  const uint64_t cursor = ScanFrom(elements, 0, 1, [&seen](const ScanKey& key) {
    seen.push_back(key.text);
  });
  EXPECT_EQ(cursor, 20u);
  elements.erase(ScanKey{20, "b"});
  elements.insert(ScanKey{15, "new, below the cursor"});
  EXPECT_EQ(ScanFrom(elements, cursor, 10,
                     [&seen](const ScanKey& key) { seen.push_back(key.text); }),
            0u);
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "c"}));
}

// How often each element comes up in `draws` picks, as Pearson's
// statistic against an even spread.
double PickChiSquare(const Elements& elements, int draws) {
  absl::BitGen gen(std::seed_seq{3, 5, 8});
  std::map<std::string, int> counts;
  for (int i = 0; i < draws; ++i) {
    ++counts[RandomElement(elements, elements.size(), [&gen](uint64_t n) {
               return absl::Uniform<uint64_t>(gen, 0, n);
             })->text];
  }
  const double expected = static_cast<double>(draws) / elements.size();
  double chi = 0;
  for (const ScanKey& key : elements) {
    const double observed = counts[key.text];
    chi += (observed - expected) * (observed - expected) / expected;
  }
  return chi;
}

// However unevenly the hashes are spaced, a small container's elements
// come up alike (9 degrees of freedom: 40 is far out).
TEST(ScanOrderTest, RandomElementOfASmallContainerIgnoresTheGaps) {
  Elements elements;
  for (uint64_t i = 0; i < 10; ++i) {
    elements.insert(ScanKey{i == 9 ? ~uint64_t{0} : i, std::to_string(i)});
  }
  EXPECT_LT(PickChiSquare(elements, 10'000), 40);
}

// A large one takes the bucketed draws: 2000 elements at hashes spread as
// a hash spreads them (1999 degrees of freedom, deviation about 63).
TEST(ScanOrderTest, RandomElementOfALargeContainerIsEven) {
  absl::BitGen hashes(std::seed_seq{1, 2});
  Elements elements;
  for (int i = 0; i < 2000; ++i) {
    elements.insert(
        ScanKey{absl::Uniform<uint64_t>(hashes), std::to_string(i)});
  }
  EXPECT_LT(PickChiSquare(elements, 200'000), 2400);
}

TEST(ScanOrderTest, LooksUpByView) {
  Elements elements;
  elements.insert(MakeScanKey("member"));
  EXPECT_TRUE(elements.contains(MakeScanKeyView("member")));
  EXPECT_FALSE(elements.contains(MakeScanKeyView("other")));
}

}  // namespace
}  // namespace shardd::kv
