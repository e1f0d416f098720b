#include "shard/kv/exec/reply_queue.h"

#include <algorithm>
#include <utility>

namespace shardd::kv {

std::string* ReplyQueue::LocalSink() {
  if (slots_.empty()) return out_;
  if (slots_.back().remote) slots_.emplace_back();
  return &slots_.back().data;
}

ReplyQueue::Slot* ReplyQueue::Reserve() {
  // A local slot stops growing once a remote one follows it.
  if (!slots_.empty() && !slots_.back().remote) {
    queued_bytes_ += slots_.back().data.size();
  }
  Slot& slot = slots_.emplace_back();
  slot.remote = true;
  ++pending_;
  return &slot;
}

void ReplyQueue::Fill(Slot* slot) {
  queued_bytes_ += slot->data.size();
  if (slot->refused != nullptr) ++refused_;
  if (--pending_ == 0 && waiter_) std::exchange(waiter_, {}).resume();
}

size_t ReplyQueue::BufferedBytes() const {
  size_t bytes = out_->size() + queued_bytes_;
  // Only the last slot can still be growing.
  if (!slots_.empty() && !slots_.back().remote) {
    bytes += slots_.back().data.size();
  }
  return bytes;
}

void ReplyQueue::Collapse() {
  while (!slots_.empty() && slots_.front().refused == nullptr) {
    out_->append(slots_.front().data);
    queued_bytes_ -= std::min(queued_bytes_, slots_.front().data.size());
    slots_.pop_front();
  }
  if (slots_.empty()) queued_bytes_ = 0;
}

}  // namespace shardd::kv
