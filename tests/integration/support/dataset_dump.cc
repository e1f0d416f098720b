#include "tests/integration/support/dataset_dump.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/integration/support/resp_codec.h"

namespace shardd::integration {
namespace {

absl::StatusOr<std::string> Ask(RespClient& client,
                                const std::vector<std::string>& args) {
  absl::StatusOr<std::string> reply = client.Command(args);
  if (!reply.ok()) return reply.status();
  if (!reply->empty() && (*reply)[0] == '-') {
    return absl::InternalError(
        absl::StrCat(absl::StrJoin(args, " "), ": ", Printable(*reply)));
  }
  return reply;
}

absl::StatusOr<std::vector<std::string>> AskArray(
    RespClient& client, const std::vector<std::string>& args) {
  absl::StatusOr<std::string> reply = Ask(client, args);
  if (!reply.ok()) return reply.status();
  std::optional<std::vector<std::string>> items = BulkArrayOf(*reply);
  if (!items) {
    return absl::InternalError(absl::StrCat(absl::StrJoin(args, " "),
                                            ": not an array of bulk "
                                            "strings: ",
                                            Printable(*reply)));
  }
  return *items;
}

// Pairs (hash fields and values) sorted by field.
std::string SortedPairs(const std::vector<std::string>& flat) {
  std::vector<std::string> pairs;
  for (size_t i = 0; i + 1 < flat.size(); i += 2) {
    pairs.push_back(absl::StrCat(flat[i], "=", flat[i + 1]));
  }
  std::sort(pairs.begin(), pairs.end());
  return absl::StrJoin(pairs, ",");
}

}  // namespace

absl::StatusOr<Dataset> DumpDataset(RespClient& client) {
  absl::StatusOr<std::vector<std::string>> keys =
      AskArray(client, {"KEYS", "*"});
  if (!keys.ok()) return keys.status();
  Dataset dataset;
  for (const std::string& key : *keys) {
    absl::StatusOr<std::string> type = Ask(client, {"TYPE", key});
    absl::StatusOr<std::string> expiry = Ask(client, {"PEXPIRETIME", key});
    if (!type.ok()) return type.status();
    if (!expiry.ok()) return expiry.status();
    // Expired between KEYS and now: not part of the dataset.
    if (*type == "+none\r\n") continue;
    std::string value;
    if (*type == "+string\r\n") {
      absl::StatusOr<std::string> get = Ask(client, {"GET", key});
      if (!get.ok()) return get.status();
      value = *get;
    } else if (*type == "+list\r\n") {
      absl::StatusOr<std::string> range =
          Ask(client, {"LRANGE", key, "0", "-1"});
      if (!range.ok()) return range.status();
      value = *range;
    } else if (*type == "+hash\r\n") {
      absl::StatusOr<std::vector<std::string>> all =
          AskArray(client, {"HGETALL", key});
      if (!all.ok()) return all.status();
      value = SortedPairs(*all);
    } else if (*type == "+set\r\n") {
      absl::StatusOr<std::vector<std::string>> members =
          AskArray(client, {"SMEMBERS", key});
      if (!members.ok()) return members.status();
      std::sort(members->begin(), members->end());
      value = absl::StrJoin(*members, ",");
    } else if (*type == "+zset\r\n") {
      absl::StatusOr<std::string> range =
          Ask(client, {"ZRANGE", key, "0", "-1", "WITHSCORES"});
      if (!range.ok()) return range.status();
      value = *range;
    } else {
      return absl::InternalError(
          absl::StrCat("TYPE ", key, ": ", Printable(*type)));
    }
    dataset[key] = absl::StrCat(Printable(*type), " ", Printable(*expiry),
                                " ", Printable(value, 1 << 20));
  }
  return dataset;
}

std::string DescribeDifference(const Dataset& a, const Dataset& b) {
  std::string out;
  int shown = 0;
  for (const auto& [key, value] : a) {
    const auto it = b.find(key);
    if (it != b.end() && it->second == value) continue;
    absl::StrAppend(&out, "\n  ", key, ": ", value, " vs ",
                    it == b.end() ? "(missing)" : it->second);
    if (++shown == 10) return out;
  }
  for (const auto& [key, value] : b) {
    if (a.contains(key)) continue;
    absl::StrAppend(&out, "\n  ", key, ": (missing) vs ", value);
    if (++shown == 10) return out;
  }
  return out;
}

}  // namespace shardd::integration
