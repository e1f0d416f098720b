// InvokeOnEach: run a function on several shards at once and get every
// result back on this one. InvokeOn in a loop waits one round trip per shard
// (and on many cores, one wake-up after another); here every message leaves
// in the same loop turn, each target runs its call in its own turn, and the
// caller resumes when the last one is back.
//
//   std::vector<size_t> sizes = co_await InvokeOnEach(
//       {0, 2, 3}, [&](uint32_t shard) { return StoreOf(shard).size(); });
//
// `fn(shard)` runs on the targets' threads at the same time: it must only
// touch state that the target owns and only read what the suspended caller
// lent it; each call's result comes back in its own slot, in the order of
// the targets. A target that is the calling shard runs inline, before the
// others are sent. The messages live in one vector, the results come back
// in another; the coroutine never migrates.
#ifndef SHARDD_SHARD_INVOKE_ON_EACH_H_
#define SHARDD_SHARD_INVOKE_ON_EACH_H_

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "shard/message.h"
#include "shard/reactor.h"

namespace shardd {

template <typename Fn>
class [[nodiscard]] InvokeOnEachAwaiter {
  using Result = std::invoke_result_t<const Fn&, uint32_t>;
  static_assert(!std::is_void_v<Result>,
                "InvokeOnEach's function returns what each shard found");

  // One target's call: goes there, runs `fn`, comes back.
  class Visit final : public Message {
   public:
    Visit(InvokeOnEachAwaiter* each, uint32_t target)
        : each_(each), target_(target) {}

    void Call() { result_.emplace(each_->fn_(target_)); }
    void Run() override {
      if (!result_) {  // on the target
        Call();
        Reactor::Current()->Send(each_->origin_, this);
      } else if (--each_->out_ == 0) {  // back home, the last one
        each_->caller_.resume();
      }
    }
    Result Take() { return std::move(*result_); }
    uint32_t target() const { return target_; }

   private:
    InvokeOnEachAwaiter* each_;
    const uint32_t target_;
    std::optional<Result> result_;
  };

 public:
  InvokeOnEachAwaiter(std::vector<uint32_t> targets, Fn fn)
      : targets_(std::move(targets)), fn_(std::move(fn)) {}
  InvokeOnEachAwaiter(const InvokeOnEachAwaiter&) = delete;
  InvokeOnEachAwaiter& operator=(const InvokeOnEachAwaiter&) = delete;

  bool await_ready() {
    origin_ = Reactor::Current()->shard_id();
    // Reserved whole first: the targets hold pointers into it.
    visits_.reserve(targets_.size());
    for (uint32_t target : targets_) {
      visits_.emplace_back(this, target);
      if (target == origin_) {
        visits_.back().Call();
      } else {
        ++out_;
      }
    }
    return out_ == 0;
  }
  void await_suspend(std::coroutine_handle<> caller) {
    caller_ = caller;
    Reactor& reactor = *Reactor::Current();
    for (Visit& visit : visits_) {
      if (visit.target() != origin_) reactor.Send(visit.target(), &visit);
    }
  }
  std::vector<Result> await_resume() {
    std::vector<Result> results;
    results.reserve(visits_.size());
    for (Visit& visit : visits_) results.push_back(visit.Take());
    return results;
  }

 private:
  const std::vector<uint32_t> targets_;
  const Fn fn_;
  uint32_t origin_ = 0;
  size_t out_ = 0;
  std::vector<Visit> visits_;
  std::coroutine_handle<> caller_;
};

template <typename Fn>
InvokeOnEachAwaiter<Fn> InvokeOnEach(std::vector<uint32_t> targets, Fn fn) {
  return InvokeOnEachAwaiter<Fn>(std::move(targets), std::move(fn));
}

}  // namespace shardd

#endif  // SHARDD_SHARD_INVOKE_ON_EACH_H_
