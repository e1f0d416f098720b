#include "tests/stats/exposition_validator.h"

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <set>

#include "absl/strings/str_cat.h"

namespace shardd::stats {
namespace {

// Splits `s` at `sep` into at most `max_parts` parts (the last keeps the rest).
std::vector<std::string_view> Split(std::string_view s, char sep,
                                    size_t max_parts = SIZE_MAX) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const size_t at = s.find(sep);
    if (at == std::string_view::npos) break;
    parts.push_back(s.substr(0, at));
    s.remove_prefix(at + 1);
  }
  parts.push_back(s);
  return parts;
}

bool IsMetricName(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = s[i];
    const bool ok = std::isalpha(c) || c == '_' || c == ':' ||
                    (i > 0 && std::isdigit(c));
    if (!ok) return false;
  }
  return true;
}

bool IsLabelName(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = s[i];
    if (!(std::isalpha(c) || c == '_' || (i > 0 && std::isdigit(c)))) {
      return false;
    }
  }
  return true;
}

bool ParseValue(std::string_view s, double* value) {
  if (s == "NaN" || s == "+Inf" || s == "-Inf") return true;
  if (s.empty()) return false;
  const std::string text(s);
  char* end = nullptr;
  *value = std::strtod(text.c_str(), &end);
  // strtod accepts "inf"/"nan" spellings and hex, which the format does not.
  for (char c : text) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' ||
          c == 'e' || c == 'E' || c == '+' || c == '-')) {
      return false;
    }
  }
  return end == text.c_str() + text.size();
}

// The family a sample belongs to, given the families declared so far.
std::string FamilyOf(const std::string& name,
                     const std::map<std::string, std::string>& types) {
  for (std::string_view suffix : {"_sum", "_count", "_bucket"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      std::string base = name.substr(0, name.size() - suffix.size());
      auto it = types.find(base);
      if (it != types.end() &&
          (it->second == "summary" || it->second == "histogram")) {
        return base;
      }
    }
  }
  return name;
}

// Parses `{a="x",b="y"}` at the start of `s`; returns the characters used or
// 0 on error.
size_t ParseLabels(std::string_view s, std::map<std::string, std::string>* out,
                   std::string* error) {
  size_t i = 1;  // after '{'
  while (i < s.size() && s[i] != '}') {
    const size_t eq = s.find('=', i);
    if (eq == std::string_view::npos) {
      *error = "label without '='";
      return 0;
    }
    const std::string name(s.substr(i, eq - i));
    if (!IsLabelName(name)) {
      *error = absl::StrCat("bad label name '", name, "'");
      return 0;
    }
    if (eq + 1 >= s.size() || s[eq + 1] != '"') {
      *error = "label value not quoted";
      return 0;
    }
    std::string value;
    size_t j = eq + 2;
    for (; j < s.size() && s[j] != '"'; ++j) {
      if (s[j] == '\n') {
        *error = "raw newline in label value";
        return 0;
      }
      if (s[j] == '\\') {
        if (j + 1 >= s.size()) break;
        const char next = s[++j];
        if (next == 'n') {
          value += '\n';
        } else if (next == '\\' || next == '"') {
          value += next;
        } else {
          *error = "bad escape in label value";
          return 0;
        }
      } else {
        value += s[j];
      }
    }
    if (j >= s.size()) {
      *error = "unterminated label value";
      return 0;
    }
    if (!out->emplace(name, value).second) {
      *error = absl::StrCat("duplicate label '", name, "'");
      return 0;
    }
    i = j + 1;
    if (i < s.size() && s[i] == ',') ++i;
  }
  if (i >= s.size()) {
    *error = "unterminated label set";
    return 0;
  }
  return i + 1;
}

}  // namespace

std::vector<std::string> ValidateExposition(
    std::string_view text, std::vector<ExpositionSample>* samples) {
  std::vector<std::string> errors;
  std::map<std::string, std::string> types;
  std::set<std::string> helps;
  std::set<std::string> finished;  // families whose samples have ended
  std::string current_family;
  std::set<std::string> seen_series;
  if (!text.empty() && !text.ends_with('\n')) {
    errors.push_back("text does not end with a newline");
  }
  int line_number = 0;
  for (std::string_view line : Split(text, '\n')) {
    ++line_number;
    auto fail = [&](std::string_view why) {
      errors.push_back("line " + std::to_string(line_number) + ": " +
                       std::string(why) + ": '" + std::string(line) + "'");
    };
    if (line.empty()) continue;
    if (line[0] == '#') {
      const std::vector<std::string_view> words = Split(line, ' ', 4);
      if (words.size() < 3 || (words[1] != "HELP" && words[1] != "TYPE")) {
        continue;  // a plain comment
      }
      const std::string name(words[2]);
      if (!IsMetricName(name)) fail("bad metric name in HELP/TYPE");
      if (finished.contains(name) || current_family == name) {
        fail("HELP/TYPE after the family's samples");
      }
      if (words[1] == "HELP") {
        if (!helps.insert(name).second) fail("second HELP for the family");
      } else {
        const std::string type(words.size() > 3 ? words[3] : "");
        if (type != "counter" && type != "gauge" && type != "summary" &&
            type != "histogram" && type != "untyped") {
          fail("unknown TYPE");
        }
        if (!types.emplace(name, type).second) fail("second TYPE");
      }
      continue;
    }
    ExpositionSample sample;
    size_t name_end = 0;
    while (name_end < line.size() && line[name_end] != '{' &&
           line[name_end] != ' ') {
      ++name_end;
    }
    sample.name = std::string(line.substr(0, name_end));
    if (!IsMetricName(sample.name)) {
      fail("bad metric name");
      continue;
    }
    std::string_view rest = line.substr(name_end);
    if (!rest.empty() && rest[0] == '{') {
      std::string error;
      const size_t used = ParseLabels(rest, &sample.labels, &error);
      if (used == 0) {
        fail(error);
        continue;
      }
      rest.remove_prefix(used);
    }
    if (rest.empty() || rest[0] != ' ') {
      fail("no space before the value");
      continue;
    }
    const std::vector<std::string_view> fields = Split(rest.substr(1), ' ');
    if (fields.empty() || fields.size() > 2 ||
        !ParseValue(fields[0], &sample.value)) {
      fail("bad value");
      continue;
    }
    const std::string family = FamilyOf(sample.name, types);
    if (!types.contains(family)) fail("sample before its family's TYPE");
    if (family != current_family) {
      if (finished.contains(family)) fail("family's samples not contiguous");
      if (!current_family.empty()) finished.insert(current_family);
      current_family = family;
    }
    std::string series = sample.name;
    for (const auto& [k, v] : sample.labels) absl::StrAppend(&series, "|", k, "=", v);
    if (!seen_series.insert(series).second) fail("duplicate series");
    if (samples != nullptr) samples->push_back(std::move(sample));
  }
  return errors;
}

}  // namespace shardd::stats
