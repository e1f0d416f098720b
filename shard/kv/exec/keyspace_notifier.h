// KeyspaceNotifier: one shard's keyspace events (notify-keyspace-events) on
// their way to the subscribers of every shard, and its MONITOR lines on
// their way to every shard's monitors. A handler reports an event
// (ctx.Notify); if its class is on, it is published on
// __keyspace@<db>__:<key> (payload: the event) and __keyevent@<db>__:<event>
// (payload: the key), as Redis does.
//
//   shard.notifier.Notify(kNotifyList, "lpush", "mylist");
//
// This shard's subscribers get it at once. For every other shard that has
// a subscription, events queue in an outbox that travels there as one
// message, publishes its events and comes back; events made meanwhile wait
// for its return. So one shard's events reach each subscriber in the order
// they happened (one outbox per pair of shards, one trip at a time), while
// events of keys on different shards may interleave otherwise than their
// commands ran. The reply of a command may reach its client before its
// events reach a subscriber on another shard.
//
// Bytes waiting in outboxes are the backlog: a connection does not start
// new commands while any shard's backlog is over --keyspace_events_backlog
// (WaitForKeyspaceBacklog), so a subscriber's shard that cannot keep up
// slows writers instead of letting the outboxes grow.
#ifndef SHARDD_SHARD_KV_EXEC_KEYSPACE_NOTIFIER_H_
#define SHARDD_SHARD_KV_EXEC_KEYSPACE_NOTIFIER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shard/kv/store/keyspace_event.h"
#include "shard/task.h"

namespace shardd::kv {

class KvShards;

class KeyspaceNotifier final : public KeyspaceEventSink {
 public:
  KeyspaceNotifier();
  ~KeyspaceNotifier();

  // Before the shards start: the service and the shard this one serves.
  void Bind(KvShards* shards, uint32_t self);

  void Notify(uint32_t type, std::string_view event,
              std::string_view key) override;
  void set_db(uint32_t db) override { db_ = db; }
  uint32_t db() const { return db_; }

  // MONITOR: `line` to every shard's monitors, by the same outboxes (so
  // one shard's lines stay in order too).
  void FeedMonitors(std::string_view line);

  // Bytes of events waiting for other shards; read by any shard.
  uint64_t backlog() const { return backlog_.load(std::memory_order_relaxed); }

 private:
  struct Outbox;
  // `channel` empty: a MONITOR line.
  void Publish(const std::string& channel, std::string_view payload);
  // Sends `outbox` on its trip if it is home and holds events.
  void Send(Outbox& outbox);

  KvShards* shards_ = nullptr;
  uint32_t self_ = 0;
  uint32_t db_ = 0;
  std::vector<std::unique_ptr<Outbox>> outboxes_;  // by target shard
  std::atomic<uint64_t> backlog_{0};
};

// Returns once no shard's keyspace backlog is over the limit (at once while
// notifications are off); the session awaits it before each batch of
// commands.
Task<void> WaitForKeyspaceBacklog(KvShards& shards);
// True if it would wait.
bool KeyspaceBacklogged(const KvShards& shards);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_KEYSPACE_NOTIFIER_H_
