// MonitorLine: how MONITOR shows a command, as Redis writes it: the time
// with microseconds, the database and the client's address, then every
// argument quoted, with bytes that are not printable escaped.
//
//   +1795955633.734278 [0 127.0.0.1:52716] "SET" "k\x01\"y" "a b"
//
// The arguments of AUTH, and those after HELLO's AUTH, show as
// "(redacted)".
#ifndef SHARDD_SHARD_KV_EXEC_MONITOR_LINE_H_
#define SHARDD_SHARD_KV_EXEC_MONITOR_LINE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "shard/kv/commands/command.h"

namespace shardd::kv {

// The line (a simple string reply, with its "\r\n"), for a client in
// database `db`.
std::string MonitorLine(int64_t unix_micros, uint32_t db,
                        std::string_view address, CommandArgs args);

// Whether Redis shows this command to monitors at all: not admin commands
// (CONFIG, DEBUG, SLOWLOG, SHUTDOWN, MONITOR, CLIENT KILL, ...).
bool ShownToMonitors(const CommandSpec& spec, CommandArgs args);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_MONITOR_LINE_H_
