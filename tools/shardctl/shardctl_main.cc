// shardctl: look at a running shardd.
//   shardctl stats [--json]   per-shard statistics from the admin endpoint
//   shardctl top              live per-shard view (q or Ctrl-C to quit)
//   shardctl ping             PING over the Redis protocol
//   shardctl info [section]   INFO over the Redis protocol
// Failures print one line on stderr and exit with status 1.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gflags/gflags.h"
#include "tools/shardctl/http_get.h"
#include "tools/shardctl/json_value.h"
#include "tools/shardctl/resp_call.h"
#include "tools/shardctl/stats_table.h"
#include "tools/shardctl/top_view.h"

DEFINE_string(host, "127.0.0.1", "Host shardd runs on.");
DEFINE_int32(port, 6379, "shardd's Redis-protocol port (ping, info).");
DEFINE_int32(admin_port, 9100, "shardd's admin HTTP port (stats, top).");
DEFINE_bool(json, false, "stats: print the raw /stats JSON document.");
DEFINE_string(admin_token, "",
              "stats, top: the admin endpoint's bearer token (shardd's "
              "--admin_token).");
DEFINE_string(password, "",
              "ping, info: AUTH with this password first (shardd's "
              "--requirepass).");
DEFINE_int32(interval_ms, 1000, "top: refresh interval in milliseconds.");
DEFINE_int32(timeout_ms, 2000,
             "How long to wait for the server before giving up, in "
             "milliseconds.");

namespace shardd::shardctl {
namespace {

constexpr char kUsage[] =
    "look at a running shardd\n"
    "usage: shardctl [flags] stats [--json] | top | ping | info [section]";

absl::Duration Timeout() { return absl::Milliseconds(FLAGS_timeout_ms); }

// Adds what the user most likely got wrong to a connection failure.
absl::Status Explain(const absl::Status& status, std::string_view what) {
  if (status.code() != absl::StatusCode::kUnavailable &&
      status.code() != absl::StatusCode::kDeadlineExceeded) {
    return status;
  }
  return absl::Status(status.code(),
                      std::string(status.message()) + " (is shardd running, " +
                          "and is that its " + std::string(what) + "?)");
}

absl::Status Stats() {
  absl::StatusOr<HttpReply> reply = HttpGet(
      FLAGS_host, FLAGS_admin_port, "/stats", Timeout(), FLAGS_admin_token);
  if (!reply.ok()) return Explain(reply.status(), "--admin_port");
  if (reply->status == 401) {
    return absl::UnauthenticatedError(
        "/stats answered HTTP 401: give shardd's --admin_token as "
        "--admin_token");
  }
  if (reply->status != 200) {
    return absl::UnavailableError("/stats answered HTTP " +
                                  std::to_string(reply->status));
  }
  if (FLAGS_json) {
    std::fwrite(reply->body.data(), 1, reply->body.size(), stdout);
    return absl::OkStatus();
  }
  absl::StatusOr<JsonValue> doc = ParseJson(reply->body);
  if (!doc.ok()) return doc.status();
  std::fputs(RenderStatsTable(*doc).c_str(), stdout);
  return absl::OkStatus();
}

absl::Status Resp(const std::vector<std::string>& args) {
  absl::StatusOr<std::string> text =
      RespCall(FLAGS_host, FLAGS_port, args, Timeout(), FLAGS_password);
  if (!text.ok()) return Explain(text.status(), "--port");
  std::printf("%s\n", text->c_str());
  return absl::OkStatus();
}

absl::Status Run(const std::vector<std::string>& args) {
  const std::string& command = args[0];
  if (command == "stats" && args.size() == 1) return Stats();
  if (command == "top" && args.size() == 1) {
    absl::Status s = RunTop({.host = FLAGS_host,
                             .admin_port = FLAGS_admin_port,
                             .interval = absl::Milliseconds(FLAGS_interval_ms),
                             .timeout = Timeout(),
                             .admin_token = FLAGS_admin_token});
    return s.ok() ? s : Explain(s, "--admin_port");
  }
  if (command == "ping" && args.size() == 1) return Resp({"PING"});
  if (command == "info" && args.size() <= 2) {
    std::vector<std::string> info = {"INFO"};
    if (args.size() == 2) info.push_back(args[1]);
    return Resp(info);
  }
  return absl::InvalidArgumentError("unknown command or wrong arguments: '" +
                                    command + "'; see shardctl --help");
}

}  // namespace
}  // namespace shardd::shardctl

int main(int argc, char** argv) {
  gflags::SetUsageMessage(shardd::shardctl::kUsage);
  gflags::ParseCommandLineFlags(&argc, &argv, true);
  if (argc < 2) {
    std::fprintf(stderr, "shardctl: no command; usage: shardctl [flags] "
                         "stats [--json] | top | ping | info [section]\n");
    return 2;
  }
  const absl::Status status =
      shardd::shardctl::Run(std::vector<std::string>(argv + 1, argv + argc));
  if (!status.ok()) {
    std::fprintf(stderr, "shardctl: %s\n", std::string(status.message()).c_str());
    return status.code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
  }
  return 0;
}
