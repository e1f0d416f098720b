#include "shard/kv/exec/remote_command.h"

#include <utility>

#include "absl/random/distributions.h"
#include "net/resp/reply_reader.h"
#include "net/resp/reply_writer.h"
#include "shard/kv/exec/execute_here.h"

namespace shardd::kv {

FanOut::FanOut(const CommandSpec& spec, size_t parts, size_t key_count,
               std::vector<std::vector<size_t>> key_positions,
               ReplyQueue& queue, ReplyQueue::Slot* slot,
               absl::BitGen& random)
    : spec_(spec),
      parts_left_(parts),
      key_count_(key_count),
      key_positions_(std::move(key_positions)),
      replies_(parts),
      queue_(queue),
      slot_(slot),
      random_(random) {}

void FanOut::Receive(size_t part, std::string reply) {
  replies_[part] = std::move(reply);
  if (--parts_left_ > 0) return;
  Merge(&slot_->data);
  queue_.Fill(slot_);
  delete this;
}

void FanOut::Merge(std::string* out) const {
  // Every part ran the same command on a subset of the keys (or, for the
  // whole keyspace, on each shard); an error from any part is the reply.
  for (const std::string& reply : replies_) {
    if (!reply.empty() && reply[0] == '-') {
      out->append(reply);
      return;
    }
  }
  resp::ReplyWriter writer(out);
  switch (spec_.merge) {
    case Merge::kSumIntegers: {
      int64_t total = 0;
      for (const std::string& reply : replies_) {
        total += resp::IntegerValue(reply).value_or(0);
      }
      writer.Integer(total);
      return;
    }
    case Merge::kArrayByKey: {
      std::vector<std::string_view> ordered(key_count_);
      std::vector<std::string_view> elements;
      for (size_t part = 0; part < replies_.size(); ++part) {
        elements.clear();
        resp::SplitArray(replies_[part], &elements);
        const std::vector<size_t>& positions = key_positions_[part];
        for (size_t i = 0; i < positions.size() && i < elements.size(); ++i) {
          ordered[positions[i]] = elements[i];
        }
      }
      writer.ArrayHeader(key_count_);
      for (std::string_view element : ordered) out->append(element);
      return;
    }
    case Merge::kConcatArrays: {
      std::vector<std::string_view> all;
      for (const std::string& reply : replies_) resp::SplitArray(reply, &all);
      writer.ArrayHeader(all.size());
      for (std::string_view element : all) out->append(element);
      return;
    }
    case Merge::kAnyNonNull: {
      std::vector<const std::string*> found;
      for (const std::string& reply : replies_) {
        if (reply != "$-1\r\n") found.push_back(&reply);
      }
      if (found.empty()) {
        writer.NullBulk();
      } else {
        out->append(*found[absl::Uniform<size_t>(random_, 0, found.size())]);
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

namespace {

// A pooled command keeps buffers up to this size for reuse, not what one
// large argument or reply needed.
constexpr size_t kRetainedBufferBytes = 4096;

}  // namespace

RemoteCommandPool::~RemoteCommandPool() {
  for (RemoteCommand* command : spare_) delete command;
}

RemoteCommand* RemoteCommandPool::Take() {
  if (spare_.empty()) return nullptr;
  RemoteCommand* command = spare_.back();
  spare_.pop_back();
  return command;
}

void RemoteCommandPool::Give(RemoteCommand* command) {
  if (spare_.size() < kMaxSpare) {
    spare_.push_back(command);
  } else {
    delete command;
  }
}

RemoteCommand* RemoteCommand::Make(KvShards& shards, const CommandSpec& spec,
                                   CommandArgs args, ReplyTarget target) {
  RemoteCommand* command = shards.Local().command_pool.Take();
  if (command == nullptr) command = new RemoteCommand();
  command->shards_ = &shards;
  command->spec_ = &spec;
  command->target_ = target;
  command->stream_ =
      target.credit != nullptr ? target.credit->stream.get() : nullptr;
  command->granted_ = target.credit != nullptr ? target.credit->granted : 0;
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
  if (reply_.capacity() > kRetainedBufferBytes) std::string().swap(reply_);
  if (arg_bytes_.capacity() > kRetainedBufferBytes) {
    std::string().swap(arg_bytes_);
  }
  reply_.clear();
  shards_->Local().command_pool.Give(this);
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
    if (stream_ != nullptr) {
      if (resume_) stream_->stalled = false;
      if (stream_->stalled || stream_->produced >= granted_) {
        stream_->stalled = true;
        refused_ = true;
        ++shards_->Local().stats.hops_refused;
        Reactor::Current()->Send(origin_, this);
        return;
      }
    }
    KvShard::HopClock& clock = shards_->Local().hop_clock;
    const uint64_t message = Reactor::Current()->messages_run();
    if (clock.message + 1 != message) clock.ended_ns = 0;  // read it afresh
    clock.message = message;
    ExecuteHere(*shards_, *spec_, args_, &reply_, &clock.ended_ns);
    if (stream_ != nullptr) stream_->produced += reply_.size();
    Reactor::Current()->Send(origin_, this);
    return;
  }
  // Back on the connection's shard.
  if (target_.credit != nullptr) --target_.credit->in_flight;
  if (refused_) {
    target_.slot->refused = this;
    target_.queue->Fill(target_.slot);
    return;
  }
  if (target_.credit != nullptr) target_.credit->granted += reply_.size();
  // Small replies are copied so that reply_ keeps its buffer for the next
  // command; a large one changes hands instead of being copied.
  if (target_.fan_out != nullptr) {
    target_.fan_out->Receive(target_.part, reply_);
  } else {
    if (reply_.size() > kRetainedBufferBytes) {
      target_.slot->data.swap(reply_);
    } else {
      target_.slot->data.assign(reply_);
    }
    target_.queue->Fill(target_.slot);
  }
  Recycle();
}

}  // namespace shardd::kv
