#include "shard/kv/store/keyspace_event.h"

#include <iterator>
#include <utility>

namespace shardd::kv {
namespace {

// The letters of the classes "A" covers, in the order CONFIG GET prints
// them, then "n", which "A" leaves out.
constexpr std::pair<char, uint32_t> kClassLetters[] = {
    {'g', kNotifyGeneric}, {'$', kNotifyString},  {'l', kNotifyList},
    {'s', kNotifySet},     {'h', kNotifyHash},    {'z', kNotifyZset},
    {'x', kNotifyExpired}, {'e', kNotifyEvicted}, {'t', kNotifyStream},
    {'d', kNotifyModule},  {'n', kNotifyNew},
};
constexpr std::pair<char, uint32_t> kOtherLetters[] = {
    {'K', kNotifyKeyspace}, {'E', kNotifyKeyevent}, {'m', kNotifyKeyMiss}};

}  // namespace

std::optional<uint32_t> ParseKeyspaceEvents(std::string_view text) {
  uint32_t flags = 0;
  for (char c : text) {
    if (c == 'A') {
      flags |= kNotifyAll;
      continue;
    }
    bool known = false;
    for (const auto& [letter, bit] : kClassLetters) {
      if (c == letter) flags |= bit, known = true;
    }
    for (const auto& [letter, bit] : kOtherLetters) {
      if (c == letter) flags |= bit, known = true;
    }
    if (!known) return std::nullopt;
  }
  return flags;
}

std::string KeyspaceEventsToString(uint32_t flags) {
  // Built in a buffer: GCC 12 warns falsely (-Wrestrict) on appending
  // characters to a std::string here.
  char text[std::size(kClassLetters) + std::size(kOtherLetters)];
  size_t size = 0;
  // As Redis 7.0 prints it: with "A", "n" is not shown even when set.
  if ((flags & kNotifyAll) == kNotifyAll) {
    text[size++] = 'A';
  } else {
    for (const auto& [letter, bit] : kClassLetters) {
      if (flags & bit) text[size++] = letter;
    }
  }
  for (const auto& [letter, bit] : kOtherLetters) {
    if (flags & bit) text[size++] = letter;
  }
  return std::string(text, size);
}

}  // namespace shardd::kv
