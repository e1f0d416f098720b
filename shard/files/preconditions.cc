#include "shard/files/preconditions.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"

namespace shardd::files {
namespace {

absl::string_view Absl(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace

std::optional<int64_t> ParseHttpDate(std::string_view text) {
  // IMF-fixdate, then the two obsolete forms (RFC 9110 5.6.7); the fixed
  // forms have fixed lengths, which rules out years of other than 4 digits.
  struct Form {
    const char* format;
    size_t length;  // 0: variable (the weekday is spelled out)
  };
  static constexpr Form kForms[] = {
      {"%a, %d %b %Y %H:%M:%S GMT", 29},
      {"%A, %d-%b-%y %H:%M:%S GMT", 0},
      {"%a %b %e %H:%M:%S %Y", 24},
  };
  const std::string owned(text);
  for (const auto& [format, length] : kForms) {
    if (length != 0 && text.size() != length) continue;
    absl::Time time;
    std::string error;
    if (absl::ParseTime(format, owned, absl::UTCTimeZone(), &time, &error)) {
      return absl::ToUnixSeconds(time);
    }
  }
  return std::nullopt;
}

bool EtagListMatches(std::string_view header, std::string_view etag,
                     bool weak) {
  const absl::string_view list = absl::StripAsciiWhitespace(Absl(header));
  if (list == "*") return !etag.empty();
  for (absl::string_view tag : absl::StrSplit(list, ',')) {
    tag = absl::StripAsciiWhitespace(tag);
    const bool is_weak = absl::StartsWith(tag, "W/");
    if (is_weak) {
      if (!weak) continue;
      tag.remove_prefix(2);
    }
    if (!etag.empty() && tag == Absl(etag)) return true;
  }
  return false;
}

Precondition EvaluatePreconditions(const http::Request& request,
                                   const TargetState& target, bool is_read) {
  const std::optional<std::string_view> if_match = request.Find("If-Match");
  const std::optional<std::string_view> if_none_match =
      request.Find("If-None-Match");
  // 1. If-Match, else 2. If-Unmodified-Since.
  if (if_match.has_value()) {
    if (!EtagListMatches(*if_match, target.etag, /*weak=*/false)) {
      return Precondition::kFailed;
    }
  } else if (const std::optional<std::string_view> since =
                 request.Find("If-Unmodified-Since")) {
    const std::optional<int64_t> date = ParseHttpDate(*since);
    if (date.has_value() && target.exists && target.mtime_s > *date) {
      return Precondition::kFailed;
    }
  }
  // 3. If-None-Match, else 4. If-Modified-Since (reads only).
  if (if_none_match.has_value()) {
    if (EtagListMatches(*if_none_match, target.etag, /*weak=*/true)) {
      return is_read ? Precondition::kNotModified : Precondition::kFailed;
    }
  } else if (is_read && target.exists) {
    if (const std::optional<std::string_view> since =
            request.Find("If-Modified-Since")) {
      const std::optional<int64_t> date = ParseHttpDate(*since);
      if (date.has_value() && target.mtime_s <= *date) {
        return Precondition::kNotModified;
      }
    }
  }
  return Precondition::kProceed;
}

}  // namespace shardd::files
