#include "shard/kv/kv_config.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "net/acceptor.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/kv/kv_service.h"
#include "shard/kv/store/encoding_limits.h"
#include "shard/kv/store/keyspace_event.h"

namespace shardd::kv {
namespace {

using Setter = std::function<std::string(std::string_view, bool)>;

// An integer parameter within [min, max], stored by `store`.
template <typename T>
Setter IntegerSetter(int64_t min, int64_t max, std::atomic<T>* target) {
  return [min, max, target](std::string_view text, bool apply) {
    int64_t value = 0;
    if (!absl::SimpleAtoi(absl::string_view(text.data(), text.size()),
                          &value)) {
      return std::string("argument couldn't be parsed into an integer");
    }
    if (value < min || value > max) {
      return absl::StrCat("argument must be between ", min, " and ", max,
                          " inclusive");
    }
    if (apply) target->store(static_cast<T>(value), std::memory_order_relaxed);
    return std::string();
  };
}

// A memory parameter ("4mb", "1gb", bytes) within [min, max].
Setter MemorySetter(uint64_t min, uint64_t max, std::atomic<size_t>* target) {
  return [min, max, target](std::string_view text, bool apply) {
    uint64_t bytes = 0;
    if (!ParseMemorySize(text, &bytes)) {
      return std::string("argument must be a memory value");
    }
    if (bytes < min || bytes > max) {
      return absl::StrCat("argument must be between ", min, " and ", max,
                          " inclusive");
    }
    if (apply) target->store(bytes, std::memory_order_relaxed);
    return std::string();
  };
}

template <typename T>
std::function<std::string()> Getter(const std::atomic<T>* source) {
  return [source] {
    return absl::StrCat(source->load(std::memory_order_relaxed));
  };
}

}  // namespace

KvConfig::KvConfig(const KvOptions& options, std::function<uint16_t()> port,
                   KvShards* shards, net::Acceptor* acceptor)
    : options_(options),
      port_(std::move(port)),
      idle_timeout_seconds_(options.idle_timeout_seconds),
      protected_mode_(options.protected_mode),
      password_set_(!options.requirepass.empty()),
      password_(options.requirepass),
      auto_rewrite_percentage_(options.auto_rewrite_percentage),
      auto_rewrite_min_size_(options.auto_rewrite_min_size),
      fsync_policy_(options.fsync_policy),
      shards_(shards),
      acceptor_(acceptor),
      proto_max_bulk_len_(options.proto_max_bulk_len),
      client_query_buffer_limit_(options.client_query_buffer_limit),
      entries_(MakeEntries()) {
  shards_->mutable_keyspace_events().store(options.notify_keyspace_events);
  shards_->mutable_slowlog_threshold_us().store(
      options.slowlog_log_slower_than);
  shards_->mutable_slowlog_max_len().store(options.slowlog_max_len);
  shards_->mutable_latency_threshold_ms().store(
      options.latency_monitor_threshold);
}

std::vector<KvConfig::Entry> KvConfig::MakeEntries() {
  EncodingLimits& limits = EncodingLimits::Current();
  const KvOptions& o = options_;
  auto fixed = [](std::string value) { return [value] { return value; }; };
  std::vector<Entry> entries = {
      {"appendfsync", "",
       [this] {
         return std::string(aio::FsyncPolicyName(fsync_policy_.load()));
       },
       [this](std::string_view text, bool apply) {
         aio::FsyncPolicy policy;
         if (!aio::ParseFsyncPolicy(absl::AsciiStrToLower(std::string(text)),
                                    &policy)) {
           return std::string(
               "argument(s) must be one of the following: "
               "everysec, always, no");
         }
         if (apply) {
           // Each shard's writer takes it at its next step; two CONFIG
           // SETs at once leave every shard with the same one.
           static absl::Mutex setting(absl::kConstInit);
           absl::MutexLock lock(&setting);
           fsync_policy_.store(policy);
           for (uint32_t s = 0; s < shards_->shard_count(); ++s) {
             shards_->On(s).log.set_policy(policy);
           }
         }
         return std::string();
       }},
      // Turning the log on means writing every key to it first, and off
      // leaves acknowledged writes unlogged: shardd does either only at
      // start.
      {"appendonly", "", fixed(o.append_only ? "yes" : "no"), nullptr,
       "shardd turns its log on or off only at start (--appendonly)"},
      {"auto-aof-rewrite-min-size", "", Getter(&auto_rewrite_min_size_),
       [this](std::string_view text, bool apply) {
         uint64_t bytes = 0;
         if (!ParseMemorySize(text, &bytes) || bytes > uint64_t{LLONG_MAX}) {
           return std::string("argument must be a memory value");
         }
         if (apply) auto_rewrite_min_size_.store(bytes);
         return std::string();
       }},
      {"auto-aof-rewrite-percentage", "", Getter(&auto_rewrite_percentage_),
       IntegerSetter(0, INT_MAX, &auto_rewrite_percentage_)},
      {"bind", "", fixed(o.bind_address), nullptr},
      {"client-query-buffer-limit", "", Getter(&client_query_buffer_limit_),
       MemorySetter(1 << 20, LLONG_MAX, &client_query_buffer_limit_)},
      {"databases", "", fixed(absl::StrCat(o.databases)), nullptr},
      {"dir", "", fixed(o.data_dir), nullptr, "can't set protected config"},
      {"hash-max-listpack-entries", "hash-max-ziplist-entries",
       Getter(&limits.mutable_hash_entries()),
       IntegerSetter(0, LLONG_MAX, &limits.mutable_hash_entries())},
      {"hash-max-listpack-value", "hash-max-ziplist-value",
       Getter(&limits.mutable_hash_value()),
       IntegerSetter(0, LLONG_MAX, &limits.mutable_hash_value())},
      {"latency-monitor-threshold", "",
       Getter(&shards_->mutable_latency_threshold_ms()),
       IntegerSetter(0, LLONG_MAX, &shards_->mutable_latency_threshold_ms())},
      {"maxclients", "",
       [this] { return absl::StrCat(acceptor_->max_clients()); },
       [this](std::string_view text, bool apply) {
         int64_t value = 0;
         if (!absl::SimpleAtoi(absl::string_view(text.data(), text.size()),
                               &value)) {
           return std::string("argument couldn't be parsed into an integer");
         }
         if (value < 1 || value > UINT32_MAX) {
           return std::string(
               "argument must be between 1 and 4294967295 inclusive");
         }
         // As Redis: the descriptor limit is raised to fit, as far as the
         // hard limit lets it (raised already when checking: harmless if
         // the rest of the call fails), unless the registered sockets'
         // tables hold that many.
         const uint64_t needed =
             static_cast<uint64_t>(value) + options_.fds_besides_clients;
         struct rlimit fds {};
         if (static_cast<uint64_t>(value) >
                 options_.registered_socket_capacity &&
             getrlimit(RLIMIT_NOFILE, &fds) == 0 &&
             fds.rlim_cur != RLIM_INFINITY && needed > fds.rlim_cur) {
           const bool possible =
               fds.rlim_max == RLIM_INFINITY || needed <= fds.rlim_max;
           if (possible) fds.rlim_cur = needed;
           if (!possible || setrlimit(RLIMIT_NOFILE, &fds) != 0) {
             const uint64_t most =
                 fds.rlim_max == RLIM_INFINITY ? fds.rlim_cur : fds.rlim_max;
             return absl::StrCat(
                 "The operating system is not able to handle the specified "
                 "number of clients, try with ",
                 most > options_.fds_besides_clients
                     ? most - options_.fds_besides_clients
                     : 0);
           }
         }
         if (apply) acceptor_->set_max_clients(static_cast<uint32_t>(value));
         return std::string();
       }},
      {"notify-keyspace-events", "",
       [this] { return KeyspaceEventsToString(shards_->keyspace_events()); },
       [this](std::string_view text, bool apply) {
         const std::optional<uint32_t> flags = ParseKeyspaceEvents(text);
         if (!flags.has_value()) {
           return std::string(
               "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
         }
         if (apply) shards_->mutable_keyspace_events().store(*flags);
         return std::string();
       }},
      {"port", "", [this] { return absl::StrCat(port_()); }, nullptr},
      {"protected-mode", "", [this] { return protected_mode() ? "yes" : "no"; },
       [this](std::string_view text, bool apply) {
         const bool yes = EqualsIgnoreCase(text, "yes");
         if (!yes && !EqualsIgnoreCase(text, "no")) {
           return std::string("argument must be 'yes' or 'no'");
         }
         if (apply) protected_mode_.store(yes);
         return std::string();
       }},
      {"proto-max-bulk-len", "", Getter(&proto_max_bulk_len_),
       MemorySetter(1 << 20, LLONG_MAX, &proto_max_bulk_len_)},
      {"requirepass", "",
       [this] {
         absl::MutexLock lock(&password_mu_);
         return password_;
       },
       [this](std::string_view text, bool apply) {
         if (apply) {
           absl::MutexLock lock(&password_mu_);
           password_ = std::string(text);
           password_set_.store(!text.empty(), std::memory_order_release);
         }
         return std::string();
       }},
      // No snapshots: "" (none) is what shardd does, a schedule it cannot;
      // and so no flag either.
      {"save", "", fixed(""),
       [](std::string_view text, bool) {
         return text.empty() ? std::string()
                             : std::string(
                                   "shardd saves no snapshots; its "
                                   "persistence is the append-only log");
       },
       /*refusal=*/{}, /*has_flag=*/false},
      {"set-max-intset-entries", "",
       Getter(&limits.mutable_set_intset_entries()),
       IntegerSetter(0, LLONG_MAX, &limits.mutable_set_intset_entries())},
      {"slowlog-log-slower-than", "",
       Getter(&shards_->mutable_slowlog_threshold_us()),
       IntegerSetter(-1, LLONG_MAX, &shards_->mutable_slowlog_threshold_us())},
      {"slowlog-max-len", "", Getter(&shards_->mutable_slowlog_max_len()),
       IntegerSetter(0, LLONG_MAX, &shards_->mutable_slowlog_max_len())},
      {"tcp-keepalive", "",
       [this] { return absl::StrCat(acceptor_->keepalive_seconds()); },
       [this](std::string_view text, bool apply) {
         std::atomic<int> seconds{0};
         std::string why = IntegerSetter(0, INT_MAX, &seconds)(text, true);
         if (why.empty() && apply) {
           acceptor_->set_keepalive_seconds(seconds.load());
         }
         return why;
       }},
      {"timeout", "", Getter(&idle_timeout_seconds_),
       IntegerSetter(0, INT_MAX, &idle_timeout_seconds_)},
      {"zset-max-listpack-entries", "zset-max-ziplist-entries",
       Getter(&limits.mutable_zset_entries()),
       IntegerSetter(0, LLONG_MAX, &limits.mutable_zset_entries())},
      {"zset-max-listpack-value", "zset-max-ziplist-value",
       Getter(&limits.mutable_zset_value()),
       IntegerSetter(0, LLONG_MAX, &limits.mutable_zset_value())},
  };
  return entries;
}

std::vector<ConfigParameter> KvConfig::Parameters() const {
  std::vector<ConfigParameter> parameters;
  for (const Entry& entry : entries_) {
    std::string value = entry.get();
    if (!entry.alias.empty()) parameters.push_back({entry.alias, value});
    parameters.push_back({entry.name, std::move(value)});
  }
  return parameters;
}

bool KvConfig::PasswordMatches(std::string_view user,
                               std::string_view password) const {
  if (user != "default") return false;
  absl::MutexLock lock(&password_mu_);
  if (password_.empty()) return true;
  // Compared in full whatever differs, so the time taken tells an attacker
  // nothing of how much of a guess was right.
  uint8_t differ = password.size() != password_.size();
  for (size_t i = 0; i < password.size(); ++i) {
    differ |=
        static_cast<uint8_t>(password[i] ^ password_[i % password_.size()]);
  }
  return differ == 0;
}

std::string KvConfig::Set(CommandArgs pairs) {
  std::vector<const Entry*> targets;
  for (size_t i = 0; i < pairs.size(); i += 2) {
    const Entry* found = nullptr;
    for (const Entry& entry : entries_) {
      if (EqualsIgnoreCase(pairs[i], entry.name) ||
          (!entry.alias.empty() && EqualsIgnoreCase(pairs[i], entry.alias))) {
        found = &entry;
      }
    }
    if (found == nullptr) {
      return absl::StrCat(
          "ERR Unknown option or number of arguments for CONFIG SET - '",
          ArgumentForError(pairs[i]), "'");
    }
    targets.push_back(found);
  }
  auto failed = [&](size_t i, std::string_view why) {
    return absl::StrCat("ERR CONFIG SET failed (possibly related to argument '",
                        ArgumentForError(pairs[2 * i]), "') - ",
                        std::string(why));
  };
  // Every value is checked before any is applied: all or nothing. A name
  // given twice is refused; a parameter under both its names is not (the
  // last wins), as in Redis.
  std::set<std::string> seen;
  for (size_t i = 0; i < targets.size(); ++i) {
    if (!seen.insert(absl::AsciiStrToLower(std::string(pairs[2 * i]))).second) {
      return failed(i, "duplicate parameter");
    }
    if (targets[i]->set == nullptr) {
      return failed(i, targets[i]->refusal.empty()
                           ? "can't set immutable config"
                           : targets[i]->refusal);
    }
    const std::string why = targets[i]->set(pairs[2 * i + 1], false);
    if (!why.empty()) return failed(i, why);
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    targets[i]->set(pairs[2 * i + 1], true);
  }
  return "";
}

std::string KvConfig::Rewrite() const {
  if (options_.flagfile.empty()) {
    return "ERR The server is running without a config file";
  }
  // One rewrite at a time, whichever shard asks; a symbolic link's target
  // is the file rewritten.
  static absl::Mutex rewriting(absl::kConstInit);
  absl::MutexLock lock(&rewriting);
  char resolved[PATH_MAX];
  const std::string path = realpath(options_.flagfile.c_str(), resolved)
                               ? std::string(resolved)
                               : options_.flagfile;
  const auto failed = [](const char* what) {
    return absl::StrCat("ERR Rewriting config file: ", what, ": ",
                        std::strerror(errno));
  };
  std::vector<std::string> lines;
  {
    std::ifstream in(path);
    if (!in) return failed("open");
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  for (const Entry& entry : entries_) {
    if (entry.set == nullptr || !entry.has_flag) continue;
    std::string flag(entry.name);
    std::replace(flag.begin(), flag.end(), '-', '_');
    std::string value = entry.get();
    if (entry.name == "protected-mode") {
      value = value == "yes" ? "true" : "false";  // a gflags bool
    }
    // A flag file has no way to hold a line break inside a value.
    if (value.find_first_of("\r\n") != std::string::npos) {
      return absl::StrCat("ERR Rewriting config file: the value of '",
                          std::string(entry.name), "' holds a line break");
    }
    const std::string line = absl::StrCat("--", flag, "=", value);
    // The flag's first line takes the value; later ones would override
    // it, so they go.
    bool placed = false;
    for (auto it = lines.begin(); it != lines.end();) {
      // --flag=v, -flag=v, and a bool's bare --flag or --noflag.
      std::string_view text = *it;
      const bool dashed = text.starts_with("-");
      text.remove_prefix(text.starts_with("--") ? 2 : dashed ? 1 : 0);
      if (text.starts_with("no" + flag)) text.remove_prefix(2);
      const bool same =
          dashed && text.starts_with(flag) &&
          (text.size() == flag.size() || text[flag.size()] == '=');
      if (!same) {
        ++it;
      } else if (!placed) {
        *it++ = line;
        placed = true;
      } else {
        it = lines.erase(it);
      }
    }
    if (!placed) lines.push_back(line);
  }
  std::string text;
  for (const std::string& line : lines) absl::StrAppend(&text, line, "\n");
  const std::string temporary = path + ".rewrite";
  struct stat original {};
  const mode_t mode =
      ::stat(path.c_str(), &original) == 0 ? original.st_mode & 07777 : 0600;
  const int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return failed("create");
  ::fchmod(fd, mode);  // whatever the umask
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string error = failed("write");
      ::close(fd);
      ::unlink(temporary.c_str());
      return error;
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const std::string error = failed("fsync");
    ::close(fd);
    ::unlink(temporary.c_str());
    return error;
  }
  ::close(fd);
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string error = failed("rename");
    ::unlink(temporary.c_str());
    return error;
  }
  return "";
}

}  // namespace shardd::kv
