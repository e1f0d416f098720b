// shardd: parse flags, start the shards, wait for SIGINT/SIGTERM, stop.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "aio/log/log_file.h"
#include "gflags/gflags.h"
#include "net/fd_limit.h"
#include "shard/admin/admin_service.h"
#include "shard/data_dir.h"
#include "shard/files/file_service.h"
#include "shard/flag_file_check.h"
#include "shard/flag_help.h"
#include "shard/kv/kv_service.h"
#include "shard/kv/pubsub/pubsub_limits.h"
#include "shard/kv/store/encoding_limits.h"
#include "shard/kv/store/keyspace_event.h"
#include "shard/registered_files.h"
#include "shard/sched_policy.h"
#include "shard/service.h"
#include "shard/shard_set.h"
#include "shard/stats/jemalloc_arena.h"
#include "shard/stats/monotonic_clock.h"

// gflags' own --help, handled here (FlagHelp).
DECLARE_bool(help);

DEFINE_uint32(shards, 0,
              "Number of shards (event loops, one thread each). 0 means one "
              "per CPU this process may run on.");
DEFINE_uint32(idle_poll_time_us, 0,
              "Microseconds an idle shard keeps polling for work before it "
              "sleeps (Seastar's --idle-poll-time-us). Saves the cost of "
              "waking it (tens of microseconds on some virtual machines) "
              "when each shard has a CPU to itself; ignored when shards "
              "share CPUs. 0: sleep at once.");
DEFINE_string(io_backend, "auto",
              "How shards do I/O: io_uring, epoll (sockets by readiness, "
              "files on a thread pool), or auto: io_uring where the kernel "
              "allows it (not under Docker's default seccomp profile or "
              "kernel.io_uring_disabled), else epoll.");
DEFINE_bool(recv_multishot, true,
            "Receive on every connection with one multishot recv into a "
            "shard-wide ring of 16 KiB buffers (Linux 6.0+), so an idle "
            "connection holds no receive buffer; false: one recv per "
            "receive into the connection's own buffer.");
DEFINE_bool(register_sockets, true,
            "Keep each Redis-protocol connection's socket in its shard "
            "ring's table of registered files (io_uring only) rather than "
            "as a descriptor: sends and receives skip the kernel's "
            "descriptor lookup, and connections are not bounded by the "
            "open-files limit but by one table of up to that many per "
            "ring; false: one descriptor per connection.");
DEFINE_bool(share_cpu_threads, true,
            "Run the shards pinned to the same CPU (--cpus listing it more "
            "than once, or more shards than CPUs) on one thread, sharing "
            "one io_uring: a hop between them is then a mailbox push with "
            "no wake-up; false: a thread per shard. io_uring only.");
DEFINE_string(sched_policy, "inherit",
              "Scheduling policy of every shardd thread: inherit (whatever "
              "shardd was started with: chrt, systemd's "
              "CPUSchedulingPolicy), other (SCHED_OTHER, Linux's default) or "
              "batch (SCHED_BATCH): a shard woken while another task runs "
              "on its CPU waits for that task's slice instead of preempting "
              "it. Where clients or other busy processes share the shards' "
              "CPUs, batch takes fewer switches and less CPU per request, at "
              "some cost in tail latency; on CPUs of their own the shards "
              "see no difference.");
DEFINE_string(cpus, "",
              "Comma-separated CPU list to pin shards to, in order (shard i "
              "runs on the i-th CPU, wrapping around). Empty means the CPUs "
              "this process may run on.");
DEFINE_string(bind, "127.0.0.1",
              "IP address the Redis-protocol port listens on (0.0.0.0 for "
              "all IPv4 interfaces).");
DEFINE_string(requirepass, "",
              "Password of the Redis-protocol service's one user, 'default' "
              "(AUTH, HELLO ... AUTH); empty: none. Put it in a --flagfile "
              "rather than on the command line, which other users can read.");
DEFINE_bool(protected_mode, true,
            "While no --requirepass is set, refuse Redis-protocol clients "
            "that connect from anywhere but 127.0.0.1 or ::1 (Redis's "
            "protected-mode).");
// gflags' own: the configuration file, which CONFIG REWRITE rewrites.
DECLARE_string(flagfile);

DEFINE_string(notify_keyspace_events, "",
              "Which keyspace events are published to subscribers (Redis's "
              "notify-keyspace-events): K and/or E, and the classes, e.g. "
              "'KEA'. Empty: none.");
DEFINE_uint64(keyspace_events_backlog, 8ull << 20,
              "Bytes of keyspace events that may wait for a shard that "
              "cannot take them as fast as they come; past it, connections "
              "start no new commands until it has caught up.");
DEFINE_uint64(aof_buffer_limit, 64ull << 20,
              "Bytes of log records a shard may hold appended but not yet "
              "written (everysec and no do not wait for the disk); past it, "
              "connections start no new commands until its log is back "
              "under it.");
DEFINE_int64(slowlog_log_slower_than, 10000,
             "Commands that take at least this many microseconds go to the "
             "slow log (SLOWLOG GET); negative: none, 0: every command.");
DEFINE_uint64(slowlog_max_len, 128,
              "Entries the slow log keeps (the oldest go first).");
DEFINE_int64(latency_monitor_threshold, 0,
             "Commands taking at least this many milliseconds are latency "
             "spikes (LATENCY LATEST, HISTORY); 0: none are recorded.");
DEFINE_bool(enable_debug_command, false,
            "Serve DEBUG (SLEEP, SET-ACTIVE-EXPIRE) to Redis-protocol "
            "clients; off, it is refused (Redis's enable-debug-command).");
DEFINE_uint32(port, 6379,
              "TCP port of the Redis-protocol service. 0 picks a free port "
              "(printed in the ready line).");
DEFINE_bool(balance_connections, true,
            "Hand each accepted connection to the shard with the fewest open "
            "connections, instead of keeping SO_REUSEPORT's choice.");
DEFINE_uint32(databases, 16,
              "Number of databases (SELECT 0 .. n-1), as Redis's databases; "
              "1 to 65536. One never used costs a pointer per shard.");
DEFINE_uint32(maxclients, 10000,
              "Maximum number of Redis-protocol client connections over all "
              "shards; more are refused with Redis's error. Lowered at start "
              "(with a line on stderr) if the open-files limit cannot hold "
              "them.");
DEFINE_uint32(tcp_keepalive, 300,
              "Seconds of silence before TCP keepalive probes check that a "
              "client is still there (0: off); finds peers that vanished "
              "without closing.");
DEFINE_uint32(timeout, 0,
              "Close a Redis-protocol client idle for this many seconds (0: "
              "never). Clients blocked in BLPOP and the like are exempt.");
DEFINE_uint64(proto_max_bulk_len, 512ull << 20,
              "Largest single argument of a Redis-protocol request, in bytes; "
              "a larger one gets 'invalid bulk length' and the connection "
              "closes.");
DEFINE_uint64(client_query_buffer_limit, 1ull << 30,
              "Largest whole Redis-protocol request (a command with all its "
              "arguments), in bytes; a larger one gets a protocol error and "
              "the connection closes. Also bounds what one connection's "
              "MULTI queue and WATCHed keys hold.");
DEFINE_uint64(client_output_limit, 0,
              "Reply bytes one client may hold before it is disconnected, "
              "for clients that send but do not read (0: no limit, as "
              "Redis's normal clients).");
DEFINE_string(client_output_limit_pubsub, "32mb 8mb 60",
              "Output limits of a subscribed (pub/sub) client, as Redis's "
              "client-output-buffer-limit pubsub class: '<hard> <soft> "
              "<seconds>'. A client holding more than <hard> unsent bytes, or "
              "more than <soft> for <seconds>, is disconnected (0: no "
              "limit). Sizes in bytes or with k/m/g or kb/mb/gb.");
DEFINE_uint64(hash_max_listpack_entries, 512,
              "A hash keeps its compact encoding up to this many fields "
              "(Redis's hash-max-listpack-entries; CONFIG SET changes it).");
DEFINE_uint64(hash_max_listpack_value, 64,
              "... and while every field and value is at most this long.");
DEFINE_uint64(set_max_intset_entries, 512,
              "A set of integers keeps its compact encoding up to this many "
              "members (Redis's set-max-intset-entries).");
DEFINE_uint64(zset_max_listpack_entries, 128,
              "A sorted set keeps its compact encoding up to this many "
              "members (Redis's zset-max-listpack-entries).");
DEFINE_uint64(zset_max_listpack_value, 64,
              "... and while every member is at most this long.");
DEFINE_uint32(mailbox_capacity, 4096,
              "Slots in each shard-to-shard ring; when full, messages wait in "
              "the sender's queue (back-pressure), never dropped.");
DEFINE_string(dir, "./shardd-data",
              "Data directory: files are served from <dir>/files and the "
              "append-only logs live in <dir>/aof. Created if missing; a lock "
              "file in it makes a second shardd on the same directory refuse "
              "to start.");
DEFINE_bool(appendonly, true,
            "Log every write to a per-shard append-only log under <dir>/aof "
            "and replay the logs at start, so data survives restarts and "
            "crashes (Redis's appendonly). Off: the data lives in memory "
            "only.");
DEFINE_string(appendfsync, "everysec",
              "When a logged write is on stable storage (Redis's "
              "appendfsync): always (before its reply is sent; group commit "
              "shares one fdatasync among the writes of a loop turn), "
              "everysec (at most about one second of acknowledged writes "
              "lost in a power failure), or no (the kernel decides).");
DEFINE_bool(record_synced_lengths, false,
            "Testing aid: after each completed sync of a log file, write how "
            "many of its bytes the sync covered to <file>.synced, so that a "
            "test can cut the file there as a power loss would "
            "(tests/integration/power_loss_test.cc). Costs a write per "
            "sync.");
DEFINE_uint32(auto_aof_rewrite_percentage, 100,
              "Compact the logs (as BGREWRITEAOF) once a shard's log has "
              "grown by this many percent over its size after the last "
              "compaction or at start (Redis's auto-aof-rewrite-percentage; "
              "0: never).");
DEFINE_uint64(auto_aof_rewrite_min_size, 64ull << 20,
              "... and is at least this many bytes (Redis's "
              "auto-aof-rewrite-min-size).");
DEFINE_bool(http, true, "Serve files over HTTP (the file service).");
DEFINE_string(http_bind, "127.0.0.1",
              "IP address the file service listens on. Other than loopback, "
              "--http_token is required.");
DEFINE_uint32(http_port, 8080,
              "TCP port of the file service. 0 picks a free port (printed in "
              "the ready line as http_port=<P>).");
DEFINE_uint32(http_maxclients, 1024,
              "Maximum number of file service connections; more get 503.");
DEFINE_uint64(max_body_bytes, 1ull << 30,
              "Largest PUT body the file service accepts, in bytes; a larger "
              "one gets 413.");
DEFINE_string(http_token, "",
              "Bearer token PUT and DELETE must carry (Authorization: Bearer "
              "<token>). Empty: none needed, allowed only on loopback.");
DEFINE_uint32(http_list_max, 1000,
              "Most entries a directory listing (GET of a path ending in "
              "'/') shows; a longer one is cut and says \"truncated\":true.");
DEFINE_uint32(http_open_file_cache, 1024,
              "Files each shard keeps open with their metadata, so a GET of "
              "a hot file opens nothing (0: no cache). Lowered, with "
              "--maxclients, if the open-files limit cannot hold them.");
DEFINE_uint64(http_open_file_cache_bytes, 8 << 20,
              "Bytes each shard's open-file cache may hold as the content of "
              "small files (up to 64 KiB each), so that a GET of one reads "
              "nothing from the kernel (0: descriptors only).");
DEFINE_bool(http_splice, true,
            "Send bodies over 64 KiB file -> pipe -> socket with io_uring's "
            "splice, never copying them into shardd; false: read them "
            "into a buffer and send that.");
DEFINE_bool(http_token_reads, false,
            "Require --http_token for GET and HEAD as well.");
DEFINE_bool(admin, true,
            "Serve the HTTP admin endpoint (/metrics, /stats, /healthz).");
DEFINE_string(admin_bind, "127.0.0.1",
              "IP address the admin endpoint listens on.");
DEFINE_uint32(admin_port, 9100,
              "TCP port of the admin endpoint. 0 picks a free port (printed "
              "in the ready line as admin_port=<P>).");
DEFINE_string(admin_token, "",
              "Bearer token the admin endpoint requires on /metrics and "
              "/stats (Authorization: Bearer <token>); empty: none, which "
              "only a loopback --admin_bind allows. shardctl takes it as "
              "--admin_token.");
DEFINE_uint32(admin_maxclients, 128,
              "Maximum number of admin endpoint connections; more get 503.");
DEFINE_uint32(http_header_timeout, 10,
              "Seconds an HTTP client has to send a request's line and "
              "headers; a slower one gets 408 and is closed (0: no limit).");
DEFINE_uint32(http_idle_timeout, 60,
              "Seconds an idle keep-alive HTTP connection stays open, and an "
              "HTTP client may take nothing of a response (0: no limit).");

namespace {

bool ParseCpuList(const std::string& text, std::vector<int>* cpus) {
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    int cpu = 0;
    if (!absl::SimpleAtoi(part, &cpu) || cpu < 0) return false;
    cpus->push_back(cpu);
  }
  return true;
}

// A timeout flag's value: 0 means none.
// The backend --io_backend asks for, said on stderr; nullopt (with the
// reason on stderr) if it cannot run.
std::optional<shardd::IoBackend> ChooseIoBackend(const std::string& wanted) {
  if (wanted == "epoll") {
    std::fprintf(stderr, "shardd: I/O backend: epoll (--io_backend=epoll)\n");
    return shardd::IoBackend::kEpoll;
  }
  if (wanted != "auto" && wanted != "io_uring") {
    std::fprintf(stderr,
                 "shardd: --io_backend=%s: expected auto, io_uring or epoll\n",
                 wanted.c_str());
    return std::nullopt;
  }
  const absl::Status probe = shardd::Reactor::ProbeIoUring();
  if (probe.ok()) {
    std::fprintf(stderr, "shardd: I/O backend: io_uring\n");
    return shardd::IoBackend::kIoUring;
  }
  if (wanted == "io_uring") {
    std::fprintf(stderr, "shardd: --io_backend=io_uring: %s\n",
                 std::string(probe.message()).c_str());
    return std::nullopt;
  }
  std::fprintf(stderr, "shardd: I/O backend: epoll (%s)\n",
               std::string(probe.message()).c_str());
  return shardd::IoBackend::kEpoll;
}

// 127.0.0.0/8 or ::1: reachable from this host only.
bool IsLoopbackAddress(const std::string& address) {
  in_addr v4{};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  return inet_pton(AF_INET6, address.c_str(), &v6) == 1 &&
         std::memcmp(&v6, &in6addr_loopback, sizeof(v6)) == 0;
}

absl::Duration SecondsOrNoLimit(uint32_t seconds) {
  return seconds == 0 ? absl::InfiniteDuration() : absl::Seconds(seconds);
}

}  // namespace

int main(int argc, char** argv) {
  gflags::SetUsageMessage(
      "shard-per-core Redis-protocol server\nusage: shardd [flags]");
  gflags::SetVersionString(
      absl::StrCat(SHARDD_VERSION, " (build ", SHARDD_BUILD, ")"));
  // Read before gflags takes them out of argv (flag_file_check.h).
  const std::string flag_files = shardd::FlagFilesOnCommandLine(argc, argv);
  // --help shows shardd's flags by group; gflags handles the rest
  // (--helpfull, --version, ...).
  gflags::ParseCommandLineNonHelpFlags(&argc, &argv, true);
  if (FLAGS_help) {
    std::fputs(shardd::FlagHelp("shard/shardd_main.cc").c_str(), stdout);
    return 0;
  }
  gflags::HandleCommandLineHelpFlags();
  const std::vector<std::string> unknown =
      shardd::UnknownFlagsInFiles(flag_files);
  for (const std::string& problem : unknown) {
    std::fprintf(stderr, "shardd: %s\n", problem.c_str());
  }
  if (!unknown.empty()) return 1;

  std::vector<int> cpus;
  if (!ParseCpuList(FLAGS_cpus, &cpus)) {
    std::fprintf(stderr, "shardd: --cpus must be a comma-separated list of "
                         "CPU numbers, got '%s'\n", FLAGS_cpus.c_str());
    return 2;
  }
  if (cpus.empty()) cpus = shardd::ShardSet::AllowedCpus();
  const uint32_t shard_count =
      FLAGS_shards > 0 ? FLAGS_shards : static_cast<uint32_t>(cpus.size());
  if (shard_count == 0 || shard_count > 1024 || FLAGS_port > 65535 ||
      FLAGS_admin_port > 65535 || FLAGS_http_port > 65535) {
    std::fprintf(stderr, "shardd: --shards must be in 1..1024 and --port, "
                         "--admin_port and --http_port in 0..65535\n");
    return 2;
  }
  if (FLAGS_databases == 0 || FLAGS_databases > 65536) {
    std::fprintf(stderr, "shardd: --databases must be in 1..65536\n");
    return 2;
  }
  std::optional<shardd::SchedPolicy> sched_policy =
      shardd::ParseSchedPolicy(FLAGS_sched_policy);
  if (!sched_policy) {
    std::fprintf(stderr,
                 "shardd: --sched_policy must be inherit, other or "
                 "batch, got '%s'\n",
                 FLAGS_sched_policy.c_str());
    return 2;
  }
  shardd::aio::FsyncPolicy fsync_policy;
  if (!shardd::aio::ParseFsyncPolicy(FLAGS_appendfsync, &fsync_policy)) {
    std::fprintf(stderr, "shardd: --appendfsync must be always, everysec or "
                         "no, got '%s'\n", FLAGS_appendfsync.c_str());
    return 2;
  }
  shardd::aio::set_record_synced_lengths(FLAGS_record_synced_lengths);
  // The admin endpoint shows every key count and client address: off the
  // loopback interface, only with a token.
  if (FLAGS_admin && FLAGS_admin_token.empty() &&
      !IsLoopbackAddress(FLAGS_admin_bind)) {
    std::fprintf(stderr,
                 "shardd: --admin_bind=%s is not a loopback address: set "
                 "--admin_token too (or --admin=false)\n",
                 FLAGS_admin_bind.c_str());
    return 2;
  }
  shardd::kv::EncodingLimits& limits = shardd::kv::EncodingLimits::Current();
  limits.mutable_hash_entries() = FLAGS_hash_max_listpack_entries;
  limits.mutable_hash_value() = FLAGS_hash_max_listpack_value;
  limits.mutable_set_intset_entries() = FLAGS_set_max_intset_entries;
  limits.mutable_zset_entries() = FLAGS_zset_max_listpack_entries;
  limits.mutable_zset_value() = FLAGS_zset_max_listpack_value;
  shardd::kv::PubSubLimits pubsub_limits;
  if (!shardd::kv::ParsePubSubLimits(FLAGS_client_output_limit_pubsub,
                                     &pubsub_limits)) {
    std::fprintf(stderr,
                 "shardd: --client_output_limit_pubsub must be '<hard> <soft> "
                 "<seconds>', got '%s'\n",
                 FLAGS_client_output_limit_pubsub.c_str());
    return 2;
  }
  const std::optional<uint32_t> keyspace_events =
      shardd::kv::ParseKeyspaceEvents(FLAGS_notify_keyspace_events);
  if (!keyspace_events.has_value()) {
    std::fprintf(stderr,
                 "shardd: --notify_keyspace_events takes the letters of "
                 "'Ag$lshzxeKEtmdn', got '%s'\n",
                 FLAGS_notify_keyspace_events.c_str());
    return 2;
  }
  // Here, before any other thread exists: every thread inherits it.
  if (absl::Status s = shardd::UseSchedPolicy(*sched_policy); !s.ok()) {
    std::fprintf(stderr, "shardd: --sched_policy=%s: %s\n",
                 FLAGS_sched_policy.c_str(), std::string(s.message()).c_str());
    return 1;
  }
  // Also before any thread: the scale it sets is read without a lock.
  shardd::stats::CalibrateMonotonicClock();
  absl::StatusOr<shardd::DataDirLock> data_dir = shardd::LockDataDir(FLAGS_dir);
  if (!data_dir.ok()) {
    std::fprintf(stderr, "shardd: %s\n",
                 std::string(data_dir.status().message()).c_str());
    return 1;
  }

  // Sends pass MSG_NOSIGNAL, but a splice cannot: a peer gone while bytes
  // are spliced to its socket raises SIGPIPE in the splicing thread (an
  // io_uring worker, which blocks signals). Ignored, as Redis does, so that
  // no thread that ever writes to a socket can be killed by it; the error
  // comes back as -EPIPE either way.
  signal(SIGPIPE, SIG_IGN);
  // A file-size limit (RLIMIT_FSIZE) reached by a log write must fail that
  // write with EFBIG, so that writes get -MISCONF and reads go on, rather
  // than kill the server.
  signal(SIGXFSZ, SIG_IGN);

  // Block the stop signals before any thread starts, so every shard thread
  // inherits the mask and only this thread receives them (in sigwait).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // Descriptors shardd keeps besides client connections: Redis's 32 for
  // files and logs, per shard a ring, a doorbell, listeners and the
  // acceptors' reserve descriptors, and the admin connections. A file
  // service connection may hold four at once (socket, file and a pipe's two
  // ends for a GET; socket, file and directory for a PUT),
  // and each shard's open-file cache one per entry.
  const uint32_t reserved_fds = 32 + 8 * shard_count + FLAGS_admin_maxclients;
  std::optional<shardd::IoBackend> backend = ChooseIoBackend(FLAGS_io_backend);
  if (!backend) return 1;
  shardd::ShardSet::Options shard_options = {
      .shard_count = shard_count,
      .cpus = cpus,
      .mailbox_capacity = FLAGS_mailbox_capacity,
      .idle_poll_ns = uint64_t{FLAGS_idle_poll_time_us} * 1000,
      .multishot_receive = FLAGS_recv_multishot,
      .io_backend = *backend,
      .share_cpu_threads = FLAGS_share_cpu_threads};
  // A registered socket holds no descriptor: the Redis-protocol clients
  // are then bounded by the rings' tables, not by the descriptor limit.
  bool register_sockets =
      FLAGS_register_sockets && *backend == shardd::IoBackend::kIoUring;
  if (register_sockets) {
    if (absl::Status s = shardd::RegisteredFiles::ProbeClosesAtOnce();
        !s.ok()) {
      register_sockets = false;
      std::fprintf(stderr,
                   "shardd: connections keep their descriptors "
                   "(--register_sockets): %s\n",
                   std::string(s.message()).c_str());
    }
  }
  std::vector<shardd::net::ClientCap> caps = {
      {"maxclients", FLAGS_maxclients, register_sockets ? 0u : 1u}};
  if (FLAGS_http) {
    caps.push_back({"http_maxclients", FLAGS_http_maxclients, 4});
    caps.push_back({"http_open_file_cache",
                    FLAGS_http_open_file_cache * shard_count, 1});
  }
  std::string fd_note;
  if (absl::Status s =
          shardd::net::FitClientsToFdLimit(caps, reserved_fds, &fd_note);
      !s.ok()) {
    std::fprintf(stderr, "shardd: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  if (!fd_note.empty()) std::fprintf(stderr, "%s\n", fd_note.c_str());
  uint32_t max_clients = caps[0].clients;
  uint64_t registered_capacity = 0;
  if (register_sockets) {
    // The kernel caps each table at the descriptor limit, so the limit is
    // raised as for descriptors; the rings' tables together then hold
    // maxclients, or it is lowered to what they hold.
    const uint64_t limit = shardd::net::RaiseFdLimitToward(
        uint64_t{reserved_fds} + FLAGS_maxclients);
    // (IORING_MAX_FIXED_FILES: the kernel's own cap for a table.)
    shard_options.registered_files = static_cast<uint32_t>(
        std::min<uint64_t>({limit, max_clients, uint64_t{1} << 20}));
    const uint64_t rings =
        shardd::ShardSet::ShardsByThread(shard_options).size();
    registered_capacity = rings * shard_options.registered_files;
    if (registered_capacity < max_clients) {
      max_clients = static_cast<uint32_t>(registered_capacity);
      std::fprintf(stderr,
                   "shardd: maxclients has been reduced to %u: %" PRIu64
                   " rings of %u registered sockets (each ring's table is "
                   "capped by the open-files limit, %" PRIu64 ")\n",
                   max_clients, rings, shard_options.registered_files, limit);
    }
  }
  const uint32_t http_max_clients = FLAGS_http ? caps[1].clients : 0;
  const uint32_t open_file_cache =
      FLAGS_http ? caps[2].clients / shard_count : 0;
  // Descriptors kept besides the Redis-protocol clients': CONFIG SET
  // maxclients needs this many more than it asks for.
  const uint64_t fds_besides_clients = reserved_fds +
                                       4 * uint64_t{http_max_clients} +
                                       uint64_t{open_file_cache} * shard_count;

  shardd::kv::KvService kv(
      {.bind_address = FLAGS_bind,
       .port = static_cast<uint16_t>(FLAGS_port),
       .balance_connections = FLAGS_balance_connections,
       .max_clients = max_clients,
       .databases = FLAGS_databases,
       .fds_besides_clients = fds_besides_clients,
       .registered_socket_capacity = registered_capacity,
       .register_sockets = register_sockets,
       .flagfile = FLAGS_flagfile,
       .tcp_keepalive_seconds = static_cast<int>(FLAGS_tcp_keepalive),
       .idle_timeout_seconds = static_cast<int>(FLAGS_timeout),
       .proto_max_bulk_len = FLAGS_proto_max_bulk_len,
       .client_query_buffer_limit = FLAGS_client_query_buffer_limit,
       .client_output_limit = FLAGS_client_output_limit,
       .client_output_limit_pubsub = pubsub_limits,
       .requirepass = FLAGS_requirepass,
       .protected_mode = FLAGS_protected_mode,
       .notify_keyspace_events = *keyspace_events,
       .slowlog_log_slower_than = FLAGS_slowlog_log_slower_than,
       .slowlog_max_len = FLAGS_slowlog_max_len,
       .latency_monitor_threshold = FLAGS_latency_monitor_threshold,
       .keyspace_events_backlog = FLAGS_keyspace_events_backlog,
       .enable_debug_command = FLAGS_enable_debug_command,
       .append_only = FLAGS_appendonly,
       .fsync_policy = fsync_policy,
       .aof_buffer_limit = FLAGS_aof_buffer_limit,
       .data_dir = FLAGS_dir,
       .auto_rewrite_percentage = FLAGS_auto_aof_rewrite_percentage,
       .auto_rewrite_min_size = FLAGS_auto_aof_rewrite_min_size},
      shard_count);

  // A shard's statistics: the runtime's counters, each service's part, and
  // the shard's jemalloc arena (written by that shard at start, read by it
  // for every snapshot and by shard 0 for the memory peak; 0: none yet, as
  // an arena made for a thread is never jemalloc's first).
  std::vector<shardd::Service*> services;
  std::vector<std::atomic<unsigned>> arenas(shard_count);
  auto snapshot_here = [&services, &arenas] {
    shardd::Reactor& reactor = *shardd::Reactor::Current();
    shardd::stats::ShardStatsSnapshot s;
    s.shard = reactor.shard_id();
    static_cast<shardd::stats::RuntimeStats&>(s.stats) = reactor.stats();
    for (const shardd::Service* service : services) service->AddStats(s);
    if (const unsigned arena = arenas[s.shard].load(); arena != 0) {
      s.memory = shardd::stats::ReadArenaMemory(arena).value_or(
          shardd::stats::ArenaMemory());
    }
    return s;
  };
  kv.SetSnapshotSource(snapshot_here);
  kv.SetMemoryProbe([&arenas]() -> uint64_t {
    std::vector<unsigned> ids;
    for (const std::atomic<unsigned>& arena : arenas) {
      const unsigned id = arena.load();
      if (id != 0) ids.push_back(id);  // (0: a shard still starting)
    }
    uint64_t total = 0;
    for (const shardd::stats::ArenaMemory& memory :
         shardd::stats::ReadArenasMemory(ids).value_or(
             std::vector<shardd::stats::ArenaMemory>())) {
      total += memory.allocated;
    }
    return total;
  });
  shardd::files::FileService files(
      {.bind_address = FLAGS_http_bind,
       .port = static_cast<uint16_t>(FLAGS_http_port),
       .max_clients = http_max_clients,
       .tcp_keepalive_seconds = static_cast<int>(FLAGS_tcp_keepalive),
       .header_timeout = SecondsOrNoLimit(FLAGS_http_header_timeout),
       .idle_timeout = SecondsOrNoLimit(FLAGS_http_idle_timeout),
       .root = FLAGS_dir + "/files",
       .max_body_bytes = FLAGS_max_body_bytes,
       .token = FLAGS_http_token,
       .token_reads = FLAGS_http_token_reads,
       .list_max_entries = FLAGS_http_list_max,
       .open_file_cache = open_file_cache,
       .open_file_cache_bytes = FLAGS_http_open_file_cache_bytes,
       .splice = FLAGS_http_splice},
      shard_count);
  // What /metrics and /stats show, after the runtime's part.
  std::vector<const shardd::stats::StatsPart*> stats_parts = {kv.stats_part()};
  if (FLAGS_http) stats_parts.push_back(files.stats_part());
  shardd::admin::AdminService admin(
      {.bind_address = FLAGS_admin_bind,
       .port = static_cast<uint16_t>(FLAGS_admin_port),
       .max_clients = FLAGS_admin_maxclients,
       .tcp_keepalive_seconds = static_cast<int>(FLAGS_tcp_keepalive),
       .header_timeout = SecondsOrNoLimit(FLAGS_http_header_timeout),
       .idle_timeout = SecondsOrNoLimit(FLAGS_http_idle_timeout),
       .token = FLAGS_admin_token},
      shard_count, snapshot_here, stats_parts);
  services.push_back(&kv);
  if (FLAGS_http) services.push_back(&files);
  if (FLAGS_admin) services.push_back(&admin);
  for (shardd::Service* service : services) {
    if (absl::Status s = service->Prepare(); !s.ok()) {
      std::fprintf(stderr, "shardd: %s: %s\n",
                   std::string(service->name()).c_str(),
                   std::string(s.message()).c_str());
      return 1;
    }
  }

  if (FLAGS_idle_poll_time_us > 0 &&
      !shardd::ShardSet::PollingAllowed(shard_options)) {
    std::fprintf(stderr,
                 "shardd: --idle_poll_time_us ignored: %u shards share "
                 "CPUs\n",
                 shard_count);
  }
  shardd::ShardSet shards(shard_options);
  if (absl::Status s = shards.Start(
          [&](shardd::Reactor& r) {
            if (absl::StatusOr<unsigned> arena =
                    shardd::stats::CreateThreadArena();
                arena.ok()) {
              arenas[r.shard_id()].store(*arena);
            }
            for (shardd::Service* service : services) service->StartOnShard(r);
          });
      !s.ok()) {
    std::fprintf(stderr, "shardd: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  // Clients are accepted once every shard has replayed its logs; until
  // then their connections wait in the listen backlog.
  if (absl::Status s = kv.WaitUntilServing(); !s.ok()) {
    std::fprintf(stderr, "shardd: cannot load the data: %s\n",
                 std::string(s.message()).c_str());
    shards.Stop();
    return 1;
  }
  // The only line on stdout; logs go to stderr.
  std::printf("shardd ready port=%u shards=%u admin_port=%u http_port=%u\n",
              kv.port(), shard_count, FLAGS_admin ? admin.port() : 0,
              FLAGS_http ? files.port() : 0);
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  shards.Stop();
  kv.FlushLogs();
  return 0;
}
