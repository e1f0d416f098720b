// The Content-Type of a file, from its name's extension (case-insensitive),
// by a small built-in table of the types a file server meets most (as
// nginx's mime.types); "application/octet-stream" for anything else.
//
//   ContentTypeOf("index.html")  // "text/html; charset=utf-8"
#ifndef SHARDD_SHARD_FILES_CONTENT_TYPE_H_
#define SHARDD_SHARD_FILES_CONTENT_TYPE_H_

#include <string_view>

namespace shardd::files {

inline constexpr std::string_view kDefaultContentType =
    "application/octet-stream";

std::string_view ContentTypeOf(std::string_view file_name);

}  // namespace shardd::files

#endif  // SHARDD_SHARD_FILES_CONTENT_TYPE_H_
