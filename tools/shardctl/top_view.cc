#include "tools/shardctl/top_view.h"

#include <poll.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tools/shardctl/http_get.h"
#include "tools/shardctl/json_value.h"
#include "tools/shardctl/stats_table.h"

namespace shardd::shardctl {
namespace {

constexpr char kCtrlC = 0x03;
// Home the cursor and clear the screen.
constexpr const char* kClearScreen = "\x1b[H\x1b[2J";

volatile std::sig_atomic_t stop_signal = 0;
void OnStopSignal(int) { stop_signal = 1; }

// Raw keyboard input for the life of the object: no line buffering, no echo,
// and Ctrl-C arrives as a key instead of a signal, so quitting always passes
// through the code that restores the terminal.
class RawTerminal {
 public:
  RawTerminal() {
    if (tcgetattr(STDIN_FILENO, &saved_) != 0) return;  // not a terminal
    termios raw = saved_;
    raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    active_ = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
  }
  ~RawTerminal() {
    if (active_) tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

// Waits up to `timeout` for a key; true if it asks to quit.
bool WaitForQuitKey(absl::Duration timeout, bool* stdin_open) {
  const absl::Time deadline = absl::Now() + timeout;
  for (absl::Duration left = timeout; left > absl::ZeroDuration();
       left = deadline - absl::Now()) {
    if (stop_signal) return true;
    if (!*stdin_open) {
      absl::SleepFor(std::min(left, absl::Milliseconds(50)));
      continue;
    }
    pollfd pfd{.fd = STDIN_FILENO, .events = POLLIN, .revents = 0};
    const int ms = static_cast<int>(
        std::min<int64_t>(absl::ToInt64Milliseconds(left) + 1, 50));
    if (poll(&pfd, 1, ms) <= 0) continue;
    char key = 0;
    const ssize_t n = read(STDIN_FILENO, &key, 1);
    if (n == 0) *stdin_open = false;
    if (n == 1 && (key == 'q' || key == 'Q' || key == kCtrlC)) return true;
  }
  return stop_signal != 0;
}

absl::StatusOr<JsonValue> FetchStats(const TopOptions& options) {
  absl::StatusOr<HttpReply> reply =
      HttpGet(options.host, options.admin_port, "/stats", options.timeout,
              options.admin_token);
  if (!reply.ok()) return reply.status();
  if (reply->status != 200) {
    return absl::UnavailableError(
        absl::StrCat("/stats answered HTTP ", reply->status));
  }
  return ParseJson(reply->body);
}

}  // namespace

absl::Status RunTop(const TopOptions& options) {
  // SIGTERM and SIGHUP end the view like q does (SIGINT arrives as a key).
  struct sigaction action {};
  action.sa_handler = OnStopSignal;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGHUP, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);

  absl::StatusOr<JsonValue> previous = FetchStats(options);
  if (!previous.ok()) return previous.status();
  absl::Time previous_time = absl::Now();
  RawTerminal terminal;
  bool stdin_open = true;
  std::optional<JsonValue> shown_before;
  for (;;) {
    const absl::Time now = absl::Now();
    absl::StatusOr<JsonValue> current = FetchStats(options);
    if (!current.ok()) {
      std::printf("\n");
      return current.status();
    }
    const std::string table = RenderTopTable(
        *previous, *current, absl::ToDoubleSeconds(now - previous_time));
    std::printf("%sshardd %s:%d  shards=%zu  (q to quit)\n\n%s", kClearScreen,
                options.host.c_str(), options.admin_port,
                current->Get("shards").array().size(), table.c_str());
    std::fflush(stdout);
    previous = std::move(current);
    previous_time = now;
    if (WaitForQuitKey(options.interval, &stdin_open)) break;
  }
  std::printf("\n");
  return absl::OkStatus();
}

}  // namespace shardd::shardctl
