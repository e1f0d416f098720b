#include "shard/files/content_type.h"

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace shardd::files {
namespace {

struct Entry {
  std::string_view extension;
  std::string_view type;
};

// After nginx's mime.types. Text, JavaScript and JSON say their charset
// (served files are assumed UTF-8); images, fonts and media do not.
constexpr Entry kTypes[] = {
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"js", "application/javascript; charset=utf-8"},
    {"mjs", "application/javascript; charset=utf-8"},
    {"json", "application/json; charset=utf-8"},
    {"txt", "text/plain; charset=utf-8"},
    {"md", "text/markdown; charset=utf-8"},
    {"xml", "text/xml; charset=utf-8"},
    {"csv", "text/csv; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"avif", "image/avif"},
    {"pdf", "application/pdf"},
    {"zip", "application/zip"},
    {"gz", "application/gzip"},
    {"tar", "application/x-tar"},
    {"wasm", "application/wasm"},
    {"mp4", "video/mp4"},
    {"webm", "video/webm"},
    {"mp3", "audio/mpeg"},
    {"ogg", "audio/ogg"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"ttf", "font/ttf"},
    {"otf", "font/otf"},
};

// The system Abseil's string_view is its own type, not std::string_view.
absl::string_view ToAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

}  // namespace

std::string_view ContentTypeOf(std::string_view file_name) {
  // Only the last segment counts: "a.d/file" has no extension.
  if (const size_t slash = file_name.rfind('/');
      slash != std::string_view::npos) {
    file_name.remove_prefix(slash + 1);
  }
  const size_t dot = file_name.rfind('.');
  // No '.', or only a leading one (".bashrc": a dotfile, not an extension).
  if (dot == std::string_view::npos || dot == 0) return kDefaultContentType;
  const std::string_view extension = file_name.substr(dot + 1);
  for (const Entry& entry : kTypes) {
    if (absl::EqualsIgnoreCase(ToAbsl(entry.extension), ToAbsl(extension))) {
      return entry.type;
    }
  }
  return kDefaultContentType;
}

}  // namespace shardd::files
