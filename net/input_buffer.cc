#include "net/input_buffer.h"

#include <algorithm>
#include <cstring>

namespace shardd::net {

InputBuffer::InputBuffer(size_t initial, size_t limit)
    : initial_(std::min(initial, limit)),
      limit_(limit),
      storage_(new char[initial_]),
      capacity_(initial_) {}

void InputBuffer::Consume(size_t n) {
  begin_ += n;
  if (begin_ != end_) return;
  begin_ = end_ = 0;
  // Give back the memory a single large request needed.
  if (capacity_ > 4 * initial_) Reallocate(initial_);
}

std::span<char> InputBuffer::WritableSpace() {
  const size_t used = size();
  if (used >= limit_) return {};
  const size_t wanted = std::min(initial_, limit_ - used);
  if (capacity_ - end_ < wanted) {
    if (capacity_ - used >= wanted) {
      std::memmove(storage_.get(), storage_.get() + begin_, used);
      begin_ = 0;
      end_ = used;
    } else {
      Reallocate(std::min(limit_, std::max(2 * capacity_, used + wanted)));
    }
  }
  return {storage_.get() + end_, capacity_ - end_};
}

void InputBuffer::Reallocate(size_t capacity) {
  std::unique_ptr<char[]> fresh(new char[capacity]);
  const size_t used = size();
  std::memcpy(fresh.get(), storage_.get() + begin_, used);
  storage_ = std::move(fresh);
  capacity_ = capacity;
  begin_ = 0;
  end_ = used;
}

}  // namespace shardd::net
