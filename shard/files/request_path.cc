#include "shard/files/request_path.h"

#include <algorithm>

namespace shardd::files {
namespace {

// The value of a hex digit, or -1. Not isxdigit: that depends on the locale.
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Leaves `path` empty (never a half-decoded name) and answers 400.
int Reject(std::string_view text, RequestPath* path, std::string_view* why) {
  path->relative.clear();
  path->trailing_slash = false;
  if (why != nullptr) *why = text;
  return 400;
}

}  // namespace

std::string_view RequestPath::parent() const {
  const size_t slash = relative.rfind('/');
  if (slash == std::string::npos) return {};
  return std::string_view(relative).substr(0, slash);
}

std::string_view RequestPath::name() const {
  const size_t slash = relative.rfind('/');
  if (slash == std::string::npos) return relative;
  return std::string_view(relative).substr(slash + 1);
}

int DecodeRequestPath(std::string_view target, RequestPath* path,
                      std::string_view* why) {
  // The query and fragment go before decoding: "%3F" is a '?' in a name.
  if (const size_t end = target.find_first_of("?#");
      end != std::string_view::npos) {
    target = target.substr(0, end);
  }
  std::string& out = path->relative;
  out.clear();
  path->trailing_slash = false;
  if (target.empty() || target.front() != '/') {
    return Reject("target must start with '/'", path, why);
  }
  // Decoding never lengthens, and `out` never passes kMaxPathBytes: this is
  // the only allocation.
  out.reserve(std::min(target.size(), kMaxPathBytes));

  size_t i = 0;
  while (i < target.size()) {
    if (target[i] == '/') {  // separators, repeated ones collapsed
      ++i;
      continue;
    }
    if (!out.empty()) {
      if (out.size() >= kMaxPathBytes) return Reject("path too long", path, why);
      out.push_back('/');
    }
    const size_t start = out.size();
    for (; i < target.size() && target[i] != '/'; ++i) {
      char c = target[i];
      if (c == '%') {
        if (target.size() - i < 3) {
          return Reject("bad percent-encoding", path, why);
        }
        const int hi = HexValue(target[i + 1]);
        const int lo = HexValue(target[i + 2]);
        if (hi < 0 || lo < 0) return Reject("bad percent-encoding", path, why);
        c = static_cast<char>(hi * 16 + lo);
        if (c == '/') return Reject("encoded '/' in path", path, why);
        if (c == '\\') return Reject("encoded '\\' in path", path, why);
        i += 2;
      }
      if (c == '\0') return Reject("NUL byte in path", path, why);
      if (out.size() - start >= kMaxSegmentBytes) {
        return Reject("path segment too long", path, why);
      }
      if (out.size() >= kMaxPathBytes) return Reject("path too long", path, why);
      out.push_back(c);
    }
    // Checked once decoded, so "%2e%2E" is caught as well as "..".
    const std::string_view segment = std::string_view(out).substr(start);
    if (segment == "." || segment == "..") {
      return Reject("'.' or '..' segment in path", path, why);
    }
  }
  path->trailing_slash = target.back() == '/';
  return 0;
}

}  // namespace shardd::files
