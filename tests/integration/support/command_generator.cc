#include "tests/integration/support/command_generator.h"

#include <cctype>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"

namespace shardd::integration {
namespace {

// Relative TTL bases (seconds); far enough apart that no test run can make
// a TTL with one base cross one with another.
constexpr int64_t kTtlBasesSeconds[] = {10'000, 100'000, 1'000'000};

const std::vector<std::string>& Numbers() {
  static const auto* numbers =
      new std::vector<std::string>{"0",
                                   "1",
                                   "-1",
                                   "2",
                                   "7",
                                   "42",
                                   "-100",
                                   "1000",
                                   "123456789",
                                   "9223372036854775807",
                                   "9223372036854775806",
                                   "-9223372036854775808",
                                   "-9223372036854775807",
                                   "4611686018427387904",
                                   "-4611686018427387904"};
  return *numbers;
}

// Strings that look numeric to a human but not to Redis, and out-of-range
// numbers.
const std::vector<std::string>& NotIntegers() {
  static const auto* values =
      new std::vector<std::string>{"",
                                   "abc",
                                   " 1",
                                   "1 ",
                                   "+1",
                                   "01",
                                   "-0",
                                   "0x10",
                                   "1.5",
                                   "1e3",
                                   "--1",
                                   "9223372036854775808",
                                   "-9223372036854775809",
                                   "99999999999999999999",
                                   std::string("1\0", 2),
                                   "\r\n"};
  return *values;
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

CommandGenerator::CommandGenerator(uint64_t seed) : RandomChoices(seed) {}

const std::vector<std::string>& CommandGenerator::Keys() {
  static const auto* keys = [] {
    auto* all = new std::vector<std::string>;
    for (int i = 0; i < 30; ++i) all->push_back(absl::StrCat("key:", i));
    // Hash-tagged groups share a slot; multi-key commands also mix groups.
    for (const char* tag : {"{user1}", "{user2}", "{order:9}"}) {
      for (const char* suffix : {":a", ":b", ":c"}) {
        all->push_back(absl::StrCat(tag, suffix));
      }
    }
    // Keys whose slot rules are easy to get wrong, and awkward bytes.
    for (std::string key :
         {std::string(""), std::string("{}x"), std::string("{"),
          std::string("a{b}{c}"), std::string("bin\0\r\n\xff", 7)}) {
      all->push_back(std::move(key));
    }
    return all;
  }();
  return *keys;
}

std::string CommandGenerator::Key() { return Pick(Keys()); }

std::string CommandGenerator::Value() {
  switch (Uniform(0, 9)) {
    case 0:
    case 1:
    case 2:
      return Pick(Numbers());
    case 3:
      return Pick(NotIntegers());
    case 4: {  // binary, CR/LF and NUL included
      std::string bytes(static_cast<size_t>(Uniform(0, 16)), '\0');
      for (char& c : bytes) c = static_cast<char>(Uniform(0, 255));
      return bytes;
    }
    case 5:
      if (Chance(0.2)) return std::string(Uniform(100, 3000), 'x');
      [[fallthrough]];
    default:
      return absl::StrCat("v", Uniform(0, 999));
  }
}

std::string CommandGenerator::IntegerArgument() {
  return Chance(0.85) ? Pick(Numbers()) : Pick(NotIntegers());
}

std::string CommandGenerator::BadNumber() {
  static const auto* bad = new std::vector<std::string>{"0",
                                                        "-1",
                                                        "-100",
                                                        "abc",
                                                        "",
                                                        "1.5",
                                                        "9223372036854775807",
                                                        "9223372036854775",
                                                        "-9223372036854775808",
                                                        "+5"};
  return Pick(*bad);
}

std::string CommandGenerator::RelativeTtl(bool millis) {
  // base + command number: a later TTL with the same base is at least one
  // second longer, whatever the clocks did in between.
  const int64_t base = kTtlBasesSeconds[Uniform(0, 2)];
  const int64_t seconds = base + commands_made_;
  if (!millis) return absl::StrCat(seconds);
  return absl::StrCat(seconds * 1000 + Uniform(0, 499));
}

std::string CommandGenerator::AbsoluteTime(bool millis) {
  const int64_t relative_ms =
      (kTtlBasesSeconds[Uniform(0, 2)] + commands_made_) * 1000;
  const int64_t at_ms = NowMillis() + relative_ms;
  return absl::StrCat(millis ? at_ms : at_ms / 1000);
}

std::vector<std::string> CommandGenerator::SetCommand() {
  std::vector<std::string> command = {Spell("SET"), Key(), Value()};
  const int options = Chance(0.4) ? 0 : Uniform(1, 3);
  for (int i = 0; i < options; ++i) {
    switch (Uniform(0, 11)) {
      case 0:
        command.push_back(Spell("NX"));
        break;
      case 1:
        command.push_back(Spell("XX"));
        break;
      case 2:
        command.push_back(Spell("GET"));
        break;
      case 3:
        command.push_back(Spell("KEEPTTL"));
        break;
      case 4:
      case 5:
        command.push_back(Spell("EX"));
        command.push_back(Chance(0.9) ? RelativeTtl(false) : BadNumber());
        break;
      case 6:
      case 7:
        command.push_back(Spell("PX"));
        command.push_back(Chance(0.9) ? RelativeTtl(true) : BadNumber());
        break;
      case 8:
        command.push_back(Spell("EXAT"));
        // A past EXAT is left out (see the header); 0 and negatives are
        // rejected outright, so they are fine.
        command.push_back(
            Chance(0.9) ? AbsoluteTime(false)
                        : Pick(std::vector<std::string>{"0", "-5", "abc"}));
        break;
      case 9:
        command.push_back(Spell("PXAT"));
        command.push_back(
            Chance(0.9) ? AbsoluteTime(true)
                        : Pick(std::vector<std::string>{"0", "-5", "1.5"}));
        break;
      case 10:
        command.push_back(Spell("EX"));  // missing its number, if last
        break;
      default:
        command.push_back(Pick(std::vector<std::string>{"FOO", "PXX", "1"}));
    }
  }
  return command;
}

std::vector<std::string> CommandGenerator::ExpireCommand(const char* name,
                                                         bool millis) {
  std::vector<std::string> command = {Spell(name), Key()};
  // Zero or negative times delete the key at once: deterministic too.
  command.push_back(Chance(0.85) ? RelativeTtl(millis) : BadNumber());
  const int flags = Chance(0.5) ? 0 : Uniform(1, 2);
  for (int i = 0; i < flags; ++i) {
    command.push_back(Spell(Pick(std::vector<std::string>{
        "NX", "XX", "GT", "LT", "NX", "XX", "GT", "LT", "BOGUS"})));
  }
  return command;
}

std::vector<std::string> CommandGenerator::WrongArity() {
  std::vector<std::string> command = NextValid();
  if (command.size() > 1 && Chance(0.6)) {
    command.pop_back();
  } else {
    command.push_back(Value());
  }
  return command;
}

std::vector<std::string> CommandGenerator::UnknownCommand() {
  std::vector<std::string> command = {Pick(std::vector<std::string>{
      "FOO", "GETT", "setx", "NOSUCHCOMMAND", "EXPIREAT!", "X"})};
  const int args = Uniform(0, 3);
  for (int i = 0; i < args; ++i) command.push_back(Value());
  return command;
}

std::vector<std::string> CommandGenerator::Next() {
  ++commands_made_;
  const int roll = Uniform(0, 999);
  if (roll < 25) return WrongArity();
  if (roll < 35) return UnknownCommand();
  if (roll < 300) return NextExtended();
  return NextValid();
}

std::vector<std::string> CommandGenerator::GetExCommand() {
  std::vector<std::string> command = {Spell("GETEX"), Key()};
  const int options = Chance(0.3) ? 0 : Uniform(1, 2);
  for (int i = 0; i < options; ++i) {
    switch (Uniform(0, 5)) {
      case 0:
        command.push_back(Spell("EX"));
        command.push_back(Chance(0.9) ? RelativeTtl(false) : BadNumber());
        break;
      case 1:
        command.push_back(Spell("PX"));
        command.push_back(Chance(0.9) ? RelativeTtl(true) : BadNumber());
        break;
      case 2:
        command.push_back(Spell("EXAT"));
        command.push_back(AbsoluteTime(false));
        break;
      case 3:
        command.push_back(Spell("PERSIST"));
        break;
      case 4:
        command.push_back(Spell("PXAT"));
        command.push_back(Chance(0.8) ? AbsoluteTime(true) : "0");
        break;
      default:
        command.push_back(Pick(std::vector<std::string>{"KEEPTTL", "NX", "EX"}));
    }
  }
  return command;
}

std::vector<std::string> CommandGenerator::NextExtended() {
  const int roll = Uniform(0, 99);
  if (roll < 6) return {Spell("SETEX"), Key(), RelativeTtl(false), Value()};
  if (roll < 9) {
    return {Spell("SETEX"), Key(),
            Pick(std::vector<std::string>{"0", "-1", "abc", "1.5"}), Value()};
  }
  if (roll < 14) return {Spell("PSETEX"), Key(), RelativeTtl(true), Value()};
  if (roll < 20) return {Spell("GETDEL"), Key()};
  if (roll < 28) return GetExCommand();
  if (roll < 34) {
    return {Spell("GETRANGE"), Key(), IntegerArgument(), IntegerArgument()};
  }
  if (roll < 40) {
    return {Spell("SETRANGE"), Key(),
            Pick(std::vector<std::string>{"0", "3", "10", "-1", "abc"}),
            Chance(0.9) ? Value() : ""};
  }
  if (roll < 48) {
    return {Spell("INCRBYFLOAT"), Key(),
            Pick(std::vector<std::string>{"1", "0.1", "-2.5", "1e3", "abc",
                                          "3.0e-2", "inf", " 1", "10.50"})};
  }
  if (roll < 54) {
    std::vector<std::string> command = {Spell("MSETNX")};
    const int pairs = Uniform(1, 3);
    for (int i = 0; i < pairs; ++i) {
      command.push_back(Key());
      command.push_back(Value());
    }
    return command;
  }
  if (roll < 60) return {Spell("TYPE"), Key()};
  if (roll < 66) return {Spell(Chance(0.5) ? "RENAME" : "RENAMENX"), Key(), Key()};
  if (roll < 72) {
    std::vector<std::string> command = {Spell("COPY"), Key(), Key()};
    if (Chance(0.4)) command.push_back(Spell("REPLACE"));
    if (Chance(0.1)) command.push_back(Pick(std::vector<std::string>{"DB", "X"}));
    return command;
  }
  if (roll < 78) {
    const bool millis = Chance(0.5);
    std::vector<std::string> command = {
        Spell(millis ? "PEXPIREAT" : "EXPIREAT"), Key(),
        Chance(0.9) ? AbsoluteTime(millis) : BadNumber()};
    if (Chance(0.3)) {
      command.push_back(Spell(Pick(std::vector<std::string>{"NX", "XX", "GT", "LT"})));
    }
    return command;
  }
  if (roll < 86) {
    return {Spell(Chance(0.5) ? "EXPIRETIME" : "PEXPIRETIME"), Key()};
  }
  if (roll < 94) return BitCommand();
  if (roll < 96) {
    std::vector<std::string> command = {Spell("LCS"), Key(), Key()};
    if (Chance(0.2)) command.push_back(Spell("LEN"));
    if (Chance(0.4)) command.push_back(Spell("IDX"));
    if (Chance(0.2)) {
      command.insert(command.end(),
                     {Spell("MINMATCHLEN"),
                      Pick(std::vector<std::string>{"0", "2", "-1", "x"})});
    }
    if (Chance(0.2)) command.push_back(Spell("WITHMATCHLEN"));
    return command;
  }
  std::vector<std::string> command = {Spell(Chance(0.5) ? "UNLINK" : "TOUCH")};
  const int keys = Uniform(1, 4);
  for (int i = 0; i < keys; ++i) command.push_back(Key());
  return command;
}

std::vector<std::string> CommandGenerator::BitCommand() {
  // (The last offset that works, 4294967295, would make a 512 MiB string:
  // only GETBIT reads it.)
  const auto offset = [this] {
    return Chance(0.95)
               ? absl::StrCat(Uniform(0, 200))
               : Pick(std::vector<std::string>{"4294967296", "-1", "x"});
  };
  const auto index = [this] {
    return Chance(0.9) ? absl::StrCat(Uniform(-20, 20))
                       : Pick(std::vector<std::string>{"x", "-100", "100"});
  };
  const std::vector<std::string> units = {"BYTE", "bit", "BIT", "bits"};
  switch (Uniform(0, 4)) {
    case 0:
      return {Spell("SETBIT"), Key(), offset(),
              Pick(std::vector<std::string>{"0", "1", "1", "2"})};
    case 1:
      return {Spell("GETBIT"), Key(),
              Chance(0.97) ? offset() : std::string("4294967295")};
    case 2: {
      std::vector<std::string> c = {Spell("BITCOUNT"), Key()};
      if (Chance(0.7)) c.insert(c.end(), {index(), index()});
      if (c.size() > 2 && Chance(0.5)) c.push_back(Pick(units));
      if (Chance(0.03)) c.push_back(index());
      return c;
    }
    case 3: {
      std::vector<std::string> c = {
          Spell("BITPOS"), Key(),
          Pick(std::vector<std::string>{"0", "1", "1", "2"})};
      const int extra = Uniform(0, 3);
      if (extra >= 1) c.push_back(index());
      if (extra >= 2) c.push_back(index());
      if (extra >= 3) c.push_back(Pick(units));
      return c;
    }
    default: {
      std::vector<std::string> c = {
          Spell("BITOP"),
          Pick(std::vector<std::string>{"AND", "or", "XOR", "NOT", "nand"}),
          Key()};
      const int sources = Uniform(1, 3);
      for (int i = 0; i < sources; ++i) c.push_back(Key());
      return c;
    }
  }
}

std::vector<std::string> CommandGenerator::NextValid() {
  // Weights, out of 100.
  const int roll = Uniform(0, 99);
  if (roll < 12) return {Spell("GET"), Key()};
  if (roll < 28) return SetCommand();
  if (roll < 30) return {Spell("SETNX"), Key(), Value()};
  if (roll < 32) return {Spell("GETSET"), Key(), Value()};
  if (roll < 36) {
    std::vector<std::string> command = {Spell(Chance(0.5) ? "DEL" : "EXISTS")};
    const int keys = Uniform(1, 5);  // duplicates allowed, on purpose
    for (int i = 0; i < keys; ++i) command.push_back(Key());
    return command;
  }
  if (roll < 41) {
    std::vector<std::string> command = {Spell("MGET")};
    const int keys = Uniform(1, 6);
    for (int i = 0; i < keys; ++i) command.push_back(Key());
    return command;
  }
  if (roll < 45) {
    std::vector<std::string> command = {Spell("MSET")};
    const int pairs = Uniform(1, 4);
    for (int i = 0; i < pairs; ++i) {
      command.push_back(Key());
      command.push_back(Value());
    }
    return command;
  }
  if (roll < 50) return {Spell("INCR"), Key()};
  if (roll < 53) return {Spell("DECR"), Key()};
  if (roll < 57) return {Spell("INCRBY"), Key(), IntegerArgument()};
  if (roll < 60) return {Spell("DECRBY"), Key(), IntegerArgument()};
  if (roll < 64) return {Spell("APPEND"), Key(), Value()};
  if (roll < 67) return {Spell("STRLEN"), Key()};
  if (roll < 72) return ExpireCommand("EXPIRE", false);
  if (roll < 76) return ExpireCommand("PEXPIRE", true);
  if (roll < 82) return {Spell("TTL"), Key()};
  if (roll < 85) return {Spell("PTTL"), Key()};
  if (roll < 88) return {Spell("PERSIST"), Key()};
  if (roll < 90) return {Spell("DBSIZE")};
  if (roll < 92) {
    return Chance(0.5) ? std::vector<std::string>{Spell("PING")}
                       : std::vector<std::string>{Spell("PING"), Value()};
  }
  if (roll < 94) return {Spell("ECHO"), Value()};
  if (roll < 95) {
    return {Spell("SELECT"),
            Pick(std::vector<std::string>{"0", "0", "abc", "-1", "16"})};
  }
  if (roll < 96 && Chance(0.1)) {  // rare: it empties the key space
    return Chance(0.7)
               ? std::vector<std::string>{Spell("FLUSHALL")}
               : std::vector<std::string>{Spell("FLUSHALL"), Spell("SYNC")};
  }
  return {Spell("GET"), Key()};
}

}  // namespace shardd::integration
