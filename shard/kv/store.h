// Store is one shard's keyspace: the keys the shard owns, their values and
// their expiry times. Only the owning shard's thread touches it, so it has no
// locks. Time is always passed in (`now_ms`, milliseconds since the Unix
// epoch), never read here, so that a command sees one instant and tests
// control the clock.
//
//   Store store;
//   store.SetString("k", "v", /*expire_at_ms=*/now_ms + 1000);
//   if (const Entry* e = store.Find("k", now_ms)) Use(e->string());
//   store.ActiveExpireCycle(now_ms, /*max_keys=*/20);
#ifndef SHARDD_SHARD_KV_STORE_H_
#define SHARDD_SHARD_KV_STORE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <memory>
#include <optional>
#include <utility>
#include <variant>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"

namespace shardd::kv {

// The kind of value a key holds, as TYPE names it.
enum class ValueType : uint8_t {
  kString,
  kList,
  kHash,
  kSet,
  kZSet,
};

// The aggregate types live in their own files (list_value.h, ...); an Entry
// holds them by pointer so that a string key, the common case, stays small.
class ListValue;
class HashValue;
class SetValue;
class ZSetValue;

// One key's value and expiry. The expiry is changed only through Store, which
// keeps its expiry index in step with it.
class Entry {
 public:
  Entry();
  ~Entry();
  Entry(Entry&&) noexcept;
  Entry& operator=(Entry&&) noexcept;
  // A deep copy (COPY, and commands whose keys span shards, work on copies).
  Entry Clone() const;

  ValueType type() const { return static_cast<ValueType>(value_.index()); }

  const std::string& string() const { return std::get<std::string>(value_); }
  std::string& mutable_string() { return std::get<std::string>(value_); }
  // Replaces the value (of any type) with a string; the expiry is unchanged.
  void AssignString(std::string_view value);

  // The aggregate held; only valid when type() says so.
  ListValue& list() { return *std::get<std::unique_ptr<ListValue>>(value_); }
  HashValue& hash() { return *std::get<std::unique_ptr<HashValue>>(value_); }
  SetValue& set() { return *std::get<std::unique_ptr<SetValue>>(value_); }
  ZSetValue& zset() { return *std::get<std::unique_ptr<ZSetValue>>(value_); }
  const ListValue& list() const {
    return *std::get<std::unique_ptr<ListValue>>(value_);
  }
  const HashValue& hash() const {
    return *std::get<std::unique_ptr<HashValue>>(value_);
  }
  const SetValue& set() const {
    return *std::get<std::unique_ptr<SetValue>>(value_);
  }
  const ZSetValue& zset() const {
    return *std::get<std::unique_ptr<ZSetValue>>(value_);
  }

  // Absolute expiry in milliseconds since the epoch; 0 means none.
  int64_t expire_at_ms() const { return expire_at_ms_; }

  // Same type, same contents, same expiry.
  bool operator==(const Entry& other) const;

 private:
  friend class Store;

  // Alternatives in ValueType order, so index() is the type.
  using Value =
      std::variant<std::string, std::unique_ptr<ListValue>,
                   std::unique_ptr<HashValue>, std::unique_ptr<SetValue>,
                   std::unique_ptr<ZSetValue>>;
  Value value_;
  int64_t expire_at_ms_ = 0;
};

class Store {
 public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The live entry for `key`, or null. A key past its expiry is deleted here
  // and reported absent (lazy expiry). The pointer is valid until the next
  // call that inserts or deletes a key.
  Entry* Find(std::string_view key, int64_t now_ms);

  // Makes `key` a string holding `value`, replacing any previous value, with
  // expiry `expire_at_ms` (0 = none; any previous expiry is dropped).
  Entry& SetString(std::string_view key, std::string_view value,
                   int64_t expire_at_ms);

  // Makes `key` hold an empty aggregate of `type` (not kString) without
  // expiry, replacing whatever it held. Commands create a key this way just
  // before adding its first element: Redis has no empty aggregates, so a
  // handler that leaves one empty must Erase it.
  Entry& Create(std::string_view key, ValueType type);

  // The live entry for `key` if it holds `type`; null if there is none. If
  // the key holds another type, returns null and sets *wrong_type (the
  // handler then replies kWrongTypeError).
  Entry* FindTyped(std::string_view key, ValueType type, int64_t now_ms,
                   bool* wrong_type);

  // Puts `entry` (value and expiry) at `key`, replacing what was there.
  void Put(std::string_view key, Entry entry);

  // Sets the expiry of an existing `key` (0 = none). Returns false, and does
  // nothing, if there is no such key.
  bool SetExpiry(std::string_view key, int64_t expire_at_ms);

  // Deletes `key`. Returns true if a live key was deleted; a key already past
  // its expiry is deleted too but, as for Find, counts as absent.
  bool Erase(std::string_view key, int64_t now_ms);

  // Deletes up to `max_keys` keys whose expiry is before `now_ms`, oldest
  // expiry first, and returns how many it deleted. The shard calls this
  // periodically so that keys nobody reads again still free their memory.
  size_t ActiveExpireCycle(int64_t now_ms, size_t max_keys);

  // Every stored key, including expired keys not yet collected (as Redis's
  // DBSIZE counts them).
  size_t KeyCount() const { return entries_.size(); }
  // Keys that have an expiry.
  size_t ExpiringKeyCount() const { return expiry_index_.size(); }

  void Clear();

  // Calls fn(key, entry) for every live key, in table order. fn must not
  // add or delete keys.
  template <typename Fn>
  void ForEachKey(int64_t now_ms, Fn fn) const {
    for (const auto& [key, entry] : entries_) {
      if (!IsExpired(entry.expire_at_ms_, now_ms)) fn(key, entry);
    }
  }

  // A live key about `skip` places into the table (wrapping around), or
  // nullopt if there is none. Expired keys met on the way are deleted.
  std::optional<std::string> RandomKey(int64_t now_ms, size_t skip);

 private:
  // (expire_at_ms, key). The key is a copy: flat_hash_map moves its keys
  // when it grows, so a view into the map would dangle.
  using ExpiryItem = std::pair<int64_t, std::string>;

  // Orders ExpiryItems and also compares them with (expiry, string_view)
  // pairs, so removing an item needs no key copy.
  struct ExpiryOrder {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return std::pair<int64_t, std::string_view>(a.first, a.second) <
             std::pair<int64_t, std::string_view>(b.first, b.second);
    }
  };

  // Lets the map be searched with a std::string_view without building a
  // std::string: the system Abseil's own string hasher takes only its
  // absl::string_view, which is a distinct type here.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const {
      return absl::Hash<std::string_view>{}(key);
    }
  };
  struct KeyEq {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const {
      return a == b;
    }
  };

  // True if an entry with this expiry is dead at `now_ms`. Like Redis, a key
  // is still alive during the very millisecond it expires at.
  static bool IsExpired(int64_t expire_at_ms, int64_t now_ms) {
    return expire_at_ms != 0 && now_ms > expire_at_ms;
  }

  void UpdateExpiry(std::string_view key, Entry& entry, int64_t expire_at_ms);

  absl::flat_hash_map<std::string, Entry, KeyHash, KeyEq> entries_;
  // Only keys with an expiry, sorted by it: the active cycle reads expired
  // keys from the front, touching nothing else, instead of sampling the
  // whole keyspace at random as Redis does.
  absl::btree_set<ExpiryItem, ExpiryOrder> expiry_index_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_STORE_H_
