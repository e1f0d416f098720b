// LogBlock: makes the records a shard appends while it lives one block of
// the log, replayed all or nothing (records.h). A step whose writes stay on
// one shard (an EXEC there) writes a plain MULTI/EXEC block, as Redis does,
// so that a crash in the middle of it leaves none of it; one whose writes
// land on several shards writes one annotated block per piece, all with
// the step's TxLog id.
//
//   TxLog tx = TxLog::For(shards, /*total=*/2);       // at home
//   { LogBlock block(log, &tx, /*index=*/0); ...writes...; }  // on an owner
#ifndef SHARDD_SHARD_KV_PERSIST_LOG_BLOCK_H_
#define SHARDD_SHARD_KV_PERSIST_LOG_BLOCK_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "aio/log/log_writer.h"

namespace shardd::kv {

// One multi-shard step's transaction id, and how its blocks are numbered.
struct TxLog {
  // Unique over every run that writes to the same logs: "<boot>.<shard>.<n>",
  // <boot> random per process.
  std::string id;
  uint32_t next_index = 0;  // the next piece's index, assigned at home
  // How many blocks there are, when known before any is written; else 0,
  // and a closing block written last (Close) carries it.
  uint32_t total = 0;

  // A fresh id, made on the calling shard.
  static TxLog Make(uint32_t shard, uint32_t total);
};

class LogBlock {
 public:
  // A plain MULTI/EXEC block (dropped if nothing is appended in it).
  explicit LogBlock(aio::LogWriter& log) : LogBlock(log, nullptr, 0) {}
  // Piece `index` of `tx` (null: a plain block).
  LogBlock(aio::LogWriter& log, const TxLog* tx, uint32_t index);
  ~LogBlock();
  LogBlock(const LogBlock&) = delete;
  LogBlock& operator=(const LogBlock&) = delete;

 private:
  aio::LogWriter* log_;  // null: the log is off
  bool plain_ = false;
  size_t body_at_ = 0;   // where the block's records start in the buffer
  size_t begin_at_ = 0;  // where the block starts
  // The log's database at the start: a block leaves it so, since a replay
  // that leaves out the block must find the records after it in theirs.
  uint32_t selected_db_ = 0;
};

// At home, after every piece of `tx` (numbered 0 .. tx.next_index - 1):
// writes the closing block that says how many there are, when tx.total was
// not known up front.
void CloseTxLog(aio::LogWriter& log, const TxLog& tx);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_PERSIST_LOG_BLOCK_H_
