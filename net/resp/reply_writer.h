// ReplyWriter appends replies to a caller-owned buffer, in the protocol the
// connection speaks: RESP2, or RESP3 once the client sent HELLO 3. Handlers
// write through it and name what a reply is (a map, a set, a double, a
// null); the writer decides how the wire shows it, so that the format lives
// in one place and a handler has one code path for both protocols.
//
//   std::string out;
//   resp::ReplyWriter reply(&out, resp::Protocol::kResp3);
//   reply.Bulk("value");            // $5\r\nvalue\r\n
//   reply.MapHeader(1);             // %1 (RESP2: *2), then key and value
//   reply.Double("1.5");            // ,1.5 (RESP2: $3\r\n1.5)
//   reply.NullBulk();               // _ (RESP2: $-1)
//   reply.Error("ERR syntax error"); // -ERR syntax error\r\n
#ifndef SHARDD_NET_RESP_REPLY_WRITER_H_
#define SHARDD_NET_RESP_REPLY_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace shardd::resp {

// The version HELLO names; a connection starts with RESP2.
enum class Protocol : uint8_t { kResp2 = 2, kResp3 = 3 };

class ReplyWriter {
 public:
  explicit ReplyWriter(std::string* out, Protocol protocol = Protocol::kResp2)
      : out_(out), protocol_(protocol) {}

  // Simple strings and errors are one line: `s` and `message` must not
  // contain CR or LF.
  void SimpleString(std::string_view s);  // +s
  // `message` carries its own error code, e.g. "ERR syntax error" or
  // "WRONGTYPE Operation against a key holding the wrong kind of value".
  void Error(std::string_view message);  // -message
  void Integer(int64_t value);            // :value
  void Bulk(std::string_view s);          // $len s
  // The nulls Redis 7.0 tells apart in RESP2; RESP3 has one null, "_".
  void NullBulk();                        // $-1 (RESP3: _)
  void NullArray();                       // *-1 (RESP3: _)
  void ArrayHeader(size_t count);         // *count, then `count` replies
  // A map of `count` pairs: then a key and a value reply for each.
  void MapHeader(size_t count);  // %count (RESP2: *2count)
  void SetHeader(size_t count);  // ~count (RESP2: *count)
  // A push message (pub/sub) of `count` replies.
  void PushHeader(size_t count);  // >count (RESP2: *count)
  // A floating-point number, already printed as Redis prints it ("1.5",
  // "inf", "0.10000000000000001").
  void Double(std::string_view text);  // ,text (RESP2: bulk)
  // Text meant for people (INFO, CLIENT LIST).
  void Verbatim(std::string_view text);  // =len txt:text (RESP2: bulk)
  void Ok() { SimpleString("OK"); }

  std::string* buffer() const { return out_; }
  Protocol protocol() const { return protocol_; }
  bool resp3() const { return protocol_ == Protocol::kResp3; }

 private:
  void Header(char type, size_t count);

  std::string* out_;
  Protocol protocol_;
};

}  // namespace shardd::resp

#endif  // SHARDD_NET_RESP_REPLY_WRITER_H_
