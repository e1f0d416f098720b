#include "shard/kv/store/scan_order.h"

#include <set>
#include <string>
#include <vector>

#include "absl/container/btree_set.h"
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

TEST(ScanOrderTest, ElementAtWrapsAround) {
  const Elements elements = {{10, "a"}, {20, "b"}};
  EXPECT_EQ(ElementAt(elements, 0)->text, "a");
  EXPECT_EQ(ElementAt(elements, 11)->text, "b");
  EXPECT_EQ(ElementAt(elements, 21)->text, "a");
}

TEST(ScanOrderTest, LooksUpByView) {
  Elements elements;
  elements.insert(MakeScanKey("member"));
  EXPECT_TRUE(elements.contains(MakeScanKeyView("member")));
  EXPECT_FALSE(elements.contains(MakeScanKeyView("other")));
}

}  // namespace
}  // namespace shardd::kv
