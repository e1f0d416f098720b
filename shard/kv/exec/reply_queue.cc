#include "shard/kv/exec/reply_queue.h"

#include <algorithm>
#include <utility>

namespace shardd::kv {

namespace {

// An emptied slot keeps a buffer up to this size for its next reply, and
// the queue keeps up to this many emptied slots: a batch of 1,024 remote
// commands (kMaxPendingRemote, resp_session.cc) with local replies between
// them needs 2,049.
constexpr size_t kRetainedBufferBytes = 4096;
constexpr size_t kRetainedSlots = 4096;

}  // namespace

ReplyQueue::Slot& ReplyQueue::PushBack() {
  if (end_ == slots_.size()) slots_.push_back(std::make_unique<Slot>());
  Slot& slot = *slots_[end_++];  // emptied by Collapse
  slot.remote = false;
  slot.refused = nullptr;
  slot.discard = false;
  return slot;
}

std::string* ReplyQueue::LocalSink() {
  if (muted_) {
    // A large muted reply does not stay allocated.
    if (muted_sink_.capacity() > kRetainedBufferBytes) {
      std::string().swap(muted_sink_);
    }
    muted_sink_.clear();
    return &muted_sink_;
  }
  if (empty()) return out_;
  if (back().remote) PushBack();
  return &back().data;
}

ReplyQueue::Slot* ReplyQueue::Reserve() {
  // A local slot stops growing once a remote one follows it.
  if (!empty() && !back().remote) queued_bytes_ += back().data.size();
  Slot& slot = PushBack();
  slot.remote = true;
  slot.discard = muted_;
  ++pending_;
  return &slot;
}

void ReplyQueue::Fill(Slot* slot) {
  queued_bytes_ += slot->data.size();
  if (slot->refused != nullptr) ++refused_;
  Filled();
}

void ReplyQueue::Fill(Slot* slot, std::string_view reply) {
  if (slot != slots_[begin_].get()) {
    slot->data.assign(reply);
    Fill(slot);
    return;
  }
  if (!slot->discard) out_->append(reply);
  if (++begin_ == end_) begin_ = end_ = 0;
  Filled();
}

void ReplyQueue::Filled() {
  if (--pending_ == 0 && waiter_) std::exchange(waiter_, {}).resume();
}

size_t ReplyQueue::BufferedBytes() const {
  size_t bytes = out_->size() + queued_bytes_;
  // Only the last slot can still be growing.
  if (!empty() && !slots_[end_ - 1]->remote) {
    bytes += slots_[end_ - 1]->data.size();
  }
  return bytes;
}

void ReplyQueue::Collapse() {
  while (!empty() && slots_[begin_]->refused == nullptr) {
    Slot& front = *slots_[begin_++];
    if (!front.discard) out_->append(front.data);
    queued_bytes_ -= std::min(queued_bytes_, front.data.size());
    // Emptied now, not when the slot is next used: a large reply must not
    // stay with an idle connection.
    if (front.data.capacity() > kRetainedBufferBytes) {
      std::string().swap(front.data);
    }
    front.data.clear();
  }
  if (empty()) {
    queued_bytes_ = 0;
    begin_ = end_ = 0;
    if (slots_.size() > kRetainedSlots) slots_.resize(kRetainedSlots);
  } else if (begin_ > slots_.size() / 2) {
    // Slots left (refused commands, and what follows them) move to the
    // front; the objects themselves stay where they are.
    std::rotate(slots_.begin(), slots_.begin() + begin_, slots_.end());
    end_ -= begin_;
    begin_ = 0;
  }
}

}  // namespace shardd::kv
