// InputBuffer: the bytes a connection has received but not yet consumed, with
// a size limit. Parsers read data(); bytes come in either by Append() (a
// receive into a shared buffer, net/multishot_receiver.h) or by receiving
// into WritableSpace() and Commit()ting what arrived. Consumed space is
// reclaimed by moving the unread tail to the front only when room is
// needed; a buffer that grew for one large request shrinks back once it is
// drained, and an empty one can give its memory back (Release), so that an
// idle connection holds none.
//
//   in.Append(bytes);  ... parse in.data() ...  in.Consume(parsed);
//   if (in.size() == 0) in.Release();  // about to wait for a long time
#ifndef SHARDD_NET_INPUT_BUFFER_H_
#define SHARDD_NET_INPUT_BUFFER_H_

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>

namespace shardd::net {

class InputBuffer {
 public:
  // Grows `initial` bytes at a time; holds `limit` bytes at most, but for
  // what one Append() brings past it (see full()). Allocates on first use.
  InputBuffer(size_t initial, size_t limit);

  std::string_view data() const {
    return {storage_.get() + begin_, end_ - begin_};
  }
  size_t size() const { return end_ - begin_; }
  // No more may come in: the unconsumed bytes reached the limit.
  bool full() const { return size() >= limit_; }
  // Bytes that may still come in under the limit.
  size_t room() const { return full() ? 0 : limit_ - size(); }

  void Consume(size_t n);
  // A new limit (CONFIG SET client-query-buffer-limit); bytes already in
  // stay.
  void set_limit(size_t limit) { limit_ = limit; }

  // Copies `bytes` in, whatever the limit: they were received already. The
  // caller stops receiving once full().
  void Append(std::string_view bytes);

  // Room to receive into: at least `initial` bytes (or what is left under
  // the limit). Empty when full().
  std::span<char> WritableSpace();
  void Commit(size_t n) { end_ += n; }

  // Frees the storage of an empty buffer (no-op otherwise).
  void Release();

 private:
  // A fresh buffer's first block when bytes are appended: one short
  // request's worth, not a whole read's; a larger request grows it.
  static constexpr size_t kFirstAppendBlock = 1024;

  // Makes room for `wanted` more bytes after end_; a fresh buffer gets
  // `first_block` bytes at least.
  void Reserve(size_t wanted, size_t first_block);
  void Reallocate(size_t capacity);

  const size_t initial_;
  size_t limit_;
  std::unique_ptr<char[]> storage_;
  size_t capacity_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
};

}  // namespace shardd::net

#endif  // SHARDD_NET_INPUT_BUFFER_H_
