// OutputPool: a shard's spare reply buffers. A connection takes one when it
// starts writing replies and gives it back once they are sent, so the
// memory of a reply buffer belongs to the connections with replies
// pending, not to every connection that ever had one.
//
//   pool.Take(output);   ... append replies, send ...
//   pool.Give(output);   // output is empty (and holds no memory) after
#ifndef SHARDD_NET_OUTPUT_POOL_H_
#define SHARDD_NET_OUTPUT_POOL_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace shardd::net {

class OutputPool {
 public:
  // Buffers kept, and the largest kept: beyond, memory goes back to the
  // allocator.
  static constexpr size_t kMaxKept = 64;
  static constexpr size_t kMaxKeptBytes = 64 * 1024;

  // Gives `out` (empty) a spare buffer's memory, if there is one.
  void Take(std::string& out) {
    if (spares_.empty() || out.capacity() > std::string().capacity()) return;
    out.swap(spares_.back());
    spares_.pop_back();
  }

  // Takes `out`'s memory back; `out` is left empty, holding none.
  void Give(std::string& out) {
    out.clear();
    if (out.capacity() > std::string().capacity() &&
        out.capacity() <= kMaxKeptBytes && spares_.size() < kMaxKept) {
      spares_.push_back(std::move(out));
    }
    std::string().swap(out);
  }

 private:
  std::vector<std::string> spares_;
};

}  // namespace shardd::net

#endif  // SHARDD_NET_OUTPUT_POOL_H_
