// The path of an HTTP request target, decoded and checked before anything
// touches the disk: the part of the file service that decides which names a
// client may ask for. The kernel still resolves the result beneath the root
// (openat2 with RESOLVE_BENEATH), so this is the first of two walls.
//
//   RequestPath path;
//   if (int status = DecodeRequestPath(request.target, &path); status != 0)
//     return Reply(status);                 // 400: what was wrong
//   // path.relative: "a/b.txt" (never starts with '/'; "" for the root)
#ifndef SHARDD_SHARD_FILES_REQUEST_PATH_H_
#define SHARDD_SHARD_FILES_REQUEST_PATH_H_

#include <string>
#include <string_view>

namespace shardd::files {

struct RequestPath {
  // The path below the root, segments joined by '/': no leading or trailing
  // '/', no empty, "." or ".." segment, no NUL byte. "" is the root itself.
  std::string relative;
  // The target ended in '/' (a directory listing was asked for).
  bool trailing_slash = false;
  // The last segment ("" for the root) and everything before it ("" when
  // the file is at the top): what PUT and DELETE open and name separately.
  std::string_view parent() const;
  std::string_view name() const;
};

// Decodes an origin-form target ("/a/b%20c.txt?x=1"): drops the query and
// fragment, percent-decodes, and checks each segment. Returns 0 and fills
// `path`, or the HTTP status to answer (400) with `why` set:
//  - the target does not start with '/' (absolute-form and '*' included);
//  - a '%' not followed by two hex digits;
//  - a decoded NUL byte, or an encoded '/' ("%2F"), or an encoded '\';
//  - a "." or ".." segment, plain or encoded;
//  - longer than kMaxPathBytes once decoded, or a segment longer than
//    kMaxSegmentBytes (NAME_MAX).
// Repeated slashes collapse ("/a//b" is "a/b").
inline constexpr size_t kMaxPathBytes = 4096;
// Names of the temporaries a PUT writes before renaming them into place: no
// request may name one, and listings leave them out.
inline constexpr std::string_view kTempPrefix = ".shardd-tmp-";
inline constexpr size_t kMaxSegmentBytes = 255;
int DecodeRequestPath(std::string_view target, RequestPath* path,
                      std::string_view* why = nullptr);

}  // namespace shardd::files

#endif  // SHARDD_SHARD_FILES_REQUEST_PATH_H_
