#include "shard/kv/kv_service.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <string_view>

#include "absl/time/clock.h"
#include "net/socket_io.h"
#include "shard/kv/resp_session.h"
#include "shard/kv/stats_snapshot.h"
#include "shard/message.h"
#include "shard/timer.h"

namespace shardd::kv {
namespace {

// Redis runs its active expiry 10 times a second (hz 10).
constexpr absl::Duration kExpirePeriod = absl::Milliseconds(100);
// Per period at most kExpireRounds * kExpireBatch keys are reclaimed, so a
// mass expiry never stalls the loop for long.
constexpr size_t kExpireBatch = 256;
constexpr int kExpireRounds = 16;

constexpr std::string_view kMaxClientsError =
    "-ERR max number of clients reached\r\n";

// Carries an accepted socket to the shard chosen to serve it.
class ConnectionHandoff final : public Message {
 public:
  ConnectionHandoff(KvService& service, int fd) : service_(service), fd_(fd) {}
  void Run() override {
    service_.AdoptConnection(fd_);
    delete this;
  }

 private:
  KvService& service_;
  int fd_;
};

}  // namespace

KvService::KvService(KvOptions options, uint32_t shard_count)
    : options_(std::move(options)),
      shard_count_(shard_count),
      balancer_(shard_count, options_.balance_connections),
      start_time_(absl::Now()),
      snapshot_source_([this] { return SnapshotThisShard(*this); }) {
  parse_limits_.max_bulk_bytes =
      std::min(parse_limits_.max_bulk_bytes, options_.max_request_bytes);
  for (uint32_t i = 0; i < shard_count; ++i) {
    shards_.push_back(std::make_unique<KvShard>());
  }
}

absl::Status KvService::Listen() {
  absl::StatusOr<net::ListenerGroup> group = net::ListenerGroup::Open(
      options_.bind_address, options_.port, shard_count_);
  if (!group.ok()) return group.status();
  listeners_.emplace(std::move(*group));
  return absl::OkStatus();
}

void KvService::StartOnShard(Reactor& reactor) {
  reactor.Spawn(AcceptLoop(listeners_->fd(reactor.shard_id())));
  reactor.Spawn(ExpireLoop());
}

Task<void> KvService::AcceptLoop(int listen_fd) {
  Reactor& reactor = *Reactor::Current();
  for (;;) {
    const int fd = co_await net::AcceptOn(listen_fd);
    if (fd == -ECANCELED) break;
    if (fd < 0) continue;  // e.g. the peer reset before we accepted
    int total_open = 0;
    for (uint32_t s = 0; s < shard_count_; ++s) total_open += balancer_.OpenOn(s);
    if (total_open >= static_cast<int>(options_.max_clients)) {
      // Non-blocking best effort, as Redis does for the same refusal.
      send(fd, kMaxClientsError.data(), kMaxClientsError.size(),
           MSG_DONTWAIT | MSG_NOSIGNAL);
      close(fd);
      ++reactor.stats().connections_rejected;
      continue;
    }
    const uint32_t target = balancer_.Assign(reactor.shard_id());
    if (target == reactor.shard_id()) {
      AdoptConnection(fd);
    } else {
      reactor.Send(target, new ConnectionHandoff(*this, fd));
    }
  }
}

void KvService::AdoptConnection(int fd) {
  Reactor& reactor = *Reactor::Current();
  if (reactor.stopping()) {
    close(fd);
    balancer_.Release(reactor.shard_id());
    return;
  }
  int one = 1;
  // Replies are written in whole batches, so Nagle's delay only adds latency.
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  ++reactor.stats().connections_accepted;
  ++reactor.stats().connections_current;
  reactor.Spawn(ServeRespConnection(*this, fd));
}

Task<void> KvService::ExpireLoop() {
  KvShard& shard = Local();
  while (co_await Delay(kExpirePeriod)) {
    const int64_t now_ms = absl::ToUnixMillis(absl::Now());
    for (int round = 0; round < kExpireRounds; ++round) {
      if (shard.store.ActiveExpireCycle(now_ms, kExpireBatch) < kExpireBatch) {
        break;
      }
    }
  }
}

}  // namespace shardd::kv
