#include "net/http/chunked_decoder.h"

#include <algorithm>
#include <limits>

namespace shardd::http {
namespace {

// The value of hex digit `c`, or -1.
int HexValue(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Control characters other than HTAB, which may not appear in extensions
// or trailer fields (CR and LF end them first).
bool IsControl(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

}  // namespace

ChunkedDecoder::ChunkedDecoder(Limits limits) : limits_(limits) {}

ChunkedDecoder::Step ChunkedDecoder::Fail(size_t consumed,
                                          std::string_view why) {
  phase_ = Phase::kError;
  error_ = why;
  return {.state = State::kError, .consumed = consumed, .error = why};
}

ChunkedDecoder::Step ChunkedDecoder::Next(std::string_view input) {
  size_t pos = 0;
  while (pos < input.size() || phase_ == Phase::kDone ||
         phase_ == Phase::kError) {
    switch (phase_) {
      case Phase::kDone:
        return {.state = State::kDone, .consumed = pos};
      case Phase::kError:
        return {.state = State::kError, .consumed = pos, .error = error_};
      case Phase::kData: {
        const size_t n = static_cast<size_t>(
            std::min<uint64_t>(chunk_left_, input.size() - pos));
        const std::string_view data = input.substr(pos, n);
        chunk_left_ -= n;
        body_bytes_ += n;
        if (chunk_left_ == 0) phase_ = Phase::kDataCr;
        return {.state = State::kData, .consumed = pos + n, .data = data};
      }
      default:
        break;
    }
    // Framing: one byte at a time.
    const unsigned char c = static_cast<unsigned char>(input[pos]);
    switch (phase_) {
      case Phase::kSizeStart:
      case Phase::kSize: {
        const int digit = HexValue(c);
        if (digit >= 0) {
          if (chunk_left_ > (std::numeric_limits<uint64_t>::max() >> 4)) {
            return Fail(pos, "chunk size overflows");
          }
          chunk_left_ = (chunk_left_ << 4) | static_cast<uint64_t>(digit);
          phase_ = Phase::kSize;
        } else if (phase_ == Phase::kSizeStart) {
          return Fail(pos, "bad chunk size");
        } else if (c == ';') {
          phase_ = Phase::kExtension;
        } else if (c == '\n') {
          return Fail(pos, "bare LF in chunk size line");
        } else if (c == ' ' || c == '\t') {
          phase_ = Phase::kSizeSpace;
        } else if (c == '\r') {
          phase_ = Phase::kSizeLf;
          break;  // CRLF does not count against the line limit
        } else {
          return Fail(pos, "bad chunk size");
        }
        if (++line_bytes_ > limits_.max_line_bytes) {
          return Fail(pos, "chunk size line too long");
        }
        break;
      }
      case Phase::kSizeSpace:
        // RFC 9112 7.1.1: BWS may precede a chunk extension's ';' only.
        if (c == ';') {
          phase_ = Phase::kExtension;
        } else if (c != ' ' && c != '\t') {
          return Fail(pos, "bad chunk size");
        }
        if (++line_bytes_ > limits_.max_line_bytes) {
          return Fail(pos, "chunk size line too long");
        }
        break;
      case Phase::kExtension:
        if (c == '\r') {
          phase_ = Phase::kSizeLf;
          break;
        }
        if (c == '\n') return Fail(pos, "bare LF in chunk size line");
        if (IsControl(c)) {
          return Fail(pos, "control character in chunk extension");
        }
        if (++line_bytes_ > limits_.max_line_bytes) {
          return Fail(pos, "chunk size line too long");
        }
        break;
      case Phase::kSizeLf:
        if (c != '\n') return Fail(pos, "chunk size line without CRLF");
        line_bytes_ = 0;
        phase_ = chunk_left_ == 0 ? Phase::kTrailerStart : Phase::kData;
        break;
      case Phase::kDataCr:
        if (c != '\r') return Fail(pos, "chunk data not followed by CRLF");
        phase_ = Phase::kDataLf;
        break;
      case Phase::kDataLf:
        if (c != '\n') return Fail(pos, "chunk data not followed by CRLF");
        phase_ = Phase::kSizeStart;
        break;
      case Phase::kTrailerStart:
        if (c == '\r') {  // the empty line that ends the body
          phase_ = Phase::kFinalLf;
          break;
        }
        [[fallthrough]];
      case Phase::kTrailer:
        if (c == '\n') return Fail(pos, "bare LF in trailer section");
        if (c != '\r' && IsControl(c)) {
          return Fail(pos, "control character in trailer field");
        }
        if (++trailer_bytes_ > limits_.max_trailer_bytes) {
          return Fail(pos, "trailer section too large");
        }
        phase_ = c == '\r' ? Phase::kTrailerLf : Phase::kTrailer;
        break;
      case Phase::kTrailerLf:
        if (c != '\n') return Fail(pos, "trailer field without CRLF");
        if (++trailer_bytes_ > limits_.max_trailer_bytes) {
          return Fail(pos, "trailer section too large");
        }
        phase_ = Phase::kTrailerStart;
        break;
      case Phase::kFinalLf:
        if (c != '\n') return Fail(pos, "chunked body without final CRLF");
        phase_ = Phase::kDone;
        break;
      case Phase::kData:
      case Phase::kDone:
      case Phase::kError:
        break;  // handled above
    }
    ++pos;
  }
  return {.state = State::kNeedMore, .consumed = pos};
}

}  // namespace shardd::http
