// Snapshots with every kind of counter set, shared by the exposition tests.
#ifndef SHARDD_TESTS_STATS_SAMPLE_SNAPSHOTS_H_
#define SHARDD_TESTS_STATS_SAMPLE_SNAPSHOTS_H_

#include <vector>

#include "shard/stats/shard_stats.h"

namespace shardd::stats {

inline std::vector<ShardStatsSnapshot> SampleSnapshots(uint32_t count) {
  std::vector<ShardStatsSnapshot> shards(count);
  for (uint32_t i = 0; i < count; ++i) {
    ShardStatsSnapshot& s = shards[i];
    s.shard = i;
    s.stats = ShardStats(count);
    s.stats.connections_current = i + 1;
    s.stats.connections_accepted = 10 * (i + 1);
    s.stats.connections_closed = 9 * (i + 1);
    s.stats.connections_rejected = i;
    for (int n = 0; n < 100; ++n) s.stats.CountCommand("get", 1000 + n, false);
    s.stats.CountCommand("set", 2500, i % 2 == 1);
    // A name needing every escape, to prove the renderers escape.
    s.stats.CountCommand("we\"ird\\na\nme", 10, false);
    s.stats.bytes_in = 12345;
    s.stats.bytes_out = 67890;
    for (uint32_t peer = 0; peer < count; ++peer) {
      if (peer == i) continue;
      s.stats.peers[peer].messages_sent = 100 + peer;
      s.stats.peers[peer].messages_received = 200 + peer;
      s.stats.NoteMailboxDepth(peer, peer);
    }
    s.stats.loop_turns = 5000;
    s.stats.busy_ns = 1'000'000;
    s.stats.idle_ns = 3'000'000;
    s.stats.uring_submissions = 700;
    s.stats.uring_completions = 690;
    s.stats.request_ns.Record(50'000, 10);
    s.keys = 1000 + i;
    s.expires = 10;
    s.memory = {.allocated = 1 << 20, .active = 2 << 20, .resident = 3 << 20};
  }
  return shards;
}

}  // namespace shardd::stats

#endif  // SHARDD_TESTS_STATS_SAMPLE_SNAPSHOTS_H_
