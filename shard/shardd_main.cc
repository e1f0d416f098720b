// shardd: parse flags, start the shards, wait for SIGINT/SIGTERM, stop.
#include <signal.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gflags/gflags.h"
#include "shard/admin/admin_service.h"
#include "shard/kv/kv_service.h"
#include "shard/kv/stats_snapshot.h"
#include "shard/shard_set.h"
#include "shard/stats/jemalloc_arena.h"

DEFINE_uint32(shards, 0,
              "Number of shards (event loops, one thread each). 0 means one "
              "per CPU this process may run on.");
DEFINE_string(cpus, "",
              "Comma-separated CPU list to pin shards to, in order (shard i "
              "runs on the i-th CPU, wrapping around). Empty means the CPUs "
              "this process may run on.");
DEFINE_string(bind, "127.0.0.1",
              "IP address the Redis-protocol port listens on (0.0.0.0 for "
              "all IPv4 interfaces).");
DEFINE_uint32(port, 6379,
              "TCP port of the Redis-protocol service. 0 picks a free port "
              "(printed in the ready line).");
DEFINE_bool(balance_connections, true,
            "Hand each accepted connection to the shard with the fewest open "
            "connections, instead of keeping SO_REUSEPORT's choice.");
DEFINE_uint32(maxclients, 10000,
              "Maximum number of client connections over all shards; more "
              "are refused with Redis's error.");
DEFINE_uint64(max_request_bytes, 512ull << 20,
              "Largest single request (command with its arguments) accepted, "
              "in bytes; a larger one closes the connection.");
DEFINE_uint32(mailbox_capacity, 4096,
              "Slots in each shard-to-shard ring; when full, messages wait in "
              "the sender's queue (back-pressure), never dropped.");
DEFINE_bool(admin, true,
            "Serve the HTTP admin endpoint (/metrics, /stats, /healthz).");
DEFINE_string(admin_bind, "127.0.0.1",
              "IP address the admin endpoint listens on.");
DEFINE_uint32(admin_port, 9100,
              "TCP port of the admin endpoint. 0 picks a free port (printed "
              "in the ready line as admin_port=<P>).");

namespace {

bool ParseCpuList(const std::string& text, std::vector<int>* cpus) {
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    int cpu = 0;
    if (!absl::SimpleAtoi(part, &cpu) || cpu < 0) return false;
    cpus->push_back(cpu);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  gflags::SetUsageMessage(
      "shard-per-core Redis-protocol server\nusage: shardd [flags]");
  gflags::ParseCommandLineFlags(&argc, &argv, true);

  std::vector<int> cpus;
  if (!ParseCpuList(FLAGS_cpus, &cpus)) {
    std::fprintf(stderr, "shardd: --cpus must be a comma-separated list of "
                         "CPU numbers, got '%s'\n", FLAGS_cpus.c_str());
    return 2;
  }
  if (cpus.empty()) cpus = shardd::ShardSet::AllowedCpus();
  const uint32_t shard_count =
      FLAGS_shards > 0 ? FLAGS_shards : static_cast<uint32_t>(cpus.size());
  if (shard_count == 0 || shard_count > 1024 || FLAGS_port > 65535 ||
      FLAGS_admin_port > 65535) {
    std::fprintf(stderr, "shardd: --shards must be in 1..1024 and --port and "
                         "--admin_port in 0..65535\n");
    return 2;
  }

  // Block the stop signals before any thread starts, so every shard thread
  // inherits the mask and only this thread receives them (in sigwait).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  shardd::kv::KvOptions options;
  options.bind_address = FLAGS_bind;
  options.port = static_cast<uint16_t>(FLAGS_port);
  options.balance_connections = FLAGS_balance_connections;
  options.max_clients = FLAGS_maxclients;
  options.max_request_bytes = FLAGS_max_request_bytes;
  shardd::kv::KvService kv(options, shard_count);
  if (absl::Status s = kv.Listen(); !s.ok()) {
    std::fprintf(stderr, "shardd: %s\n", std::string(s.message()).c_str());
    return 1;
  }

  // Each shard allocates from its own jemalloc arena (written by that shard
  // at start, read by it for every snapshot).
  std::vector<std::optional<unsigned>> arenas(shard_count);
  kv.SetSnapshotSource([&kv, &arenas] {
    shardd::stats::ShardStatsSnapshot s = shardd::kv::SnapshotThisShard(kv);
    if (const std::optional<unsigned> arena = arenas[s.shard]) {
      s.memory = shardd::stats::ReadArenaMemory(*arena).value_or(
          shardd::stats::ArenaMemory());
    }
    return s;
  });
  shardd::admin::AdminService admin(
      {.bind_address = FLAGS_admin_bind,
       .port = static_cast<uint16_t>(FLAGS_admin_port)},
      shard_count, [&kv] { return kv.SnapshotHere(); });
  if (FLAGS_admin) {
    if (absl::Status s = admin.Listen(); !s.ok()) {
      std::fprintf(stderr, "shardd: admin endpoint: %s\n",
                   std::string(s.message()).c_str());
      return 1;
    }
  }

  shardd::ShardSet shards({.shard_count = shard_count,
                           .cpus = cpus,
                           .mailbox_capacity = FLAGS_mailbox_capacity});
  if (absl::Status s = shards.Start(
          [&](shardd::Reactor& r) {
            if (absl::StatusOr<unsigned> arena =
                    shardd::stats::CreateThreadArena();
                arena.ok()) {
              arenas[r.shard_id()] = *arena;
            }
            kv.StartOnShard(r);
            if (FLAGS_admin) admin.StartOnShard(r);
          });
      !s.ok()) {
    std::fprintf(stderr, "shardd: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  std::printf("shardd ready port=%u shards=%u", kv.port(), shard_count);
  if (FLAGS_admin) std::printf(" admin_port=%u", admin.port());
  std::printf("\n");
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  shards.Stop();
  return 0;
}
