#include "tests/integration/support/program_runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"

namespace shardd::integration {
namespace {

// A scratch directory holding the program's stdin and stderr files.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "shardd-run-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  bool ok() const { return !path_.empty(); }
  std::string File(std::string_view name) const {
    return (std::filesystem::path(path_) / name).string();
  }

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

std::string ShellQuote(std::string_view arg) {
  std::string quoted = "'";
  for (const char c : arg) {
    if (c == '\'') {
      quoted += "'\\''";  // close the quote, an escaped quote, reopen
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

ProgramResult RunProgram(const std::vector<std::string>& argv,
                         std::string_view stdin_text, absl::Duration timeout) {
  ProgramResult result;
  ScratchDir scratch;
  if (!scratch.ok()) {
    result.stderr_text = "RunProgram: cannot create a scratch directory";
    return result;
  }
  const std::string stdin_path = scratch.File("stdin");
  const std::string stderr_path = scratch.File("stderr");
  std::ofstream(stdin_path, std::ios::binary) << stdin_text;

  // -k: SIGKILL 5 s after the SIGTERM, should the program ignore it.
  std::string command =
      absl::StrCat("exec timeout -k 5 ",
                   std::max<int64_t>(1, absl::ToInt64Seconds(timeout)), "s");
  for (const std::string& arg : argv) {
    absl::StrAppend(&command, " ", ShellQuote(arg));
  }
  absl::StrAppend(&command, " <", ShellQuote(stdin_path), " 2>",
                  ShellQuote(stderr_path));

  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    result.stderr_text = "RunProgram: popen failed";
    return result;
  }
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof(chunk), pipe)) > 0) {
    result.stdout_text.append(chunk, n);
  }
  const int status = pclose(pipe);
  if (status >= 0 && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  result.stderr_text = ReadFile(stderr_path);
  return result;
}

}  // namespace shardd::integration
