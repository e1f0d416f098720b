// The router's other-shards half: a command whose keys another shard owns
// runs at once where that shard shares this thread (a thread mate), else
// travels there in a HopBatch with the connection's other commands for it;
// commands an owner refused go again (hop_credit.h).
#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "shard/kv/exec/atomic_command.h"
#include "shard/kv/exec/command_router.h"
#include "shard/kv/exec/execute_here.h"
#include "shard/kv/exec/remote_command.h"
#include "shard/kv/exec/router_shard_tables.h"
#include "shard/reactor.h"

namespace shardd::kv {

CommandRouter::ShardTables& CommandRouter::Tables() {
  if (tables_ == nullptr) {
    tables_ = std::make_unique<ShardTables>(shards_.shard_count());
  }
  return *tables_;
}

CommandRouter::Next CommandRouter::RunOnOtherShard(uint32_t shard,
                                                   const CommandSpec& spec,
                                                   CommandArgs args) {
  Reactor* mate = Reactor::Current()->ThreadMate(shard);
  if (mate != nullptr && !HopsOutTo(shard) &&
      !MustWaitForLocks(shards_.On(shard), spec, args)) {
    Reactor::Visit visit(*mate);
    KvShard& owner = shards_.Local();
    ++owner.stats.hops_in_thread;
    owner.running_client_id = client_id_;
    ExecuteHere(shards_, spec, args, db_, queue_.LocalSink(), protocol_,
                &clock_ns_);
    return Next::kContinue;
  }
  HopCredit& credit = Tables().credits[shard];
  if (credit.stream == nullptr) credit.stream = std::make_unique<HopStream>();
  ++credit.in_flight;
  ReplyQueue::Slot* slot = queue_.Reserve();
  Enqueue(shard, spec, args,
          {.queue = &queue_,
           .slot = slot,
           .credit = &credit,
           .protocol = protocol_,
           .db = db_,
           .client_id = client_id_});
  return Next::kContinue;
}

bool CommandRouter::HopsOutTo(uint32_t shard) const {
  if (tables_ == nullptr) return false;
  const HopCredit& credit = tables_->credits[shard];
  // (A stream is the owner's; a thread mate's may be read here.)
  return credit.in_flight != 0 ||
         (credit.stream != nullptr && credit.stream->stalled);
}

bool CommandRouter::RunSplitOnMates(const CommandSpec& spec, CommandArgs args) {
  if (!IsSplit(spec)) return false;
  const Reactor& here = *Reactor::Current();
  for (uint32_t owner : key_owners_) {
    if (here.ThreadMate(owner) == nullptr || HopsOutTo(owner) ||
        MustWaitForLocks(shards_.On(owner), spec, args)) {
      return false;
    }
  }
  RunSplitInThread(shards_, spec, args, db_, key_positions_, key_owners_,
                   protocol_, &clock_ns_, queue_.LocalSink());
  return true;
}

void CommandRouter::Enqueue(uint32_t shard, const CommandSpec& spec,
                            CommandArgs args, const ReplyTarget& target) {
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

void CommandRouter::DropRefused() {
  queue_.DropRefused([](RemoteCommand* command) { command->Discard(); });
}

}  // namespace shardd::kv
