#include "shard/kv/store/encoding_name.h"

#include <cstdint>

#include "net/resp/integer.h"
#include "shard/kv/store/hash_value.h"
#include "shard/kv/store/list_value.h"
#include "shard/kv/store/set_value.h"
#include "shard/kv/store/zset_value.h"

namespace shardd::kv {
namespace {

// Redis keeps a string that is a 64-bit integer (by its strict rules, the
// same as RESP's lengths) as "int".
bool IntegerString(std::string_view value, int64_t* number) {
  return value.size() <= 20 && resp::ParseInteger(value, number);
}

}  // namespace

std::string_view EncodingName(const Entry& entry) {
  switch (entry.type()) {
    case ValueType::kString: {
      // Otherwise "embstr" (one allocation with its header) up to 44
      // bytes, else "raw". shardd keeps every string as one bare block;
      // the name tells which one Redis would have used.
      int64_t unused = 0;
      if (IntegerString(entry.string(), &unused)) return "int";
      return entry.string().size() <= 44 ? "embstr" : "raw";
    }
    case ValueType::kList:
      return entry.list().Encoding();
    case ValueType::kHash:
      return entry.hash().Encoding();
    case ValueType::kSet:
      return entry.set().Encoding();
    case ValueType::kZSet:
      return entry.zset().Encoding();
  }
  return "";
}

bool IsSharedInteger(const Entry& entry) {
  int64_t number = 0;
  return entry.type() == ValueType::kString &&
         IntegerString(entry.string(), &number) && number >= 0 &&
         number < 10000;
}

}  // namespace shardd::kv
