#include "tests/integration/support/process_memory.h"

#include <fstream>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "tests/integration/support/resp_codec.h"

namespace shardd::integration {
namespace {

// Reads the "<field>:   1234 kB" line of /proc/<pid>/status.
std::optional<int64_t> StatusFieldKb(pid_t pid, std::string_view field) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    std::string_view rest = line;
    if (!rest.starts_with(field) || rest.substr(field.size(), 1) != ":") {
      continue;
    }
    rest.remove_prefix(field.size() + 1);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) {
      rest.remove_prefix(1);
    }
    if (rest.ends_with(" kB")) rest.remove_suffix(3);
    return ParseInt64(rest);
  }
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> PeakResidentKb(pid_t pid) {
  return StatusFieldKb(pid, "VmHWM");
}

std::optional<int64_t> ResidentKb(pid_t pid) {
  return StatusFieldKb(pid, "VmRSS");
}

}  // namespace shardd::integration
