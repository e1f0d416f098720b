// RunTop: `shardctl top`, a live per-shard view that redraws every interval
// until the user presses q (or Ctrl-C). The terminal is put in raw mode to
// read single keys and is always restored before returning.
//
//   int exit_code = RunTop({.host = "127.0.0.1", .admin_port = 9100});
#ifndef SHARDD_TOOLS_SHARDCTL_TOP_VIEW_H_
#define SHARDD_TOOLS_SHARDCTL_TOP_VIEW_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace shardd::shardctl {

struct TopOptions {
  std::string host = "127.0.0.1";
  int admin_port = 9100;
  absl::Duration interval = absl::Seconds(1);
  absl::Duration timeout = absl::Seconds(2);
  std::string admin_token;  // --admin_token, if shardd has one
};

// Returns once the user quits (OK) or the server cannot be read (an error).
absl::Status RunTop(const TopOptions& options);

}  // namespace shardd::shardctl

#endif  // SHARDD_TOOLS_SHARDCTL_TOP_VIEW_H_
