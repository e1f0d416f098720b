// DbKey: the name under which exec's per-shard tables that outlive one
// command (watched keys, blocked clients' keys) know key `key` of database
// `db`. A key of database 0 is its own name, so the common case costs
// nothing; any other is "\xff<db>:<key>", and a database-0 key that itself
// starts with \xff is "\xff0:<key>", so that the mapping is one-to-one and
// keys of different databases never meet. Lock tables (key_locks.h) take
// plain keys: a key locked in one database waits for the same name in
// every database, which costs some concurrency and never isolation.
//
//   DbKey name(db, key);  table.find(name.view());
//   if (ParseDbKey(name.view(), &db, &key)) ...
#ifndef SHARDD_SHARD_KV_EXEC_DB_KEY_H_
#define SHARDD_SHARD_KV_EXEC_DB_KEY_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace shardd::kv {

class DbKey {
 public:
  DbKey(uint32_t db, std::string_view key)
      : plain_(db == 0 && (key.empty() || key[0] != '\xff')), key_(key) {
    if (!plain_) {
      owned_ = absl::StrCat("\xff", db, ":",
                            absl::string_view(key.data(), key.size()));
    }
  }
  DbKey(const DbKey&) = delete;
  DbKey& operator=(const DbKey&) = delete;

  std::string_view view() const {
    return plain_ ? key_ : std::string_view(owned_);
  }

 private:
  bool plain_;
  std::string_view key_;
  std::string owned_;
};

// The database and key a DbKey name stands for.
inline void ParseDbKey(std::string_view name, uint32_t* db,
                       std::string_view* key) {
  *db = 0;
  *key = name;
  if (name.empty() || name[0] != '\xff') return;
  const size_t colon = name.find(':');
  if (colon == std::string_view::npos ||
      !absl::SimpleAtoi(absl::string_view(name.data() + 1, colon - 1), db)) {
    return;  // not made by DbKey
  }
  *key = name.substr(colon + 1);
}

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_DB_KEY_H_
