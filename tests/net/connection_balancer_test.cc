#include "net/connection_balancer.h"

#include <vector>

#include "gtest/gtest.h"

namespace shardd::net {
namespace {

TEST(ConnectionBalancerTest, AssignsToLeastLoadedPreferringAcceptor) {
  ConnectionBalancer balancer(4, /*enabled=*/true);
  // All connections arrive on shard 2, as unlucky hashing can make them.
  std::vector<int> per_shard(4, 0);
  for (int i = 0; i < 64; ++i) ++per_shard[balancer.Assign(2)];
  EXPECT_EQ(per_shard, (std::vector<int>{16, 16, 16, 16}));
  EXPECT_EQ(balancer.Assign(2), 2u);  // tie → stays on the acceptor
}

TEST(ConnectionBalancerTest, ReleasedSlotsAreReusedFirst) {
  ConnectionBalancer balancer(2, /*enabled=*/true);
  balancer.Assign(0);
  balancer.Assign(0);
  balancer.Release(1);
  EXPECT_EQ(balancer.Assign(0), 1u);
}

TEST(ConnectionBalancerTest, DisabledKeepsKernelChoice) {
  ConnectionBalancer balancer(4, /*enabled=*/false);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(balancer.Assign(3), 3u);
  EXPECT_EQ(balancer.OpenOn(3), 10);
}

}  // namespace
}  // namespace shardd::net
