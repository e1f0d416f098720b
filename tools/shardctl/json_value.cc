#include "tools/shardctl/json_value.h"

#include <cstdlib>

#include "absl/status/status.h"

namespace shardd::shardctl {

const JsonValue& JsonValue::Get(const std::string& key) const {
  static const JsonValue kNull;
  const auto it = object_.find(key);
  return it == object_.end() ? kNull : it->second;
}

// Recursive descent over the grammar of RFC 8259; nesting is bounded so a
// hostile document cannot exhaust the stack.
class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text) {}

  bool ParseDocument(JsonValue* out) {
    if (!ParseValue(out, 0)) return false;
    SkipSpace();
    return pos_ == text_.size();
  }

 private:
  static constexpr int kMaxDepth = 64;

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }

  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool ParseValue(JsonValue* out, int depth) {
    if (depth > kMaxDepth) return false;
    SkipSpace();
    if (pos_ >= text_.size()) return false;
    const char c = text_[pos_];
    if (c == '{') return ParseObject(out, depth);
    if (c == '[') return ParseArray(out, depth);
    if (c == '"') {
      out->type_ = JsonValue::Type::kString;
      return ParseString(&out->string_);
    }
    if (Literal("true") || Literal("false")) {
      out->type_ = JsonValue::Type::kBool;
      out->boolean_ = c == 't';
      return true;
    }
    if (Literal("null")) return true;
    return ParseNumber(out);
  }

  bool ParseNumber(JsonValue* out) {
    const size_t start = pos_;
    while (pos_ < text_.size() &&
           std::string_view("+-0123456789.eE").find(text_[pos_]) !=
               std::string_view::npos) {
      ++pos_;
    }
    if (pos_ == start) return false;
    const std::string number(text_.substr(start, pos_ - start));
    char* end = nullptr;
    out->number_ = std::strtod(number.c_str(), &end);
    out->type_ = JsonValue::Type::kNumber;
    return end == number.c_str() + number.size();
  }

  bool ParseString(std::string* out) {
    ++pos_;  // the opening quote
    while (pos_ < text_.size() && text_[pos_] != '"') {
      char c = text_[pos_++];
      if (c == '\\') {
        if (pos_ >= text_.size()) return false;
        c = text_[pos_++];
        switch (c) {
          case 'n': c = '\n'; break;
          case 't': c = '\t'; break;
          case 'r': c = '\r'; break;
          case 'b': c = '\b'; break;
          case 'f': c = '\f'; break;
          case 'u': {
            // Only what the admin endpoint emits: \u00XX control characters.
            if (pos_ + 4 > text_.size()) return false;
            c = static_cast<char>(
                std::strtol(std::string(text_.substr(pos_, 4)).c_str(), nullptr, 16));
            pos_ += 4;
            break;
          }
          default: break;  // \" \\ \/
        }
      }
      out->push_back(c);
    }
    if (pos_ >= text_.size()) return false;
    ++pos_;
    return true;
  }

  bool ParseArray(JsonValue* out, int depth) {
    out->type_ = JsonValue::Type::kArray;
    ++pos_;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      if (!ParseValue(&out->array_.emplace_back(), depth + 1)) return false;
      SkipSpace();
      if (pos_ >= text_.size()) return false;
      if (text_[pos_++] == ']') return true;
      if (text_[pos_ - 1] != ',') return false;
    }
  }

  bool ParseObject(JsonValue* out, int depth) {
    out->type_ = JsonValue::Type::kObject;
    ++pos_;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return true;
    }
    for (;;) {
      SkipSpace();
      std::string key;
      if (pos_ >= text_.size() || text_[pos_] != '"' || !ParseString(&key)) {
        return false;
      }
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_++] != ':') return false;
      if (!ParseValue(&out->object_[key], depth + 1)) return false;
      SkipSpace();
      if (pos_ >= text_.size()) return false;
      if (text_[pos_++] == '}') return true;
      if (text_[pos_ - 1] != ',') return false;
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

absl::StatusOr<JsonValue> ParseJson(std::string_view text) {
  JsonValue value;
  if (!JsonParser(text).ParseDocument(&value)) {
    return absl::InvalidArgumentError("the admin endpoint sent invalid JSON");
  }
  return value;
}

}  // namespace shardd::shardctl
