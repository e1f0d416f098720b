#include "shard/files/open_file_cache.h"

#include <unistd.h>

#include <iterator>
#include <string>
#include <utility>

#include "shard/files/file_metadata.h"

namespace shardd::files {

CachedFile::CachedFile(int fd, const struct statx& st,
                       std::function<bool(int)> close_elsewhere)
    : fd(fd),
      close_elsewhere(std::move(close_elsewhere)),
      st(st),
      etag(ETagOf(st)),
      metadata_headers(MetadataHeaders(st)) {}

CachedFile::CachedFile(std::string content, const struct statx& st)
    : fd(-1),
      content(std::move(content)),
      st(st),
      etag(ETagOf(st)),
      metadata_headers(MetadataHeaders(st)) {}

CachedFile::~CachedFile() {
  if (fd >= 0 && (!close_elsewhere || !close_elsewhere(fd))) close(fd);
}

std::shared_ptr<const CachedFile> OpenFileCache::Find(std::string_view path,
                                                      uint64_t now_ns) {
  // Looked up without building a std::string (the map hashes views too).
  auto it = index_.find(absl::string_view(path.data(), path.size()));
  if (it == index_.end()) return nullptr;
  if (now_ns - it->second->inserted_ns > kMaxAgeNs) {
    Erase(it->second);
    return nullptr;
  }
  recency_.splice(recency_.begin(), recency_, it->second);
  return it->second->file;
}

void OpenFileCache::Insert(std::string_view path,
                           std::shared_ptr<const CachedFile> file,
                           uint64_t epoch, uint64_t now_ns) {
  const size_t bytes = file->content.size();
  if (capacity_ == 0 || epoch != epoch_ || bytes > content_budget_) return;
  // Entries nobody asked for since they expired would keep their files
  // (perhaps deleted since) open: let the expired ones at the cold end go.
  while (!recency_.empty() &&
         now_ns - recency_.back().inserted_ns > kMaxAgeNs) {
    Erase(std::prev(recency_.end()));
  }
  std::string key(path);
  if (auto it = index_.find(key); it != index_.end()) Erase(it->second);
  if (index_.size() == capacity_) Erase(std::prev(recency_.end()));
  // Over the byte budget the coldest entries holding content go; one
  // holding a descriptor frees no bytes, and stays. Some entry holds
  // content while the budget is exceeded, since `bytes` alone fits.
  auto it = recency_.end();
  while (content_bytes_ + bytes > content_budget_) {
    --it;
    if (!it->file->content.empty()) it = Erase(it);
  }
  content_bytes_ += bytes;
  recency_.push_front({key, std::move(file), now_ns});
  index_.emplace(std::move(key), recency_.begin());
}

void OpenFileCache::Invalidate(std::string_view path) {
  ++epoch_;
  auto it = index_.find(absl::string_view(path.data(), path.size()));
  if (it != index_.end()) Erase(it->second);
}

std::list<OpenFileCache::Entry>::iterator OpenFileCache::Erase(
    std::list<Entry>::iterator it) {
  content_bytes_ -= it->file->content.size();
  index_.erase(it->path);
  return recency_.erase(it);
}

}  // namespace shardd::files
