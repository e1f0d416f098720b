#include "tests/integration/support/hash_set_generator.h"

#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace shardd::integration {
namespace {

using Strings = std::vector<std::string>;

const Strings& HashKeys() {
  static const auto* keys =
      new Strings{"h0", "h1", "h2", "h3", "{t}h4", "{u}h5"};
  return *keys;
}

const Strings& SetKeysOf(const std::string& group) {
  static const auto* all = new Strings{
      "s0", "s1", "s2", "s3", "{t}s4", "{t}s5", "{t}s6", "{u}s7", "{u}s8"};
  static const auto* t = new Strings{"{t}s4", "{t}s5", "{t}s6", "{t}k2"};
  static const auto* u = new Strings{"{u}s7", "{u}s8", "{u}h5"};
  return group == "t" ? *t : group == "u" ? *u : *all;
}

// Keys no command creates on purpose, and strings: the WRONGTYPE cases.
const Strings& OtherKeys() {
  static const auto* keys = new Strings{"k0", "k1", "{t}k2", "str0", "{t}str1"};
  return *keys;
}

const Strings& Numbers() {
  static const auto* numbers = new Strings{"0",
                                           "1",
                                           "-1",
                                           "2",
                                           "7",
                                           "42",
                                           "-100",
                                           "1000",
                                           "9223372036854775807",
                                           "-9223372036854775808",
                                           "4611686018427387904",
                                           "abc",
                                           "",
                                           "01",
                                           "-0",
                                           "1.5",
                                           "+1",
                                           " 1"};
  return *numbers;
}

const Strings& Floats() {
  static const auto* floats = new Strings{"1",
                                          "-1",
                                          "0.1",
                                          "10.5",
                                          "3.0e3",
                                          "-0.0",
                                          "1e-20",
                                          "0x10",
                                          ".5",
                                          "5.",
                                          "1e308",
                                          "-1.1",
                                          "123456789012345678901234567890",
                                          "abc",
                                          "",
                                          "inf",
                                          "-inf",
                                          "nan",
                                          "1e5000",
                                          " 1",
                                          "1 ",
                                          "5.0000000000000001"};
  return *floats;
}

}  // namespace

HashSetGenerator::HashSetGenerator(uint64_t seed) : RandomChoices(seed) {}

const std::vector<std::string>& HashSetGenerator::Keys() {
  static const auto* keys = [] {
    auto* all = new Strings(HashKeys());
    for (const std::string& key : SetKeysOf("")) all->push_back(key);
    for (const std::string& key : OtherKeys()) all->push_back(key);
    return all;
  }();
  return *keys;
}

HashSetGenerator::ReplyOrder HashSetGenerator::OrderOf(
    const std::vector<std::string>& command) {
  std::string name = command[0];
  absl::AsciiStrToLower(&name);
  if (name == "smembers" || name == "hkeys" || name == "hvals" ||
      name == "hgetall") {
    return ReplyOrder::kExactIfCompact;
  }
  if (name == "sinter" || name == "sunion" || name == "sdiff" ||
      name == "spop") {
    return ReplyOrder::kUnordered;
  }
  if (name == "srandmember" || name == "hrandfield") return ReplyOrder::kRandom;
  if (name == "hscan" || name == "sscan") return ReplyOrder::kScan;
  return ReplyOrder::kExact;
}

std::string HashSetGenerator::HashKey() {
  return Chance(0.9) ? Pick(HashKeys()) : Pick(Keys());
}

std::string HashSetGenerator::SetKey() {
  return Chance(0.9) ? Pick(SetKeysOf("")) : Pick(Keys());
}

std::vector<std::string> HashSetGenerator::SetKeys(int count) {
  const bool one_group = !kCrossShardMultiKey || Chance(0.3);
  const std::string group = one_group ? Pick(Strings{"t", "u"}) : "";
  Strings keys;
  for (int i = 0; i < count; ++i) {
    keys.push_back(group.empty() && Chance(0.1) ? Pick(Keys())
                                                : Pick(SetKeysOf(group)));
  }
  return keys;
}

std::string HashSetGenerator::Field() {
  switch (Uniform(0, 19)) {
    case 0:
      return "";
    case 1:
      return std::string(Uniform(60, 70), 'F');  // about the listpack limit
    case 2:
      return std::string("f\0\r\n\xff", 5);
    default:
      return absl::StrCat(Chance(0.7) ? "f" : "n", Uniform(0, 9));
  }
}

std::string HashSetGenerator::Value() {
  switch (Uniform(0, 9)) {
    case 0:
      return Pick(Numbers());
    case 1:
      return Pick(Floats());
    case 2:
      return Chance(0.3) ? std::string(Uniform(60, 70), 'V') : "";
    default:
      return absl::StrCat("v", Uniform(0, 99));
  }
}

std::string HashSetGenerator::Member() {
  switch (Uniform(0, 19)) {
    case 0:
      return Pick(Strings{"01", "-0", "+1", "", "1.0", "9223372036854775808"});
    case 1:
      return Pick(Strings{"9223372036854775807", "-9223372036854775808"});
    case 2:
    case 3:
    case 4:
      return absl::StrCat(Pick(Strings{"a", "b", "c", "m"}), Uniform(0, 5));
    default:
      return absl::StrCat(Uniform(-5, 40));
  }
}

std::string HashSetGenerator::Pattern() {
  if (Chance(0.5)) {
    return Pick(Strings{"*", "f*", "n?", "*1", "[fn]1", "[^f]*", "m*", "1*",
                        "-*", "\\*", "[a-c]?", "", "**", "?"});
  }
  static const auto* glob = new Strings{"*", "?", "[", "]", "^", "-", "\\",
                                        "f", "n", "1", "2", "a", "m"};
  std::string pattern;
  for (int i = Uniform(1, 5); i > 0; --i) pattern += Pick(*glob);
  return pattern;
}

std::vector<std::string> HashSetGenerator::ScanCommand(const char* name,
                                                       const std::string& key) {
  // Any cursor but 0 means something different to each server's table, so
  // only 0, its other spellings, and invalid cursors.
  Strings command = {Spell(name), key,
                     Chance(0.95) ? "0"
                                  : Pick(Strings{"abc", " 1", "+0", "",
                                                 "18446744073709551616"})};
  for (int options = Uniform(0, 2); options > 0; --options) {
    if (Chance(0.5)) {
      command.push_back(Spell("MATCH"));
      command.push_back(Pattern());
    } else {
      command.push_back(Spell("COUNT"));
      command.push_back(Chance(0.9) ? Pick(Strings{"1", "2", "5", "10", "100"})
                                    : Pick(Strings{"0", "-1", "abc"}));
    }
  }
  if (Chance(0.03)) command.push_back(Pick(Strings{"COUNT", "TYPE", "x"}));
  return command;
}

std::vector<std::string> HashSetGenerator::HashCommand() {
  const std::string key = HashKey();
  const int roll = Uniform(0, 99);
  if (roll < 22) {
    Strings command = {Spell(Chance(0.8) ? "HSET" : "HMSET"), key};
    // Now and then many fields at once, to pass the listpack limit.
    const int pairs = Chance(0.04) ? Uniform(100, 300) : Uniform(1, 3);
    for (int i = 0; i < pairs; ++i) {
      command.push_back(pairs > 3 ? absl::StrCat("bulk", Uniform(0, 999))
                                  : Field());
      command.push_back(Value());
    }
    return command;
  }
  if (roll < 26) return {Spell("HSETNX"), key, Field(), Value()};
  if (roll < 36) return {Spell("HGET"), key, Field()};
  if (roll < 40) {
    Strings command = {Spell("HMGET"), key};
    for (int i = Uniform(1, 4); i > 0; --i) command.push_back(Field());
    return command;
  }
  if (roll < 48) {
    Strings command = {Spell("HDEL"), key};
    for (int i = Uniform(1, 3); i > 0; --i) command.push_back(Field());
    return command;
  }
  if (roll < 51) return {Spell("HLEN"), key};
  if (roll < 54) return {Spell("HEXISTS"), key, Field()};
  if (roll < 56) return {Spell("HSTRLEN"), key, Field()};
  if (roll < 58) return {Spell("HKEYS"), key};
  if (roll < 60) return {Spell("HVALS"), key};
  if (roll < 64) return {Spell("HGETALL"), key};
  if (roll < 72) {
    return {Spell("HINCRBY"), key, Field(),
            Chance(0.9)
                ? Pick(Strings{"1", "-1", "5", "100", "9223372036854775807",
                               "-9223372036854775808"})
                : Pick(Numbers())};
  }
  if (roll < 80) return {Spell("HINCRBYFLOAT"), key, Field(), Pick(Floats())};
  if (roll < 88) {
    Strings command = {Spell("HRANDFIELD"), key};
    if (Chance(0.8)) {
      command.push_back(Pick(Strings{"0", "1", "2", "5", "-1", "-5", "1000",
                                     "-20", "abc", "-9223372036854775808"}));
      if (Chance(0.4)) command.push_back(Spell("WITHVALUES"));
      if (Chance(0.03)) {
        command.back() =
            Pick(Strings{"4611686018427387904", "-4611686018427387904"});
        command.push_back("WITHVALUES");
      }
      if (Chance(0.03)) command.push_back("x");
    }
    return command;
  }
  return ScanCommand("HSCAN", key);
}

std::vector<std::string> HashSetGenerator::SetCommand() {
  const std::string key = SetKey();
  const int roll = Uniform(0, 99);
  if (roll < 25) {
    Strings command = {Spell("SADD"), key};
    // Now and then many integers at once, to pass the intset limit.
    const bool bulk = Chance(0.05);
    for (int i = bulk ? Uniform(100, 300) : Uniform(1, 4); i > 0; --i) {
      command.push_back(bulk ? absl::StrCat(Uniform(100, 1500)) : Member());
    }
    return command;
  }
  if (roll < 37) {
    Strings command = {Spell("SREM"), key};
    const bool bulk = Chance(0.05);
    for (int i = bulk ? Uniform(100, 300) : Uniform(1, 3); i > 0; --i) {
      command.push_back(bulk ? absl::StrCat(Uniform(100, 1500)) : Member());
    }
    return command;
  }
  if (roll < 43) return {Spell("SMEMBERS"), key};
  if (roll < 50) return {Spell("SISMEMBER"), key, Member()};
  if (roll < 54) {
    Strings command = {Spell("SMISMEMBER"), key};
    for (int i = Uniform(1, 4); i > 0; --i) command.push_back(Member());
    return command;
  }
  if (roll < 59) return {Spell("SCARD"), key};
  if (roll < 63) {
    // Only the deterministic SPOPs: the whole set, none, or an error.
    Strings command = {Spell("SPOP"), key,
                       Pick(Strings{"100000", "100000", "0", "-1", "abc"})};
    if (Chance(0.05)) command.push_back("1");
    return command;
  }
  if (roll < 72) {
    Strings command = {Spell("SRANDMEMBER"), key};
    if (Chance(0.8)) {
      command.push_back(Pick(Strings{"0", "1", "2", "5", "-1", "-5", "1000",
                                     "-20", "abc", "-9223372036854775808"}));
    }
    if (Chance(0.03)) command.push_back("x");
    return command;
  }
  if (roll < 80) return ScanCommand("SSCAN", key);
  return MultiSetCommand();
}

std::vector<std::string> HashSetGenerator::MultiSetCommand() {
  const int roll = Uniform(0, 99);
  if (roll < 15) {
    Strings keys = SetKeys(2);
    return {Spell("SMOVE"), keys[0], keys[1], Member()};
  }
  if (roll < 85) {
    static const auto* names =
        new Strings{"SINTER",      "SUNION",     "SDIFF",  "SINTERSTORE",
                    "SUNIONSTORE", "SDIFFSTORE", "SINTER", "SDIFF"};
    const std::string name = Pick(*names);
    Strings command = {Spell(name)};
    const int keys = Uniform(name.ends_with("STORE") ? 2 : 1, 4);
    for (const std::string& key : SetKeys(keys)) command.push_back(key);
    return command;
  }
  Strings keys = SetKeys(Uniform(1, 3));
  Strings command = {Spell("SINTERCARD"), absl::StrCat(keys.size())};
  if (Chance(0.1)) {
    command[1] = Pick(Strings{"0", "-1", "abc", "9"});
  }
  for (const std::string& key : keys) command.push_back(key);
  if (Chance(0.4)) {
    command.push_back(Spell("LIMIT"));
    command.push_back(Pick(Strings{"0", "1", "2", "5", "-1", "abc"}));
  }
  if (Chance(0.05)) command.push_back(Pick(Strings{"LIMIT", "foo"}));
  return command;
}

std::vector<std::string> HashSetGenerator::Next() {
  if (Chance(0.02)) {  // wrong arity: drop the last argument
    Strings command = NextValid();
    command.pop_back();
    // "SPOP key" would be valid, and random: drop the key too.
    if (absl::EqualsIgnoreCase(command[0], "spop")) command.resize(1);
    return command;
  }
  return NextValid();
}

std::vector<std::string> HashSetGenerator::NextValid() {
  const int roll = Uniform(0, 99);
  if (roll < 45) return HashCommand();
  if (roll < 80) return SetCommand();
  if (roll < 94) return MultiSetCommand();
  if (roll < 97) return {Spell("SET"), Pick(OtherKeys()), "text"};
  return {Spell("DEL"), Pick(Keys())};  // so that keys start over
}

}  // namespace shardd::integration
