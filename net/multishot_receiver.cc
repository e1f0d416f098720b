#include "net/multishot_receiver.h"

#include <liburing.h>

#include <cerrno>
#include <utility>

#include "net/connection.h"

namespace shardd::net {

MultishotReceiver::MultishotReceiver(SocketId socket, ProvidedBuffers& buffers,
                                     ConnectionCounters& counters)
    : socket_(socket), buffers_(buffers), counters_(counters) {
  completion_.on_complete = &MultishotReceiver::OnComplete;
  completion_.owner = this;
}

void MultishotReceiver::Abandon() {
  if (!armed_) {
    delete this;
    return;
  }
  abandoned_ = true;
  if (!cancelling_) Cancel();
  Reactor::Current()->RetainLoop();
}

bool MultishotReceiver::Awaiter::await_ready() {
  result_ = receiver_.Take(in_);
  if (result_) return true;
  if (in_.full()) {
    result_ = -ENOBUFS;
    return true;
  }
  if (Reactor::Current()->stopping()) {
    result_ = -ECANCELED;
    return true;
  }
  // Re-armed after back-pressure or a shortage of shared buffers; while a
  // cancellation is still in the kernel, its last CQE re-arms.
  if (!receiver_.armed_) receiver_.Arm();
  return false;
}

bool MultishotReceiver::Awaiter::await_suspend(std::coroutine_handle<> waiter) {
  // Waiting with nothing unconsumed: the memory goes back until data comes.
  if (in_.size() == 0) in_.Release();
  suspended_ = true;
  if (wait_.await_ready()) return false;  // deadline passed, or stopping
  receiver_.waiting_ = true;
  receiver_.sink_ = &in_;
  wait_.await_suspend(waiter);
  return true;
}

int MultishotReceiver::Awaiter::await_resume() {
  if (result_) return *result_;
  receiver_.waiting_ = false;
  receiver_.sink_ = nullptr;
  const bool woken = suspended_ && wait_.await_resume();
  if (std::optional<int> now = receiver_.Take(in_)) return *now;
  if (receiver_.unsupported_) return -EAGAIN;  // retried without multishot
  if (!woken) return Reactor::Current()->stopping() ? -ECANCELED : -ETIMEDOUT;
  return -EAGAIN;
}

std::optional<int> MultishotReceiver::Take(InputBuffer& in) {
  if (!early_.empty()) {
    in.Append(early_);
    arrived_ += early_.size();
    // Early bytes are the exception (a pipelining client): the buffer is
    // not kept.
    std::string().swap(early_);
  }
  if (arrived_ > 0) return static_cast<int>(std::exchange(arrived_, 0));
  return ended_;
}

void MultishotReceiver::OnComplete(Completion* completion) {
  static_cast<OwnedCompletion*>(completion)->owner->Handle(completion->result,
                                                           completion->flags);
}

void MultishotReceiver::Handle(int result, uint32_t flags) {
  if ((flags & IORING_CQE_F_BUFFER) != 0) {
    const auto id = static_cast<uint16_t>(flags >> IORING_CQE_BUFFER_SHIFT);
    if (result > 0 && !abandoned_) {
      const std::string_view bytes =
          buffers_.Get(id, static_cast<size_t>(result));
      if (sink_ != nullptr) {
        sink_->Append(bytes);
        arrived_ += bytes.size();
      } else {
        early_.append(bytes);
      }
      counters_.bytes_in += bytes.size();
      ++counters_.reads;
    }
    buffers_.Recycle(id);
  }
  if (result == 0) {
    ended_ = 0;  // the peer closed
  } else if (result == -ENOBUFS) {
    // Armed again below if a receive waits, else at the next receive.
    ++Reactor::Current()->stats().receive_buffer_shortages;
  } else if (result == -EAGAIN || (result == -ECANCELED && cancelling_)) {
    // Stopped for back-pressure: armed again at the next receive.
  } else if (result == -EINVAL) {
    // A kernel with buffer rings (5.19) but no multishot recv (6.0): every
    // connection goes back to a recv of its own (Connection::Receive).
    supported_.store(false, std::memory_order_relaxed);
    unsupported_ = true;
  } else if (result < 0) {
    ended_ = result;
  }

  if ((flags & IORING_CQE_F_MORE) == 0) {
    armed_ = false;
    cancelling_ = false;
    if (abandoned_) {
      Reactor::Current()->ReleaseLoop();
      delete this;
      return;
    }
    if (waiting_ && !ended_ && !unsupported_ &&
        !Reactor::Current()->stopping()) {
      Arm();
    }
  }
  if (waiting_) {
    if (arrived_ > 0 || ended_ || unsupported_) wait_.Wake();
  } else if (armed_ && !cancelling_ && early_.size() >= kHighWater) {
    Cancel();
  }
}

void MultishotReceiver::Arm() {
  io_uring_sqe* sqe = Reactor::Current()->PrepareSqe(&completion_);
  io_uring_prep_recv_multishot(sqe, socket_.value, nullptr, 0, 0);
  socket_.Target(sqe);
  sqe->flags |= IOSQE_BUFFER_SELECT;
  sqe->buf_group = buffers_.group();
  armed_ = true;
}

void MultishotReceiver::Cancel() {
  io_uring_sqe* sqe = Reactor::Current()->PrepareSqe(nullptr);
  io_uring_prep_cancel(sqe, &completion_, 0);
  io_uring_sqe_set_data(sqe, nullptr);  // its own CQE is ignored
  cancelling_ = true;
}

}  // namespace shardd::net
