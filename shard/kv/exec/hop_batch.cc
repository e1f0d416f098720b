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
static_assert(kHopWindowBytes < UINT32_MAX);

template <typename T>
void DropIfLarge(T& buffer, size_t most) {
  if (buffer.capacity() > most) T().swap(buffer);
}

template <typename T>
void PrefetchContents(const std::vector<T>& v, size_t count) {
  PrefetchLines(v.data(), count * sizeof(T));
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
                   const ReplyTarget& target) {
  stream_ = target.credit->stream.get();
  granted_ = target.credit->granted;
  client_id_ = target.client_id;
  queue_ = target.queue;
  credit_ = target.credit;
  steps_.push_back({.spec = &spec,
                    .arg_count = static_cast<uint32_t>(args.size()),
                    .db = static_cast<uint16_t>(target.db),
                    .protocol = target.protocol});
  slots_.push_back(target.slot);
  for (std::string_view a : args) {
    arg_bytes_.insert(arg_bytes_.end(), a.begin(), a.end());
    arg_sizes_.push_back(static_cast<uint32_t>(a.size()));
  }
}

CommandArgs HopBatch::NextArgs(const Step& step, Cursor* at) {
  args_.clear();
  for (uint32_t i = 0; i < step.arg_count; ++i) {
    const uint32_t size = arg_sizes_[at->arg++];
    args_.emplace_back(arg_bytes_.data() + at->byte, size);
    at->byte += size;
  }
  return args_;
}

void HopBatch::Skip(const Step& step, Cursor* at) const {
  for (uint32_t i = 0; i < step.arg_count; ++i) {
    at->byte += arg_sizes_[at->arg++];
  }
}

const Store* HopBatch::KeyOf(const Step& step, Cursor at,
                             std::string_view* key) const {
  if (step.spec->keys != KeyLayout::kFirst || step.arg_count < 2) {
    return nullptr;
  }
  *key = std::string_view(arg_bytes_.data() + at.byte + arg_sizes_[at.arg],
                          arg_sizes_[at.arg + 1]);
  return &shards_->Local().dbs.Db(step.db);
}

void HopBatch::Prefetch(int pass) {
  switch (pass) {
    case 0:
      // Addresses known without reading the batch: the loads overlap with
      // those of the other messages drained with it. The owner leaves the
      // home shard's lines alone.
      PrefetchLines(this, reinterpret_cast<const char*>(&queue_) -
                              reinterpret_cast<const char*>(this));
      return;
    case 1:
      if (executed_) {
        PrefetchContents(reply_starts_, reply_starts_.size());
        PrefetchLines(reply_.data(), reply_.size());
      } else {
        PrefetchContents(steps_, steps_.size());
        PrefetchContents(arg_sizes_, arg_sizes_.size());
        PrefetchContents(arg_bytes_, arg_bytes_.size());
      }
      return;
    case 2: {
      if (executed_ || steps_.empty()) return;
      std::string_view key;
      first_store_ = KeyOf(steps_.front(), Cursor{}, &key);
      if (first_store_ == nullptr || !first_store_->PrefetchPays()) {
        first_store_ = nullptr;
        return;
      }
      first_key_ = Store::Hashed(key);
      first_store_->PrefetchSlot(first_key_);
      return;
    }
    default:
      if (!executed_ && first_store_ != nullptr) {
        first_store_->PrefetchNode(first_key_);
      }
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
  {
    PrefetchWindow window;
    Cursor at;
    Skip(steps_.front(), &at);
    for (size_t i = 1; i < steps_.size(); ++i) {
      std::string_view key;
      const Store* store = KeyOf(steps_[i], at, &key);
      if (store != nullptr && !window.Add(*store, key)) break;
      Skip(steps_[i], &at);
    }
    window.Finish();
  }
  KvShard& local = shards_->Local();
  KvShard::HopClock& clock = local.hop_clock;
  const uint64_t message = Reactor::Current()->messages_run();
  if (clock.message + 1 != message) clock.ended_ns = 0;  // read it afresh
  clock.message = message;
  reply_.clear();
  reply_starts_.clear();
  refused_from_ = static_cast<uint32_t>(steps_.size());
  Cursor at;
  for (size_t i = 0; i < steps_.size(); ++i) {
    const Step& step = steps_[i];
    const CommandArgs args = NextArgs(step, &at);
    // As RemoteCommand::Run: past the grant the connection's commands are
    // refused until a retried one arrives. A key held by a transaction is
    // refused the same way, and that command is sent again on its own, to
    // queue for the key then (RemoteCommand::Run); the connection's later
    // commands here are refused until it arrives, so they keep their order.
    const bool past_grant = stream_->stalled || stream_->produced >= granted_;
    if (past_grant || MustWaitForLocks(local, *step.spec, args)) {
      const size_t rest = steps_.size() - i;
      stream_->stalled = true;
      stream_->refusals += rest;
      // (The later ones are all past the grant: the stream is stalled.)
      local.stats.hops_refused += past_grant ? rest : rest - 1;
      refused_from_ = static_cast<uint32_t>(i);
      break;
    }
    const size_t before = reply_.size();
    if (i > 0) reply_starts_.push_back(static_cast<uint32_t>(before));
    local.running_client_id = client_id_;
    ExecuteHere(*shards_, *step.spec, args, step.db, &reply_, step.protocol,
                &clock.ended_ns);
    stream_->produced += reply_.size() - before;
  }
  Reactor::Current()->Send(origin_, this);
}

void HopBatch::DeliverHome() {
  credit_->in_flight -= static_cast<uint32_t>(steps_.size());
  size_t reply_start = 0;
  for (size_t i = 0; i < refused_from_; ++i) {
    const size_t reply_end =
        i + 1 < refused_from_ ? reply_starts_[i] : reply_.size();
    const size_t reply_size = reply_end - reply_start;
    ReplyQueue::Slot* slot = slots_[i];
    credit_->granted += reply_size;
    if (steps_.size() == 1 && reply_size > kRetainedBytes) {
      // A lone large reply changes hands instead of being copied.
      slot->data.swap(reply_);
      queue_->Fill(slot);
    } else {
      queue_->Fill(slot,
                   std::string_view(reply_).substr(reply_start, reply_size));
    }
    reply_start = reply_end;
  }
  if (refused_from_ < steps_.size()) {
    // Each kept as a command of its own in its slot, to be sent again
    // (refusals are rare: a client more than 1 MiB of replies behind).
    Cursor at;
    for (size_t i = 0; i < refused_from_; ++i) Skip(steps_[i], &at);
    for (size_t i = refused_from_; i < steps_.size(); ++i) {
      const Step& step = steps_[i];
      ReplyQueue::Slot* slot = slots_[i];
      slot->refused =
          RemoteCommand::Make(*shards_, *step.spec, NextArgs(step, &at),
                              {.queue = queue_,
                               .slot = slot,
                               .credit = credit_,
                               .protocol = step.protocol,
                               .db = step.db,
                               .client_id = client_id_});
      queue_->Fill(slot);
    }
  }
  Recycle();
}

void HopBatch::Recycle() {
  DropIfLarge(arg_bytes_, kRetainedBytes);
  DropIfLarge(reply_, kRetainedBytes);
  DropIfLarge(arg_sizes_, kRetainedEntries);
  DropIfLarge(args_, kRetainedEntries);
  DropIfLarge(steps_, kRetainedEntries);
  DropIfLarge(reply_starts_, kRetainedEntries);
  DropIfLarge(slots_, kRetainedEntries);
  arg_bytes_.clear();
  arg_sizes_.clear();
  steps_.clear();
  slots_.clear();
  reply_starts_.clear();
  reply_.clear();
  shards_->Local().hop_pool.batches.Give(this);
}

}  // namespace shardd::kv
