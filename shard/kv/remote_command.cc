#include "shard/kv/remote_command.h"

#include <utility>

#include "absl/time/clock.h"
#include "net/resp/reply_reader.h"
#include "net/resp/reply_writer.h"

namespace shardd::kv {

void ExecuteHere(KvService& service, const CommandSpec& spec, CommandArgs args,
                 std::string* out) {
  KvShard& shard = service.Local();
  ++shard.commands_processed;
  resp::ReplyWriter writer(out);
  CommandContext ctx{shard.store, writer, args,
                     absl::ToUnixMillis(absl::Now())};
  spec.handler(ctx);
}

FanOut::FanOut(const CommandSpec& spec, size_t parts, size_t key_count,
               std::vector<std::vector<size_t>> key_positions,
               ReplyQueue& queue, ReplyQueue::Slot* slot)
    : spec_(spec),
      parts_left_(parts),
      key_count_(key_count),
      key_positions_(std::move(key_positions)),
      replies_(parts),
      queue_(queue),
      slot_(slot) {}

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
    case Merge::kAllOk:
    case Merge::kSingle:
      writer.Ok();
      return;
  }
}

RemoteCommand::RemoteCommand(KvService& service, const CommandSpec& spec,
                             CommandArgs args, ReplyTarget target)
    : service_(service),
      spec_(spec),
      target_(target),
      origin_(Reactor::Current()->shard_id()) {
  size_t total = 0;
  for (std::string_view a : args) total += a.size();
  arg_bytes_.reserve(total);
  for (std::string_view a : args) arg_bytes_.append(a);
  args_.reserve(args.size());
  size_t offset = 0;
  for (std::string_view a : args) {
    args_.emplace_back(arg_bytes_.data() + offset, a.size());
    offset += a.size();
  }
}

void RemoteCommand::Run() {
  if (!executed_) {  // on the owner shard
    executed_ = true;
    ExecuteHere(service_, spec_, args_, &reply_);
    Reactor::Current()->Send(origin_, this);
    return;
  }
  // Back on the connection's shard.
  if (target_.fan_out != nullptr) {
    target_.fan_out->Receive(target_.part, std::move(reply_));
  } else {
    target_.slot->data = std::move(reply_);
    target_.queue->Fill(target_.slot);
  }
  delete this;
}

}  // namespace shardd::kv
