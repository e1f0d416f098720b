// ServeRespConnection: the life of one client connection of the KV service,
// as one coroutine on the shard that adopted it. It reads, executes every
// complete request in what it read (pipelining), and sends the replies of the
// batch with one send, in request order.
//
//   acceptor handler: return ServeRespConnection(service, std::move(conn));
//
// Limits, with Redis's names: an argument over proto_max_bulk_len or a
// request over client_query_buffer_limit gets a protocol error, then the
// close; a client idle for `timeout` seconds is closed (not while blocked in
// BLPOP and the like, which do not read). A batch stops executing after
// 64 KiB of replies or 1024 unanswered remote commands and sends what it has
// first. Since nothing more is read until a batch is sent, a client that does
// not read its replies stops being read from (back-pressure) instead of
// making the server buffer more; past client_output_limit it is closed.
#ifndef SHARDD_SHARD_KV_RESP_SESSION_H_
#define SHARDD_SHARD_KV_RESP_SESSION_H_

#include "net/connection.h"
#include "shard/kv/kv_service.h"
#include "shard/task.h"

namespace shardd::kv {

Task<void> ServeRespConnection(KvService& service, net::Connection connection);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_RESP_SESSION_H_
