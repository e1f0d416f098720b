// EncodingName: the encoding OBJECT ENCODING and DEBUG OBJECT report for a
// value, with Redis 7.0's names for the structure shardd actually uses, so
// tools that look at them (e.g. memory audits) read something meaningful.
//
//   EncodingName(entry);  // "listpack", "hashtable", "embstr", ...
#ifndef SHARDD_SHARD_KV_STORE_ENCODING_NAME_H_
#define SHARDD_SHARD_KV_STORE_ENCODING_NAME_H_

#include <string_view>

#include "shard/kv/store/entry.h"

namespace shardd::kv {

std::string_view EncodingName(const Entry& entry);

// Whether Redis would hold this value as one of its shared integer objects
// (a string that is an integer from 0 to 9999), whose OBJECT REFCOUNT is
// INT_MAX.
bool IsSharedInteger(const Entry& entry);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_STORE_ENCODING_NAME_H_
