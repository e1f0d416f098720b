#include "aio/log/manifest.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "aio/file.h"

namespace shardd::aio {
namespace {

constexpr char kHeader[] = "shardd-aof 1";
constexpr char kManifestName[] = "manifest";

absl::Status ErrnoStatus(const char* what, const std::string& path) {
  return absl::InternalError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

absl::Status SyncPath(const std::string& path, int flags) {
  const int fd = open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open", path);
  const int rc = fsync(fd);
  close(fd);
  if (rc != 0) return ErrnoStatus("cannot sync", path);
  return absl::OkStatus();
}

}  // namespace

std::string LogFileName(uint64_t generation, uint32_t index) {
  return absl::StrCat("g", generation, "-", index, ".aof");
}

std::string BaseFileName(uint64_t generation, uint32_t index) {
  return absl::StrCat("g", generation, "-", index, ".base.aof");
}

std::string FormatManifest(const Manifest& manifest) {
  std::string text = absl::StrCat(kHeader, "\n");
  for (const LogGeneration& g : manifest.generations) {
    absl::StrAppend(&text, "generation ", g.id, " files ", g.files,
                    g.base ? " base\n" : "\n");
  }
  return text;
}

absl::StatusOr<Manifest> ParseManifest(std::string_view text) {
  Manifest manifest;
  std::vector<absl::string_view> lines = absl::StrSplit(
      absl::string_view(text.data(), text.size()), '\n', absl::SkipEmpty());
  if (lines.empty() || lines[0] != kHeader) {
    return absl::DataLossError(
        absl::StrCat("manifest line 1: expected '", kHeader, "'"));
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<absl::string_view> words = absl::StrSplit(lines[i], ' ');
    LogGeneration g;
    g.base = words.size() == 5 && words[4] == "base";
    if ((words.size() != 4 && !g.base) || words[0] != "generation" ||
        words[2] != "files" ||
        !absl::SimpleAtoi(words[1], &g.id) ||
        !absl::SimpleAtoi(words[3], &g.files) || g.files == 0 ||
        (!manifest.generations.empty() &&
         g.id <= manifest.generations.back().id)) {
      return absl::DataLossError(absl::StrCat(
          "manifest line ", i + 1, ": bad entry '", lines[i], "'"));
    }
    manifest.generations.push_back(g);
  }
  return manifest;
}

absl::StatusOr<Manifest> ReadManifest(const std::string& log_dir) {
  const std::string path = absl::StrCat(log_dir, "/", kManifestName);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return Manifest{};
    return ErrnoStatus("cannot read", path);
  }
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<Manifest> manifest = ParseManifest(text.str());
  if (!manifest.ok()) {
    return absl::DataLossError(
        absl::StrCat(path, ": ", manifest.status().message()));
  }
  return manifest;
}

absl::Status WriteManifest(const std::string& log_dir,
                           const Manifest& manifest) {
  const std::string path = absl::StrCat(log_dir, "/", kManifestName);
  const std::string temp = path + ".tmp";
  const std::string text = FormatManifest(manifest);
  const int fd =
      open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("cannot create", temp);
  const bool written =
      write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool synced = written && fsync(fd) == 0;
  close(fd);
  if (!synced) return ErrnoStatus("cannot write", temp);
  if (rename(temp.c_str(), path.c_str()) != 0) {
    return ErrnoStatus("cannot rename into place", path);
  }
  return SyncPath(log_dir, O_RDONLY | O_DIRECTORY);
}

Task<int> WriteManifestOnRing(const std::string& log_dir,
                              const Manifest& manifest) {
  const std::string path = absl::StrCat(log_dir, "/", kManifestName);
  const std::string temp = path + ".tmp";
  const std::string text = FormatManifest(manifest);
  const int fd =
      co_await Open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) co_return fd;
  int rc = co_await Write(fd, text.data(), text.size(), 0);
  if (rc >= 0) rc = rc == static_cast<int>(text.size()) ? 0 : -EIO;
  if (rc == 0) rc = co_await Fsync(fd);
  co_await Close(fd);
  if (rc != 0) co_return rc;
  rc = co_await RenameAt(AT_FDCWD, temp.c_str(), AT_FDCWD, path.c_str());
  if (rc != 0) co_return rc;
  const int dir = co_await Open(log_dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir < 0) co_return dir;
  rc = co_await Fsync(dir);
  co_await Close(dir);
  co_return rc;
}

absl::StatusOr<OpenLogs> OpenLogDir(const std::string& log_dir,
                                    uint32_t shard_count) {
  if (mkdir(log_dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return ErrnoStatus("cannot create", log_dir);
  }
  absl::StatusOr<Manifest> manifest = ReadManifest(log_dir);
  if (!manifest.ok()) return manifest.status();
  OpenLogs logs{*std::move(manifest), {}, {}};
  std::vector<LogGeneration>& generations = logs.manifest.generations;
  if (generations.empty() || generations.back().files != shard_count) {
    const uint64_t id = generations.empty() ? 1 : generations.back().id + 1;
    generations.push_back({id, shard_count});
  }

  // Whatever the manifest does not name goes: a crash between creating a
  // file and naming it leaves nothing anyone relies on.
  absl::flat_hash_set<std::string> named = {std::string(kManifestName)};
  for (const LogGeneration& g : generations) {
    for (uint32_t i = 0; i < g.files; ++i) {
      named.insert(LogFileName(g.id, i));
      if (g.base) named.insert(BaseFileName(g.id, i));
    }
  }
  if (DIR* dir = opendir(log_dir.c_str())) {
    while (const dirent* entry = readdir(dir)) {
      const std::string name = entry->d_name;
      if (name == "." || name == ".." || named.contains(name)) continue;
      unlink(absl::StrCat(log_dir, "/", name).c_str());
    }
    closedir(dir);
  }

  const LogGeneration& current = generations.back();
  for (uint32_t i = 0; i < shard_count; ++i) {
    const std::string path =
        absl::StrCat(log_dir, "/", LogFileName(current.id, i));
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      for (int open_fd : logs.fds) close(open_fd);
      return ErrnoStatus("cannot open", path);
    }
    struct stat st {};
    fstat(fd, &st);
    logs.fds.push_back(fd);
    logs.sizes.push_back(static_cast<uint64_t>(st.st_size));
  }
  // The files exist before the manifest names them; a new generation is
  // named only once they do.
  if (absl::Status s = SyncPath(log_dir, O_RDONLY | O_DIRECTORY); !s.ok()) {
    return s;
  }
  if (absl::Status s = WriteManifest(log_dir, logs.manifest); !s.ok()) {
    return s;
  }
  return logs;
}

}  // namespace shardd::aio
