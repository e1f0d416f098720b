#include "shard/kv/store/store.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <new>

#include "shard/kv/store/prefetch_window.h"

namespace shardd::kv {

Store::Node* Store::Node::Make(std::string_view key) {
  char* block = static_cast<char*>(::operator new(sizeof(Node) + key.size()));
  if (!key.empty()) std::memcpy(block + sizeof(Node), key.data(), key.size());
  return new (block) Node{Entry(), static_cast<uint32_t>(key.size())};
}

void Store::Node::Destroy(Node* node) {
  node->~Node();
  ::operator delete(node);
}

void Store::PrefetchKeys(absl::Span<const std::string_view> args, size_t from,
                         size_t stride) const {
  const size_t end = std::min(args.size(), from + kPrefetchWindow * stride);
  if (from + stride >= end || !PrefetchPays()) return;
  PrefetchWindow window;
  for (size_t i = from; i < end; i += stride) window.Add(*this, args[i]);
  window.Finish();
}

Store::Node& Store::FindOrMake(std::string_view key) {
  bool made = false;
  auto it = nodes_.lazy_emplace(key, [this, key, &made](const auto& construct) {
    Node* node = Node::Make(key);
    // Made after any snapshot: never part of a base.
    node->rewrite_mark = rewrite_mark_;
    construct(node);
    made = true;
  });
  if (made && new_key_sink_ != nullptr) {
    new_key_sink_->Notify(kNotifyNew, "new", key);
  }
  return **it;
}

void Store::EraseNode(
    absl::flat_hash_set<Node*, NodeHash, NodeEq>::iterator it) {
  Node* node = *it;
  if (node->entry.expire_at_ms_ != 0) {
    expiry_index_.erase(ExpiryItem(node->entry.expire_at_ms_, node->key()));
    node->entry.expire_at_ms_ = 0;
  }
  nodes_.erase(it);
  if (node->queued) {
    // The walk's snapshot points here: the node goes when the walk passes.
    node->zombie = true;
    node->entry = Entry();
    return;
  }
  Node::Destroy(node);
}

void Store::BeginRewrite() {
  ++rewrite_mark_;
  rewriting_ = true;
  rewrite_db_ = db_;
  rewrite_queue_.clear();
  rewrite_queue_.reserve(nodes_.size());
  rewrite_next_ = 0;
  for (Node* node : nodes_) {
    node->queued = true;
    rewrite_queue_.push_back(node);
  }
}

bool Store::RewriteStep(size_t max_keys, RewriteFn fn) {
  for (size_t visited = 0;
       visited < max_keys && rewrite_next_ < rewrite_queue_.size();
       ++visited) {
    Node* node = rewrite_queue_[rewrite_next_++];
    node->queued = false;
    if (node->zombie) {
      Node::Destroy(node);
      continue;
    }
    if (node->rewrite_mark != rewrite_mark_) {
      fn(node->key(), node->entry);
      node->rewrite_mark = rewrite_mark_;
    }
  }
  if (rewrite_next_ < rewrite_queue_.size()) return false;
  rewrite_queue_ = std::vector<Node*>();
  rewrite_next_ = 0;
  rewriting_ = false;
  return true;
}

void Store::WriteThrough(std::string_view key, RewriteFn fn) {
  if (!rewriting_) return;
  auto it = nodes_.find(key);
  if (it == nodes_.end() || (*it)->rewrite_mark == rewrite_mark_) return;
  fn((*it)->key(), (*it)->entry);
  (*it)->rewrite_mark = rewrite_mark_;
}

void Store::EraseExpired(
    absl::flat_hash_set<Node*, NodeHash, NodeEq>::iterator it) {
  if (expired_fn_ != nullptr) expired_fn_(expired_context_, db_, (*it)->key());
  ++expired_count_;
  EraseNode(it);
}

Entry* Store::Find(std::string_view key, int64_t now_ms) {
  return Lookup(key, now_ms, /*touch=*/true);
}

Entry* Store::Peek(std::string_view key, int64_t now_ms) {
  return Lookup(key, now_ms, /*touch=*/false);
}

Entry* Store::PeekUncounted(std::string_view key, int64_t now_ms) {
  const Lookups before = lookups_;
  Entry* entry = Peek(key, now_ms);
  lookups_ = before;
  return entry;
}

Entry* Store::Lookup(std::string_view key, int64_t now_ms, bool touch) {
  auto it = nodes_.find(key);
  if (it == nodes_.end()) {
    ++lookups_.misses;
    return nullptr;
  }
  if (Dead((*it)->entry.expire_at_ms_, now_ms)) {
    EraseExpired(it);
    ++lookups_.misses;
    return nullptr;
  }
  ++lookups_.hits;
  Entry& entry = (*it)->entry;
  if (touch) entry.lru_ = lru_clock_;
  return &entry;
}

int64_t Store::WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Entry& Store::SetString(std::string_view key, std::string_view value,
                        int64_t expire_at_ms) {
  Node& node = FindOrMake(key);
  node.entry.AssignString(value);
  node.entry.lru_ = lru_clock_;
  UpdateExpiry(node, expire_at_ms);
  return node.entry;
}

Entry& Store::Create(std::string_view key, ValueType type) {
  Node& node = FindOrMake(key);
  if (type == ValueType::kString) {
    node.entry.AssignString("");
  } else {
    node.entry.MakeAggregate(type);
  }
  node.entry.lru_ = lru_clock_;
  UpdateExpiry(node, 0);
  return node.entry;
}

Entry* Store::FindTyped(std::string_view key, ValueType type, int64_t now_ms,
                        bool* wrong_type) {
  Entry* entry = Find(key, now_ms);
  if (entry != nullptr && entry->type() != type) {
    *wrong_type = true;
    return nullptr;
  }
  return entry;
}

void Store::Put(std::string_view key, Entry entry) {
  const int64_t expire_at_ms = entry.expire_at_ms_;
  Node& node = FindOrMake(key);
  const int64_t old_expiry = node.entry.expire_at_ms_;
  node.entry = std::move(entry);
  node.entry.lru_ = lru_clock_;
  // Keep the index in step: it still lists the old expiry, if any.
  node.entry.expire_at_ms_ = old_expiry;
  UpdateExpiry(node, expire_at_ms);
}

bool Store::SetExpiry(std::string_view key, int64_t expire_at_ms) {
  auto it = nodes_.find(key);
  if (it == nodes_.end()) return false;
  UpdateExpiry(**it, expire_at_ms);
  return true;
}

bool Store::Erase(std::string_view key, int64_t now_ms) {
  auto it = nodes_.find(key);
  if (it == nodes_.end()) return false;
  const bool live = !Dead((*it)->entry.expire_at_ms_, now_ms);
  if (live) {
    EraseNode(it);
  } else {
    EraseExpired(it);
  }
  return live;
}

size_t Store::ActiveExpireCycle(int64_t now_ms, size_t max_keys) {
  size_t deleted = 0;
  while (deleted < max_keys && !expiry_index_.empty()) {
    const auto& [expire_at_ms, key] = *expiry_index_.begin();
    if (!Dead(expire_at_ms, now_ms)) break;
    auto it = nodes_.find(key);
    // Every index item has its node; should that ever break, the item goes
    // rather than the loop following it forever.
    if (it == nodes_.end()) {
      expiry_index_.erase(expiry_index_.begin());
      continue;
    }
    EraseExpired(it);
    ++deleted;
  }
  return deleted;
}

std::optional<std::string> Store::RandomKey(
    int64_t now_ms, absl::FunctionRef<size_t(size_t)> uniform) {
  // A dead key drawn is deleted and the draw made again. Were most keys
  // dead, each draw would walk the table again: after a few, every dead key
  // goes at once, through the expiry index, and the next draw is live.
  constexpr int kDrawsBeforeSweep = 4;
  for (int draw = 0; !nodes_.empty(); ++draw) {
    if (draw == kDrawsBeforeSweep) {
      ActiveExpireCycle(now_ms, expiry_index_.size());
      if (nodes_.empty()) break;
    }
    auto it = nodes_.begin();
    for (size_t steps = uniform(nodes_.size()); steps > 0; --steps) ++it;
    if (!Dead((*it)->entry.expire_at_ms_, now_ms)) {
      return std::string((*it)->key());
    }
    EraseExpired(it);
  }
  return std::nullopt;
}

size_t Store::EraseIf(absl::FunctionRef<bool(std::string_view key)> doomed) {
  size_t erased = 0;
  for (auto it = nodes_.begin(); it != nodes_.end();) {
    auto next = std::next(it);
    if (doomed((*it)->key())) {
      EraseNode(it);
      ++erased;
    }
    it = next;
  }
  return erased;
}

void Store::Clear() {
  ++clears_;
  expiry_index_.clear();
  // A walk in progress ends: what it had not reached is gone (and the log
  // that follows its base says so).
  for (size_t i = rewrite_next_; i < rewrite_queue_.size(); ++i) {
    if (rewrite_queue_[i]->zombie) Node::Destroy(rewrite_queue_[i]);
  }
  rewrite_queue_ = std::vector<Node*>();
  rewrite_next_ = 0;
  for (Node* node : nodes_) Node::Destroy(node);
  nodes_.clear();
}

void Store::UpdateExpiry(Node& node, int64_t expire_at_ms) {
  Entry& entry = node.entry;
  if (entry.expire_at_ms_ == expire_at_ms) return;
  if (entry.expire_at_ms_ != 0) {
    expiry_index_.erase(ExpiryItem(entry.expire_at_ms_, node.key()));
  }
  if (expire_at_ms != 0) expiry_index_.emplace(expire_at_ms, node.key());
  entry.expire_at_ms_ = expire_at_ms;
}

}  // namespace shardd::kv
