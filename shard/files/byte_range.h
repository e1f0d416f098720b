// The Range header of a GET (RFC 9110 14.2): one range of bytes of a file of
// known size, or why the whole file is sent instead, or why nothing can be.
// A pure function of the header and the size.
//
//   ByteRange range;
//   switch (ParseByteRange(header, size, &range)) {
//     case RangeResult::kWhole: ...          // 200, the whole file
//     case RangeResult::kRange: ...          // 206, bytes range.first..last
//     case RangeResult::kUnsatisfiable: ...  // 416, Content-Range: bytes */size
//   }
#ifndef SHARDD_SHARD_FILES_BYTE_RANGE_H_
#define SHARDD_SHARD_FILES_BYTE_RANGE_H_

#include <cstdint>
#include <string_view>

namespace shardd::files {

struct ByteRange {
  uint64_t first = 0;
  uint64_t last = 0;  // inclusive
  uint64_t length() const { return last - first + 1; }
};

enum class RangeResult {
  // No usable single range: a header that does not parse, another unit, or
  // several ranges (answered with the whole file, which RFC 9110 allows).
  kWhole,
  kRange,
  kUnsatisfiable,  // one range, entirely past the end of the file
};

// `header` is the Range value: "bytes=a-b", "bytes=a-" or "bytes=-n".
RangeResult ParseByteRange(std::string_view header, uint64_t size,
                           ByteRange* range);

}  // namespace shardd::files

#endif  // SHARDD_SHARD_FILES_BYTE_RANGE_H_
