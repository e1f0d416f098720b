// Exchange: one HTTP request to the file service and what its handler needs
// to answer it: the decoded path, the connection and its unread input (a
// PUT's body starts there), the options and the root directory. Each
// handler sends its whole response and says whether the connection can
// carry another request.
//
//   bool again = co_await ServeRead(exchange);   // GET, HEAD
#ifndef SHARDD_SHARD_FILES_EXCHANGE_H_
#define SHARDD_SHARD_FILES_EXCHANGE_H_

#include <linux/openat2.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "net/connection.h"
#include "net/http/request_parser.h"
#include "net/http/response_writer.h"
#include "aio/blocking_pool.h"
#include "net/input_buffer.h"
#include "shard/files/file_service.h"
#include "shard/files/open_file_cache.h"
#include "shard/files/path_locks.h"
#include "shard/files/request_path.h"
#include "shard/per_shard.h"
#include "shard/stats/shard_stats.h"
#include "shard/task.h"

namespace shardd::files {

struct Exchange {
  const http::Request& request;
  const RequestPath& path;
  net::Connection& connection;
  net::InputBuffer& input;  // the header bytes already consumed
  const FileOptions& options;
  int root_fd;
  aio::BlockingPool& pool;  // for directory listings
  stats::FileStats& stats;  // the shard's; handlers add their disk work
  // Every shard's open-file cache: a GET uses its own shard's, a PUT or
  // DELETE invalidates the path in all of them before replying.
  PerShard<OpenFileCache>& caches;
  PerShard<PathLocks>& locks;  // writes to a path, ordered on its owner
  // Whether the connection may carry another request after this one: the
  // client's wish, and no unread body left behind (a PUT reads its own).
  bool keep_alive = true;
  int status = 0;           // the final status sent, for the counters
};

// How every client path is resolved: beneath the root, and never through
// /proc's magic links.
inline constexpr uint64_t kResolveBeneath =
    RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;

// Sends `response` (with a text body: `body`), keep-alive as given; false if
// the client is gone.
Task<bool> SendResponse(Exchange& x, int status, std::string_view body,
                        bool keep_alive);
// The bytes SendResponse sends (and x.status set to `status`).
std::string ResponseBytes(Exchange& x, int status, std::string_view body,
                          bool keep_alive);

// Whether the request carries the bearer token the options ask for (any
// request does when there is none).
bool Authorized(const http::Request& request, const FileOptions& options);

// The status for an open/stat error of a client's path (-errno).
int StatusForPathError(int error);

// Forgets `relative` in every shard's open-file cache (put_handler.cc).
Task<void> InvalidateEverywhere(Exchange& x, const std::string& relative);

Task<bool> ServeRead(Exchange& x);    // read_handler.cc
Task<bool> ServePut(Exchange& x);     // put_handler.cc
Task<bool> ServeDelete(Exchange& x);  // put_handler.cc

}  // namespace shardd::files

#endif  // SHARDD_SHARD_FILES_EXCHANGE_H_
