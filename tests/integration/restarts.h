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

// PFADD of enough elements that the HLL at `key` is dense (past the sparse
// encoding's 3000 bytes).
inline std::vector<std::string> DenseHllAdd(const std::string& key) {
  std::vector<std::string> add = {"PFADD", key};
  for (int i = 0; i < 3000; ++i) add.push_back(absl::StrCat("e", i));
  return add;
}

// Writes of every kind the log must carry, over keys of every shard of 4:
// each type, expiries relative and absolute, commands logged by their
// effect (SPOP, INCRBYFLOAT, SET EX), moves across shards, bitmaps,
// HyperLogLogs (sparse and dense) and geo sets with the stores and pops
// across shards, a FLUSHALL followed by more writes, and transactions.
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
      // Shards of 4 (slot mod 4) in the names' comments: the multi-key
      // writes below read and write on different ones.
      {"SETBIT", "bm:a", "7", "1"},  // 1
      {"SETBIT", "bm:a", "100", "1"},
      {"SETBIT", "bm:b", "3", "1"},                      // 2
      {"SETBIT", "bm:c", "64", "1"},                     // 3
      {"BITOP", "OR", "bm:or", "bm:a", "bm:b", "bm:c"},  // 2
      {"BITOP", "XOR", "bm:xor", "bm:a", "bm:c"},        // 0
      {"BITOP", "NOT", "bm:neg", "bm:b"},                // 0
      {"BITFIELD", "bf:f", "SET", "u8", "0", "200", "INCRBY", "i5", "#3", "100",
       "OVERFLOW", "SAT", "INCRBY", "u4", "20", "99"},
      {"BITFIELD", "bf:f", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "100"},
      // HLL values are compared byte for byte, so PFCOUNT's refresh of the
      // estimate cached in the value must come back after a restart too.
      {"PFADD", "hll:sparse", "a", "b", "c"},                // 0
      {"PFADD", "hll:other", "c", "d"},                      // 3
      DenseHllAdd("hll:big"),                                // 1
      {"PFMERGE", "hll:merged", "hll:sparse", "hll:other"},  // 2, sparse
      {"PFMERGE", "hll:merged2", "hll:big", "hll:other"},    // 2, dense
      {"PFMERGE", "hll:other", "hll:sparse"},                // into a source
      {"PFCOUNT", "hll:sparse"},
      {"PFCOUNT", "hll:big"},
      {"PFCOUNT", "hll:merged", "hll:merged2"},  // several: no refresh
      {"GEOADD", "geo:pts", "13.361389", "38.115556", "Palermo", "15.087269",
       "37.502669", "Catania", "2.3522", "48.8566", "Paris", "179.99", "-16.5",
       "Fiji"},  // 1
      {"GEOADD", "geo:pts", "XX", "CH", "2.35", "48.85", "Paris"},
      {"GEOSEARCHSTORE", "geo:near", "geo:pts", "FROMLONLAT", "15", "37",
       "BYRADIUS", "200", "km", "ASC"},  // 3
      {"GEOSEARCHSTORE", "geo:dist", "geo:pts", "FROMMEMBER", "Palermo",
       "BYBOX", "600", "600", "km", "STOREDIST"},  // 2
      {"GEORADIUS", "geo:pts", "15", "37", "200", "km", "STORE",
       "geo:within"},  // 0
      {"GEORADIUSBYMEMBER", "geo:pts", "Palermo", "300", "km", "STOREDIST",
       "geo:rdist"},                            // 0
      {"RPUSH", "l:mpop", "1", "2", "3", "4"},  // 0
      {"LMPOP", "2", "l:empty", "l:mpop", "LEFT", "COUNT", "2"},
      {"ZADD", "z:mpop", "1", "a", "2", "b", "3", "c", "4", "d"},  // 1
      {"ZMPOP", "2", "z:absent", "z:mpop", "MAX", "COUNT", "2"},
      {"ZMPOP", "1", "z:mpop", "MIN"},
      {"ZADD", "z:b", "2.5", "b", "7", "e", "0.5", "f"},  // 3
      {"ZDIFFSTORE", "z:diff", "2", "z:b", "z:zset"},     // 3
      {"ZUNIONSTORE", "z:union", "3", "z:zset", "z:b", "z:copy", "WEIGHTS", "2",
       "1", "0.5", "AGGREGATE", "MAX"},  // 2
      // SORT ... STORE, by keys on other shards than the source's.
      {"SET", "weight:b", "3"},
      {"SET", "weight:e", "1"},
      {"SORT", "z:b", "BY", "weight:*", "GET", "#", "GET", "weight:*", "STORE",
       "sort:out"},
      {"SORT", "l:mpop", "BY", "nosort", "STORE", "sort:copy"},
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
