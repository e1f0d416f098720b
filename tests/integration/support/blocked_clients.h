// How many clients a server (shardd or redis-server) has blocked, from
// INFO clients, and a bounded wait until a given number block: what a test
// needs before it pushes the data a blocked client waits for.
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_BLOCKED_CLIENTS_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_BLOCKED_CLIENTS_H_

#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/support/eventually.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/resp_codec.h"

namespace shardd::integration {

// INFO clients' blocked_clients, or -1.
inline int BlockedClients(RespClient& client) {
  absl::StatusOr<std::string> reply = client.Command({"INFO", "clients"});
  const std::string info = reply.ok() ? BulkOf(*reply).value_or("") : "";
  const size_t at = info.find("blocked_clients:");
  if (at == std::string::npos) return -1;
  const size_t from = at + std::string_view("blocked_clients:").size();
  return static_cast<int>(
      ParseInt64(info.substr(from, info.find("\r\n", from) - from))
          .value_or(-1));
}

// Waits (polling INFO, for at most 10 s) until `count` clients block.
inline void WaitForBlocked(RespClient& observer, int count) {
  EXPECT_TRUE(Eventually(absl::Seconds(10),
                         [&] { return BlockedClients(observer) == count; }))
      << "never saw " << count << " blocked clients";
}

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_BLOCKED_CLIENTS_H_
