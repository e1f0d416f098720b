#include "shard/kv/store/databases.h"

#include <utility>

namespace shardd::kv {

void Databases::Resize(uint32_t count) {
  stores_.resize(count);
  Db(0);
}

Store& Databases::Make(uint32_t db) {
  stores_[db] = std::make_unique<Store>();
  Store& store = *stores_[db];
  store.set_db(db);
  store.set_loading(loading_);
  store.OnExpired(expired_fn_, expired_context_);
  return store;
}

void Databases::Swap(uint32_t a, uint32_t b) {
  std::swap(stores_[a], stores_[b]);
  if (stores_[a] != nullptr) stores_[a]->set_db(a);
  if (stores_[b] != nullptr) stores_[b]->set_db(b);
}

void Databases::set_loading(bool loading) {
  loading_ = loading;
  ForEach([loading](uint32_t, Store& store) { store.set_loading(loading); });
}

void Databases::OnExpired(Store::ExpiredFn fn, void* context) {
  expired_fn_ = fn;
  expired_context_ = context;
  ForEach([=](uint32_t, Store& store) { store.OnExpired(fn, context); });
}

size_t Databases::KeyCount() const {
  size_t keys = 0;
  ForEach([&keys](uint32_t, Store& store) { keys += store.KeyCount(); });
  return keys;
}

uint64_t Databases::ExpiredCount() const {
  uint64_t expired = 0;
  ForEach(
      [&expired](uint32_t, Store& store) { expired += store.expired_count(); });
  return expired;
}

Store::Lookups Databases::Lookups() const {
  Store::Lookups sum;
  ForEach([&sum](uint32_t, Store& store) {
    sum.hits += store.lookups().hits;
    sum.misses += store.lookups().misses;
  });
  return sum;
}

void Databases::ResetStats() {
  ForEach([](uint32_t, Store& store) {
    store.ResetExpiredCount();
    store.set_lookups({});
  });
}

}  // namespace shardd::kv
