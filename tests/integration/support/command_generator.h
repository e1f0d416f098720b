// CommandGenerator produces the seeded random command stream of the
// differential test: the string commands shardd implements, over a small key
// space that spans every shard, with the edge cases Redis has precise answers
// for (non-integer values, int64 overflow, missing keys, option mixes, wrong
// arity, unknown commands, bad numbers).
//
//   CommandGenerator generator(seed);
//   std::vector<std::string> command = generator.Next();
//
// Expiry times are chosen so that the reply never depends on when exactly a
// command ran: every relative TTL is at least 10,000 s (none elapses during a
// test), and every new relative TTL exceeds every earlier one with the same
// base by a second or more, so GT/LT comparisons are never near a tie. Zero
// and negative EXPIRE/PEXPIRE times delete the key at once (deterministic);
// `SET ... EXAT <past>` is left out because Redis then keeps the dead key
// until its expiry cycle runs, which would make DBSIZE timing-dependent.
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_COMMAND_GENERATOR_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_COMMAND_GENERATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tests/integration/support/random_choices.h"

namespace shardd::integration {

class CommandGenerator : private RandomChoices {
 public:
  explicit CommandGenerator(uint64_t seed);

  // The next command, name first.
  std::vector<std::string> Next();

  // Every key the generator uses.
  static const std::vector<std::string>& Keys();

 private:
  std::vector<std::string> NextValid();
  // The rest of the string and key commands (SETEX, GETEX, ranges, floats,
  // MSETNX, RENAME, COPY, TYPE, absolute expiry, ...).
  std::vector<std::string> NextExtended();
  std::vector<std::string> GetExCommand();
  // SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP.
  std::vector<std::string> BitCommand();
  std::vector<std::string> SetCommand();
  std::vector<std::string> ExpireCommand(const char* name, bool millis);
  std::vector<std::string> WrongArity();
  std::vector<std::string> UnknownCommand();

  std::string Key();
  std::string Value();
  std::string IntegerArgument();
  // A relative expire time that keeps GT/LT comparisons away from ties.
  std::string RelativeTtl(bool millis);
  std::string AbsoluteTime(bool millis);
  std::string BadNumber();
  int64_t commands_made_ = 0;
};

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_COMMAND_GENERATOR_H_
