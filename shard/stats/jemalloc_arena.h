// One jemalloc arena per shard: the shard's thread allocates from an arena no
// other thread uses (no contention on arena locks, memory stays NUMA-local to
// the shard's CPU), and the arena's statistics are the shard's memory usage.
// Only code linked with jemalloc (PkgConfig::JEMALLOC) may use this.
//
//   absl::StatusOr<unsigned> arena = CreateThreadArena();   // on the shard
//   absl::StatusOr<ArenaMemory> memory = ReadArenaMemory(*arena);
#ifndef SHARDD_SHARD_STATS_JEMALLOC_ARENA_H_
#define SHARDD_SHARD_STATS_JEMALLOC_ARENA_H_

#include <vector>

#include "absl/status/statusor.h"
#include "shard/stats/shard_stats.h"

namespace shardd::stats {

// Creates a new arena and makes it the calling thread's; returns its index.
absl::StatusOr<unsigned> CreateThreadArena();

// The current statistics of arena `arena` (refreshes jemalloc's stats epoch,
// which is thread-safe).
absl::StatusOr<ArenaMemory> ReadArenaMemory(unsigned arena);

// The same for each of `arenas`, after one refresh: a refresh gathers every
// arena's statistics (about 2 ms here), so one serves them all.
absl::StatusOr<std::vector<ArenaMemory>> ReadArenasMemory(
    const std::vector<unsigned>& arenas);

}  // namespace shardd::stats

#endif  // SHARDD_SHARD_STATS_JEMALLOC_ARENA_H_
