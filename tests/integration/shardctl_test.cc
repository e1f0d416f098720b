// shardctl against a real shardd (4 shards): stats (table and --json), ping,
// info, one-line errors when nothing listens, and `top` in a tmux pane.
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/admin_http.h"
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/shardd_binary.h"

#ifndef SHARDCTL_BINARY
#define SHARDCTL_BINARY ""
#endif

namespace shardd::integration {
namespace {

class ShardctlTest : public ShardServerTest {
 protected:
  ProgramResult Shardctl(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {SHARDCTL_BINARY,
                                     absl::StrCat("--port=", port()),
                                     absl::StrCat("--admin_port=",
                                                  server().admin_port())};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProgram(argv, {}, absl::Seconds(20));
  }

  void Populate() {
    absl::StatusOr<RespClient> client = Connect();
    ASSERT_TRUE(client.ok()) << client.status();
    for (int i = 0; i < 64; ++i) {
      ASSERT_TRUE(client->Command({"SET", absl::StrCat("key:", i), "v"}).ok());
    }
    ASSERT_TRUE(client->Command({"MGET", "key:1", "key:2", "key:3"}).ok());
  }
};

TEST_F(ShardctlTest, PingAndInfo) {
  ProgramResult ping = Shardctl({"ping"});
  EXPECT_EQ(ping.exit_code, 0) << ping.stderr_text;
  EXPECT_EQ(ping.stdout_text, "PONG\n");
  ProgramResult info = Shardctl({"info", "shards"});
  EXPECT_EQ(info.exit_code, 0) << info.stderr_text;
  EXPECT_NE(info.stdout_text.find("# Shards"), std::string::npos);
  EXPECT_NE(info.stdout_text.find("shard_3:"), std::string::npos);
}

TEST_F(ShardctlTest, StatsTableHasARowPerShardAndTotals) {
  Populate();
  ProgramResult r = Shardctl({"stats"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  std::vector<std::string> lines =
      absl::StrSplit(r.stdout_text, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 6u) << r.stdout_text;  // header, 4 shards, total
  EXPECT_TRUE(lines[0].starts_with("shard")) << lines[0];
  for (int s = 0; s < 4; ++s) {
    EXPECT_TRUE(lines[1 + s].starts_with(absl::StrCat(s, " "))) << lines[1 + s];
  }
  EXPECT_TRUE(lines[5].starts_with("total")) << lines[5];
}

TEST_F(ShardctlTest, StatsJsonAgreesWithTheEndpoint) {
  Populate();
  ProgramResult r = Shardctl({"stats", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  absl::StatusOr<std::string> direct =
      HttpGetBody(server().admin_port(), "/stats");
  ASSERT_TRUE(direct.ok()) << direct.status();
  // Counters that move by themselves (loop turns, memory) may differ between
  // the two reads; the keyspace and the shard list may not.
  const ProgramResult check = RunProgram(
      {"python3", "-c",
       "import json, sys\n"
       "a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])\n"
       "f = lambda d: [(s['shard'], s['keys'], s['expires']) for s in d['shards']]\n"
       "assert f(a) == f(b), (f(a), f(b))\n"
       "assert a['totals']['keys'] == b['totals']['keys'] == 64\n",
       r.stdout_text, *direct});
  EXPECT_EQ(check.exit_code, 0) << check.stderr_text;
}

TEST_F(ShardctlTest, NoServerIsOneLineOnStderrAndExitCodeOne) {
  // Port 1 (tcpmux) is privileged and unused on test machines.
  const std::vector<std::vector<std::string>> commands = {
      {"--admin_port=1", "stats"}, {"--port=1", "ping"}, {"--port=1", "info"}};
  for (const auto& args : commands) {
    std::vector<std::string> argv = {SHARDCTL_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    const ProgramResult r = RunProgram(argv, {}, absl::Seconds(20));
    EXPECT_EQ(r.exit_code, 1) << args[1];
    EXPECT_EQ(r.stdout_text, "");
    EXPECT_TRUE(r.stderr_text.starts_with("shardctl: ")) << r.stderr_text;
    EXPECT_EQ(std::count(r.stderr_text.begin(), r.stderr_text.end(), '\n'), 1)
        << r.stderr_text;
  }
}

// shardd with a password and an admin token: shardctl passes them.
class ShardctlCredentialsTest : public ShardctlTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--shards=2", "--requirepass=pw", "--admin_token=tok"};
  }
};

TEST_F(ShardctlCredentialsTest, PasswordAndTokenAreSent) {
  EXPECT_EQ(Shardctl({"--password=pw", "ping"}).stdout_text, "PONG\n");
  EXPECT_EQ(Shardctl({"--admin_token=tok", "stats"}).exit_code, 0);
  // Without them, or wrong: one line on stderr, exit code 1.
  const ProgramResult no_auth = Shardctl({"ping"});
  EXPECT_EQ(no_auth.stdout_text, "(error) NOAUTH Authentication required.\n");
  const ProgramResult wrong = Shardctl({"--password=nope", "ping"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_TRUE(wrong.stderr_text.starts_with("shardctl: AUTH: WRONGPASS"))
      << wrong.stderr_text;
  const ProgramResult no_token = Shardctl({"stats"});
  EXPECT_EQ(no_token.exit_code, 1);
  EXPECT_NE(no_token.stderr_text.find("401"), std::string::npos)
      << no_token.stderr_text;
}

// Runs `tmux args...` and returns its stdout.
std::string Tmux(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"tmux"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProgram(argv, {}, absl::Seconds(10)).stdout_text;
}

TEST_F(ShardctlTest, TopShowsEveryShardAndQuitsOnQ) {
  Populate();
  const std::string session = absl::StrCat("shardctl_top_", getpid());
  // A private tmux server (-L) so the test never touches the user's.
  const std::vector<std::string> tmux = {"-L", session};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.begin(), tmux.begin(), tmux.end());
    return args;
  };
  const std::string command = absl::StrCat(
      ShellQuote(SHARDCTL_BINARY), " --admin_port=", server().admin_port(),
      " --interval_ms=200 top; echo shardctl-exited=$?; sleep 30");
  Tmux(with({"new-session", "-d", "-x", "200", "-y", "50", "-s", session,
             command}));
  std::string screen;
  for (int i = 0; i < 50; ++i) {
    screen = Tmux(with({"capture-pane", "-p", "-t", session}));
    if (screen.find("total") != std::string::npos) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  std::vector<std::string> rows;
  for (const std::string& line :
       std::vector<std::string>(absl::StrSplit(screen, '\n'))) {
    if (!line.empty() && (absl::ascii_isdigit(line[0]) || line.starts_with("total"))) {
      rows.push_back(line);
    }
  }
  EXPECT_NE(screen.find("ops/s"), std::string::npos) << screen;
  ASSERT_EQ(rows.size(), 5u) << screen;  // 4 shards and the totals
  for (int s = 0; s < 4; ++s) EXPECT_TRUE(rows[s].starts_with(absl::StrCat(s, " ")));
  EXPECT_TRUE(rows[4].starts_with("total"));

  Tmux(with({"send-keys", "-t", session, "q"}));
  for (int i = 0; i < 50; ++i) {
    screen = Tmux(with({"capture-pane", "-p", "-t", session}));
    if (screen.find("shardctl-exited=") != std::string::npos) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_NE(screen.find("shardctl-exited=0"), std::string::npos) << screen;
  Tmux(with({"kill-server"}));
}

}  // namespace
}  // namespace shardd::integration
