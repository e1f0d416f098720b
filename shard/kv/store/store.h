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
#ifndef SHARDD_SHARD_KV_STORE_STORE_H_
#define SHARDD_SHARD_KV_STORE_STORE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/types/span.h"
#include "shard/kv/store/entry.h"
#include "shard/kv/store/keyspace_event.h"
#include "shard/string_view_hash.h"

namespace shardd::kv {

class Store {
 public:
  Store() = default;
  ~Store() { Clear(); }
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The live entry for `key`, or null. A key past its expiry is deleted here
  // and reported absent (lazy expiry). The pointer stays valid until the key
  // is deleted.
  Entry* Find(std::string_view key, int64_t now_ms);
  // Find without marking the key as accessed: for commands that look at a
  // key without using it (TYPE, EXISTS, TTL, OBJECT, ...), whose lookups
  // Redis makes with LOOKUP_NOTOUCH.
  Entry* Peek(std::string_view key, int64_t now_ms);
  // Peek that is no read: not counted as a keyspace hit or miss either
  // (WATCH and EXEC's look at watched keys, MEMORY USAGE, a keymiss check,
  // which Redis does not count).
  Entry* PeekUncounted(std::string_view key, int64_t now_ms);

  // Redis's LRU clock: seconds since the epoch in 24 bits, which wrap
  // every 194 days.
  static uint32_t LruClock(int64_t now_ms) {
    return static_cast<uint32_t>(now_ms / 1000) & kLruClockMax;
  }
  // The time keys used or made from now on are stamped with: the time of
  // the command running (the executor sets it before each; a replayed
  // record keeps the time loading began).
  void set_clock(int64_t now_ms) { lru_clock_ = LruClock(now_ms); }
  // Seconds since `entry` was last accessed (OBJECT IDLETIME), across a
  // wrap of the clock as Redis counts it.
  static int64_t IdleSeconds(const Entry& entry, int64_t now_ms) {
    const uint32_t now = LruClock(now_ms);
    return now >= entry.lru() ? now - entry.lru()
                              : now + (kLruClockMax - entry.lru());
  }

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
  size_t KeyCount() const { return nodes_.size(); }
  // Keys that have an expiry.
  size_t ExpiringKeyCount() const { return expiry_index_.size(); }

  void Clear();
  // Deletes every key `doomed(key)` holds for; returns how many.
  size_t EraseIf(absl::FunctionRef<bool(std::string_view key)> doomed);
  // While loading (replaying the log at start), no key expires: a record
  // is replayed against the state it was logged against, as Redis does
  // while loading. Keys past their expiry go once loading ends.
  void set_loading(bool loading) { loading_ = loading; }
  bool loading() const { return loading_; }

  // Called with each key deleted because it expired (lazily or by the
  // active cycle), just before it goes: the log records it as a DEL, so
  // that replay, which expires nothing, ends in the same state.
  using ExpiredFn = void (*)(void* context, uint32_t db, std::string_view key);
  void OnExpired(ExpiredFn fn, void* context) {
    expired_fn_ = fn;
    expired_context_ = context;
  }

  // The database number this store is (Databases: SELECT, SWAPDB), which
  // the expiry callback is told.
  uint32_t db() const { return db_; }
  void set_db(uint32_t db) { db_ = db; }

  // While set, each key made (by SetString, Create or Put where no key
  // was) is reported as a "new" keyspace event. Set only around a client's
  // command, so that values coming back from a transaction or replayed
  // from the log are not new.
  void set_new_key_sink(KeyspaceEventSink* sink) { new_key_sink_ = sink; }

  // How many times Clear() ran (FLUSHALL): a value held out of the store
  // across one does not come back (exec/held_values.h).
  uint64_t clears() const { return clears_; }
  // Lookups (Find) that found a live key, and that did not: INFO's
  // keyspace_hits and keyspace_misses once ExecuteHere has kept only
  // those of read-only commands, as Redis counts its read lookups.
  struct Lookups {
    uint64_t hits = 0;
    uint64_t misses = 0;
  };
  const Lookups& lookups() const { return lookups_; }
  void set_lookups(const Lookups& lookups) { lookups_ = lookups; }
  // Keys removed because their time was up (INFO's expired_keys).
  uint64_t expired_count() const { return expired_count_; }
  void ResetExpiredCount() { expired_count_ = 0; }  // CONFIG RESETSTAT

  // Calls fn(key, entry) for every live key, in table order. fn must not
  // add or delete keys.
  template <typename Fn>
  void ForEachKey(int64_t now_ms, Fn fn) const {
    for (const Node* node : nodes_) {
      if (!Dead(node->entry.expire_at_ms_, now_ms)) {
        fn(node->key(), node->entry);
      }
    }
  }

  // Compaction of the log (kv/persist/log_rewrite.h) walks a snapshot of
  // the keyspace while commands go on. BeginRewrite() takes the snapshot:
  // the keys there now, each not yet "in the base". RewriteStep() visits up
  // to `max_keys` more of them and calls fn(key, entry) for each not yet in
  // the base, which then is; it returns true once the walk is over. A write
  // first calls WriteThrough() for its keys: a key of the snapshot not yet
  // in the base goes there as it is before the write. So the base holds
  // every key exactly as it was at the snapshot, however the walk and the
  // writes interleave, and keys made later are never in it. The snapshot
  // costs a pointer per key; a key deleted before the walk reaches it keeps
  // its node (without its value) until then.
  using RewriteFn = absl::FunctionRef<void(std::string_view key,
                                           const Entry& entry)>;
  void BeginRewrite();
  bool RewriteStep(size_t max_keys, RewriteFn fn);
  void WriteThrough(std::string_view key, RewriteFn fn);
  bool rewriting() const { return rewriting_; }
  // The database number the store had at BeginRewrite(): its base records
  // go there, wherever a SWAPDB has moved it since.
  uint32_t rewrite_db() const { return rewrite_db_; }
  // Bytes the walk's snapshot holds now.
  size_t RewriteOverheadBytes() const {
    return (rewrite_queue_.capacity() - rewrite_next_) * sizeof(Node*);
  }

  // A key with its table hash, worked out once for both prefetch steps.
  struct HashedKey {
    std::string_view key;
    size_t hash;
  };
  static HashedKey Hashed(std::string_view key) {
    return {key, NodeHash{}(key)};
  }

  // Two steps of loading `key`'s data into the CPU cache ahead of use, for a
  // batch of pipelined requests: PrefetchSlot for every key first (the
  // table's control bytes and slots), then PrefetchNode for every key (the
  // node holding the entry and key, which the slot points at). Neither
  // changes anything; together they overlap the cache misses of a batch
  // instead of taking them one request at a time (at -P 16, the node miss
  // was 30% of a GET's CPU time).
  //
  // Only a table too large for the CPU's caches gains: below kPrefetchFrom
  // keys the lookups hit the cache anyway, and the prefetch's hashing and
  // probing is all that is left of it. store_bench, 16 lookups: 1,000 keys
  // 184 ns as they come against 276 ns after both steps; 16,384 keys even
  // (280-303 ns); 100,000 keys 720-746 against 385-408 ns. Callers ask
  // PrefetchPays() first.
  static constexpr size_t kPrefetchFrom = 16 * 1024;
  bool PrefetchPays() const { return nodes_.size() >= kPrefetchFrom; }
  void PrefetchSlot(HashedKey key) const { nodes_.prefetch(key); }
  void PrefetchNode(HashedKey key) const {
    nodes_.find(NodePrefetch{key}, key.hash);
  }

  // The same for a command over many keys (MGET, MSET, DEL, ...), ahead of
  // looking them up in order: both steps for the keys args[from],
  // args[from + stride], ... up to kPrefetchWindow of them; a loop calls it
  // again at the start of each window. One key alone gains nothing and is
  // left. More keys at once would evict the first before their turn.
  static constexpr size_t kPrefetchWindow = 16;
  void PrefetchKeys(absl::Span<const std::string_view> args, size_t from,
                    size_t stride = 1) const;

  // A live key, each with the same chance, or nullopt if there is none:
  // `uniform(n)` draws a place in [0, n), which the table is walked to (it
  // has no random access: O(N)). Expired keys drawn are deleted.
  std::optional<std::string> RandomKey(
      int64_t now_ms, absl::FunctionRef<size_t(size_t)> uniform);

 private:
  static constexpr uint32_t kLruClockMax = (1u << 24) - 1;

  Entry* Lookup(std::string_view key, int64_t now_ms, bool touch);
  static int64_t WallClockMs();

  // One key: its Entry, then the key's bytes, in a single heap block. The
  // table holds only pointers (8 bytes a slot), so slots left empty after the
  // table grows cost little, and a node never moves, so the expiry index and
  // callers can point into it. A 10-byte key with a 32-byte value takes a
  // 48-byte node (jemalloc's size class for 32 + 10 bytes), a 32-byte value
  // block and 9-18 bytes of table: about 100 bytes against Redis's 132.
  struct Node {
    Entry entry;
    uint32_t key_size;
    // For the log's compaction (BeginRewrite): the rewrite whose base has
    // this key, whether the walk's snapshot still points here, and whether
    // the key is gone but the node waits for the walk to pass it.
    uint16_t rewrite_mark = 0;
    bool queued = false;
    bool zombie = false;

    std::string_view key() const {
      return std::string_view(reinterpret_cast<const char*>(this) +
                                  sizeof(Node),
                              key_size);
    }
    static Node* Make(std::string_view key);
    static void Destroy(Node* node);
  };
  static_assert(sizeof(Node) == 32, "the rewrite fields fit in padding");

  // Hashes and compares nodes by key, and lets the table be searched with a
  // std::string_view.
  //
  // A lookup with a NodePrefetch instead of a key walks the same probe
  // sequence, but "compares" each candidate node (one whose slot's hash bits
  // match) by prefetching it and saying no, so it never waits for a node:
  // Abseil's table has no public way to visit candidates otherwise.
  struct NodePrefetch {
    HashedKey probe;
  };
  struct NodeHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const {
      return StringViewHash{}(key);
    }
    size_t operator()(const Node* node) const { return (*this)(node->key()); }
    size_t operator()(HashedKey key) const { return key.hash; }
    // (Unused while find(key, hash) takes the hash as given; an Abseil
    // whose find(key, hash) hashes the key again needs it.)
    size_t operator()(NodePrefetch prefetch) const {
      return prefetch.probe.hash;
    }
  };
  struct NodeEq {
    using is_transparent = void;
    static std::string_view KeyOf(std::string_view key) { return key; }
    static std::string_view KeyOf(const Node* node) { return node->key(); }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return KeyOf(a) == KeyOf(b);
    }
    bool operator()(Node* node, NodePrefetch prefetch) const {
      // A 48-byte node may straddle two cache lines; fetch its last byte's
      // too (the key length is the probe's, if this is the right node).
      // (Integer arithmetic: a wrong candidate's block may be shorter.)
      const auto start = reinterpret_cast<uintptr_t>(node);
      const uintptr_t last =
          start + sizeof(Node) + prefetch.probe.key.size() - 1;
      __builtin_prefetch(node);
      __builtin_prefetch(reinterpret_cast<const void*>(last));
      // A lookup whose result nobody uses, and whose only effects are
      // prefetches, may be deleted whole by the compiler (GCC 12 did, once
      // the probe's hash came ready-made): this empty statement is an
      // effect it must keep.
      asm volatile("" : : "r"(node));
      return false;
    }
  };

  // (expire_at_ms, key), the key viewing its node's bytes.
  using ExpiryItem = std::pair<int64_t, std::string_view>;

  // True if an entry with this expiry is dead at `now_ms`. Like Redis, a key
  // is still alive during the very millisecond it expires at.
  static bool IsExpired(int64_t expire_at_ms, int64_t now_ms) {
    return expire_at_ms != 0 && now_ms > expire_at_ms;
  }

  bool Dead(int64_t expire_at_ms, int64_t now_ms) const {
    return !loading_ && IsExpired(expire_at_ms, now_ms);
  }
  // Erases `it`, a key found dead by Dead().
  void EraseExpired(absl::flat_hash_set<Node*, NodeHash, NodeEq>::iterator it);

  // The node for `key`, made (holding an empty string) if there is none.
  Node& FindOrMake(std::string_view key);
  // Removes the node `it` points at from the table and the expiry index.
  void EraseNode(absl::flat_hash_set<Node*, NodeHash, NodeEq>::iterator it);
  void UpdateExpiry(Node& node, int64_t expire_at_ms);

  absl::flat_hash_set<Node*, NodeHash, NodeEq> nodes_;
  // Only keys with an expiry, sorted by it: the active cycle reads expired
  // keys from the front, touching nothing else, instead of sampling the
  // whole keyspace at random as Redis does.
  absl::btree_set<ExpiryItem> expiry_index_;
  uint32_t db_ = 0;
  uint64_t clears_ = 0;
  uint64_t expired_count_ = 0;
  Lookups lookups_;
  uint32_t lru_clock_ = LruClock(WallClockMs());  // set_clock's
  bool loading_ = false;
  // The log's compaction (BeginRewrite).
  bool rewriting_ = false;
  uint32_t rewrite_db_ = 0;
  uint16_t rewrite_mark_ = 0;
  std::vector<Node*> rewrite_queue_;
  size_t rewrite_next_ = 0;
  KeyspaceEventSink* new_key_sink_ = nullptr;
  ExpiredFn expired_fn_ = nullptr;
  void* expired_context_ = nullptr;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_STORE_STORE_H_
