// SubcommandRange finds, in a table sorted by name, the rows of one
// command's subcommands: "client|id" ... "client|unpause" follow "client"
// and precede any name that does not start with "client|".
#ifndef SHARDD_SHARD_KV_COMMANDS_SERVER_SUBCOMMAND_RANGE_H_
#define SHARDD_SHARD_KV_COMMANDS_SERVER_SUBCOMMAND_RANGE_H_

#include <algorithm>
#include <span>
#include <string>
#include <string_view>

namespace shardd::kv {

template <typename Row>
std::span<const Row> SubcommandRange(std::span<const Row> rows,
                                     std::string_view parent) {
  const std::string prefix = std::string(parent) + "|";
  const auto begin = std::lower_bound(
      rows.begin(), rows.end(), std::string_view(prefix),
      [](const Row& row, std::string_view name) { return row.name < name; });
  auto end = begin;
  while (end != rows.end() && end->name.starts_with(prefix)) ++end;
  return {begin, end};
}

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_SERVER_SUBCOMMAND_RANGE_H_
