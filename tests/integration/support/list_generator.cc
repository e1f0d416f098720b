// ListZSetGenerator's list commands (the rest of it:
// list_zset_generator.cc).
#include <string>
#include <vector>

#include "tests/integration/support/list_zset_generator.h"
#include "tests/integration/support/list_zset_pools.h"

namespace shardd::integration {

using list_zset_pools::kLists;

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
  switch (Uniform(-2, kBlockingCommands ? 6 : 2)) {
    case -2:
    case -1: {
      // LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT n], now and then
      // malformed.
      std::vector<std::string> c = {
          Spell("lmpop"),
          Chance(0.95) ? "2" : Pick(std::vector<std::string>{"0", "x", "3"}),
          source, destination, Chance(0.95) ? Pick(ends) : "up"};
      if (Chance(0.5)) {
        c.insert(c.end(), {"COUNT", Pick(std::vector<std::string>{
                                        "1", "2", "10", "0", "x"})});
      }
      if (Chance(0.03)) c.push_back("extra");
      return c;
    }
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

}  // namespace shardd::integration
