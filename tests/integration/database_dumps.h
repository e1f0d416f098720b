// Helpers for the tests of Redis's numbered databases (databases_test,
// databases_restart_test): commands over a connection that fail the test on
// a transport error, and every database's dataset of a server, to compare.
//
//   absl::StatusOr<Databases> all = DumpDatabases(client);
//   EXPECT_EQ(*ours, *theirs) << DescribeDatabaseDifference(*ours, *theirs);
#ifndef SHARDD_TESTS_INTEGRATION_DATABASE_DUMPS_H_
#define SHARDD_TESTS_INTEGRATION_DATABASE_DUMPS_H_

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/support/dataset_dump.h"
#include "tests/integration/support/differential_fixture.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/resp_codec.h"

namespace shardd::integration {

using Command = std::vector<std::string>;
// Each database's dataset by index; databases without keys are left out.
using Databases = std::map<int, Dataset>;
using Connector = std::function<absl::StatusOr<RespClient>()>;

inline constexpr int kDatabases = 16;  // Redis's and shardd's default

// The reply, failing the test on a transport error (the reply is then "").
inline std::string Call(RespClient& c, const Command& command) {
  absl::StatusOr<std::string> reply = c.Command(command);
  EXPECT_TRUE(reply.ok()) << Describe(command) << ": " << reply.status();
  return reply.ok() ? *reply : "";
}

inline RespClient MustConnectTo(const Connector& connect) {
  absl::StatusOr<RespClient> client = connect();
  EXPECT_TRUE(client.ok()) << client.status();
  return *std::move(client);
}

// The keys of a KEYS reply in order, or the reply itself if it is not one:
// the two servers list keys in their own hash tables' orders.
inline std::vector<std::string> SortedKeys(const std::string& reply) {
  std::optional<std::vector<std::string>> keys = BulkArrayOf(reply);
  if (!keys) return {Printable(reply)};
  std::sort(keys->begin(), keys->end());
  return *keys;
}

// Every database's dataset over `c`, which is left in database 0.
inline absl::StatusOr<Databases> DumpDatabases(RespClient& c,
                                               int databases = kDatabases) {
  Databases all;
  for (int db = 0; db < databases; ++db) {
    absl::StatusOr<std::string> selected =
        c.Command({"SELECT", absl::StrCat(db)});
    if (!selected.ok()) return selected.status();
    if (*selected != kOk) {
      return absl::InternalError(
          absl::StrCat("SELECT ", db, ": ", Printable(*selected)));
    }
    absl::StatusOr<Dataset> dataset = DumpDataset(c);
    if (!dataset.ok()) return dataset.status();
    if (!dataset->empty()) all[db] = *std::move(dataset);
  }
  absl::StatusOr<std::string> back = c.Command({"SELECT", "0"});
  if (!back.ok()) return back.status();
  return all;
}

// `databases` with every absolute expiry reduced to whether there is one:
// two servers given the same TTL at different instants expire at
// different milliseconds.
inline Databases WithoutExpiryTimes(const Databases& databases) {
  Databases out;
  for (const auto& [db, dataset] : databases) {
    for (const auto& [key, entry] : dataset) {
      // "<type> <expiry> <value>": the type and expiry hold no space.
      const size_t type_end = entry.find(' ');
      const size_t expiry_end = entry.find(' ', type_end + 1);
      const bool persistent = entry.compare(type_end + 1, 3, ":-1") == 0;
      out[db][key] = absl::StrCat(entry.substr(0, type_end),
                                  persistent ? " persistent" : " expires",
                                  entry.substr(expiry_end));
    }
  }
  return out;
}

inline std::string DescribeDatabaseDifference(const Databases& ours,
                                              const Databases& theirs) {
  const Dataset none;
  std::string out;
  for (int db = 0; db < kDatabases; ++db) {
    const auto a = ours.find(db);
    const auto b = theirs.find(db);
    const Dataset& x = a == ours.end() ? none : a->second;
    const Dataset& y = b == theirs.end() ? none : b->second;
    if (x != y) {
      absl::StrAppend(&out, "\n db", db,
                      " (shardd vs expected):", DescribeDifference(x, y));
    }
  }
  return out;
}

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_DATABASE_DUMPS_H_
