// ListZSetGenerator produces the seeded random command stream of the list
// and sorted-set differential test (list_zset_differential_test.cc): every
// list and sorted-set command shardd implements, with their options and
// error cases, over a small key space of lists, sorted sets and strings
// (for WRONGTYPE), hash-tagged so that multi-key commands run both within
// one shard and across shards.
//
//   ListZSetGenerator generator(seed);
//   std::vector<std::string> command = generator.Next();
//
// Only commands whose reply Redis fully determines are generated:
// - BYLEX ranges only on the "lex" keys, which only ever hold score 0 (Redis
//   leaves lexicographic ranges over mixed scores unspecified);
// - ZSCAN only on keys that can never outgrow the compact encoding, which
//   Redis returns whole in order (a large set comes in hash-table order);
// - blocking pops with a 10 ms timeout, whose expiry answers the same.
//
// The list commands are in list_generator.cc, the sorted-set ones in
// zset_generator.cc, the keys they share in list_zset_pools.h.
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_LIST_ZSET_GENERATOR_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_LIST_ZSET_GENERATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tests/integration/support/random_choices.h"

namespace shardd::integration {

class ListZSetGenerator : private RandomChoices {
 public:
  // While the cross-shard coordinator cannot run a multi-key command whose
  // keys span shards, set this to false: the multi-key commands then only
  // use keys with one hash tag, which share a shard.
  static constexpr bool kCrossShardMultiKey = true;
  // Blocking pops (BLPOP, BRPOP, BLMOVE) with a 10 ms timeout: they either
  // find data at once or time out, both deterministic.
  static constexpr bool kBlockingCommands = true;

  explicit ListZSetGenerator(uint64_t seed);

  // The next command, name first.
  std::vector<std::string> Next();

  // Every key the generator uses.
  static std::vector<std::string> Keys();

 private:
  std::vector<std::string> ListCommand();
  std::vector<std::string> ListMoveCommand();
  std::vector<std::string> ZAddCommand();
  std::vector<std::string> ZReadCommand();
  std::vector<std::string> ZRangeCommand();
  std::vector<std::string> ZLexCommand();
  std::vector<std::string> ZWriteCommand();
  std::vector<std::string> ZStoreCommand();
  std::vector<std::string> OtherCommand();

  // Keys of each kind; `second` picks a partner key for a multi-key command.
  std::string ListKey();
  std::string PartnerOf(const std::string& key,
                        const std::vector<std::string>& pool);
  std::string ZSetKey();      // any sorted set but the lex ones
  std::string StoreTarget();  // a sorted set that may grow large
  std::string LexKey();
  std::string AnyKey();

  std::string Element();
  std::string Member();
  std::string Score();
  std::string Index();
  std::string ScoreBound();
  std::string LexBound();
  // This generator's own rule, hiding RandomChoices::Spell: its names are
  // written in lower case and come out upper case half the time.
  std::string Spell(std::string name);
};

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_LIST_ZSET_GENERATOR_H_
