// Task<T>: the coroutine type of every handler. A Task is lazy (its body starts
// when it is awaited) and single-threaded (it is resumed only on the shard that
// created it). Awaiting a Task transfers control to it symmetrically, so deep
// chains of co_await cost no stack.
//
//   Task<int> Answer() { co_return 42; }
//   Task<void> Caller() { int v = co_await Answer(); ... }
//
// Exceptions do not cross coroutine boundaries in shardd (STYLE.md): a handler
// that lets one escape terminates the process, loudly, instead of leaving a
// connection half-served.
#ifndef SHARDD_SHARD_TASK_H_
#define SHARDD_SHARD_TASK_H_

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <new>
#include <optional>
#include <utility>

namespace shardd {

namespace task_internal {

// Counts a coroutine frame allocated by the calling shard (reactor.cc), so
// that tests can prove a hot path (e.g. a GET on a local key) allocates none.
void CountFrameAllocated();

struct PromiseBase {
  static void* operator new(size_t size) {
    CountFrameAllocated();
    return ::operator new(size);
  }
  static void operator delete(void* frame, size_t size) {
    ::operator delete(frame, size);
  }

  std::coroutine_handle<> continuation = std::noop_coroutine();

  std::suspend_always initial_suspend() noexcept { return {}; }

  // Resumes whoever awaited the task; the frame is freed by the Task object.
  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    template <typename Promise>
    std::coroutine_handle<> await_suspend(
        std::coroutine_handle<Promise> self) noexcept {
      return self.promise().continuation;
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }

  void unhandled_exception() noexcept { std::terminate(); }
};

template <typename T>
struct Promise : PromiseBase {
  std::optional<T> value;
  void return_value(T v) { value.emplace(std::move(v)); }
  T Take() { return std::move(*value); }
};

template <>
struct Promise<void> : PromiseBase {
  void return_void() noexcept {}
  void Take() noexcept {}
};

}  // namespace task_internal

// Number of Task frames the calling shard has allocated so far (0 outside a
// shard thread).
uint64_t TaskFramesAllocated();

template <typename T = void>
class [[nodiscard]] Task {
 public:
  struct promise_type : task_internal::Promise<T> {
    Task get_return_object() {
      return Task(std::coroutine_handle<promise_type>::from_promise(*this));
    }
  };
  using Handle = std::coroutine_handle<promise_type>;

  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      Reset();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { Reset(); }

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) {
    handle_.promise().continuation = caller;
    return handle_;
  }
  T await_resume() { return handle_.promise().Take(); }

 private:
  explicit Task(Handle handle) : handle_(handle) {}
  void Reset() {
    if (handle_) handle_.destroy();
    handle_ = {};
  }

  Handle handle_;
};

}  // namespace shardd

#endif  // SHARDD_SHARD_TASK_H_
