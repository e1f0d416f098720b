// RESP request parser: turns the bytes a client sent into one command's
// argument list, or says that more bytes are needed, or that the bytes are not
// RESP. It is a pure function of its input (no sockets, no state between
// calls), so a connection simply calls it again on the grown buffer.
//
//   std::vector<std::string_view> args;
//   resp::ParseResult r = resp::ParseRequest(buffer, limits, &args, &scratch);
//   if (r.status == resp::ParseStatus::kComplete) buffer.remove_prefix(r.consumed);
//
// Both forms Redis accepts are supported: multibulk (`*2\r\n$3\r\nGET\r\n...`)
// and inline (`GET key\r\n`, with Redis's quoting rules).
#ifndef SHARDD_NET_RESP_REQUEST_PARSER_H_
#define SHARDD_NET_RESP_REQUEST_PARSER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace shardd::resp {

struct ParseLimits {
  // Redis's proto-max-bulk-len default.
  size_t max_bulk_bytes = 512u * 1024 * 1024;
  // Redis accepts up to 1024*1024 arguments in one multibulk request.
  size_t max_args = 1024 * 1024;
  // Redis's PROTO_INLINE_MAX_SIZE. An inline line longer than this (counting
  // a '\r' before its '\n') is rejected.
  size_t max_inline_bytes = 64 * 1024;
};

enum class ParseStatus {
  kComplete,    // one request parsed; `consumed` bytes belong to it
  kIncomplete,  // the input ends inside a request; call again with more bytes
  kEmpty,       // the input held only blank inline lines; skip `consumed`
  kError,       // not valid RESP; reply `error` and close the connection
};

struct ParseResult {
  ParseStatus status = ParseStatus::kIncomplete;
  size_t consumed = 0;
  // For kError: Redis's exact text without the leading '-', e.g.
  // "ERR Protocol error: invalid bulk length".
  std::string_view error;
  // For kIncomplete: the request cannot complete before the input holds at
  // least this many bytes (0: unknown). The parser keeps no state between
  // calls, so a caller that waits for this much before parsing again turns
  // the re-parsing of a huge multibulk request from quadratic into linear.
  size_t needed = 0;
};

// Parses the first request in `input`. On kComplete, `args` holds the
// arguments; each view points into `input` or, for inline arguments that
// needed unquoting, into `scratch`. Both must outlive the use of `args`.
ParseResult ParseRequest(std::string_view input, const ParseLimits& limits,
                         std::vector<std::string_view>* args,
                         std::string* scratch);

}  // namespace shardd::resp

#endif  // SHARDD_NET_RESP_REQUEST_PARSER_H_
