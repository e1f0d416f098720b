// HashSetGenerator produces the seeded random command stream of the hash and
// set differential test: every hash and set command shardd implements, over
// about twenty keys (hashes, sets, a few strings for WRONGTYPE, and
// {hash-tagged} groups that share a shard), with the edge cases Redis has
// precise answers for: bad numbers and floats, counts of every sign, glob
// patterns, option mixes, wrong arity, and bulk writes that push hashes and
// sets past the compact encodings' limits.
//
//   HashSetGenerator generator(seed);
//   std::vector<std::string> command = generator.Next();
//   switch (HashSetGenerator::OrderOf(command)) { ... }
//
// Left out because the reply (or the state after) is random: SPOP of part of
// a set, and huge negative counts (Redis would build a reply of billions).
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_HASH_SET_GENERATOR_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_HASH_SET_GENERATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tests/integration/support/random_choices.h"

namespace shardd::integration {

class HashSetGenerator : private RandomChoices {
 public:
  // Whether multi-key set commands (SINTER, SMOVE, SINTERCARD, ...) may name
  // keys on different shards, which the KV service's coordinator handles.
  // Either way, a third of them use keys of one {hash tag} group, which run
  // on one shard; false confines them all to such groups.
  static constexpr bool kCrossShardMultiKey = true;

  // How replies to a command are compared with Redis's.
  enum class ReplyOrder {
    kExact,           // byte for byte
    kExactIfCompact,  // byte for byte if Redis's encoding of args[1] is
                      // listpack or intset, else as a multiset
    kUnordered,       // as a multiset (set algebra results)
    kRandom,          // valid picks: shape, size, distinctness, membership
    kScan,            // HSCAN/SSCAN: completed to the end, then as a set
  };

  explicit HashSetGenerator(uint64_t seed);

  // The next command, name first.
  std::vector<std::string> Next();

  static ReplyOrder OrderOf(const std::vector<std::string>& command);

  // Every key the generator uses.
  static const std::vector<std::string>& Keys();

 private:
  std::vector<std::string> NextValid();
  std::vector<std::string> HashCommand();
  std::vector<std::string> SetCommand();
  std::vector<std::string> MultiSetCommand();
  std::vector<std::string> ScanCommand(const char* name,
                                       const std::string& key);

  std::string HashKey();
  std::string SetKey();
  // `count` set keys that one command may combine.
  std::vector<std::string> SetKeys(int count);
  std::string Field();
  std::string Value();
  std::string Member();
  std::string Pattern();
};

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_HASH_SET_GENERATOR_H_
