// InvokeOn: run a function on another shard and get its result back on this
// one. The awaiter itself is the message: it travels to the target through the
// mailbox, runs `fn` there, and travels back to resume the caller on its own
// shard — no allocation, and the coroutine never migrates between threads.
//
//   size_t keys = co_await InvokeOn(owner, [&] { return StoreOf(owner).size(); });
//
// `fn` runs on the target's thread: it must only touch state owned by the
// target (and what the suspended caller lent it). If the target is the calling
// shard, `fn` runs inline without suspending.
#ifndef SHARDD_SHARD_INVOKE_ON_H_
#define SHARDD_SHARD_INVOKE_ON_H_

#include <coroutine>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <utility>

#include "shard/message.h"
#include "shard/reactor.h"

namespace shardd {

template <typename Fn>
class [[nodiscard]] InvokeOnAwaiter final : public Message {
  using Result = std::invoke_result_t<Fn&>;
  // void results are stored as a flag so one code path serves both.
  using Stored = std::conditional_t<std::is_void_v<Result>, bool, Result>;

 public:
  InvokeOnAwaiter(uint32_t target, Fn fn)
      : target_(target), fn_(std::move(fn)) {}

  bool await_ready() {
    origin_ = Reactor::Current()->shard_id();
    if (target_ != origin_) return false;
    Invoke();
    return true;
  }
  void await_suspend(std::coroutine_handle<> caller) {
    caller_ = caller;
    Reactor::Current()->Send(target_, this);
  }
  Result await_resume() {
    if constexpr (!std::is_void_v<Result>) return std::move(*result_);
  }

  void Run() override {
    if (!result_) {  // first delivery: on the target
      Invoke();
      Reactor::Current()->Send(origin_, this);
    } else {  // second delivery: back home
      caller_.resume();
    }
  }

 private:
  void Invoke() {
    if constexpr (std::is_void_v<Result>) {
      fn_();
      result_.emplace(true);
    } else {
      result_.emplace(fn_());
    }
  }

  uint32_t target_;
  uint32_t origin_ = 0;
  Fn fn_;
  std::optional<Stored> result_;
  std::coroutine_handle<> caller_;
};

template <typename Fn>
InvokeOnAwaiter<Fn> InvokeOn(uint32_t shard, Fn fn) {
  return InvokeOnAwaiter<Fn>(shard, std::move(fn));
}

}  // namespace shardd

#endif  // SHARDD_SHARD_INVOKE_ON_H_
