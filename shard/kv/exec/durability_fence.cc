#include "shard/kv/exec/durability_fence.h"

#include <coroutine>
#include <vector>

#include "shard/message.h"
#include "shard/reactor.h"

namespace shardd::kv {
namespace {

class RemoteFences {
 public:
  explicit RemoteFences(KvShards& shards) : shards_(shards) {}

  bool await_ready() const { return shards_.shard_count() == 1; }
  void await_suspend(std::coroutine_handle<> waiter) {
    waiter_ = waiter;
    Reactor& reactor = *Reactor::Current();
    const uint32_t here = reactor.shard_id();
    fences_.reserve(shards_.shard_count() - 1);
    remaining_ = shards_.shard_count() - 1;
    for (uint32_t s = 0; s < shards_.shard_count(); ++s) {
      if (s == here) continue;
      fences_.push_back(Fence(this, here, s));
    }
    uint32_t next = 0;
    for (uint32_t s = 0; s < shards_.shard_count(); ++s) {
      if (s != here) reactor.Send(s, &fences_[next++]);
    }
  }
  // How many shards' published durable offset is short of what their log
  // held when the fence reached them.
  uint64_t await_resume() const {
    uint64_t early = 0;
    for (const Fence& fence : fences_) {
      if (shards_.On(fence.target()).log.published_durable() <
          fence.appended()) {
        ++early;
      }
    }
    return early;
  }

 private:
  // Travels to a shard, waits there for its log, and comes back.
  class Fence final : public Message {
   public:
    Fence(RemoteFences* parent, uint32_t origin, uint32_t target)
        : parent_(parent), origin_(origin), target_(target) {}
    uint32_t target() const { return target_; }
    uint64_t appended() const { return appended_; }
    void Run() override {
      if (answered_) {
        if (--parent_->remaining_ == 0) parent_->waiter_.resume();
        return;
      }
      answered_ = true;
      aio::LogWriter& log = parent_->shards_.Local().log;
      appended_ = log.appended();
      log.CallWhenDurable(appended_, &SendBack, this);
    }

   private:
    static void SendBack(void* self) {
      auto* fence = static_cast<Fence*>(self);
      Reactor::Current()->Send(fence->origin_, fence);
    }

    RemoteFences* parent_;
    uint32_t origin_;
    uint32_t target_;
    uint64_t appended_ = 0;
    bool answered_ = false;
  };

  KvShards& shards_;
  std::vector<Fence> fences_;
  uint32_t remaining_ = 0;
  std::coroutine_handle<> waiter_;
};

}  // namespace

Task<uint64_t> WaitUntilDurable(KvShards& shards) {
  aio::LogWriter& log = shards.Local().log;
  const uint64_t appended = log.appended();
  co_await log.WaitDurable(appended);
  const uint64_t early = log.published_durable() < appended ? 1 : 0;
  co_return early + co_await RemoteFences(shards);
}

}  // namespace shardd::kv
