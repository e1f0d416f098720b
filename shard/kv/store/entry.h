// Entry is one key's value and expiry: a string or one of the aggregate
// types. It is 24 bytes, because a shard holds millions of them: a string of
// up to 8 bytes (a flag, a small counter) is kept inside the Entry, so that
// reading it costs no further cache miss; a longer one is a bare heap block
// of exactly its length (no capacity, no NUL); an aggregate is a pointer to
// its own object.
//
//   Entry e;                        // an empty string
//   e.AssignString("hello");
//   char* bytes = e.ResizeString(8);  // "hello\0\0\0", to write into
//   Use(e.string());
#ifndef SHARDD_SHARD_KV_STORE_ENTRY_H_
#define SHARDD_SHARD_KV_STORE_ENTRY_H_

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace shardd::kv {

// The kind of value a key holds, as TYPE names it.
enum class ValueType : uint8_t {
  kString,
  kList,
  kHash,
  kSet,
  kZSet,
};

// The aggregate types live in their own files (list_value.h, ...).
class ListValue;
class HashValue;
class SetValue;
class ZSetValue;

// The expiry is changed only through Store, which keeps its expiry index in
// step with it.
class Entry {
 public:
  Entry() = default;
  ~Entry() { Reset(); }
  // A moved-from Entry holds an empty string but keeps its expiry: a handler
  // may move the value out of a stored key (RENAME), and the store's expiry
  // index still lists that key under the expiry until the key is erased.
  Entry(Entry&& other) noexcept;
  Entry& operator=(Entry&& other) noexcept;
  // A deep copy (COPY, and commands whose keys span shards, work on copies).
  Entry Clone() const;

  ValueType type() const { return type_; }

  // The string value; only valid when type() is kString.
  std::string_view string() const {
    assert(type_ == ValueType::kString);
    return std::string_view(text_inline() ? inline_text_ : text_, text_size_);
  }
  // Replaces the value (of any type) with a string; the expiry is unchanged.
  void AssignString(std::string_view value);
  // Makes the string value `size` bytes long, keeping its first bytes and
  // filling any new ones with zeros, and returns the bytes to write into
  // (valid until the next change). The caller keeps `size` within
  // kMaxStringBytes. The block is resized with realloc, which jemalloc does
  // in place while the size stays in its size class and which copies only
  // when it crosses into the next, about 25% larger class: repeated APPENDs
  // cost amortised linear time without a capacity field here.
  char* ResizeString(size_t size);
  // The string value's bytes, to change in place without changing its
  // length (valid until the next change).
  char* MutableString() {
    assert(type_ == ValueType::kString);
    return text_bytes();
  }

  // The aggregate held; only valid when type() says so.
  ListValue& list() { return *Checked(list_, ValueType::kList); }
  HashValue& hash() { return *Checked(hash_, ValueType::kHash); }
  SetValue& set() { return *Checked(set_, ValueType::kSet); }
  ZSetValue& zset() { return *Checked(zset_, ValueType::kZSet); }
  const ListValue& list() const { return *Checked(list_, ValueType::kList); }
  const HashValue& hash() const { return *Checked(hash_, ValueType::kHash); }
  const SetValue& set() const { return *Checked(set_, ValueType::kSet); }
  const ZSetValue& zset() const { return *Checked(zset_, ValueType::kZSet); }

  // Absolute expiry in milliseconds since the epoch; 0 means none.
  int64_t expire_at_ms() const { return expire_at_ms_; }

  // When the key was last read or written, on the LRU clock (Store's
  // LruClock): OBJECT IDLETIME and DEBUG OBJECT report it.
  uint32_t lru() const { return lru_; }

  // Same type, same contents, same expiry.
  bool operator==(const Entry& other) const;

 private:
  friend class Store;

  static constexpr size_t kInlineBytes = sizeof(char*);

  // Makes `type` (not kString) the value, an empty aggregate.
  void MakeAggregate(ValueType type);
  // Takes other's value (its bytes, whichever union member they are).
  void TakeValue(Entry& other);
  bool text_inline() const { return text_size_ <= kInlineBytes; }
  char* text_bytes() { return text_inline() ? inline_text_ : text_; }
  // Frees the value, leaving an empty string.
  void Reset();

  template <typename T>
  T* Checked(T* value, [[maybe_unused]] ValueType expected) const {
    assert(type_ == expected);
    return value;
  }

  // Which member is live is told by type_ and, for a string, by text_size_:
  // up to kInlineBytes the bytes are inline_text_, beyond it a block at text_.
  union {
    char* text_ = nullptr;
    char inline_text_[kInlineBytes];
    ListValue* list_;
    HashValue* hash_;
    SetValue* set_;
    ZSetValue* zset_;
  };
  int64_t expire_at_ms_ = 0;
  // Strings are capped far below 4 GiB (kMaxStringBytes, the request limit).
  uint32_t text_size_ = 0;
  ValueType type_ = ValueType::kString;
  // In the three bytes left after type_, as Redis keeps 24 bits of LRU
  // clock in each object. Set only by Store; moves and copies leave it.
  uint32_t lru_ : 24 = 0;
};

static_assert(sizeof(Entry) == 24, "an Entry per key: keep it small");

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_STORE_ENTRY_H_
