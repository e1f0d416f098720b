// Sending a file's bytes to a client, and reading a small one whole.
//
// A large body goes one of two ways (FileOptions::splice):
//   splice (default): file -> pipe -> socket, both moves done by io_uring
//     (IORING_OP_SPLICE runs on its worker threads, whose CPU counts as
//     shardd's). The bytes never enter user space; a 1 MiB GET costs about
//     a quarter of the CPU of copying (docs/performance.md, "Files").
//   copy: read into a buffer through the ring, then send it; used with
//     --http_splice=false, and when no pipe can be had or the file system
//     cannot splice.
// Either way a response holds at most a pipe's pages or one buffer of a
// file, whatever the file's size.
//
//   if (!co_await SendFileBody(x, fd, range.first, range.length())) ...close
#ifndef SHARDD_SHARD_FILES_FILE_BODY_H_
#define SHARDD_SHARD_FILES_FILE_BODY_H_

#include <cstddef>
#include <cstdint>

#include "shard/files/exchange.h"
#include "shard/task.h"

namespace shardd::files {

// Reads `length` bytes of `fd` at `offset` into `out`; false if the file
// ended early (truncated meanwhile) or could not be read.
Task<bool> ReadFully(Exchange& x, int fd, char* out, size_t length,
                     uint64_t offset);

// Sends `length` bytes of `fd` from `first`, after the headers went out;
// false if the client is gone, took nothing for the idle timeout, or the
// file cannot be read to its end (the response is then cut short, and the
// caller closes the connection: its framing promised more).
Task<bool> SendFileBody(Exchange& x, int fd, uint64_t first, uint64_t length);

}  // namespace shardd::files

#endif  // SHARDD_SHARD_FILES_FILE_BODY_H_
