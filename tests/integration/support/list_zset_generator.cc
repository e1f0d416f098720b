#include "tests/integration/support/list_zset_generator.h"

#include <cctype>
#include <utility>

#include "absl/strings/str_cat.h"
#include "tests/integration/support/list_zset_pools.h"

namespace shardd::integration {
namespace {

using list_zset_pools::kGrowingZSets;
using list_zset_pools::kLexZSets;
using list_zset_pools::kLists;
using list_zset_pools::kScores;
using list_zset_pools::kSmallZSets;
using list_zset_pools::kStrings;

const std::vector<std::string> kBadScores = {"nan",   "abc", "",
                                             "1e400", " 1",  "1x"};
const std::vector<std::string> kScoreBounds = {
    "-inf", "+inf", "0",  "1",     "(1", "2",   "(2", "3", "1.5",
    "(0.1", "10",   "-1", "(-inf", "(3", "inf", "(",  ""};
const std::vector<std::string> kBadScoreBounds = {"x", "nan", "1x"};
const std::vector<std::string> kLexBounds = {
    "-", "+", "[a", "(a", "[c", "(c", "[f", "(f", "[zz", "[", "(", "[b\xff"};
const std::vector<std::string> kBadLexBounds = {"a", "", "+x"};
const std::vector<std::string> kIndexes = {"0", "1", "2",  "-1",   "-2",
                                           "3", "5", "10", "-100", "100"};
const std::vector<std::string> kBadIndexes = {"x", "1.5"};

std::string TagOf(const std::string& key) {
  const size_t open = key.find('{');
  return open == std::string::npos ? "" : key.substr(open, 3);
}

}  // namespace

ListZSetGenerator::ListZSetGenerator(uint64_t seed) : RandomChoices(seed) {}

std::vector<std::string> ListZSetGenerator::Keys() {
  std::vector<std::string> all;
  for (const auto* pool :
       {&kLists, &kSmallZSets, &kGrowingZSets, &kLexZSets, &kStrings}) {
    all.insert(all.end(), pool->begin(), pool->end());
  }
  return all;
}

std::string ListZSetGenerator::Spell(std::string name) {
  if (Chance(0.5)) {
    for (char& c : name) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return name;
}

std::string ListZSetGenerator::AnyKey() {
  const std::vector<std::string> all = Keys();
  return Pick(all);
}

std::string ListZSetGenerator::ListKey() {
  if (Chance(0.1)) return Chance(0.5) ? Pick(kStrings) : Pick(kSmallZSets);
  return Pick(kLists);
}

std::string ListZSetGenerator::ZSetKey() {
  if (Chance(0.05)) return Pick(kStrings);
  if (Chance(0.05)) return Pick(kLists);
  return Chance(0.5) ? Pick(kSmallZSets) : Pick(kGrowingZSets);
}

std::string ListZSetGenerator::StoreTarget() { return Pick(kGrowingZSets); }

std::string ListZSetGenerator::LexKey() {
  return Chance(0.05) ? Pick(kStrings) : Pick(kLexZSets);
}

std::string ListZSetGenerator::PartnerOf(const std::string& key,
                                         const std::vector<std::string>& pool) {
  if (kCrossShardMultiKey) {
    return Chance(0.1) ? AnyKey() : Pick(pool);
  }
  std::vector<std::string> same_tag;
  for (const std::string& k : Keys()) {
    if (!TagOf(key).empty() && TagOf(k) == TagOf(key)) same_tag.push_back(k);
  }
  return same_tag.empty() ? key : Pick(same_tag);
}

std::string ListZSetGenerator::Element() {
  switch (Uniform(0, 12)) {
    case 0:
      return "";
    case 1:
      return std::string(Uniform(20, 100), 'e');
    case 2:
      return std::string("b\0\r\n\xff", 5);
    case 3:
      return absl::StrCat(Uniform(-5, 20));
    default:
      return std::string(1, static_cast<char>('a' + Uniform(0, 6)));
  }
}

std::string ListZSetGenerator::Member() {
  if (Chance(0.03)) return "";
  return absl::StrCat("m", Uniform(0, 29));
}

std::string ListZSetGenerator::Score() {
  return Chance(0.03) ? Pick(kBadScores) : Pick(kScores);
}

// Malformed arguments in 5% of the cases, so most commands reach the data.
std::string ListZSetGenerator::Index() {
  return Chance(0.05) ? Pick(kBadIndexes) : Pick(kIndexes);
}

std::string ListZSetGenerator::ScoreBound() {
  return Chance(0.05) ? Pick(kBadScoreBounds) : Pick(kScoreBounds);
}

std::string ListZSetGenerator::LexBound() {
  return Chance(0.05) ? Pick(kBadLexBounds) : Pick(kLexBounds);
}

std::vector<std::string> ListZSetGenerator::Next() {
  const int kind = Uniform(0, 99);
  if (kind < 25) return ListCommand();
  if (kind < 33) return ListMoveCommand();
  if (kind < 50) return ZAddCommand();
  if (kind < 60) return ZReadCommand();
  if (kind < 72) return ZRangeCommand();
  if (kind < 80) return ZLexCommand();
  if (kind < 88) return ZWriteCommand();
  if (kind < 95) return ZStoreCommand();
  return OtherCommand();
}

std::vector<std::string> ListZSetGenerator::OtherCommand() {
  switch (Uniform(0, 3)) {
    case 0:
      return {"SET", Pick(kStrings), Element()};
    case 1:
      return {"DEL", AnyKey()};
    case 2:
      return {"TYPE", AnyKey()};
    default:
      return {"EXISTS", AnyKey(), AnyKey()};
  }
}

}  // namespace shardd::integration
