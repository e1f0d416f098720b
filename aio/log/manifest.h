// The log directory's manifest: which log files exist and in what order
// they are replayed. Logs come in generations; a generation has one file
// per shard of the run that wrote it, and each key's history within a
// generation is in exactly one of its files (its owner's), so a
// generation's files can be replayed in parallel, generations one after
// another. A run with the same shard count as the last generation appends
// to it; a run with another count starts a new one.
//
//   <dir>/aof/manifest       shardd-aof 1
//                            generation 1 files 4
//                            generation 2 files 2
//   <dir>/aof/g1-0.aof ... g1-3.aof, g2-0.aof, g2-1.aof
//
// A compaction (kv/persist/log_rewrite.h) leaves one generation whose files
// each start with a base: "generation 3 files 2 base" names g3-0.base.aof,
// replayed before g3-0.aof, and g3-1.base.aof before g3-1.aof.
//
// The manifest is replaced atomically (written beside, synced, renamed
// over, directory synced), so a crash leaves the old or the new one.
#ifndef SHARDD_AIO_LOG_MANIFEST_H_
#define SHARDD_AIO_LOG_MANIFEST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "shard/task.h"

namespace shardd::aio {

struct LogGeneration {
  uint64_t id = 0;
  uint32_t files = 0;
  bool base = false;  // each file has a base, replayed first
};

struct Manifest {
  std::vector<LogGeneration> generations;  // in replay order
};

// "g<generation>-<index>.aof", and its base "g<generation>-<index>.base.aof"
std::string LogFileName(uint64_t generation, uint32_t index);
std::string BaseFileName(uint64_t generation, uint32_t index);

// The manifest's text, and back; ParseManifest names the bad line.
std::string FormatManifest(const Manifest& manifest);
absl::StatusOr<Manifest> ParseManifest(std::string_view text);

// Reads <log_dir>/manifest; an empty Manifest if there is none.
absl::StatusOr<Manifest> ReadManifest(const std::string& log_dir);
// Replaces <log_dir>/manifest atomically and durably (blocking: at start).
absl::Status WriteManifest(const std::string& log_dir,
                           const Manifest& manifest);
// The same through the shard's ring (on a shard, while it serves); returns
// 0 or -errno.
Task<int> WriteManifestOnRing(const std::string& log_dir,
                              const Manifest& manifest);

// The logs a run with `shard_count` shards appends to, opened at start (on
// the main thread, before the shards run: it blocks on the disk).
struct OpenLogs {
  Manifest manifest;  // every generation, the current one last
  std::vector<int> fds;          // per shard: its file of the last generation
  std::vector<uint64_t> sizes;   // ... and that file's size
};

// Creates <log_dir> if needed, removes files the manifest does not name
// (left by a crash mid-rewrite or mid-start), starts a generation when the
// last one has another shard count, and opens each shard's file.
absl::StatusOr<OpenLogs> OpenLogDir(const std::string& log_dir,
                                    uint32_t shard_count);

}  // namespace shardd::aio

#endif  // SHARDD_AIO_LOG_MANIFEST_H_
