// redis-benchmark, the real one, against shardd: 200,000 requests per test
// for SET, GET and MSET (10 keys, so every MSET spans shards) from 50
// clients, pipelined 16 deep, over 100,000 random keys.
//
// redis-benchmark 7.0 stops at the first error reply and prints
// "Error from server: <text>" on stderr (with -e it also warns that -e is
// now the default). So a clean run is: exit code 0, no error text, and one
// "<TEST>: <n> requests per second" line per test.
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

constexpr char kDashEWarning[] =
    "WARNING: -e option has no effect. We now immediately exit on error to "
    "avoid false results.";

// Test name -> requests per second, from the "-q" output. Progress updates
// are separated by '\r', results by '\n'.
std::map<std::string, double> RequestsPerSecond(const std::string& output) {
  std::map<std::string, double> rates;
  for (absl::string_view line :
       absl::StrSplit(output, absl::ByAnyChar("\r\n"))) {
    const size_t colon = line.find(": ");
    const size_t suffix = line.find(" requests per second");
    if (colon == absl::string_view::npos || suffix == absl::string_view::npos ||
        suffix < colon) {
      continue;
    }
    double rate;
    if (absl::SimpleAtod(line.substr(colon + 2, suffix - colon - 2), &rate)) {
      rates[std::string(line.substr(0, colon))] = rate;
    }
  }
  return rates;
}

class RedisBenchmarkTest : public ShardServerTest {};

TEST_F(RedisBenchmarkTest, SetGetMsetRunWithoutErrors) {
  const ProgramResult result =
      RunProgram({"redis-benchmark", "-h", "127.0.0.1", "-p",
                  absl::StrCat(port()), "-t", "set,get,mset", "-n", "200000",
                  "-c", "50", "-P", "16", "-r", "100000", "-e", "-q"},
                 /*stdin_text=*/"", absl::Seconds(150));

  EXPECT_EQ(result.exit_code, 0);
  for (const std::string* stream : {&result.stdout_text, &result.stderr_text}) {
    for (absl::string_view line :
         absl::StrSplit(*stream, absl::ByAnyChar("\r\n"))) {
      if (line == kDashEWarning) continue;
      EXPECT_FALSE(absl::StrContains(absl::AsciiStrToLower(line), "error") ||
                   absl::StrContains(line, "WARNING") ||
                   absl::StrContains(line, "Could not") ||
                   absl::StrContains(line, "Unexpected"))
          << "redis-benchmark reported: " << line;
    }
  }

  const std::map<std::string, double> rates =
      RequestsPerSecond(result.stdout_text);
  for (const auto& [test, rate] : rates) {
    std::cout << test << ": " << rate << " requests per second\n";
  }
  for (const char* test : {"SET", "GET", "MSET (10 keys)"}) {
    ASSERT_TRUE(rates.contains(test))
        << "no result line for " << test << " in: " << result.stdout_text;
    EXPECT_GT(rates.at(test), 0) << test;
  }

  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  absl::StatusOr<std::string> dbsize = client->Command({"DBSIZE"});
  ASSERT_TRUE(dbsize.ok()) << dbsize.status();
  const std::optional<int64_t> keys = IntegerOf(*dbsize);
  ASSERT_TRUE(keys.has_value()) << Printable(*dbsize);
  EXPECT_GT(*keys, 0);
  EXPECT_LE(*keys, 100'000);  // -r 100000: keys are key:000000000000..99999
}

}  // namespace
}  // namespace shardd::integration
