// Incremental decoder of a chunked request body (RFC 9112 7.1), for a
// coroutine that streams the body somewhere as it arrives. It never
// allocates and never needs a whole line in its input: framing (size lines,
// extensions, trailers) is consumed byte by byte, with its progress kept in
// the decoder, so the caller may drop every byte a step consumed.
//
//   http::ChunkedDecoder decoder;
//   for (;;) {
//     const http::ChunkedDecoder::Step s = decoder.Next(input.data());
//     if (s.state == State::kData) Write(s.data);  // before dropping it
//     input.Consume(s.consumed);
//     if (s.state == State::kNeedMore) { receive more; continue; }
//     if (s.state != State::kData) break;  // kDone, or kError: answer 400
//     if (decoder.body_bytes() > limit) { answer 413; break; }
//   }
//
// Strict: every line ends with CRLF (a bare LF is an error, as a lenient
// reading of it is what request smuggling feeds on); a size is hex digits
// only (no sign, no leading whitespace; whitespace only before a ';');
// extensions and trailer fields are skipped unread but may hold no control
// characters other than HTAB. The body size is not limited here: the caller
// checks body_bytes().
#ifndef SHARDD_NET_HTTP_CHUNKED_DECODER_H_
#define SHARDD_NET_HTTP_CHUNKED_DECODER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace shardd::http {

class ChunkedDecoder {
 public:
  struct Limits {
    // A chunk-size line (size and extensions, without its CRLF).
    size_t max_line_bytes = 4096;
    // All trailer fields together (with their CRLFs, without the final
    // empty line).
    size_t max_trailer_bytes = 8192;
  };

  enum class State {
    kNeedMore,  // all of `input` is consumed or needed: call with more
    kData,      // `data` holds body bytes (never empty)
    kDone,      // the body ended; later bytes are the next request's
    kError,     // malformed body: answer 400 and close the connection
  };

  struct Step {
    State state = State::kNeedMore;
    // Bytes of `input` this step used up: framing, then `data`. Drop them
    // after using `data`. kError: the bytes before the offending one.
    size_t consumed = 0;
    std::string_view data;   // kData: body bytes, a view into `input`
    std::string_view error;  // kError: why (for a 400 body)
  };

  // (Two constructors, as a default argument of a nested type with member
  // initializers cannot be written before this class is complete.)
  ChunkedDecoder() : ChunkedDecoder(Limits()) {}
  explicit ChunkedDecoder(Limits limits);

  // Looks at the unconsumed input and makes at most one step: skips framing
  // and/or returns the next data span (as much of the current chunk as
  // `input` holds). kNeedMore, with `consumed` possibly > 0, when framing
  // was used up but more bytes are needed. kDone once the last chunk, the
  // (ignored) trailers and the final CRLF are consumed; it never consumes
  // bytes after those, and says kDone again if called again. After kError
  // every call says the same error.
  Step Next(std::string_view input);

  // The data bytes returned so far.
  uint64_t body_bytes() const { return body_bytes_; }

 private:
  enum class Phase {
    kSizeStart,     // the first hex digit of a chunk size
    kSize,          // more hex digits, ';', whitespace before ';', or CR
    kSizeSpace,     // whitespace after the size: more of it, or ';'
    kExtension,     // skipping a chunk extension up to CR
    kSizeLf,        // the LF after a size line
    kData,          // `chunk_left_` bytes of data
    kDataCr,        // the CR after a chunk's data
    kDataLf,        // the LF after a chunk's data
    kTrailerStart,  // a trailer field, or CR of the final empty line
    kTrailer,       // skipping a trailer field up to CR
    kTrailerLf,     // the LF after a trailer field
    kFinalLf,       // the LF of the final empty line
    kDone,
    kError,
  };

  Step Fail(size_t consumed, std::string_view why);

  Limits limits_;
  Phase phase_ = Phase::kSizeStart;
  uint64_t chunk_left_ = 0;  // the size being read, then the data left
  size_t line_bytes_ = 0;    // of the current size line
  size_t trailer_bytes_ = 0;
  uint64_t body_bytes_ = 0;
  std::string_view error_;
};

}  // namespace shardd::http

#endif  // SHARDD_NET_HTTP_CHUNKED_DECODER_H_
