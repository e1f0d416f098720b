#include "tests/integration/support/process_cpu.h"

#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/integration/support/resp_codec.h"

namespace shardd::integration {

std::optional<absl::Duration> ProcessCpuTime(pid_t pid) {
  std::ifstream file(absl::StrCat("/proc/", pid, "/stat"));
  const std::string text(std::istreambuf_iterator<char>(file), {});
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so
  // the fields are counted from the last ')'.
  const size_t comm_end = text.rfind(')');
  if (comm_end == std::string::npos) return std::nullopt;
  const std::vector<std::string> fields =
      absl::StrSplit(text.substr(comm_end + 1), ' ', absl::SkipEmpty());
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  constexpr size_t kUtime = 14 - 3;
  constexpr size_t kStime = 15 - 3;
  if (fields.size() <= kStime) return std::nullopt;
  const std::optional<int64_t> utime = ParseInt64(fields[kUtime]);
  const std::optional<int64_t> stime = ParseInt64(fields[kStime]);
  const long ticks_per_second = sysconf(_SC_CLK_TCK);
  if (!utime || !stime || ticks_per_second <= 0) return std::nullopt;
  return absl::Seconds(*utime + *stime) / ticks_per_second;
}

}  // namespace shardd::integration
