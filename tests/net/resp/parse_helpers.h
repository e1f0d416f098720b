// Helpers shared by the request parser tests: run the parser on a copy of the
// input that AddressSanitizer can police, and keep the result as owned strings.
#ifndef SHARDD_TESTS_NET_RESP_PARSE_HELPERS_H_
#define SHARDD_TESTS_NET_RESP_PARSE_HELPERS_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/resp/request_parser.h"

namespace shardd::resp {

// A heap block of exactly the input's size: a std::string would leave spare
// capacity (and a NUL) past the end, hiding reads beyond `input` from ASan.
class ExactBuffer {
 public:
  explicit ExactBuffer(std::string_view bytes)
      : data_(new char[bytes.size()]), size_(bytes.size()) {
    bytes.copy(data_.get(), size_);
  }
  std::string_view view() const { return {data_.get(), size_}; }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_;
};

struct Parsed {
  ParseStatus status;
  size_t consumed;
  std::string error;
  std::vector<std::string> args;
};

inline Parsed Parse(std::string_view input, const ParseLimits& limits = {}) {
  const ExactBuffer buffer(input);
  std::vector<std::string_view> args;
  std::string scratch;
  const ParseResult r = ParseRequest(buffer.view(), limits, &args, &scratch);
  return {r.status, r.consumed, std::string(r.error),
          std::vector<std::string>(args.begin(), args.end())};
}

// Parses every request in `input` the way a connection does, dropping blank
// requests. Stops at the first incomplete or invalid request and leaves its
// bytes in `input`.
inline std::vector<std::vector<std::string>> ParseAll(std::string* input) {
  std::vector<std::vector<std::string>> commands;
  while (true) {
    Parsed p = Parse(*input);
    if (p.status == ParseStatus::kIncomplete ||
        p.status == ParseStatus::kError) {
      return commands;
    }
    if (p.status == ParseStatus::kComplete) commands.push_back(p.args);
    input->erase(0, p.consumed);
  }
}

}  // namespace shardd::resp

#endif  // SHARDD_TESTS_NET_RESP_PARSE_HELPERS_H_
