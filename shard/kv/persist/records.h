// The log's records: RESP commands, as in Redis's AOF, so that a copy of a
// log can be checked with redis-check-aof or replayed with
// `redis-cli --pipe`. A transaction whose parts ran on several shards is
// logged by each participant as a MULTI/EXEC block preceded by an
// annotation line, which Redis's loader skips as it skips its own
// "#TS:" lines:
//
//   #TX <id> <index>[ <total>]\r\n*1\r\n$5\r\nMULTI\r\n
//   ... the block's records ...
//   *1\r\n$4\r\nEXEC\r\n
//
// Blocks of one transaction share <id> and are numbered from 0; at least
// one (the last, when the count is known only at the end) also carries
// how many there are. Recovery applies a transaction only when all are
// present.
//
//   AppendCommand(&log, {"SET", "k", "v"});
//   AppendEntry(&log, "k", entry);   // the commands that recreate `entry`
#ifndef SHARDD_SHARD_KV_PERSIST_RECORDS_H_
#define SHARDD_SHARD_KV_PERSIST_RECORDS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/types/span.h"
#include "shard/kv/store/entry.h"

namespace shardd::kv {

void AppendCommand(std::string* out, absl::Span<const std::string_view> args);

// SELECT `db`, unless `*selected` (the database the log's records are in
// now) is it already; then `*selected` is `db`.
void AppendSelect(std::string* out, uint32_t* selected, uint32_t db);

// The commands that make `key` hold `entry` (value and expiry), given that
// the key does not exist: SET, RPUSH, HSET, SADD or ZADD (aggregates in
// commands of up to 64 elements, as Redis's rewrite does), then PEXPIREAT.
void AppendEntry(std::string* out, std::string_view key, const Entry& entry);

// A transaction block's first lines; `total` 0 on every block but the last.
void AppendTxBegin(std::string* out, std::string_view id, uint32_t index,
                   uint32_t total);
void AppendTxEnd(std::string* out);

// The annotation of a transaction block, parsed (see above).
struct TxMark {
  std::string_view id;
  uint32_t index = 0;
  uint32_t total = 0;  // 0: not the last block
};
// `line` without its "\r\n"; false if it is not a well-formed "#TX" line.
bool ParseTxMark(std::string_view line, TxMark* mark);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_PERSIST_RECORDS_H_
