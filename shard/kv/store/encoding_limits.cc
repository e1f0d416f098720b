#include "shard/kv/store/encoding_limits.h"

namespace shardd::kv {

EncodingLimits& EncodingLimits::Current() {
  // Never destroyed: shards may read it while the process exits.
  static EncodingLimits* const limits = new EncodingLimits();
  return *limits;
}

}  // namespace shardd::kv
