// ListZSetGenerator's sorted-set commands (the rest of it:
// list_zset_generator.cc).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/integration/support/list_zset_generator.h"
#include "tests/integration/support/list_zset_pools.h"

namespace shardd::integration {

using list_zset_pools::kGrowingZSets;
using list_zset_pools::kLexZSets;
using list_zset_pools::kScores;
using list_zset_pools::kSmallZSets;
using list_zset_pools::kStrings;

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
  switch (Uniform(0, 9)) {
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
    case 8: {
      // ZRANDMEMBER where its reply is fixed: a count past the size (the
      // whole set, in order), 0, a missing key, errors.
      std::vector<std::string> c = {
          Spell("zrandmember"), Chance(0.8) ? key : Pick(kStrings),
          Pick(std::vector<std::string>{"100000", "100000", "0", "x",
                                        "-9223372036854775808"})};
      if (Chance(0.5)) c.push_back(Spell("withscores"));
      if (Chance(0.05)) c.push_back("extra");
      if (Chance(0.05)) c = {c[0], "zrand-missing"};  // no count: nil
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
      if (Chance(0.3)) {
        // ZMPOP numkeys key [key ...] MIN|MAX [COUNT n].
        std::vector<std::string> c = {
            Spell("zmpop"),
            Chance(0.95) ? "2" : Pick(std::vector<std::string>{"0", "x", "3"}),
            key, Chance(0.5) ? ZSetKey() : Pick(kStrings),
            Pick(std::vector<std::string>{"MIN", "max", "Min", "mid"})};
        if (Chance(0.5)) {
          c.insert(c.end(), {"COUNT", Pick(std::vector<std::string>{
                                          "1", "3", "100", "0", "-1"})});
        }
        return c;
      }
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
  // The algebra: the STORE forms, the replying ones and ZINTERCARD.
  const int form = Uniform(0, 9);
  const std::string destination = StoreTarget();
  const int n = Uniform(1, 3);
  const std::string name =
      form <= 4 ? Pick(std::vector<std::string>{"zunionstore", "zunionstore",
                                                "zinterstore", "zdiffstore"})
                : Pick(std::vector<std::string>{"zunion", "zinter", "zdiff",
                                                "zintercard"});
  const bool diff = name == "zdiff" || name == "zdiffstore";
  const bool card = name == "zintercard";
  std::vector<std::string> c = {Spell(name)};
  if (form <= 4) c.push_back(destination);
  c.push_back(Chance(0.03) ? "0" : absl::StrCat(n));
  std::vector<std::string> pool = kSmallZSets;
  pool.insert(pool.end(), kGrowingZSets.begin(), kGrowingZSets.end());
  pool.insert(pool.end(), kLexZSets.begin(), kLexZSets.end());
  for (int i = 0; i < n; ++i) c.push_back(PartnerOf(destination, pool));
  // Options, now and then one the command does not take.
  if (Chance(diff || card ? 0.05 : 0.3)) {
    c.push_back("WEIGHTS");
    for (int i = 0; i < n; ++i) {
      c.push_back(
          Pick(std::vector<std::string>{"1", "2", "0.5", "-1", "0", "inf"}));
    }
  }
  if (Chance(diff || card ? 0.05 : 0.3)) {
    c.insert(c.end(), {"AGGREGATE", Pick(std::vector<std::string>{
                                        "SUM", "min", "MAX", "avg"})});
  }
  if (card && Chance(0.5)) {
    c.insert(c.end(),
             {"LIMIT", Pick(std::vector<std::string>{"0", "1", "3", "-1"})});
  }
  if (form > 4 && !card && Chance(0.5)) c.push_back(Spell("withscores"));
  return c;
}

}  // namespace shardd::integration
