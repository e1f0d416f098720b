#include "net/resp/reply_writer.h"

#include "absl/strings/str_cat.h"

namespace shardd::resp {
namespace {

// The system Abseil is built with its own absl::string_view, so AlphaNum does
// not take a std::string_view; strings are appended directly and absl formats
// only the integers.
void AppendLine(std::string* out, char type, std::string_view text) {
  out->push_back(type);
  out->append(text);
  out->append("\r\n");
}

constexpr std::string_view kResp3Null = "_\r\n";

}  // namespace

void ReplyWriter::Header(char type, size_t count) {
  out_->push_back(type);
  absl::StrAppend(out_, count, "\r\n");
}

void ReplyWriter::SimpleString(std::string_view s) { AppendLine(out_, '+', s); }

void ReplyWriter::Error(std::string_view message) {
  AppendLine(out_, '-', message);
}

void ReplyWriter::Integer(int64_t value) {
  absl::StrAppend(out_, ":", value, "\r\n");
}

void ReplyWriter::Bulk(std::string_view s) {
  Header('$', s.size());
  out_->append(s);
  out_->append("\r\n");
}

void ReplyWriter::NullBulk() {
  out_->append(resp3() ? kResp3Null : std::string_view("$-1\r\n"));
}

void ReplyWriter::NullArray() {
  out_->append(resp3() ? kResp3Null : std::string_view("*-1\r\n"));
}

void ReplyWriter::ArrayHeader(size_t count) { Header('*', count); }

void ReplyWriter::MapHeader(size_t count) {
  if (resp3()) {
    Header('%', count);
  } else {
    Header('*', 2 * count);
  }
}

void ReplyWriter::SetHeader(size_t count) {
  Header(resp3() ? '~' : '*', count);
}

void ReplyWriter::PushHeader(size_t count) {
  Header(resp3() ? '>' : '*', count);
}

void ReplyWriter::Double(std::string_view text) {
  if (resp3()) {
    AppendLine(out_, ',', text);
  } else {
    Bulk(text);
  }
}

void ReplyWriter::Verbatim(std::string_view text) {
  if (!resp3()) {
    Bulk(text);
    return;
  }
  // The three-letter format and its colon come first, counted in the length.
  constexpr std::string_view kFormat = "txt:";
  Header('=', kFormat.size() + text.size());
  out_->append(kFormat);
  out_->append(text);
  out_->append("\r\n");
}

}  // namespace shardd::resp
