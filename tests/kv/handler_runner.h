// Test helper: runs one command against database 0 the way the router does
// (FindCommand, arity check, handler) at a chosen time, and returns the RESP
// bytes of the reply.
//
//   HandlerRunner run;
//   EXPECT_EQ(run({"set", "k", "v"}), "+OK\r\n");
//   run.now_ms += 1000;
#ifndef SHARDD_TESTS_KV_HANDLER_RUNNER_H_
#define SHARDD_TESTS_KV_HANDLER_RUNNER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "net/resp/reply_writer.h"
#include "shard/kv/commands/command_table.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/store/databases.h"
#include "shard/kv/store/store.h"

namespace shardd::kv {

// A fixed, realistic wall-clock time (2023-11-14) so that relative and
// absolute expiry both behave as in production.
inline constexpr int64_t kTestEpochMs = 1'700'000'000'000;

struct HandlerRunner {
  HandlerRunner() { databases.Resize(16); }

  std::string operator()(const std::vector<std::string_view>& args) {
    std::string out;
    resp::ReplyWriter reply(&out);
    const CommandSpec* spec = FindCommand(args.at(0));
    if (spec == nullptr) {
      ADD_FAILURE() << "unknown command " << args[0];
      return out;
    }
    if (!ArityMatches(*spec, args.size())) {
      // What the router replies; spelled out so tests can pin the arities.
      ReplyWrongArity(reply, spec->name);
      return out;
    }
    if (spec->handler == nullptr) {
      ADD_FAILURE() << args[0] << " has no handler";
      return out;
    }
    // As ExecuteHere: keys used or made now are stamped with this time.
    store.set_clock(now_ms);
    CommandContext ctx{store, reply, CommandArgs(args), now_ms};
    ctx.random = &random;
    ctx.databases = &databases;  // the command runs in database 0
    spec->handler(ctx);
    return out;
  }

  Databases databases;
  Store& store = databases.Db(0);
  absl::BitGen random;
  int64_t now_ms = kTestEpochMs;
};

}  // namespace shardd::kv

#endif  // SHARDD_TESTS_KV_HANDLER_RUNNER_H_
