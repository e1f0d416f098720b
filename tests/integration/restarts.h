// What the append-only log tests share (durability_test, log_files_test,
// crash tests aside): a shardd restarted on one data directory, a write
// of every kind the log must carry, and the files' bytes.
//
//   Restarts runs;
//   auto server = runs.Start(/*shards=*/4);
//   WriteEveryKind(*ConnectTo(**server));
#ifndef SHARDD_TESTS_INTEGRATION_RESTARTS_H_
#define SHARDD_TESTS_INTEGRATION_RESTARTS_H_

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/support/dataset_dump.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {

// A shardd on a data directory that outlives it: started, stopped and
// started again on the same --dir.
class Restarts {
 public:
  Restarts() {
    absl::StatusOr<std::vector<std::string>> flags =
        WithTestDefaults({"--port=0"}, &dir_);
    if (flags.ok()) base_flags_ = *flags;
  }
  const std::string& dir() const { return dir_.path(); }
  std::string LogDir() const { return dir() + "/aof"; }

  // shardd on the directory with `shards` shards and `flags`.
  absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      int shards, std::vector<std::string> flags = {}) {
    std::vector<std::string> all = base_flags_;
    all.push_back(absl::StrCat("--shards=", shards));
    all.insert(all.end(), flags.begin(), flags.end());
    return ServerProcess::Start(ShardBinary(), all);
  }
  std::vector<std::string> Argv(int shards) const {
    std::vector<std::string> argv = {ShardBinary()};
    argv.insert(argv.end(), base_flags_.begin(), base_flags_.end());
    argv.push_back(absl::StrCat("--shards=", shards));
    return argv;
  }

 private:
  TempDir dir_;  // declared first: removed after every server stopped
  std::vector<std::string> base_flags_;
};

inline absl::StatusOr<RespClient> ConnectTo(const ServerProcess& server) {
  absl::StatusOr<RespClient> client =
      RespClient::ConnectTcp("127.0.0.1", server.port());
  if (client.ok()) client->set_timeout(absl::Seconds(10));
  return client;
}

// Writes of every kind the log must carry, over keys of every shard of 4:
// each type, expiries relative and absolute, commands logged by their
// effect (SPOP, INCRBYFLOAT, SET EX), moves across shards, a FLUSHALL
// followed by more writes, and transactions.
inline void WriteEveryKind(RespClient& c, bool with_flushall = true) {
  std::vector<std::vector<std::string>> commands = {
      {"SET", "doomed", "x"},
      {"RPUSH", "doomed:list", "a", "b"},
      {"FLUSHALL"},
  };
  if (!with_flushall) commands.clear();
  const std::vector<std::vector<std::string>> rest = {
      {"SET", "s:plain", std::string("bin\0ary\r\n", 10)},
      {"SET", "s:ex", "v", "EX", "1000"},
      {"SET", "s:px", "v", "PX", "900000"},
      {"SETEX", "s:setex", "500", "v"},
      {"SET", "s:counter", "10"},
      {"INCR", "s:counter"},
      {"INCRBY", "s:counter", "5"},
      {"INCRBYFLOAT", "s:float", "1.1"},
      {"INCRBYFLOAT", "s:float", "2.25"},
      {"APPEND", "s:plain", "-more"},
      {"SETRANGE", "s:range", "3", "abc"},
      {"SET", "s:gone", "v"},
      {"DEL", "s:gone"},
      {"SET", "s:expire", "v"},
      {"EXPIRE", "s:expire", "3000"},
      {"SET", "s:persist", "v", "EX", "100"},
      {"PERSIST", "s:persist"},
      {"SET", "s:past", "v"},
      {"PEXPIREAT", "s:past", "1"},
      {"MSET", "m:a", "1", "m:b", "2", "m:c", "3", "m:d", "4", "m:e", "5"},
      {"DEL", "m:a", "m:c"},
      {"RENAME", "m:b", "m:renamed"},
      {"RPUSH", "l:list", "1", "2", "3", "4", "5"},
      {"LPUSH", "l:list", "0"},
      {"LPOP", "l:list"},
      {"LINSERT", "l:list", "BEFORE", "3", "2.5"},
      {"LSET", "l:list", "0", "one"},
      {"LMOVE", "l:list", "l:other", "RIGHT", "LEFT"},
      {"HSET", "h:hash", "f1", "v1", "f2", "v2", "f3", "v3"},
      {"HDEL", "h:hash", "f2"},
      {"HINCRBY", "h:hash", "n", "7"},
      {"HINCRBYFLOAT", "h:hash", "x", "0.5"},
      {"SADD", "set:a", "1", "2", "3", "4", "5", "6", "7", "8"},
      {"SPOP", "set:a"},
      {"SPOP", "set:a", "2"},
      {"SMOVE", "set:a", "set:b", "1"},
      {"SADD", "set:b", "x", "y"},
      {"SINTERSTORE", "set:inter", "set:a", "set:b"},
      {"SUNIONSTORE", "set:union", "set:a", "set:b"},
      {"ZADD", "z:zset", "1", "a", "2.5", "b", "-3", "c", "1e10", "d"},
      {"ZINCRBY", "z:zset", "0.1", "a"},
      {"ZPOPMIN", "z:zset"},
      {"ZREM", "z:zset", "d"},
      {"COPY", "z:zset", "z:copy"},
      {"MULTI"},
      {"INCR", "tx:a"},
      {"INCR", "tx:b"},
      {"SET", "tx:c", "v"},
      {"EXEC"},
  };
  commands.insert(commands.end(), rest.begin(), rest.end());
  for (const std::vector<std::string>& command : commands) {
    absl::StatusOr<std::string> reply = c.Command(command);
    ASSERT_TRUE(reply.ok()) << command[0] << ": " << reply.status();
    ASSERT_NE((*reply)[0], '-') << command[0] << ": " << Printable(*reply);
  }
}

inline absl::StatusOr<Dataset> DumpOf(const ServerProcess& server) {
  absl::StatusOr<RespClient> client = ConnectTo(server);
  if (!client.ok()) return client.status();
  return DumpDataset(*client);
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_RESTARTS_H_
