#include "tests/integration/support/differential_fixture.h"

#include <cstdlib>
#include <deque>
#include <iostream>
#include <random>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tests/integration/support/resp_codec.h"

namespace shardd::integration {
namespace {

// Several connections, so that replies to one client stay ordered while
// others interleave on other shards.
constexpr int kShardConnections = 3;
// Commands shown before a mismatch.
constexpr size_t kContextCommands = 15;

}  // namespace

std::vector<DiffCase> CasesToRun() {
  std::vector<uint64_t> seeds = {1, 2, 3, 20240607};
  if (const char* seed = std::getenv("SHARDD_DIFF_SEED"); seed != nullptr) {
    seeds = {std::strtoull(seed, nullptr, 10)};
  }
  std::vector<int> protocols = {2, 3};
  if (const char* protocol = std::getenv("SHARDD_DIFF_PROTOCOL");
      protocol != nullptr) {
    protocols = {std::atoi(protocol)};
  }
  std::vector<DiffCase> cases;
  for (const int protocol : protocols) {
    for (const uint64_t seed : seeds) cases.push_back({seed, protocol});
  }
  return cases;
}

std::string CaseName(const ::testing::TestParamInfo<DiffCase>& info) {
  return absl::StrCat("seed", info.param.seed, "_resp", info.param.protocol);
}

std::string Describe(const std::vector<std::string>& command) {
  std::string text;
  for (const std::string& arg : command) {
    absl::StrAppend(&text, text.empty() ? "" : " ", "\"", Printable(arg, 60),
                    "\"");
  }
  return text;
}

void DifferentialFixture::SetUp() {
  ShardServerTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  absl::StatusOr<std::unique_ptr<RedisReference>> redis =
      RedisReference::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  redis_ = *std::move(redis);
  absl::StatusOr<RespClient> reference = redis_->Connect();
  ASSERT_TRUE(reference.ok()) << reference.status();
  reference_.emplace(*std::move(reference));
  for (int i = 0; i < kShardConnections; ++i) {
    absl::StatusOr<RespClient> client = Connect();
    ASSERT_TRUE(client.ok()) << client.status();
    shardd_clients_.push_back(*std::move(client));
  }
  if (GetParam().protocol == 3) {
    std::vector<RespClient*> clients = {&*reference_};
    for (RespClient& client : shardd_clients_) clients.push_back(&client);
    for (RespClient* client : clients) {
      absl::StatusOr<std::string> hello = client->Command({"HELLO", "3"});
      ASSERT_TRUE(hello.ok()) << hello.status();
      ASSERT_TRUE(hello->starts_with("%7\r\n")) << Printable(*hello);
    }
  }
}

void DifferentialFixture::RunStream(uint64_t seed, int count,
                                    const NextCommand& next,
                                    const Agree& agree) {
  std::cout << "differential seed: " << seed << ", RESP" << GetParam().protocol
            << std::endl;
  std::mt19937_64 connection_choice(seed);
  std::deque<std::string> recent;  // context for a failure message
  const bool verbose = std::getenv("SHARDD_DIFF_VERBOSE") != nullptr;
  for (int i = 0; i < count; ++i) {
    const std::vector<std::string> command = next();
    RespClient& shardd =
        shardd_clients_[connection_choice() % shardd_clients_.size()];
    // Both servers get the command before either reply is read, so that
    // their waits overlap (a blocking pop that times out waits once, not
    // twice).
    const std::string wire = EncodeCommand(command);
    const absl::Status sent = shardd.Send(wire);
    ASSERT_TRUE(sent.ok()) << "seed " << seed << ", command #" << i << " "
                           << Describe(command) << ": shardd: " << sent;
    const absl::Status sent_reference = reference_->Send(wire);
    ASSERT_TRUE(sent_reference.ok()) << "redis-server: " << sent_reference;
    absl::StatusOr<std::string> ours = shardd.ReadReply();
    ASSERT_TRUE(ours.ok()) << "seed " << seed << ", command #" << i << " "
                           << Describe(command)
                           << ": shardd: " << ours.status();
    absl::StatusOr<std::string> theirs = reference_->ReadReply();
    ASSERT_TRUE(theirs.ok()) << "redis-server: " << theirs.status();
    if (!agree(command, *ours, *theirs, shardd)) {
      std::string context;
      for (const std::string& line : recent) absl::StrAppend(&context, line);
      FAIL() << "seed " << seed
             << " (SHARDD_DIFF_PROTOCOL=" << GetParam().protocol
             << "), command #" << i << ": " << Describe(command)
             << "\n  shardd: " << Printable(*ours)
             << "\n  redis:  " << Printable(*theirs)
             << "\nprevious commands (with redis's replies):\n"
             << context;
    }
    recent.push_back(absl::StrCat("  #", i, " ", Describe(command), " -> ",
                                  Printable(*theirs, 80), "\n"));
    if (verbose) std::cout << recent.back();
    if (recent.size() > kContextCommands) recent.pop_front();
  }
}

}  // namespace shardd::integration
