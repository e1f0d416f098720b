// Directory listings (GET of a path ending in '/'): the entries of one
// directory, read on the blocking pool (there is no io_uring opcode for
// getdents), and their JSON form.
//
//   std::optional<Listing> listing = co_await pool.Run<Listing>(
//       [fd, max] { return ReadDirectory(fd, max); });
//   std::string body = ListingJson("/photos/", *listing);
#ifndef SHARDD_SHARD_FILES_LISTING_H_
#define SHARDD_SHARD_FILES_LISTING_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shardd::files {

struct ListingEntry {
  std::string name;
  std::string_view type;  // "file", "dir" or "other" (symlinks included)
  uint64_t size = 0;
  int64_t mtime_s = 0;
};

struct Listing {
  std::vector<ListingEntry> entries;  // sorted by name
  bool truncated = false;             // there were more than asked for
  int error = 0;                      // errno, if the directory could not be read
};

// Blocking: for the pool. Reads the directory open as `dir_fd` (and closes
// it): the first `max_entries` entries by name, "." and "..", and PUT
// temporaries, left out; symlinks are not followed.
Listing ReadDirectory(int dir_fd, size_t max_entries);

// {"path":"/a/","entries":[{"name":"x","type":"file","size":1,"mtime":2}],
//  "truncated":false}. Names are JSON strings: valid UTF-8 as is, any other
// byte as \u00XX.
std::string ListingJson(std::string_view path, const Listing& listing);

// `text` as the contents of a JSON string (without the quotes).
std::string JsonEscape(std::string_view text);

}  // namespace shardd::files

#endif  // SHARDD_SHARD_FILES_LISTING_H_
