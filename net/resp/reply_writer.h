// ReplyWriter appends RESP2 replies to a caller-owned buffer. Handlers write
// through it so that the wire format lives in one place.
//
//   std::string out;
//   resp::ReplyWriter reply(&out);
//   reply.Bulk("value");            // $5\r\nvalue\r\n
//   reply.Error("ERR syntax error"); // -ERR syntax error\r\n
#ifndef SHARDD_NET_RESP_REPLY_WRITER_H_
#define SHARDD_NET_RESP_REPLY_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace shardd::resp {

class ReplyWriter {
 public:
  explicit ReplyWriter(std::string* out) : out_(out) {}

  // Simple strings and errors are one line: `s` and `message` must not
  // contain CR or LF.
  void SimpleString(std::string_view s);  // +s
  // `message` carries its own error code, e.g. "ERR syntax error" or
  // "WRONGTYPE Operation against a key holding the wrong kind of value".
  void Error(std::string_view message);  // -message
  void Integer(int64_t value);            // :value
  void Bulk(std::string_view s);          // $len s
  void NullBulk();                        // $-1
  void ArrayHeader(size_t count);         // *count, then `count` replies
  void NullArray();                       // *-1
  void Ok() { SimpleString("OK"); }

  std::string* buffer() const { return out_; }

 private:
  std::string* out_;
};

}  // namespace shardd::resp

#endif  // SHARDD_NET_RESP_REPLY_WRITER_H_
