// OpenFileCache: a shard's open descriptors and metadata of the regular
// files it served lately (nginx's open_file_cache), so that a GET of a hot
// file costs no open, statx or close; small files are kept as their bytes
// instead of a descriptor, so that a GET of one costs no read either.
// Bounded in entries and in content bytes (least recently used out).
//
// Never stale: a PUT or DELETE invalidates the path on every shard before it
// replies (InvalidateEverywhere, put_handler.cc), and a GET that opened a
// file before such an invalidation does not cache what it opened (the
// epoch). Changes made behind shardd's back (another process writing the
// directory) show within kMaxAge: an entry older than that is opened again
// (nginx's open_file_cache_valid).
//
//   uint64_t epoch = cache.epoch();
//   std::shared_ptr<const CachedFile> file = cache.Find(path, now_ns);
//   if (!file) {
//     ... open, statx ...;  // (other requests' inserts may come meanwhile)
//     cache.Insert(path, file, epoch, stats::MonotonicNanos());
//   }
#ifndef SHARDD_SHARD_FILES_OPEN_FILE_CACHE_H_
#define SHARDD_SHARD_FILES_OPEN_FILE_CACHE_H_

#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace shardd::files {

// A regular file, open or read whole, and what its responses say about it.
// A descriptor closes once the cache and every response still sending it
// let go, on the blocking pool when there is one: the last close of a file
// replaced or deleted meanwhile frees its blocks, which for a large file is
// disk work.
struct CachedFile {
  // `close_elsewhere(fd)` hands the final close over (true) or declines;
  // empty: closed here.
  CachedFile(int fd, const struct statx& st,
             std::function<bool(int)> close_elsewhere = {});
  // The file's `content`, read whole when it was opened; no descriptor.
  CachedFile(std::string content, const struct statx& st);
  CachedFile(const CachedFile&) = delete;
  CachedFile& operator=(const CachedFile&) = delete;
  ~CachedFile();

  const int fd;  // -1 when the content is held
  const std::function<bool(int)> close_elsewhere;
  const std::string content;
  const struct statx st;
  const std::string etag;
  const std::string metadata_headers;  // ETag, Last-Modified, Accept-Ranges
};

class OpenFileCache {
 public:
  static constexpr uint64_t kMaxAgeNs = 1'000'000'000;
  // The largest file kept as its bytes: larger ones are sent from their
  // descriptor anyway (spliced), and would crowd the budget.
  static constexpr uint64_t kMaxContentBytes = 64 * 1024;

  // At most `capacity` files, holding at most `content_budget` bytes of
  // content between them.
  OpenFileCache(size_t capacity, size_t content_budget)
      : capacity_(capacity), content_budget_(content_budget) {}

  // Whether a file of `size` bytes is to be kept as its content.
  bool WouldHoldContent(uint64_t size) const {
    return capacity_ > 0 && content_budget_ > 0 && size <= kMaxContentBytes &&
           size <= content_budget_;
  }

  // The entry for `path` (and it becomes the most recently used), or null;
  // an entry inserted more than kMaxAgeNs before `now_ns` is dropped.
  std::shared_ptr<const CachedFile> Find(std::string_view path,
                                         uint64_t now_ns);

  // Remembers `file` for `path` as of `now_ns`, unless `path` (or any path)
  // was invalidated since `epoch` was read: what was opened then may be the
  // old version.
  void Insert(std::string_view path, std::shared_ptr<const CachedFile> file,
              uint64_t epoch, uint64_t now_ns);

  // `path` was replaced or deleted: forget it.
  void Invalidate(std::string_view path);

  uint64_t epoch() const { return epoch_; }
  size_t size() const { return index_.size(); }
  size_t content_bytes() const { return content_bytes_; }

 private:
  struct Entry {
    std::string path;
    std::shared_ptr<const CachedFile> file;
    uint64_t inserted_ns;
  };
  // Returns the entry after `it` (colder).
  std::list<Entry>::iterator Erase(std::list<Entry>::iterator it);

  const size_t capacity_;
  const size_t content_budget_;
  size_t content_bytes_ = 0;  // held by the entries
  std::list<Entry> recency_;  // most recently used first
  absl::flat_hash_map<std::string, std::list<Entry>::iterator> index_;
  uint64_t epoch_ = 0;  // invalidations so far
};

}  // namespace shardd::files

#endif  // SHARDD_SHARD_FILES_OPEN_FILE_CACHE_H_
