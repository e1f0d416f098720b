// Databases: one shard's numbered keyspaces (SELECT, --databases), a Store
// each. A database's Store is made the first time something reaches it, so
// one never used costs a null pointer; database 0 always exists.
//
//   Databases dbs;  dbs.Resize(16);            // before the shard starts
//   Store& store = dbs.Db(3);                  // made if it was not
//   dbs.ForEach([](uint32_t db, Store& s) { ... });   // those that exist
//   dbs.Swap(0, 3);                            // SWAPDB: O(1)
#ifndef SHARDD_SHARD_KV_STORE_DATABASES_H_
#define SHARDD_SHARD_KV_STORE_DATABASES_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "shard/kv/store/store.h"

namespace shardd::kv {

class Databases {
 public:
  Databases() { Resize(1); }
  Databases(const Databases&) = delete;
  Databases& operator=(const Databases&) = delete;

  // The number of databases; only before the shard starts.
  void Resize(uint32_t count);
  uint32_t count() const { return static_cast<uint32_t>(stores_.size()); }

  // Database `db` (< count()), made empty if it did not exist.
  Store& Db(uint32_t db) {
    Store* store = stores_[db].get();
    return store != nullptr ? *store : Make(db);
  }
  // Database `db` if it was ever made, else null (it holds nothing).
  Store* Find(uint32_t db) const { return stores_[db].get(); }

  // SWAPDB: each database takes the other's keys (and Store).
  void Swap(uint32_t a, uint32_t b);

  // fn(db, store) for each database made so far, in number order.
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (uint32_t db = 0; db < stores_.size(); ++db) {
      if (stores_[db] != nullptr) fn(db, *stores_[db]);
    }
  }

  // Settings every Store of the shard shares, those made later included.
  void set_loading(bool loading);
  void OnExpired(Store::ExpiredFn fn, void* context);

  // Sums over the databases, for INFO.
  size_t KeyCount() const;
  uint64_t ExpiredCount() const;
  Store::Lookups Lookups() const;
  void ResetStats();  // CONFIG RESETSTAT: expired keys and lookups

 private:
  Store& Make(uint32_t db);

  std::vector<std::unique_ptr<Store>> stores_;
  bool loading_ = false;
  Store::ExpiredFn expired_fn_ = nullptr;
  void* expired_context_ = nullptr;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_STORE_DATABASES_H_
