// Keyspace notifications (Redis's notify-keyspace-events): the classes an
// event belongs to, and the sink a handler reports its events to. A handler
// calls ctx.Notify() where Redis's calls notifyKeyspaceEvent, in the same
// order; the sink (exec/keyspace_notifier.h) publishes the event on
// __keyspace@0__:<key> and __keyevent@0__:<event> when its class is on.
// Creating a key reports "new" by itself (Store's new-key hook).
//
//   ctx.Notify(kNotifyList, "lpush", key);
//   if (list.empty()) { ctx.store.Erase(key, ctx.now_ms);
//                       ctx.Notify(kNotifyGeneric, "del", key); }
#ifndef SHARDD_SHARD_KV_STORE_KEYSPACE_EVENT_H_
#define SHARDD_SHARD_KV_STORE_KEYSPACE_EVENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shardd::kv {

// Redis's NOTIFY_* bits, with the letter each has in the configuration.
inline constexpr uint32_t kNotifyKeyspace = 1u << 0;  // K
inline constexpr uint32_t kNotifyKeyevent = 1u << 1;  // E
inline constexpr uint32_t kNotifyGeneric = 1u << 2;   // g
inline constexpr uint32_t kNotifyString = 1u << 3;    // $
inline constexpr uint32_t kNotifyList = 1u << 4;      // l
inline constexpr uint32_t kNotifySet = 1u << 5;       // s
inline constexpr uint32_t kNotifyHash = 1u << 6;      // h
inline constexpr uint32_t kNotifyZset = 1u << 7;      // z
inline constexpr uint32_t kNotifyExpired = 1u << 8;   // x
inline constexpr uint32_t kNotifyEvicted = 1u << 9;   // e
inline constexpr uint32_t kNotifyStream = 1u << 10;   // t
inline constexpr uint32_t kNotifyKeyMiss = 1u << 11;  // m
inline constexpr uint32_t kNotifyModule = 1u << 13;   // d
inline constexpr uint32_t kNotifyNew = 1u << 14;      // n
// "A": every class but key misses and new keys, as in Redis.
inline constexpr uint32_t kNotifyAll =
    kNotifyGeneric | kNotifyString | kNotifyList | kNotifySet | kNotifyHash |
    kNotifyZset | kNotifyExpired | kNotifyEvicted | kNotifyStream |
    kNotifyModule;

// The bits a notify-keyspace-events value names; nullopt for a character
// that names no class.
std::optional<uint32_t> ParseKeyspaceEvents(std::string_view text);
// The value CONFIG GET shows for `flags` ("A" for all the classes it
// covers, then K, E, m).
std::string KeyspaceEventsToString(uint32_t flags);

// Where a handler's events go.
class KeyspaceEventSink {
 public:
  virtual void Notify(uint32_t type, std::string_view event,
                      std::string_view key) = 0;
  // The database the events after this are in (__keyspace@<db>__).
  virtual void set_db(uint32_t /*db*/) {}

 protected:
  ~KeyspaceEventSink() = default;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_STORE_KEYSPACE_EVENT_H_
