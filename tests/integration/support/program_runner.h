// RunProgram runs a command-line tool (redis-cli, redis-benchmark) to
// completion and captures what it printed. The program runs under
// coreutils' `timeout`, so a tool that hangs fails the test instead of
// hanging it.
//
//   ProgramResult r = RunProgram({"redis-cli", "-p", "6379", "PING"});
//   EXPECT_EQ(r.exit_code, 0);
//   EXPECT_EQ(r.stdout_text, "PONG\n");
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_PROGRAM_RUNNER_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_PROGRAM_RUNNER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"

namespace shardd::integration {

struct ProgramResult {
  int exit_code = -1;  // 124 when the timeout killed it
  std::string stdout_text;
  std::string stderr_text;
};

// Runs `argv` (argv[0] looked up in PATH) with `stdin_text` as its standard
// input and returns once it exited or `timeout` killed it.
ProgramResult RunProgram(const std::vector<std::string>& argv,
                         std::string_view stdin_text = {},
                         absl::Duration timeout = absl::Seconds(60));

// `arg` quoted for /bin/sh.
std::string ShellQuote(std::string_view arg);

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_PROGRAM_RUNNER_H_
