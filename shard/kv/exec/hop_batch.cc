#include "shard/kv/exec/hop_batch.h"

#include "shard/kv/exec/atomic_command.h"
#include "shard/kv/exec/execute_here.h"
#include "shard/kv/store/prefetch_window.h"
#include "shard/reactor.h"

namespace shardd::kv {
namespace {

// A pooled batch keeps buffers up to this size (16 small commands), not
// what one large argument or reply needed: with HopPool::batches (256 spares),
// 2 MiB per shard at most.
constexpr size_t kRetainedBytes = 4 * 1024;
constexpr size_t kRetainedEntries = 256;

template <typename T>
void DropIfLarge(T& buffer, size_t most) {
  if (buffer.capacity() > most) T().swap(buffer);
}

}  // namespace

HopBatch* HopBatch::Make(KvShards& shards) {
  HopBatch* batch = shards.Local().hop_pool.batches.Take();
  if (batch == nullptr) batch = new HopBatch();
  batch->shards_ = &shards;
  batch->stream_ = nullptr;
  batch->granted_ = 0;
  batch->origin_ = Reactor::Current()->shard_id();
  batch->executed_ = false;
  return batch;
}

void HopBatch::Add(const CommandSpec& spec, CommandArgs args,
                   ReplyTarget target) {
  stream_ = target.credit->stream.get();
  granted_ = target.credit->granted;
  entries_.push_back({.spec = &spec,
                      .first_arg = static_cast<uint32_t>(arg_sizes_.size()),
                      .arg_count = static_cast<uint32_t>(args.size()),
                      .arg_start = arg_bytes_.size(),
                      .reply_end = 0,
                      .refused = false,
                      .target = target});
  for (std::string_view a : args) {
    arg_bytes_.append(a);
    arg_sizes_.push_back(static_cast<uint32_t>(a.size()));
  }
}

CommandArgs HopBatch::ArgsOf(const Entry& entry) {
  args_.clear();
  size_t offset = entry.arg_start;
  for (uint32_t i = 0; i < entry.arg_count; ++i) {
    const uint32_t size = arg_sizes_[entry.first_arg + i];
    args_.emplace_back(arg_bytes_.data() + offset, size);
    offset += size;
  }
  return args_;
}

const Store* HopBatch::KeyOf(const Entry& entry, std::string_view* key) const {
  if (entry.spec->keys != KeyLayout::kFirst || entry.arg_count < 2) {
    return nullptr;
  }
  *key = std::string_view(
      arg_bytes_.data() + entry.arg_start + arg_sizes_[entry.first_arg],
      arg_sizes_[entry.first_arg + 1]);
  return &shards_->Local().dbs.Db(entry.target.db);
}

void HopBatch::Prefetch(int pass) {
  if (executed_ || entries_.empty()) return;
  if (pass == 0) {
    std::string_view key;
    first_store_ = KeyOf(entries_.front(), &key);
    if (first_store_ == nullptr || !first_store_->PrefetchPays()) {
      first_store_ = nullptr;
      return;
    }
    first_key_ = Store::Hashed(key);
    first_store_->PrefetchSlot(first_key_);
  } else if (first_store_ != nullptr) {
    first_store_->PrefetchNode(first_key_);
  }
}

void HopBatch::Run() {
  if (!executed_) {
    RunOnOwner();
    return;
  }
  DeliverHome();
}

void HopBatch::RunOnOwner() {
  executed_ = true;
  // (The first one's key was prefetched with the loop's group: Prefetch.)
  PrefetchWindow window;
  for (size_t i = 1; i < entries_.size(); ++i) {
    std::string_view key;
    const Store* store = KeyOf(entries_[i], &key);
    if (store != nullptr && !window.Add(*store, key)) break;
  }
  window.Finish();
  KvShard& local = shards_->Local();
  KvShard::HopClock& clock = local.hop_clock;
  const uint64_t message = Reactor::Current()->messages_run();
  if (clock.message + 1 != message) clock.ended_ns = 0;  // read it afresh
  clock.message = message;
  reply_.clear();
  for (Entry& entry : entries_) {
    // As RemoteCommand::Run: past the grant the connection's commands are
    // refused until a retried one arrives.
    if (stream_->stalled || stream_->produced >= granted_) {
      stream_->stalled = true;
      ++stream_->refusals;
      entry.refused = true;
      entry.reply_end = reply_.size();
      ++local.stats.hops_refused;
      continue;
    }
    const CommandArgs args = ArgsOf(entry);
    if (MustWaitForLocks(local, *entry.spec, args)) {
      // A key held by a transaction: refused like a command past its
      // credit, and sent again on its own, to queue for the key then
      // (RemoteCommand::Run); the connection's later commands here are
      // refused until that one arrives, so they keep their order.
      stream_->stalled = true;
      ++stream_->refusals;
      entry.refused = true;
      entry.reply_end = reply_.size();
      continue;
    }
    const size_t before = reply_.size();
    shards_->Local().running_client_id = entry.target.client_id;
    ExecuteHere(*shards_, *entry.spec, args, entry.target.db, &reply_,
                entry.target.protocol, &clock.ended_ns);
    entry.reply_end = reply_.size();
    stream_->produced += reply_.size() - before;
  }
  Reactor::Current()->Send(origin_, this);
}

void HopBatch::DeliverHome() {
  size_t reply_start = 0;
  for (Entry& entry : entries_) {
    const std::string_view reply(reply_.data() + reply_start,
                                 entry.reply_end - reply_start);
    reply_start = entry.reply_end;
    ReplyTarget& target = entry.target;
    --target.credit->in_flight;
    if (entry.refused) {
      // Kept as a command of its own in its slot, to be sent again
      // (refusals are rare: a client more than 1 MiB of replies behind).
      target.slot->refused =
          RemoteCommand::Make(*shards_, *entry.spec, ArgsOf(entry),
                              target);
      target.queue->Fill(target.slot);
      continue;
    }
    target.credit->granted += reply.size();
    if (entries_.size() == 1 && reply.size() > kRetainedBytes) {
      // A lone large reply changes hands instead of being copied.
      target.slot->data.swap(reply_);
      target.queue->Fill(target.slot);
    } else {
      target.slot->data.assign(reply);
      target.queue->Fill(target.slot);
    }
  }
  Recycle();
}

void HopBatch::Recycle() {
  DropIfLarge(arg_bytes_, kRetainedBytes);
  DropIfLarge(reply_, kRetainedBytes);
  DropIfLarge(arg_sizes_, kRetainedEntries);
  DropIfLarge(args_, kRetainedEntries);
  DropIfLarge(entries_, kRetainedEntries);
  arg_bytes_.clear();
  arg_sizes_.clear();
  entries_.clear();
  reply_.clear();
  shards_->Local().hop_pool.batches.Give(this);
}

}  // namespace shardd::kv
