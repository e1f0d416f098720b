// Conditional requests (RFC 9110 13): what If-Match, If-Unmodified-Since,
// If-None-Match and If-Modified-Since make of a request, evaluated in the
// order 13.2.2 prescribes, against the target's current ETag and
// modification time. A pure function of the headers and the file's state.
//
//   switch (EvaluatePreconditions(request, {.exists = true, .etag = etag,
//                                           .mtime_s = mtime}, is_read)) {
//     case Precondition::kNotModified: ...   // 304
//     case Precondition::kFailed: ...        // 412
//     case Precondition::kProceed: ...
//   }
#ifndef SHARDD_SHARD_FILES_PRECONDITIONS_H_
#define SHARDD_SHARD_FILES_PRECONDITIONS_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "net/http/request_parser.h"

namespace shardd::files {

struct TargetState {
  bool exists = false;
  std::string_view etag;  // strong, quoted; empty when !exists
  int64_t mtime_s = 0;    // seconds since the Unix epoch
};

enum class Precondition { kProceed, kNotModified, kFailed };

// `is_read`: GET or HEAD (where a failed If-None-Match or If-Modified-Since
// means 304; for other methods a failed If-None-Match means 412).
Precondition EvaluatePreconditions(const http::Request& request,
                                   const TargetState& target, bool is_read);

// An HTTP-date in any of the three forms recipients must accept (IMF-fixdate,
// RFC 850, asctime), as seconds since the Unix epoch; nullopt if invalid.
std::optional<int64_t> ParseHttpDate(std::string_view text);

// Whether `etag` (strong, quoted) is in the list `header` ("*", or
// comma-separated entity tags, weak ones W/"..." included): with `weak`
// comparison a weak tag matches its strong twin, with strong it never does.
bool EtagListMatches(std::string_view header, std::string_view etag,
                     bool weak);

}  // namespace shardd::files

#endif  // SHARDD_SHARD_FILES_PRECONDITIONS_H_
