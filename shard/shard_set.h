// ShardSet: starts N shard threads, each pinned to one CPU and running one
// Reactor, and stops them. It also maps keys to their owner shard. Start and
// stop are the runtime's only cross-thread handshake besides the mailboxes.
//
//   ShardSet shards({.shard_count = 4, .cpus = {0, 1, 2, 3}});
//   absl::Status s = shards.Start([&](Reactor& r) { r.Spawn(Serve(r)); });
//   ... wait for a signal ...
//   shards.Stop();
#ifndef SHARDD_SHARD_SHARD_SET_H_
#define SHARDD_SHARD_SHARD_SET_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <latch>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "shard/key_slot.h"
#include "shard/mesh.h"
#include "shard/reactor.h"

namespace shardd {

class ShardSet {
 public:
  struct Options {
    uint32_t shard_count = 1;
    // CPU for shard i is cpus[i % cpus.size()]; empty means do not pin.
    std::vector<int> cpus;
    size_t mailbox_capacity = 4096;
    // How long an idle shard polls for work before it sleeps (Reactor).
    // Applied only when every shard is pinned to a CPU of its own
    // (PollingAllowed): a shard polling on a CPU another shard shares would
    // take that CPU from the work it waits for.
    uint64_t idle_poll_ns = 0;
    // Connections receive with a multishot recv into the shard's shared
    // buffers where the kernel can (Reactor::ReceiveBuffers).
    bool multishot_receive = true;
    // How many of those buffers (a power of two): tests take few, to run
    // out of them.
    uint16_t receive_buffer_count = Reactor::kDefaultReceiveBuffers;
    IoBackend io_backend = IoBackend::kIoUring;
    // Shards pinned to the same CPU run on one thread, sharing its ring
    // (Reactor::RunTogether), where io_uring serves: a hop between them
    // then needs no wake-up and no switch between threads.
    bool share_cpu_threads = true;
    // Entries of each ring's table of registered sockets (0: none; io_uring
    // only): Reactor::registered_files().
    uint32_t registered_files = 0;
  };

  // Whether `options` pin every shard to a CPU no other shard has.
  static bool PollingAllowed(const Options& options);
  // The shards each thread runs: one each, or (share_cpu_threads) all those
  // pinned to one CPU. Under io_uring each thread has one ring.
  static std::vector<std::vector<uint32_t>> ShardsByThread(
      const Options& options);

  explicit ShardSet(Options options);
  ~ShardSet();  // stops the shards if they still run
  ShardSet(const ShardSet&) = delete;
  ShardSet& operator=(const ShardSet&) = delete;

  // Starts the threads. `on_start` runs on each shard's own thread, with its
  // reactor current, before the loop; Start returns once every shard has run
  // it, or with an error if any shard could not start (then none runs).
  absl::Status Start(std::function<void(Reactor&)> on_start);

  // Asks every shard to stop and joins the threads. Idempotent.
  void Stop();

  uint32_t size() const { return options_.shard_count; }

  // The shard that owns `key`: its cluster slot modulo the shard count.
  static uint32_t OwnerOf(std::string_view key, uint32_t shard_count) {
    // One shard owns everything; skip the CRC (3% of a pipelined GET).
    return shard_count == 1 ? 0 : KeySlot(key) % shard_count;
  }

  // The CPUs this process may run on, in ascending order.
  static std::vector<int> AllowedCpus();

 private:
  Options options_;
  Mesh mesh_;
  std::vector<std::unique_ptr<Reactor>> reactors_;
  std::vector<std::thread> threads_;
  std::vector<absl::Status> init_status_;
  std::unique_ptr<std::latch> initialized_;
  std::unique_ptr<std::latch> started_;
};

}  // namespace shardd

#endif  // SHARDD_SHARD_SHARD_SET_H_
