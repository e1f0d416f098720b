// InputBuffer: the bytes a connection has received but not yet consumed, with
// a hard size limit. Parsers read data(); the connection receives into
// WritableSpace() and Commit()s what arrived. Consumed space is reclaimed by
// moving the unread tail to the front only when room is needed, and a buffer
// that grew for one large request shrinks back once it is drained.
//
//   std::span<char> space = in.WritableSpace();
//   int n = co_await Receive(fd, space.data(), space.size());
//   in.Commit(n);  ... parse in.data() ...  in.Consume(parsed);
#ifndef SHARDD_NET_INPUT_BUFFER_H_
#define SHARDD_NET_INPUT_BUFFER_H_

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>

namespace shardd::net {

class InputBuffer {
 public:
  // Starts with `initial` bytes of room; never holds more than `limit` bytes.
  InputBuffer(size_t initial, size_t limit);

  std::string_view data() const {
    return {storage_.get() + begin_, end_ - begin_};
  }
  size_t size() const { return end_ - begin_; }

  void Consume(size_t n);

  // Room to receive into: at least `initial` bytes (or what is left under
  // the limit). Empty when the buffer holds `limit` unconsumed bytes.
  std::span<char> WritableSpace();
  void Commit(size_t n) { end_ += n; }

 private:
  void Reallocate(size_t capacity);

  const size_t initial_;
  const size_t limit_;
  std::unique_ptr<char[]> storage_;
  size_t capacity_;
  size_t begin_ = 0;
  size_t end_ = 0;
};

}  // namespace shardd::net

#endif  // SHARDD_NET_INPUT_BUFFER_H_
