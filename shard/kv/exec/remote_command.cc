#include "shard/kv/exec/remote_command.h"

#include <algorithm>
#include <utility>

#include "shard/kv/exec/atomic_command.h"
#include "shard/kv/exec/blocking.h"
#include "shard/kv/exec/execute_here.h"
#include "shard/kv/exec/hop_batch.h"

namespace shardd::kv {

namespace {

// A pooled command keeps buffers up to this size for reuse, not what one
// large argument or reply needed, and vectors of up to this many entries.
constexpr size_t kRetainedBufferBytes = 4096;
constexpr size_t kRetainedEntries = 256;

template <typename T>
void DropIfLarge(T& buffer, size_t most) {
  if (buffer.capacity() > most) T().swap(buffer);
}

}  // namespace

RemoteCommand* RemoteCommand::Make(KvShards& shards, const CommandSpec& spec,
                                   CommandArgs args, ReplyTarget target) {
  RemoteCommand* command = shards.Local().hop_pool.commands.Take();
  if (command == nullptr) command = new RemoteCommand();
  command->shards_ = &shards;
  command->spec_ = &spec;
  command->target_ = target;
  command->stream_ = target.credit->stream.get();
  command->granted_ = target.credit->granted;
  command->origin_ = Reactor::Current()->shard_id();
  command->executed_ = false;
  command->refused_ = false;
  command->resume_ = false;
  command->arg_bytes_.clear();
  for (std::string_view a : args) command->arg_bytes_.append(a);
  // Views are taken once the buffer is complete, so growing it cannot
  // invalidate them.
  command->args_.clear();
  size_t offset = 0;
  for (std::string_view a : args) {
    command->args_.emplace_back(command->arg_bytes_.data() + offset, a.size());
    offset += a.size();
  }
  return command;
}

void RemoteCommand::PrepareRetry(bool resume) {
  granted_ = target_.credit->granted;
  executed_ = false;
  refused_ = false;
  resume_ = resume;
}

void RemoteCommand::Recycle() {
  DropIfLarge(reply_, kRetainedBufferBytes);
  DropIfLarge(arg_bytes_, kRetainedBufferBytes);
  DropIfLarge(args_, kRetainedEntries);
  reply_.clear();
  shards_->Local().hop_pool.commands.Give(this);
}

void RemoteCommand::Prefetch(int pass) {
  if (pass < 2 || executed_ || spec_->keys != KeyLayout::kFirst ||
      args_.size() < 2) {
    return;
  }
  const Store& store = shards_->Local().dbs.Db(target_.db);
  if (!store.PrefetchPays()) return;  // the same answer in both passes
  if (pass == 2) {
    key_ = Store::Hashed(args_[1]);
    store.PrefetchSlot(key_);
  } else {
    store.PrefetchNode(key_);
  }
}

void RemoteCommand::Granted() {
  // On the owner: the keys are this command's for as long as it runs.
  KvShard& local = shards_->Local();
  local.running_client_id = target_.client_id;
  ExecuteHere(*shards_, *spec_, args_, target_.db, &reply_, target_.protocol);
  stream_->produced += reply_.size();
  if (WholeShard(*spec_)) {
    // Clients that came to wait while the shard was held are served now,
    // by its last holder (Transaction::Part::ReleaseHere).
    if (local.locks.SoleShardHolder(this)) ServeEveryKey(*shards_, this);
    local.locks.ReleaseShard(this);
  } else {
    // Its write served nobody while it held the keys: it does now.
    NotifyBlockedWaiters(*shards_, kEveryDb, lock_keys_, /*releaser=*/this);
    local.locks.Release(this, lock_keys_);
  }
  // Nothing of the connection was refused while this one queued: the
  // next one may run as it comes.
  if (stream_->refusals == refusals_when_queued_) stream_->stalled = false;
  Reactor::Current()->Send(origin_, this);
}

void RemoteCommand::Run() {
  if (!executed_) {  // on the owner shard
    executed_ = true;
    if (resume_) stream_->stalled = false;
    if (stream_->stalled || stream_->produced >= granted_) {
      stream_->stalled = true;
      ++stream_->refusals;
      refused_ = true;
      ++shards_->Local().stats.hops_refused;
      Reactor::Current()->Send(origin_, this);
      return;
    }
    KvShard& local = shards_->Local();
    if (MustWaitForLocks(local, *spec_, args_)) {
      // Queue for the keys a transaction holds; the connection's later
      // commands here are refused meanwhile, so they keep their order.
      stream_->stalled = true;
      refusals_when_queued_ = stream_->refusals;
      lock_keys_.clear();
      key_positions_.clear();
      FindKeyPositions(*spec_, args_, &key_positions_);
      for (size_t position : key_positions_) {
        const std::string_view key = args_[position];
        if (std::find(lock_keys_.begin(), lock_keys_.end(), key) ==
            lock_keys_.end()) {
          lock_keys_.push_back(key);
        }
      }
      // SCAN takes the shard whole, shared with other readers.
      const bool granted =
          WholeShard(*spec_)
              ? local.locks.AcquireShard(this, (spec_->flags & kWrite) != 0
                                                   ? ShardMode::kExclusive
                                                   : ShardMode::kShared)
              : local.locks.Acquire(this, lock_keys_);
      if (granted) Granted();
      return;
    }
    KvShard::HopClock& clock = local.hop_clock;
    const uint64_t message = Reactor::Current()->messages_run();
    if (clock.message + 1 != message) clock.ended_ns = 0;  // read it afresh
    clock.message = message;
    shards_->Local().running_client_id = target_.client_id;
    ExecuteHere(*shards_, *spec_, args_, target_.db, &reply_, target_.protocol,
                &clock.ended_ns);
    stream_->produced += reply_.size();
    Reactor::Current()->Send(origin_, this);
    return;
  }
  // Back on the connection's shard.
  --target_.credit->in_flight;
  if (refused_) {
    target_.slot->refused = this;
    target_.queue->Fill(target_.slot);
    return;
  }
  target_.credit->granted += reply_.size();
  // Small replies are copied so that reply_ keeps its buffer for the next
  // command; a large one changes hands instead of being copied.
  if (reply_.size() > kRetainedBufferBytes) {
    target_.slot->data.swap(reply_);
  } else {
    target_.slot->data.assign(reply_);
  }
  target_.queue->Fill(target_.slot);
  Recycle();
}

}  // namespace shardd::kv
