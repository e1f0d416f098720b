// The few pieces of RESP the integration tests need on the client side:
// encoding a command, finding where one reply ends in a byte stream, reading
// simple values out of a reply, and building expected replies. Written
// independently of net/resp/ on purpose: a test oracle must not share code
// (and bugs) with the server it checks.
//
//   std::string wire = EncodeCommand({"SET", "k", "v"});
//   ReplyScan scan = ScanReply("+OK\r\n$1\r\nv");   // complete, length 5
//   EXPECT_EQ(reply, Bulk("v"));
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_RESP_CODEC_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_RESP_CODEC_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardd::integration {

// A command as a RESP multibulk array of bulk strings.
std::string EncodeCommand(const std::vector<std::string>& args);

struct ReplyScan {
  enum class State { kComplete, kIncomplete, kMalformed };
  State state;
  size_t length = 0;  // bytes of the first reply when kComplete
};

// Looks for one complete reply (any RESP2 or RESP3 type, nested aggregates
// included) at the start of `bytes`.
ReplyScan ScanReply(std::string_view bytes);

// `text` as a decimal int64 ("-12"; no sign "+", no spaces), or nullopt.
std::optional<int64_t> ParseInt64(std::string_view text);

// The integer after "<field>:" on a line of INFO's text, or nullopt.
std::optional<int64_t> InfoInteger(std::string_view info,
                                   std::string_view field);

// The value of an integer reply (":42\r\n"), or nullopt for any other reply.
std::optional<int64_t> IntegerOf(std::string_view reply);

// The payload of a bulk string reply, or nullopt (also for the nil bulk).
std::optional<std::string> BulkOf(std::string_view reply);

// The payloads of an array reply whose elements are all bulk strings, or
// nullopt (for any other reply, or a nil element).
std::optional<std::vector<std::string>> BulkArrayOf(std::string_view reply);

// Expected replies.
inline constexpr std::string_view kOk = "+OK\r\n";
inline constexpr std::string_view kNil = "$-1\r\n";
std::string Bulk(std::string_view payload);
std::string Integer(int64_t value);
std::string Error(std::string_view message);  // "ERR x" -> "-ERR x\r\n"

// `bytes` with control and non-ASCII bytes escaped ("\r\n" -> "\\r\\n") and
// cut to `max_length`, for failure messages.
std::string Printable(std::string_view bytes, size_t max_length = 300);

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_RESP_CODEC_H_
