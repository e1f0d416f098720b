// Random picks from a hash or set: the count argument of HRANDFIELD and
// SRANDMEMBER, and several distinct elements at once (those two commands and
// SPOP with a positive count).
//
//   int64_t count;
//   if (!ParseRandomCount(args[2], reply, &count)) return;
//   std::vector<std::string> picked = PickDistinct<std::string>(
//       set.size(), count, [&] { return set.Members(); },
//       [&] { return set.RandomMember(gen); }, gen);
#ifndef SHARDD_SHARD_KV_COMMANDS_RANDOM_PICK_H_
#define SHARDD_SHARD_KV_COMMANDS_RANDOM_PICK_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/random/bit_gen_ref.h"
#include "absl/random/distributions.h"
#include "net/resp/reply_writer.h"

namespace shardd::kv {

// The most picks a negative count may ask for (16 Mi).
inline constexpr int64_t kMaxRandomPicks = int64_t{1} << 24;

// Reads the count of HRANDFIELD and SRANDMEMBER (negative: repeats allowed)
// as Redis does, as a long in [-LONG_MAX, LONG_MAX]. On an error, replies it
// and returns false.
bool ParseRandomCount(std::string_view text, resp::ReplyWriter& reply,
                      int64_t* count);

// False, after replying an error, if `count` asks for more than
// kMaxRandomPicks picks (checked after Redis's own argument checks).
bool WithinPickLimit(int64_t count, resp::ReplyWriter& reply);

// min(count, size) distinct elements out of `size`. `all()` returns every
// element; `one()` one at random. As in Redis, a count of at least `size`
// returns them all in their stored order; otherwise single elements are drawn
// and repeats rejected while that is cheap, and past a third of the elements,
// where repeats would come too often, all of them are shuffled instead.
template <typename Element, typename All, typename One>
std::vector<Element> PickDistinct(size_t size, size_t count, All all, One one,
                                  absl::BitGenRef gen) {
  if (count >= size) return all();
  if (count * 3 > size) {
    std::vector<Element> elements = all();
    // The first `count` steps of a Fisher-Yates shuffle.
    for (size_t i = 0; i < count; ++i) {
      const size_t j = absl::Uniform<size_t>(gen, i, elements.size());
      std::swap(elements[i], elements[j]);
    }
    elements.resize(count);
    return elements;
  }
  absl::flat_hash_set<Element> seen;
  std::vector<Element> picked;
  picked.reserve(count);
  while (picked.size() < count) {
    Element element = one();
    if (seen.insert(element).second) picked.push_back(std::move(element));
  }
  return picked;
}

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_RANDOM_PICK_H_
