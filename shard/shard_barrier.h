// ShardBarrier: every shard's coroutine waits at it until all shards have
// arrived, then all go on (start-up steps that must finish everywhere
// before any shard starts the next: a log generation's replay before the
// next's, loading before accepting clients). Arrivals are counted on shard
// 0; each arrival is a message carried by the awaiting frame, as in
// invoke_on.h, so nothing is allocated and no thread blocks.
//
//   ShardBarrier barrier(shard_count);          // shared by all shards
//   co_await barrier.Arrive();                  // on each shard, once a round
#ifndef SHARDD_SHARD_SHARD_BARRIER_H_
#define SHARDD_SHARD_SHARD_BARRIER_H_

#include <coroutine>
#include <cstdint>
#include <vector>

#include "shard/message.h"
#include "shard/reactor.h"

namespace shardd {

class ShardBarrier {
 public:
  explicit ShardBarrier(uint32_t shard_count) : shard_count_(shard_count) {}

  class [[nodiscard]] Awaiter final : public Message {
   public:
    explicit Awaiter(ShardBarrier& barrier) : barrier_(barrier) {}
    bool await_ready() const { return barrier_.shard_count_ == 1; }
    void await_suspend(std::coroutine_handle<> caller) {
      caller_ = caller;
      origin_ = Reactor::Current()->shard_id();
      if (origin_ == 0) {
        Run();
      } else {
        Reactor::Current()->Send(0, this);
      }
    }
    void await_resume() const {}

    void Run() override {
      if (released_) {  // back home
        caller_.resume();
        return;
      }
      // On shard 0: one more has arrived.
      std::vector<Awaiter*>& waiting = barrier_.waiting_;
      waiting.push_back(this);
      if (waiting.size() < barrier_.shard_count_) return;
      std::vector<Awaiter*> round;
      round.swap(waiting);
      Reactor& reactor = *Reactor::Current();
      for (Awaiter* awaiter : round) {
        awaiter->released_ = true;
        if (awaiter->origin_ == 0) {
          reactor.Schedule(awaiter->caller_);
        } else {
          reactor.Send(awaiter->origin_, awaiter);
        }
      }
    }

   private:
    ShardBarrier& barrier_;
    std::coroutine_handle<> caller_;
    uint32_t origin_ = 0;
    bool released_ = false;
  };

  Awaiter Arrive() { return Awaiter(*this); }

 private:
  const uint32_t shard_count_;
  std::vector<Awaiter*> waiting_;  // on shard 0: this round's arrivals
};

}  // namespace shardd

#endif  // SHARDD_SHARD_SHARD_BARRIER_H_
