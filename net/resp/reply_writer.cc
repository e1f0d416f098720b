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

}  // namespace

void ReplyWriter::SimpleString(std::string_view s) { AppendLine(out_, '+', s); }

void ReplyWriter::Error(std::string_view message) {
  AppendLine(out_, '-', message);
}

void ReplyWriter::Integer(int64_t value) {
  absl::StrAppend(out_, ":", value, "\r\n");
}

void ReplyWriter::Bulk(std::string_view s) {
  absl::StrAppend(out_, "$", s.size(), "\r\n");
  out_->append(s);
  out_->append("\r\n");
}

void ReplyWriter::NullBulk() { out_->append("$-1\r\n"); }

void ReplyWriter::ArrayHeader(size_t count) {
  absl::StrAppend(out_, "*", count, "\r\n");
}

void ReplyWriter::NullArray() { out_->append("*-1\r\n"); }

}  // namespace shardd::resp
