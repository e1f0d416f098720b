// Replay writes replies kept ready-made in RESP3 (COMMAND DOCS' table)
// through a ReplyWriter, so that a RESP2 connection gets them in RESP2's
// types: a map as a flat array, a set as an array, a null as $-1.
//
//   resp::Replay("%1\r\n$1\r\na\r\n:1\r\n", writer);  // RESP2: *2 $1 a :1
#ifndef SHARDD_NET_RESP_REPLY_REPLAY_H_
#define SHARDD_NET_RESP_REPLY_REPLAY_H_

#include <string_view>

#include "net/resp/reply_writer.h"

namespace shardd::resp {

// Writes each reply of `encoded`, a sequence of whole RESP3 replies of the
// types + : $ * ~ % , and _. Returns false at the first thing that is not
// one, having written what came before it, or if an aggregate is short of
// elements at the end.
bool Replay(std::string_view encoded, ReplyWriter& writer);

}  // namespace shardd::resp

#endif  // SHARDD_NET_RESP_REPLY_REPLAY_H_
