#include "shard/kv/exec/remote_command.h"

#include <utility>

#include "absl/random/distributions.h"
#include "net/resp/reply_reader.h"
#include "net/resp/reply_writer.h"
#include "shard/kv/exec/execute_here.h"
#include "shard/kv/exec/hop_batch.h"

namespace shardd::kv {

namespace {

// A pooled command keeps buffers up to this size for reuse, not what one
// large argument or reply needed, and vectors of up to this many entries.
constexpr size_t kRetainedBufferBytes = 4096;
constexpr size_t kRetainedEntries = 256;
// A pooled fan-out keeps less per part, as it has a part per shard: with
// 16 shards about 40 KiB at most, times HopPool::fan_outs (256 spares).
constexpr size_t kRetainedPartBytes = 1024;
constexpr size_t kRetainedPartEntries = 128;

template <typename T>
void DropIfLarge(T& buffer, size_t most) {
  if (buffer.capacity() > most) T().swap(buffer);
}

}  // namespace

FanOut* FanOut::Make(KvShards& shards, const CommandSpec& spec, size_t parts,
                     size_t key_count, ReplyQueue& queue,
                     ReplyQueue::Slot* slot) {
  FanOut* fan_out = shards.Local().hop_pool.fan_outs.Take();
  if (fan_out == nullptr) fan_out = new FanOut();
  fan_out->shards_ = &shards;
  fan_out->spec_ = &spec;
  fan_out->parts_ = parts;
  fan_out->parts_left_ = parts;
  fan_out->key_count_ = key_count;
  fan_out->queue_ = &queue;
  fan_out->slot_ = slot;
  // Only grown, never shrunk: the parts' buffers keep their capacity.
  if (fan_out->key_positions_.size() < parts) {
    fan_out->key_positions_.resize(parts);
    fan_out->replies_.resize(parts);
  }
  for (size_t part = 0; part < parts; ++part) {
    fan_out->key_positions_[part].clear();
    fan_out->replies_[part].clear();
  }
  return fan_out;
}

void FanOut::Receive(size_t part, std::string& reply) {
  replies_[part].swap(reply);
  reply.clear();
  PartArrived();
}

void FanOut::Receive(size_t part, std::string_view reply) {
  replies_[part].assign(reply);
  PartArrived();
}

void FanOut::PartArrived() {
  if (--parts_left_ > 0) return;
  ReplyQueue& queue = *queue_;
  ReplyQueue::Slot* slot = slot_;
  HopPool& pool = shards_->Local().hop_pool;
  Merge(&slot->data);
  for (size_t p = 0; p < parts_; ++p) {
    DropIfLarge(replies_[p], kRetainedPartBytes);
    DropIfLarge(key_positions_[p], kRetainedPartEntries);
  }
  DropIfLarge(ordered_, kRetainedEntries);
  DropIfLarge(elements_, kRetainedEntries);
  // Back to the pool before the slot is filled: filling may resume the
  // connection, which may take a fan-out again; this one is not touched
  // after.
  pool.fan_outs.Give(this);
  queue.Fill(slot);
}

void FanOut::Merge(std::string* out) {
  // Every part ran the same command on a subset of the keys (or, for the
  // whole keyspace, on each shard); an error from any part is the reply.
  // replies_ may hold more buffers than this command has parts: only the
  // first parts_ are its.
  for (size_t part = 0; part < parts_; ++part) {
    const std::string& reply = replies_[part];
    if (!reply.empty() && reply[0] == '-') {
      out->append(reply);
      return;
    }
  }
  resp::ReplyWriter writer(out);
  switch (spec_->merge) {
    case Merge::kSumIntegers: {
      int64_t total = 0;
      for (size_t part = 0; part < parts_; ++part) {
        total += resp::IntegerValue(replies_[part]).value_or(0);
      }
      writer.Integer(total);
      return;
    }
    case Merge::kArrayByKey: {
      ordered_.assign(key_count_, std::string_view());
      for (size_t part = 0; part < parts_; ++part) {
        elements_.clear();
        resp::SplitArray(replies_[part], &elements_);
        const std::vector<size_t>& positions = key_positions_[part];
        for (size_t i = 0; i < positions.size() && i < elements_.size(); ++i) {
          ordered_[positions[i]] = elements_[i];
        }
      }
      writer.ArrayHeader(key_count_);
      for (std::string_view element : ordered_) out->append(element);
      return;
    }
    case Merge::kConcatArrays: {
      elements_.clear();
      for (size_t part = 0; part < parts_; ++part) {
        resp::SplitArray(replies_[part], &elements_);
      }
      writer.ArrayHeader(elements_.size());
      for (std::string_view element : elements_) out->append(element);
      return;
    }
    case Merge::kAnyNonNull: {
      size_t found = 0;
      for (size_t part = 0; part < parts_; ++part) {
        found += replies_[part] != "$-1\r\n";
      }
      if (found == 0) {
        writer.NullBulk();
        return;
      }
      // The pick-th non-null reply, uniformly.
      size_t pick =
          absl::Uniform<size_t>(shards_->Local().random, 0, found);
      for (size_t part = 0; part < parts_; ++part) {
        if (replies_[part] == "$-1\r\n") continue;
        if (pick-- == 0) {
          out->append(replies_[part]);
          return;
        }
      }
      return;
    }
    case Merge::kAllOk:
    case Merge::kSingle:
    case Merge::kCoordinated:  // never fanned out (see CommandRouter)
      writer.Ok();
      return;
  }
}


HopPool::HopPool() = default;
HopPool::~HopPool() = default;

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
  if (executed_ || spec_->keys != KeyLayout::kFirst || args_.size() < 2) {
    return;
  }
  const Store& store = shards_->Local().store;
  if (pass == 0) {
    store.PrefetchSlot(args_[1]);
  } else {
    store.PrefetchNode(args_[1]);
  }
}

void RemoteCommand::Run() {
  if (!executed_) {  // on the owner shard
    executed_ = true;
    if (resume_) stream_->stalled = false;
    if (stream_->stalled || stream_->produced >= granted_) {
      stream_->stalled = true;
      refused_ = true;
      ++shards_->Local().stats.hops_refused;
      Reactor::Current()->Send(origin_, this);
      return;
    }
    KvShard::HopClock& clock = shards_->Local().hop_clock;
    const uint64_t message = Reactor::Current()->messages_run();
    if (clock.message + 1 != message) clock.ended_ns = 0;  // read it afresh
    clock.message = message;
    ExecuteHere(*shards_, *spec_, args_, &reply_, &clock.ended_ns);
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
