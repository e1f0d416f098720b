// ReplyReader splits an encoded reply (RESP2 or RESP3) back into its parts.
// The KV service uses it to merge the partial replies of a multi-key command
// that ran on several shards (for example the per-shard arrays of an MGET).
//
//   std::optional<size_t> n = resp::ReplyLength(encoded);   // whole reply
//   std::optional<int64_t> v = resp::IntegerValue(":42\r\n");
#ifndef SHARDD_NET_RESP_REPLY_READER_H_
#define SHARDD_NET_RESP_REPLY_READER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace shardd::resp {

// Length in bytes of the first complete reply in `encoded` (any RESP2 or
// RESP3 type, nested aggregates included), or nullopt if `encoded` does not
// start with one.
std::optional<size_t> ReplyLength(std::string_view encoded);

// Whether `encoded` is a null reply: RESP2's nil bulk or nil array, or
// RESP3's null.
bool IsNull(std::string_view encoded);

// The value of an integer reply (":42\r\n"), or nullopt for any other reply.
std::optional<int64_t> IntegerValue(std::string_view encoded);

// For an array reply: appends each element's encoding to `elements` and returns
// true. Returns false (and leaves `elements` as it was) for any other reply,
// including a null array (*-1), which has no elements to merge.
bool SplitArray(std::string_view encoded, std::vector<std::string_view>* elements);

}  // namespace shardd::resp

#endif  // SHARDD_NET_RESP_REPLY_READER_H_
