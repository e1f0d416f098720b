#include "shard/files/listing.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "shard/files/request_path.h"

namespace shardd::files {
namespace {

// The length of the valid UTF-8 sequence starting `text`, or 0.
size_t Utf8SequenceLength(std::string_view text) {
  const auto byte = [&](size_t i) {
    return static_cast<unsigned char>(text[i]);
  };
  const unsigned char lead = byte(0);
  size_t length;
  uint32_t min;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2, min = 0x80;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3, min = 0x800;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4, min = 0x10000;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  uint32_t code = lead & (0x7f >> length);
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xc0) != 0x80) return 0;
    code = (code << 6) | (byte(i) & 0x3f);
  }
  const bool surrogate = code >= 0xd800 && code <= 0xdfff;
  return code < min || code > 0x10ffff || surrogate ? 0 : length;
}

}  // namespace

Listing ReadDirectory(int dir_fd, size_t max_entries) {
  Listing listing;
  DIR* dir = fdopendir(dir_fd);
  if (dir == nullptr) {
    listing.error = errno;
    if (dir_fd >= 0) close(dir_fd);
    return listing;
  }
  // The first `max_entries` names in order, whatever the order readdir
  // gives: a max-heap of that many, so memory stays bounded however large
  // the directory.
  std::vector<std::string> names;
  errno = 0;
  while (const dirent* entry = readdir(dir)) {
    const std::string_view name = entry->d_name;
    if (name == "." || name == ".." || name.starts_with(kTempPrefix)) continue;
    if (names.size() == max_entries) {
      listing.truncated = true;
      if (max_entries == 0 || name >= names.front()) continue;
      std::pop_heap(names.begin(), names.end());
      names.pop_back();
    }
    names.emplace_back(name);
    std::push_heap(names.begin(), names.end());
  }
  if (errno != 0) listing.error = errno;
  std::sort_heap(names.begin(), names.end());
  for (std::string& name : names) {
    struct stat st {};
    if (fstatat(dirfd(dir), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      continue;  // removed meanwhile
    }
    listing.entries.push_back(
        {.name = std::move(name),
         .type = S_ISREG(st.st_mode)   ? "file"
                 : S_ISDIR(st.st_mode) ? "dir"
                                       : "other",
         .size = S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0,
         .mtime_s = st.st_mtim.tv_sec});
  }
  closedir(dir);  // closes dir_fd
  return listing;
}

std::string JsonEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const size_t length = Utf8SequenceLength(text.substr(i));
      if (length > 0) {
        out.append(text.substr(i, length));
        i += length;
      } else {
        absl::StrAppendFormat(&out, "\\u%04x", c);
        ++i;
      }
      continue;
    }
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20 || c == 0x7f) {
      absl::StrAppendFormat(&out, "\\u%04x", c);
    } else {
      out.push_back(static_cast<char>(c));
    }
    ++i;
  }
  return out;
}

std::string ListingJson(std::string_view path, const Listing& listing) {
  std::string out = absl::StrCat("{\"path\":\"", JsonEscape(path),
                                 "\",\"entries\":[");
  for (size_t i = 0; i < listing.entries.size(); ++i) {
    const ListingEntry& e = listing.entries[i];
    absl::StrAppend(&out, i == 0 ? "" : ",", "{\"name\":\"",
                    JsonEscape(e.name), "\",\"type\":\"",
                    absl::string_view(e.type.data(), e.type.size()),
                    "\",\"size\":", e.size, ",\"mtime\":", e.mtime_s, "}");
  }
  absl::StrAppend(&out, "],\"truncated\":",
                  listing.truncated ? "true" : "false", "}\n");
  return out;
}

}  // namespace shardd::files
