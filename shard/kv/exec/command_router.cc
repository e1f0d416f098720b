#include "shard/kv/exec/command_router.h"

#include <algorithm>
#include <utility>

#include "net/resp/reply_writer.h"
#include "shard/kv/commands/command_table.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/scan_arguments.h"
#include "shard/kv/commands/session_context.h"
#include "shard/kv/exec/blocking.h"
#include "shard/kv/exec/coordinated_command.h"
#include "shard/kv/exec/execute_here.h"
#include "shard/kv/exec/remote_command.h"
#include "shard/shard_set.h"

namespace shardd::kv {
namespace {

bool IsBlocking(const CommandSpec& spec) {
  return (spec.flags & kBlocking) != 0;
}

}  // namespace

CommandRouter::CommandRouter(KvShards& shards, ServerView& server,
                             ReplyQueue& queue, uint64_t client_id)
    : shards_(shards),
      server_(server),
      queue_(queue),
      client_id_(client_id),
      here_(Reactor::Current()->shard_id()) {}

struct CommandRouter::ShardTables {
  explicit ShardTables(uint32_t shard_count)
      : positions_by_shard(shard_count),
        credits(shard_count),
        filling(shard_count),
        resumed(shard_count) {
    for (uint32_t s = 0; s < shard_count; ++s) credits[s].owner = s;
  }
  // Scratch for splitting keys by owner, reused across commands.
  std::vector<std::vector<size_t>> positions_by_shard;
  // Per owner shard: the credit of this connection's hops there (never
  // resized: hops hold pointers to their credit).
  std::vector<HopCredit> credits;
  // Per shard: the batch being filled, and the shards that have one.
  std::vector<HopBatch*> filling;
  std::vector<uint32_t> filling_shards;
  std::vector<bool> resumed;  // scratch for ResendRefused
};

CommandRouter::~CommandRouter() = default;

CommandRouter::ShardTables& CommandRouter::Tables() {
  if (tables_ == nullptr) {
    tables_ = std::make_unique<ShardTables>(shards_.shard_count());
  }
  return *tables_;
}

void CommandRouter::Enqueue(uint32_t shard, const CommandSpec& spec,
                            CommandArgs args, ReplyTarget target) {
  ShardTables& tables = Tables();
  HopBatch*& batch = tables.filling[shard];
  if (batch == nullptr) {
    batch = HopBatch::Make(shards_);
    tables.filling_shards.push_back(shard);
  }
  batch->Add(spec, args, target);
  if (batch->size() < kMaxBatched) return;
  Reactor::Current()->Send(shard, std::exchange(batch, nullptr),
                           /*publish_now=*/true);
  tables.filling_shards.erase(std::find(tables.filling_shards.begin(),
                                        tables.filling_shards.end(), shard));
}

void CommandRouter::Flush() {
  if (tables_ == nullptr) return;
  for (uint32_t shard : tables_->filling_shards) {
    HopBatch* batch = std::exchange(tables_->filling[shard], nullptr);
    Reactor::Current()->Send(shard, batch,
                             /*publish_now=*/batch->size() > 1);
  }
  tables_->filling_shards.clear();
}

CommandRouter::Next CommandRouter::Route(CommandArgs args) {
  const CommandSpec* spec = finder_.Find(args[0]);
  if (spec == nullptr) {
    resp::ReplyWriter writer(queue_.LocalSink());
    ReplyUnknownCommand(writer, args);
    ++shards_.Local().stats.errors;
    return Next::kContinue;
  }
  if (!ArityMatches(*spec, args.size())) {
    resp::ReplyWriter writer(queue_.LocalSink());
    ReplyWrongArity(writer, spec->name);
    ++shards_.Local().stats.errors;
    return Next::kContinue;
  }
  if (spec->handler == nullptr) return RunSessionCommand(*spec, args);
  if (IsBlocking(*spec)) {
    FindKeyPositions(*spec, args);
    if (!key_positions_.empty()) return Next::kDeferred;
  }
  switch (spec->keys) {
    case KeyLayout::kNone:
      ExecuteHere(shards_, *spec, args, queue_.LocalSink(), &clock_ns_);
      break;
    case KeyLayout::kFirst:
      RunOn(ShardSet::OwnerOf(args[1], shards_.shard_count()), *spec, args);
      break;
    case KeyLayout::kAll:
    case KeyLayout::kPairs:
    case KeyLayout::kCustom:
      return RunKeyed(*spec, args);
    case KeyLayout::kEveryShard:
      if (shards_.shard_count() > 1 && CreditedHopsOut()) {
        return Next::kSettleFirst;
      }
      RunOnEveryShard(*spec, args);
      break;
    case KeyLayout::kScanCursor: {
      uint64_t cursor = 0;
      // An unreadable cursor is the handler's to reject, here; one past the
      // last shard is a finished scan, which this shard answers as such.
      const uint32_t shard = ParseScanCursor(args[1], &cursor)
                                 ? ScanCursorShard(cursor)
                                 : here_;
      RunOn(shard < shards_.shard_count() ? shard : here_, *spec, args);
      break;
    }
  }
  return Next::kContinue;
}

void CommandRouter::RunOn(uint32_t shard, const CommandSpec& spec,
                          CommandArgs args) {
  if (shard == here_) {
    ExecuteHere(shards_, spec, args, queue_.LocalSink(), &clock_ns_);
    return;
  }
  HopCredit& credit = Tables().credits[shard];
  if (credit.stream == nullptr) credit.stream = std::make_unique<HopStream>();
  ++credit.in_flight;
  ReplyQueue::Slot* slot = queue_.Reserve();
  Enqueue(shard, spec, args,
          {.queue = &queue_, .slot = slot, .credit = &credit});
}

void CommandRouter::ResendRefused() {
  std::vector<bool>& resumed = Tables().resumed;
  resumed.assign(resumed.size(), false);
  queue_.Resend([&resumed](RemoteCommand* command) {
    const uint32_t owner = command->credit()->owner;
    ++command->credit()->in_flight;
    command->PrepareRetry(!resumed[owner]);
    resumed[owner] = true;
    Reactor::Current()->Send(owner, command);
  });
}

bool CommandRouter::CreditedHopsOut() const {
  if (tables_ == nullptr) return false;
  for (const HopCredit& credit : tables_->credits) {
    if (credit.in_flight > 0) return true;
  }
  return false;
}

void CommandRouter::DropRefused() {
  queue_.DropRefused([](RemoteCommand* command) { command->Discard(); });
}

void CommandRouter::FindKeyPositions(const CommandSpec& spec,
                                     CommandArgs args) {
  key_positions_.clear();
  switch (spec.keys) {
    case KeyLayout::kCustom:
      spec.key_finder(args, &key_positions_);
      break;
    case KeyLayout::kFirst:
      key_positions_.push_back(1);
      break;
    case KeyLayout::kAll:
      for (size_t i = 1; i < args.size(); ++i) key_positions_.push_back(i);
      break;
    case KeyLayout::kPairs:
      if (args.size() % 2 == 1) {
        for (size_t i = 1; i < args.size(); i += 2) key_positions_.push_back(i);
      }
      break;
    case KeyLayout::kNone:
    case KeyLayout::kEveryShard:
    case KeyLayout::kScanCursor:
      break;
  }
}

CommandRouter::Next CommandRouter::RunKeyed(const CommandSpec& spec,
                                            CommandArgs args) {
  // A value follows each key of an MSET-like command and travels with it.
  const size_t stride = spec.keys == KeyLayout::kPairs ? 2 : 1;
  FindKeyPositions(spec, args);
  // Malformed arguments: the handler rejects them, with Redis's error.
  if (key_positions_.empty()) {
    ExecuteHere(shards_, spec, args, queue_.LocalSink(), &clock_ns_);
    return Next::kContinue;
  }
  const uint32_t shard_count = shards_.shard_count();
  std::vector<std::vector<size_t>>& positions_by_shard =
      Tables().positions_by_shard;
  for (auto& positions : positions_by_shard) positions.clear();
  uint32_t owners = 0;
  uint32_t last_owner = 0;
  for (size_t i : key_positions_) {
    const uint32_t owner = ShardSet::OwnerOf(args[i], shard_count);
    if (positions_by_shard[owner].empty()) ++owners;
    positions_by_shard[owner].push_back(i);
    last_owner = owner;
  }
  if (owners == 1) {
    RunOn(last_owner, spec, args);
    return Next::kContinue;
  }
  if (spec.merge == Merge::kCoordinated) return Next::kDeferred;
  if (CreditedHopsOut()) return Next::kSettleFirst;

  ReplyQueue::Slot* slot = queue_.Reserve();
  FanOut* fan_out = FanOut::Make(shards_, spec, owners,
                                 (args.size() - 1) / stride, queue_, slot);
  size_t part = 0;
  for (uint32_t s = 0; s < shard_count; ++s) {
    if (positions_by_shard[s].empty()) continue;
    std::vector<size_t>& keys = fan_out->key_positions(part++);
    for (size_t arg_index : positions_by_shard[s]) {
      keys.push_back((arg_index - 1) / stride);
    }
  }
  part = 0;
  local_reply_.clear();
  bool has_local = false;
  size_t local_part = 0;
  for (uint32_t s = 0; s < shard_count; ++s) {
    if (positions_by_shard[s].empty()) continue;
    part_args_.assign(1, args[0]);
    for (size_t arg_index : positions_by_shard[s]) {
      for (size_t j = 0; j < stride; ++j) part_args_.push_back(args[arg_index + j]);
    }
    if (s == here_) {
      // Run after the remote parts are sent: the FanOut may complete (and
      // go back to the pool) only when the last part arrives.
      ExecuteHere(shards_, spec, part_args_, &local_reply_);
      has_local = true;
      local_part = part;
    } else {
      Enqueue(s, spec, part_args_, {.fan_out = fan_out, .part = part});
    }
    ++part;
  }
  if (has_local) fan_out->Receive(local_part, local_reply_);
  return Next::kContinue;
}

void CommandRouter::RunOnEveryShard(const CommandSpec& spec, CommandArgs args) {
  const uint32_t shard_count = shards_.shard_count();
  if (shard_count == 1) {
    ExecuteHere(shards_, spec, args, queue_.LocalSink(), &clock_ns_);
    return;
  }
  ReplyQueue::Slot* slot = queue_.Reserve();
  FanOut* fan_out = FanOut::Make(shards_, spec, shard_count, 0, queue_, slot);
  for (uint32_t s = 0; s < shard_count; ++s) {
    if (s == here_) continue;
    Enqueue(s, spec, args, {.fan_out = fan_out, .part = s});
  }
  local_reply_.clear();
  ExecuteHere(shards_, spec, args, &local_reply_);
  fan_out->Receive(here_, local_reply_);
}

CommandRouter::Next CommandRouter::RunSessionCommand(const CommandSpec& spec,
                                                     CommandArgs args) {
  shards_.Local().stats.CountCommand(spec.name, 0, /*failed=*/false);
  if (spec.waiting_session != nullptr) return Next::kDeferred;
  resp::ReplyWriter writer(queue_.LocalSink());
  SessionContext ctx{.reply = writer,
                     .args = args,
                     .client_id = client_id_,
                     .server = server_};
  spec.session(ctx);
  return ctx.close ? Next::kClose : Next::kContinue;
}

Task<std::string> CommandRouter::RunDeferred(CommandArgs args, int client_fd) {
  const CommandSpec& spec = *FindCommand(args[0]);
  if (spec.waiting_session != nullptr) {
    co_return co_await spec.waiting_session(server_, args);
  }
  if (IsBlocking(spec)) {
    co_return co_await RunBlocking(shards_, spec, args, key_positions_,
                                   client_fd);
  }
  // Route() left the key positions of this command in key_positions_.
  co_return co_await RunCoordinated(shards_, spec, args, key_positions_);
}

}  // namespace shardd::kv
