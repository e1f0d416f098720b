// ServeRespConnection: the life of one client connection of the KV service,
// as one coroutine on the shard that adopted it. It reads, executes every
// complete request in what it read (pipelining), and sends the replies of the
// batch with one send, in request order.
//
//   reactor.Spawn(ServeRespConnection(service, accepted_fd));
//
// Limits: a request larger than the service's max_request_bytes closes the
// connection; a batch stops executing after 64 KiB of replies or 1024
// unanswered remote commands and sends what it has first. Since nothing more
// is read until a batch is sent, a client that does not read its replies stops
// being read from (back-pressure) instead of making the server buffer more.
#ifndef SHARDD_SHARD_KV_RESP_SESSION_H_
#define SHARDD_SHARD_KV_RESP_SESSION_H_

#include "shard/kv/kv_service.h"
#include "shard/task.h"

namespace shardd::kv {

Task<void> ServeRespConnection(KvService& service, int fd);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_RESP_SESSION_H_
