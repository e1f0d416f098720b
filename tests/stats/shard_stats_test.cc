#include "shard/stats/shard_stats.h"

#include <vector>

#include "gtest/gtest.h"

namespace shardd::stats {
namespace {

TEST(ShardStatsTest, CountCommandTracksCallsFailuresAndLatency) {
  ShardStats s(2);
  s.CountCommand("get", 1000, false);
  s.CountCommand("get", 3000, true);
  s.CountCommand("set", 2000, false);
  EXPECT_EQ(s.commands["get"].calls, 2u);
  EXPECT_EQ(s.commands["get"].failed, 1u);
  EXPECT_EQ(s.commands["get"].total_ns, 4000u);
  EXPECT_EQ(s.errors, 1u);
  EXPECT_EQ(s.TotalCommands(), 3u);
  EXPECT_EQ(s.command_ns.count(), 3u);
}

TEST(ShardStatsTest, MailboxDepthKeepsItsHighWater) {
  ShardStats s(3);
  s.NoteMailboxDepth(1, 7);
  s.NoteMailboxDepth(1, 2);
  s.NoteMailboxDepth(2, 4);
  EXPECT_EQ(s.peers[1].mailbox_depth, 2u);
  EXPECT_EQ(s.peers[1].mailbox_depth_high, 7u);
  EXPECT_EQ(s.MailboxDepth(), 6u);
  EXPECT_EQ(s.MailboxDepthHigh(), 7u);
}

TEST(ShardStatsTest, UtilisationAndInFlight) {
  ShardStats s;
  EXPECT_EQ(s.Utilisation(), 0.0);
  s.busy_ns = 250;
  s.idle_ns = 750;
  EXPECT_DOUBLE_EQ(s.Utilisation(), 0.25);
  s.uring_submissions = 10;
  s.uring_completions = 7;
  EXPECT_EQ(s.UringInFlight(), 3u);
}

TEST(ShardStatsTest, SumSnapshotsAddsEveryShard) {
  std::vector<ShardStatsSnapshot> shards(2);
  for (uint32_t i = 0; i < 2; ++i) {
    shards[i].shard = i;
    shards[i].stats = ShardStats(2);
    shards[i].stats.connections_current = 1 + i;
    shards[i].stats.CountCommand("get", 100, false);
    shards[i].stats.peers[1 - i].messages_sent = 5;
    shards[i].stats.NoteMailboxDepth(1 - i, 3 + i);
    shards[i].keys = 10;
    shards[i].memory.allocated = 1000;
  }
  const ShardStatsSnapshot total = SumSnapshots(shards);
  EXPECT_EQ(total.shard, 2u);
  EXPECT_EQ(total.stats.connections_current, 3u);
  EXPECT_EQ(total.stats.commands.at("get").calls, 2u);
  EXPECT_EQ(total.stats.MessagesSent(), 10u);
  EXPECT_EQ(total.stats.MailboxDepthHigh(), 4u);
  EXPECT_EQ(total.stats.command_ns.count(), 2u);
  EXPECT_EQ(total.keys, 20u);
  EXPECT_EQ(total.memory.allocated, 2000u);
}

}  // namespace
}  // namespace shardd::stats
