#include "shard/stats/jemalloc_arena.h"

#include <jemalloc/jemalloc.h>

#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace shardd::stats {
namespace {

absl::Status MallctlError(absl::string_view name, int rc) {
  return absl::InternalError(
      absl::StrCat("mallctl(", name, "): ", std::strerror(rc)));
}

template <typename T>
absl::StatusOr<T> ReadMallctl(const std::string& name) {
  T value{};
  size_t size = sizeof(value);
  if (const int rc = mallctl(name.c_str(), &value, &size, nullptr, 0); rc != 0) {
    return MallctlError(name, rc);
  }
  return value;
}

}  // namespace

absl::StatusOr<unsigned> CreateThreadArena() {
  unsigned arena = 0;
  size_t size = sizeof(arena);
  if (const int rc = mallctl("arenas.create", &arena, &size, nullptr, 0);
      rc != 0) {
    return MallctlError("arenas.create", rc);
  }
  if (const int rc =
          mallctl("thread.arena", nullptr, nullptr, &arena, sizeof(arena));
      rc != 0) {
    return MallctlError("thread.arena", rc);
  }
  return arena;
}

namespace {

absl::Status RefreshStats() {
  // Statistics are cached by jemalloc until the epoch advances.
  uint64_t epoch = 1;
  size_t epoch_size = sizeof(epoch);
  if (const int rc = mallctl("epoch", &epoch, &epoch_size, &epoch,
                             sizeof(epoch));
      rc != 0) {
    return MallctlError("epoch", rc);
  }
  return absl::OkStatus();
}

absl::StatusOr<ArenaMemory> ReadRefreshed(unsigned arena) {
  const std::string prefix = absl::StrCat("stats.arenas.", arena, ".");
  absl::StatusOr<size_t> small = ReadMallctl<size_t>(prefix + "small.allocated");
  absl::StatusOr<size_t> large = ReadMallctl<size_t>(prefix + "large.allocated");
  absl::StatusOr<size_t> pactive = ReadMallctl<size_t>(prefix + "pactive");
  absl::StatusOr<size_t> resident = ReadMallctl<size_t>(prefix + "resident");
  absl::StatusOr<size_t> page = ReadMallctl<size_t>("arenas.page");
  for (const absl::Status& s : {small.status(), large.status(), pactive.status(),
                                resident.status(), page.status()}) {
    if (!s.ok()) return s;
  }
  return ArenaMemory{.allocated = *small + *large,
                     .active = *pactive * *page,
                     .resident = *resident};
}

}  // namespace

absl::StatusOr<ArenaMemory> ReadArenaMemory(unsigned arena) {
  if (absl::Status s = RefreshStats(); !s.ok()) return s;
  return ReadRefreshed(arena);
}

absl::StatusOr<std::vector<ArenaMemory>> ReadArenasMemory(
    const std::vector<unsigned>& arenas) {
  if (absl::Status s = RefreshStats(); !s.ok()) return s;
  std::vector<ArenaMemory> memory;
  for (const unsigned arena : arenas) {
    absl::StatusOr<ArenaMemory> one = ReadRefreshed(arena);
    if (!one.ok()) return one.status();
    memory.push_back(*one);
  }
  return memory;
}

}  // namespace shardd::stats
