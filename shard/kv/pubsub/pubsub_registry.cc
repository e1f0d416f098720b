#include "shard/kv/pubsub/pubsub_registry.h"

#include <algorithm>

#include "shard/kv/commands/glob_match.h"

namespace shardd::kv {

PubSubRegistry::Table& PubSubRegistry::TableOf(SubscriptionKind kind) {
  switch (kind) {
    case SubscriptionKind::kPattern:
      return patterns_;
    case SubscriptionKind::kShardChannel:
      return shard_channels_;
    case SubscriptionKind::kChannel:
      break;
  }
  return channels_;
}

const PubSubRegistry::Table& PubSubRegistry::TableOf(
    SubscriptionKind kind) const {
  return const_cast<PubSubRegistry*>(this)->TableOf(kind);
}

bool PubSubRegistry::Add(SubscriptionKind kind, std::string_view name,
                         Subscriber* subscriber) {
  if (!subscriber->NamesOf(kind).emplace(name).second) return false;
  TableOf(kind)[name].push_back(subscriber);
  interest_.fetch_add(1, std::memory_order_release);
  return true;
}

bool PubSubRegistry::Remove(SubscriptionKind kind, std::string_view name,
                            Subscriber* subscriber) {
  Subscriber::Names& names = subscriber->NamesOf(kind);
  const auto it = names.find(name);
  if (it == names.end()) return false;
  names.erase(it);
  Table& table = TableOf(kind);
  const auto entry = table.find(name);
  if (entry != table.end()) {
    std::vector<Subscriber*>& subscribers = entry->second;
    subscribers.erase(
        std::find(subscribers.begin(), subscribers.end(), subscriber));
    if (subscribers.empty()) table.erase(entry);
  }
  interest_.fetch_sub(1, std::memory_order_release);
  return true;
}

int64_t PubSubRegistry::Publish(std::string_view channel,
                                std::string_view payload, bool sharded) {
  int64_t receivers = 0;
  const Table& table = sharded ? shard_channels_ : channels_;
  if (const auto it = table.find(channel); it != table.end()) {
    for (Subscriber* subscriber : it->second) {
      subscriber->PushMessage(sharded ? "smessage" : "message", "", channel,
                              payload);
      ++receivers;
    }
  }
  if (sharded) return receivers;
  for (const auto& [pattern, subscribers] : patterns_) {
    if (!GlobMatch(pattern, channel)) continue;
    for (Subscriber* subscriber : subscribers) {
      subscriber->PushMessage("pmessage", pattern, channel, payload);
      ++receivers;
    }
  }
  return receivers;
}

void PubSubRegistry::AppendChannels(SubscriptionKind kind,
                                    std::string_view pattern,
                                    std::vector<std::string>* out) const {
  for (const auto& [name, subscribers] : TableOf(kind)) {
    if (pattern.empty() || GlobMatch(pattern, name)) out->push_back(name);
  }
}

int64_t PubSubRegistry::Subscribers(SubscriptionKind kind,
                                    std::string_view name) const {
  const Table& table = TableOf(kind);
  const auto it = table.find(name);
  return it == table.end() ? 0 : static_cast<int64_t>(it->second.size());
}

void PubSubRegistry::AppendPatterns(std::vector<std::string>* out) const {
  for (const auto& [pattern, subscribers] : patterns_) out->push_back(pattern);
}

void PubSubRegistry::AddMonitor(Subscriber* monitor) {
  monitors_.push_back(monitor);
  interest_.fetch_add(1, std::memory_order_release);
}

void PubSubRegistry::RemoveMonitor(Subscriber* monitor) {
  const auto it = std::find(monitors_.begin(), monitors_.end(), monitor);
  if (it == monitors_.end()) return;
  monitors_.erase(it);
  interest_.fetch_sub(1, std::memory_order_release);
}

void PubSubRegistry::FeedMonitors(std::string_view line) {
  for (Subscriber* monitor : monitors_) monitor->PushLine(line);
}

}  // namespace shardd::kv
