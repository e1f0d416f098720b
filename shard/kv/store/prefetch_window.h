// PrefetchWindow: up to Store::kPrefetchWindow keys, of one store or of
// several, loaded into the CPU cache in Store's two steps: each key's table
// slot as it is added, then every key's node at Finish(), so that the misses
// of the whole window overlap. Each key is hashed once for both steps.
//
//   PrefetchWindow window;
//   for (...) if (!window.Add(store, key)) break;
//   window.Finish();
#ifndef SHARDD_SHARD_KV_STORE_PREFETCH_WINDOW_H_
#define SHARDD_SHARD_KV_STORE_PREFETCH_WINDOW_H_

#include <array>
#include <cstddef>
#include <string_view>

#include "shard/kv/store/store.h"

namespace shardd::kv {

class PrefetchWindow {
 public:
  // False, and nothing done, once the window is full. A key of a store
  // small enough for the caches is left alone (Store::PrefetchPays).
  bool Add(const Store& store, std::string_view key) {
    if (count_ == keys_.size()) return false;
    if (!store.PrefetchPays()) return true;
    keys_[count_] = Store::Hashed(key);
    stores_[count_] = &store;
    store.PrefetchSlot(keys_[count_]);
    ++count_;
    return true;
  }

  // The nodes of the keys added since the last Finish().
  void Finish() {
    for (size_t i = 0; i < count_; ++i) stores_[i]->PrefetchNode(keys_[i]);
    count_ = 0;
  }

 private:
  std::array<Store::HashedKey, Store::kPrefetchWindow> keys_;
  std::array<const Store*, Store::kPrefetchWindow> stores_;
  size_t count_ = 0;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_STORE_PREFETCH_WINDOW_H_
