#include "tests/integration/support/list_zset_generator.h"

#include <cctype>
#include <utility>

#include "absl/strings/str_cat.h"

namespace shardd::integration {
namespace {

// Two hash tags, {L} for lists and {Z} for sorted sets, give multi-key
// commands keys on one shard; untagged keys spread over the others.
const std::vector<std::string> kLists = {"list:1", "list:2", "{L}:a", "{L}:b",
                                         "{L}:c"};
// Sorted sets that never grow past the compact encoding (ZSCAN is safe).
const std::vector<std::string> kSmallZSets = {"zset:1", "{Z}:a"};
// Sorted sets that may: batch adds, long members, store destinations.
const std::vector<std::string> kGrowingZSets = {"zset:2", "zset:big", "{Z}:b",
                                                "{Z}:big"};
// Sorted sets whose members all score 0, for BYLEX.
const std::vector<std::string> kLexZSets = {"lex:1", "{Z}:lex"};
const std::vector<std::string> kStrings = {"str:1", "{L}:s", "{Z}:s"};

const std::vector<std::string> kScores = {"0",
                                          "1",
                                          "2",
                                          "3",
                                          "-1",
                                          "-2.5",
                                          "1.5",
                                          "0.1",
                                          "10",
                                          "100",
                                          "inf",
                                          "-inf",
                                          "+inf",
                                          "1e20",
                                          "7",
                                          "0x10",
                                          "-0",
                                          "1e-5",
                                          "3.0000000000000004"};
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

std::vector<std::string> ListZSetGenerator::ListCommand() {
  const std::string key = ListKey();
  switch (Uniform(0, 14)) {
    case 0:
    case 1:
    case 2:
    case 3: {
      std::vector<std::string> c = {Spell(Pick(std::vector<std::string>{
                                        "lpush", "rpush", "lpushx", "rpushx"})),
                                    key};
      for (int i = Uniform(1, 5); i > 0; --i) c.push_back(Element());
      return c;
    }
    case 4: {
      std::vector<std::string> c = {Spell(Chance(0.5) ? "lpop" : "rpop"), key};
      if (Chance(0.5)) {
        c.push_back(
            Pick(std::vector<std::string>{"0", "1", "2", "5", "-1", "x"}));
      }
      return c;
    }
    case 5:
      return {Spell("llen"), key};
    case 6:
      return {Spell("lrange"), key, Index(), Index()};
    case 7:
      return {Spell("lindex"), key, Index()};
    case 8:
      return {Spell("lset"), key, Index(), Element()};
    case 9:
      return {Spell("linsert"), key,
              Pick(std::vector<std::string>{"before", "AFTER", "middle"}),
              Element(), Element()};
    case 10:
      return {Spell("lrem"), key,
              Pick(std::vector<std::string>{"0", "1", "-1", "2", "-2", "x"}),
              Element()};
    case 11:
      return {Spell("ltrim"), key, Index(), Index()};
    default: {
      std::vector<std::string> c = {Spell("lpos"), key, Element()};
      if (Chance(0.4)) {
        c.insert(c.end(), {"RANK", Pick(std::vector<std::string>{
                                       "1", "2", "-1", "-2", "0", "x"})});
      }
      if (Chance(0.4)) {
        c.insert(
            c.end(),
            {"COUNT", Pick(std::vector<std::string>{"0", "1", "2", "-1"})});
      }
      if (Chance(0.3)) {
        c.insert(
            c.end(),
            {"MAXLEN", Pick(std::vector<std::string>{"0", "1", "3", "-1"})});
      }
      return c;
    }
  }
}

std::vector<std::string> ListZSetGenerator::ListMoveCommand() {
  const std::string source = ListKey();
  const std::string destination = PartnerOf(source, kLists);
  const std::vector<std::string> ends = {"LEFT", "right", "Left", "RIGHT"};
  const std::string timeout =
      Chance(0.9) ? "0.01" : Pick(std::vector<std::string>{"-1", "abc"});
  switch (Uniform(0, kBlockingCommands ? 6 : 2)) {
    case 0:
    case 1:
      return {Spell("lmove"), source, destination,
              Chance(0.95) ? Pick(ends) : "up", Pick(ends)};
    case 2:
      return {Spell("rpoplpush"), source, destination};
    case 3:
    case 4:
      // Mostly on keys that have data, as a blocked client would otherwise
      // wait the full timeout on both servers.
      return {Spell(Chance(0.5) ? "blpop" : "brpop"), source, destination,
              timeout};
    default:
      return {Spell("blmove"), source,     destination,
              Pick(ends),      Pick(ends), timeout};
  }
}

std::vector<std::string> ListZSetGenerator::ZAddCommand() {
  if (Chance(0.2)) {  // the lex sets hold score 0 only
    std::vector<std::string> c = {Spell("zadd"), LexKey()};
    if (Chance(0.2))
      c.push_back(Pick(std::vector<std::string>{"NX", "XX", "CH"}));
    for (int i = Uniform(1, 4); i > 0; --i) {
      c.push_back("0");
      // Short members only: a lex set must stay compact for ZSCAN.
      c.push_back(Chance(0.1) ? std::string("b\xff")
                              : std::string(1, 'a' + Uniform(0, 6)));
    }
    return c;
  }
  const bool growing = Chance(0.4);
  const std::string key = growing ? StoreTarget() : ZSetKey();
  std::vector<std::string> c = {Spell("zadd"), key};
  if (growing && Chance(0.08)) {  // past 128 members: a skip list
    for (int i = Uniform(100, 180); i > 0; --i) {
      c.push_back(Pick(kScores));
      c.push_back(absl::StrCat("b", Uniform(0, 300)));
    }
    return c;
  }
  for (const char* option : {"NX", "XX", "GT", "LT", "CH", "INCR"}) {
    if (Chance(0.08)) c.push_back(Spell(option));
  }
  for (int i = Uniform(1, 5); i > 0; --i) {
    c.push_back(Score());
    c.push_back(growing && Chance(0.05) ? std::string(70, 'L') : Member());
  }
  if (Chance(0.02)) c.pop_back();  // an odd count
  return c;
}

std::vector<std::string> ListZSetGenerator::ZReadCommand() {
  const std::string key = Chance(0.2) ? LexKey() : ZSetKey();
  switch (Uniform(0, 8)) {
    case 0:
      return {Spell("zscore"), key, Member()};
    case 1:
      return {Spell("zmscore"), key, Member(), Member(), Member()};
    case 2:
      return {Spell("zcard"), key};
    case 3:
      return {Spell("zcount"), key, ScoreBound(), ScoreBound()};
    case 4:
      return {Spell(Chance(0.5) ? "zrank" : "zrevrank"), key,
              Chance(0.2) ? Element() : Member()};
    case 5:
    case 6:
    case 7: {
      // Whole small sets come back in order; large ones in hash order.
      std::vector<std::string> c = {
          Spell("zscan"), Chance(0.7) ? Pick(kSmallZSets) : Pick(kLexZSets),
          Pick(std::vector<std::string>{"0", "0", "7", "x", "-1"})};
      if (Chance(0.3)) c.insert(c.end(), {"MATCH", Chance(0.5) ? "m1*" : "*"});
      if (Chance(0.3)) {
        c.insert(c.end(),
                 {"COUNT", Pick(std::vector<std::string>{"1", "0", "x"})});
      }
      return c;
    }
    default:
      return {Spell("zscan"), Pick(kStrings), "0"};
  }
}

std::vector<std::string> ListZSetGenerator::ZRangeCommand() {
  const std::string key = ZSetKey();
  const bool by_score = Chance(0.5);
  std::vector<std::string> c;
  const int form = Uniform(0, 4);
  if (form == 0) {
    c = {Spell("zrange"), key};
    if (by_score) {
      c.insert(c.end(), {ScoreBound(), ScoreBound(), "BYSCORE"});
    } else {
      c.insert(c.end(), {Index(), Index()});
    }
    if (Chance(0.4)) c.push_back("REV");
  } else if (form == 1) {
    c = {Spell("zrangebyscore"), key, ScoreBound(), ScoreBound()};
  } else if (form == 2) {
    c = {Spell("zrevrangebyscore"), key, ScoreBound(), ScoreBound()};
  } else if (form == 3) {
    c = {Spell("zrevrange"), key, Index(), Index()};
  } else {
    c = {Spell("zrangestore"), StoreTarget(), PartnerOf(key, kSmallZSets),
         Index(), Index()};
    if (Chance(0.5)) {
      c[3] = ScoreBound();
      c[4] = ScoreBound();
      c.push_back("BYSCORE");
    }
    if (Chance(0.3)) c.push_back("REV");
  }
  if (Chance(0.3) && (form != 0 && form != 3 && form != 4 ? true : by_score)) {
    c.insert(c.end(), {"LIMIT", Pick(std::vector<std::string>{"0", "1", "-1"}),
                       Pick(std::vector<std::string>{"1", "2", "-1", "0"})});
  } else if (Chance(0.03)) {
    c.insert(c.end(), {"LIMIT", "0", "1"});  // an error on ranks
  }
  if (form != 4 && Chance(0.4)) c.push_back("WITHSCORES");
  return c;
}

std::vector<std::string> ListZSetGenerator::ZLexCommand() {
  const std::string key = LexKey();
  switch (Uniform(0, 5)) {
    case 0:
      return {Spell("zlexcount"), key, LexBound(), LexBound()};
    case 1:
      return {Spell("zremrangebylex"), key, LexBound(), LexBound()};
    case 2: {
      std::vector<std::string> c = {Spell("zrange"), key, LexBound(),
                                    LexBound(), "BYLEX"};
      if (Chance(0.4)) c.push_back("REV");
      if (Chance(0.05)) c.push_back("WITHSCORES");  // an error
      if (Chance(0.3)) c.insert(c.end(), {"LIMIT", "1", "2"});
      return c;
    }
    case 3:
      return {Spell("zrangestore"), StoreTarget(), key,
              LexBound(),           LexBound(),    "BYLEX"};
    default: {
      std::vector<std::string> c = {
          Spell(Chance(0.5) ? "zrangebylex" : "zrevrangebylex"), key,
          LexBound(), LexBound()};
      if (Chance(0.3)) c.insert(c.end(), {"LIMIT", "0", "2"});
      return c;
    }
  }
}

std::vector<std::string> ListZSetGenerator::ZWriteCommand() {
  const bool lex = Chance(0.2);
  const std::string key = lex ? LexKey() : ZSetKey();
  switch (Uniform(0, 5)) {
    case 0:
      return {Spell("zrem"), key, Member(), Member()};
    case 1:
      if (lex) return {Spell("zrem"), key, Element()};
      return {Spell("zincrby"), key, Score(), Member()};
    case 2: {
      std::vector<std::string> c = {Spell(Chance(0.5) ? "zpopmin" : "zpopmax"),
                                    key};
      if (Chance(0.5)) {
        c.push_back(Pick(std::vector<std::string>{"0", "1", "2", "-1", "x"}));
      }
      return c;
    }
    case 3:
      return {Spell("zremrangebyrank"), key, Index(), Index()};
    default:
      return {Spell("zremrangebyscore"), key, ScoreBound(), ScoreBound()};
  }
}

std::vector<std::string> ListZSetGenerator::ZStoreCommand() {
  const std::string destination = StoreTarget();
  const int n = Uniform(1, 3);
  std::vector<std::string> c = {
      Spell(Chance(0.7) ? "zunionstore" : "zinterstore"), destination,
      Chance(0.03) ? "0" : absl::StrCat(n)};
  std::vector<std::string> pool = kSmallZSets;
  pool.insert(pool.end(), kGrowingZSets.begin(), kGrowingZSets.end());
  pool.insert(pool.end(), kLexZSets.begin(), kLexZSets.end());
  for (int i = 0; i < n; ++i) c.push_back(PartnerOf(destination, pool));
  if (Chance(0.3)) {
    c.push_back("WEIGHTS");
    for (int i = 0; i < n; ++i) {
      c.push_back(
          Pick(std::vector<std::string>{"1", "2", "0.5", "-1", "0", "inf"}));
    }
  }
  if (Chance(0.3)) {
    c.insert(c.end(), {"AGGREGATE", Pick(std::vector<std::string>{
                                        "SUM", "min", "MAX", "avg"})});
  }
  return c;
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
