// shardd runs where io_uring is refused: started under a seccomp filter that
// makes io_uring_setup fail with EPERM (without_io_uring, as Docker's
// default profile does), it says on stderr that it falls back to epoll,
// reports it in INFO (multiplexing_api, as Redis does), and serves; asked
// for io_uring explicitly there, it refuses to start with the reason.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/support/eventually.h"
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/server_process.h"
#include "tests/integration/support/shardd_binary.h"
#include "tests/integration/support/temp_dir.h"

namespace shardd::integration {
namespace {

TEST(IoBackendTest, FallsBackToEpollWhereIoUringIsRefused) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  TempDir data_dir;
  // --io_backend=auto explicitly, whatever SHARDD_TEST_IO_BACKEND says.
  absl::StatusOr<std::vector<std::string>> flags = WithTestDefaults(
      {"--port=0", "--shards=2", "--io_backend=auto"}, &data_dir);
  ASSERT_TRUE(flags.ok()) << flags.status();
  // sh folds stderr into stdout, which ServerProcess captures.
  std::vector<std::string> argv = {"-c", "exec \"$@\" 2>&1", "sh",
                                   WITHOUT_IO_URING_BINARY, ShardBinary()};
  argv.insert(argv.end(), flags->begin(), flags->end());
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start("/bin/sh", argv);
  ASSERT_TRUE(server.ok()) << server.status();
  (*server)->OwnDataDir(std::move(data_dir));

  constexpr std::string_view kNotice =
      "I/O backend: epoll (io_uring_setup: Operation not permitted)";
  Eventually(absl::Seconds(10), [&] {
    return (*server)->Output().find(kNotice) != std::string::npos;
  });
  EXPECT_NE((*server)->Output().find(kNotice), std::string::npos)
      << (*server)->Output();

  absl::StatusOr<RespClient> client =
      RespClient::ConnectTcp("127.0.0.1", (*server)->port());
  ASSERT_TRUE(client.ok()) << client.status();
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(*client->Command({"SET", absl::StrCat("k", i), "v"}),
              "+OK\r\n");
  }
  EXPECT_EQ(*client->Command({"DBSIZE"}), ":100\r\n");
  EXPECT_EQ(*client->Command({"GET", "k7"}), "$1\r\nv\r\n");
  absl::StatusOr<std::string> info = client->Command({"INFO", "server"});
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_NE(info->find("multiplexing_api:epoll\r\n"), std::string::npos)
      << *info;
}

TEST(IoBackendTest, RefusesToStartWhenIoUringIsDemandedButRefused) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  TempDir data_dir;
  absl::StatusOr<std::vector<std::string>> flags = WithTestDefaults(
      {"--port=0", "--io_backend=io_uring"}, &data_dir);
  ASSERT_TRUE(flags.ok()) << flags.status();
  std::vector<std::string> argv = {WITHOUT_IO_URING_BINARY, ShardBinary()};
  argv.insert(argv.end(), flags->begin(), flags->end());
  const ProgramResult result = RunProgram(argv, {}, absl::Seconds(30));
  EXPECT_EQ(result.exit_code, 1) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("--io_backend=io_uring: io_uring_setup: "
                                    "Operation not permitted"),
            std::string::npos)
      << result.stderr_text;
  EXPECT_EQ(result.stdout_text, "");  // no ready line
}

}  // namespace
}  // namespace shardd::integration
