#include "shard/kv/persist/log_block.h"

#include <atomic>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "shard/kv/persist/records.h"

namespace shardd::kv {
namespace {

const std::string& BootId() {
  static const std::string* id = new std::string(
      absl::StrFormat("%016x", absl::Uniform<uint64_t>(absl::BitGen())));
  return *id;
}

}  // namespace

TxLog TxLog::Make(uint32_t shard, uint32_t total) {
  // Ids are process-wide; a relaxed counter is enough for uniqueness.
  static std::atomic<uint64_t> next{1};
  return TxLog{absl::StrCat(BootId(), ".", shard, ".",
                            next.fetch_add(1, std::memory_order_relaxed)),
               0, total};
}

LogBlock::LogBlock(aio::LogWriter& log, const TxLog* tx, uint32_t index)
    : log_(log.started() ? &log : nullptr), plain_(tx == nullptr) {
  if (log_ == nullptr) return;
  std::string& buffer = log_->buffer();
  begin_at_ = buffer.size();
  selected_db_ = log_->selected_db();
  if (plain_) {
    buffer.append("*1\r\n$5\r\nMULTI\r\n");
  } else {
    AppendTxBegin(&buffer, tx->id, index, tx->total);
  }
  body_at_ = buffer.size();
}

LogBlock::~LogBlock() {
  if (log_ == nullptr) return;
  // The block's records are appended synchronously, in one loop turn, so
  // no write took the buffer meanwhile.
  std::string& buffer = log_->buffer();
  if (plain_ && buffer.size() == body_at_) {
    buffer.resize(begin_at_);
    return;
  }
  if (selected_db_ == aio::LogWriter::kUnknownDb) {
    log_->selected_db() = selected_db_;  // the next record selects anew
  } else {
    AppendSelect(&buffer, &log_->selected_db(), selected_db_);
  }
  AppendTxEnd(&buffer);
  log_->Commit();
}

void CloseTxLog(aio::LogWriter& log, const TxLog& tx) {
  if (tx.total != 0) return;
  TxLog closing = tx;
  closing.total = tx.next_index + 1;
  LogBlock block(log, &closing, tx.next_index);
}

}  // namespace shardd::kv
