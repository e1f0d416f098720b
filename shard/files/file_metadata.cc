#include "shard/files/file_metadata.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace shardd::files {

std::string ETagOf(const struct statx& st) {
  const uint64_t mtime_ns =
      static_cast<uint64_t>(st.stx_mtime.tv_sec) * 1000000000u +
      st.stx_mtime.tv_nsec;
  return absl::StrCat("\"", absl::Hex(st.stx_ino), "-", absl::Hex(st.stx_size),
                      "-", absl::Hex(mtime_ns), "\"");
}

std::string HttpDateOf(const struct statx_timestamp& t) {
  return absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT",
                          absl::FromUnixSeconds(t.tv_sec),
                          absl::UTCTimeZone());
}

std::string MetadataHeaders(const struct statx& st) {
  return absl::StrCat("ETag: ", ETagOf(st), "\r\n",
                      "Last-Modified: ", HttpDateOf(st.stx_mtime), "\r\n",
                      "Accept-Ranges: bytes\r\n");
}

}  // namespace shardd::files
