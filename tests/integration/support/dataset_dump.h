// DumpDataset: every key of a server with its type, value and absolute
// expiry, in a canonical text form, so that two servers (or one server
// before and after a restart) can be compared with ==. Sets and hashes are
// sorted; lists and sorted sets keep their order.
//
//   absl::StatusOr<Dataset> before = DumpDataset(client);
//   ... restart ...
//   EXPECT_EQ(*DumpDataset(client), *before);
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_DATASET_DUMP_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_DATASET_DUMP_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "tests/integration/support/resp_client.h"

namespace shardd::integration {

// key -> "<type> <expiry ms or -1> <value>"
using Dataset = std::map<std::string, std::string>;

absl::StatusOr<Dataset> DumpDataset(RespClient& client);

// The first few differences between `a` and `b`, for a failure message.
std::string DescribeDifference(const Dataset& a, const Dataset& b);

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_DATASET_DUMP_H_
