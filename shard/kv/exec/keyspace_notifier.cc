#include "shard/kv/exec/keyspace_notifier.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/message.h"
#include "shard/reactor.h"
#include "shard/timer.h"

namespace shardd::kv {

// The events for one other shard. Events are added to `filling` while the
// outbox is home or away; `sending` travels: published on the target, then
// back home, where `filling` goes next if it has anything.
struct KeyspaceNotifier::Outbox final : Message {
  struct Event {
    std::string channel;
    std::string payload;
  };

  void Run() override {
    if (!arrived) {
      arrived = true;
      PubSubRegistry& registry = owner->shards_->Local().pubsub;
      for (const Event& e : sending) {
        if (e.channel.empty()) {
          registry.FeedMonitors(e.payload);
        } else {
          registry.Publish(e.channel, e.payload, /*sharded=*/false);
        }
      }
      Reactor::Current()->Send(owner->self_, this);
      return;
    }
    owner->backlog_.fetch_sub(sending_bytes, std::memory_order_relaxed);
    sending.clear();
    // A burst's capacity is not kept by an idle outbox.
    if (sending.capacity() > kRetainedEvents) {
      std::vector<Event>().swap(sending);
    }
    sending_bytes = 0;
    arrived = false;
    away = false;
    owner->Send(*this);
  }

  static constexpr size_t kRetainedEvents = 1024;

  KeyspaceNotifier* owner = nullptr;
  uint32_t target = 0;
  bool away = false;     // on its trip
  bool arrived = false;  // the trip's first half is done
  std::vector<Event> filling;
  uint64_t filling_bytes = 0;
  std::vector<Event> sending;
  uint64_t sending_bytes = 0;
};

KeyspaceNotifier::KeyspaceNotifier() = default;
KeyspaceNotifier::~KeyspaceNotifier() = default;

void KeyspaceNotifier::Bind(KvShards* shards, uint32_t self) {
  shards_ = shards;
  self_ = self;
  outboxes_.clear();
  for (uint32_t s = 0; s < shards->shard_count(); ++s) {
    auto outbox = std::make_unique<Outbox>();
    outbox->owner = this;
    outbox->target = s;
    outboxes_.push_back(std::move(outbox));
  }
}

void KeyspaceNotifier::Notify(uint32_t type, std::string_view event,
                              std::string_view key) {
  const uint32_t flags = shards_->keyspace_events();
  if ((flags & type) == 0) return;
  // Nobody anywhere subscribes to anything: nothing to format.
  bool anyone = false;
  for (uint32_t s = 0; s < shards_->shard_count() && !anyone; ++s) {
    anyone = shards_->On(s).pubsub.interest() != 0;
  }
  if (!anyone) return;
  if (flags & kNotifyKeyspace) {
    std::string channel = absl::StrCat("__keyspace@", db_, "__:");
    channel.append(key);
    Publish(channel, event);
  }
  if (flags & kNotifyKeyevent) {
    std::string channel = absl::StrCat("__keyevent@", db_, "__:");
    channel.append(event);
    Publish(channel, key);
  }
}

void KeyspaceNotifier::FeedMonitors(std::string_view line) {
  Publish(std::string(), line);
}

void KeyspaceNotifier::Publish(const std::string& channel,
                               std::string_view payload) {
  for (uint32_t s = 0; s < shards_->shard_count(); ++s) {
    if (shards_->On(s).pubsub.interest() == 0) continue;
    if (s == self_) {
      if (channel.empty()) {
        shards_->Local().pubsub.FeedMonitors(payload);
      } else {
        shards_->Local().pubsub.Publish(channel, payload, /*sharded=*/false);
      }
      continue;
    }
    Outbox& outbox = *outboxes_[s];
    // What the event holds, its bookkeeping included.
    const uint64_t bytes =
        sizeof(Outbox::Event) + channel.size() + payload.size();
    outbox.filling.push_back({channel, std::string(payload)});
    outbox.filling_bytes += bytes;
    backlog_.fetch_add(bytes, std::memory_order_relaxed);
    Send(outbox);
  }
}

void KeyspaceNotifier::Send(Outbox& outbox) {
  if (outbox.away || outbox.filling.empty()) return;
  std::swap(outbox.sending, outbox.filling);
  outbox.sending_bytes = std::exchange(outbox.filling_bytes, 0);
  outbox.away = true;
  Reactor::Current()->Send(outbox.target, &outbox);
}

bool KeyspaceBacklogged(const KvShards& shards) {
  if (shards.keyspace_events() == 0 && shards.monitors() == 0) return false;
  for (uint32_t s = 0; s < shards.shard_count(); ++s) {
    if (shards.On(s).notifier.backlog() > shards.keyspace_backlog_limit()) {
      return true;
    }
  }
  return false;
}

Task<void> WaitForKeyspaceBacklog(KvShards& shards) {
  // Rare (a subscriber's shard far behind), so a short poll rather than a
  // wake-up from every shard.
  while (KeyspaceBacklogged(shards) && !Reactor::Current()->stopping()) {
    co_await Delay(absl::Milliseconds(1));
  }
}

}  // namespace shardd::kv
