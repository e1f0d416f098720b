#include "net/input_buffer.h"

#include <algorithm>
#include <cstring>

namespace shardd::net {

InputBuffer::InputBuffer(size_t initial, size_t limit)
    : initial_(std::min(initial, limit)), limit_(limit) {}

void InputBuffer::Consume(size_t n) {
  begin_ += n;
  if (begin_ != end_) return;
  begin_ = end_ = 0;
  // Give back the memory a single large request needed.
  if (capacity_ > 4 * initial_) Reallocate(initial_);
}

void InputBuffer::Append(std::string_view bytes) {
  Reserve(bytes.size(), std::min(initial_, kFirstAppendBlock));
  std::memcpy(storage_.get() + end_, bytes.data(), bytes.size());
  end_ += bytes.size();
}

std::span<char> InputBuffer::WritableSpace() {
  const size_t used = size();
  if (used >= limit_) return {};
  Reserve(std::min(initial_, limit_ - used), initial_);
  return {storage_.get() + end_, capacity_ - end_};
}

void InputBuffer::Release() {
  if (size() != 0) return;
  storage_.reset();
  capacity_ = begin_ = end_ = 0;
}

void InputBuffer::Reserve(size_t wanted, size_t first_block) {
  if (capacity_ - end_ >= wanted) return;
  const size_t used = size();
  if (capacity_ == 0) {
    Reallocate(std::max(wanted, first_block));
    return;
  }
  if (capacity_ - used >= wanted) {
    std::memmove(storage_.get(), storage_.get() + begin_, used);
    begin_ = 0;
    end_ = used;
    return;
  }
  // Doubling keeps a large request's appends linear, up to the limit; only
  // what Append() must hold goes past it.
  Reallocate(std::max(used + wanted,
                      std::min(limit_, std::max(initial_, 2 * capacity_))));
}

void InputBuffer::Reallocate(size_t capacity) {
  std::unique_ptr<char[]> fresh(new char[capacity]);
  const size_t used = size();
  if (used > 0) std::memcpy(fresh.get(), storage_.get() + begin_, used);
  storage_ = std::move(fresh);
  capacity_ = capacity;
  begin_ = 0;
  end_ = used;
}

}  // namespace shardd::net
