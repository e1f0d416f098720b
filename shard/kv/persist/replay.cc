#include "shard/kv/persist/replay.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "aio/file.h"
#include "net/resp/request_parser.h"
#include "shard/invoke_on.h"
#include "shard/kv/exec/command_router.h"
#include "shard/kv/exec/reply_queue.h"
#include "shard/kv/persist/records.h"
#include "shard/reactor.h"
#include "shard/shard_set.h"

namespace shardd::kv {
namespace {

// Bytes read at once; a record longer than this is read whole all the same.
constexpr size_t kChunk = 4 << 20;
// Records routed between two waits for their replies.
constexpr size_t kRecordsPerSettle = 1024;

absl::string_view Absl(std::string_view s) { return {s.data(), s.size()}; }

bool IsCommand(const std::vector<std::string_view>& args,
               std::string_view name) {
  return args.size() == 1 && absl::EqualsIgnoreCase(Absl(args[0]), Absl(name));
}

// The highest database a record names (SELECT n, MOVE k n, SWAPDB a b,
// COPY ... DB n), or kNoDb.
constexpr uint32_t kNoDb = UINT32_MAX;
uint32_t HighestDbNamed(const std::vector<std::string_view>& args) {
  std::vector<std::string_view> numbers;
  const auto is = [&args](std::string_view name) {
    return absl::EqualsIgnoreCase(Absl(args[0]), Absl(name));
  };
  if (args.size() == 2 && is("select")) numbers.push_back(args[1]);
  if (args.size() == 3 && is("move")) numbers.push_back(args[2]);
  if (args.size() == 3 && is("swapdb")) {
    numbers.push_back(args[1]);
    numbers.push_back(args[2]);
  }
  if (args.size() > 4 && is("copy")) {
    for (size_t i = 3; i + 1 < args.size(); ++i) {
      if (absl::EqualsIgnoreCase(Absl(args[i]), "db")) {
        numbers.push_back(args[i + 1]);
      }
    }
  }
  uint32_t highest = kNoDb;
  for (std::string_view number : numbers) {
    uint32_t db = 0;
    if (!absl::SimpleAtoi(Absl(number), &db)) continue;
    highest = highest == kNoDb ? db : std::max(highest, db);
  }
  return highest;
}

// Cuts one log file into records, reading it through the ring in chunks.
class LogReader {
 public:
  enum class Kind { kCommand, kAnnotation, kNeedMore, kCorrupt };

  LogReader(int fd, uint64_t size) : fd_(fd), size_(size) {
    limits_.max_bulk_bytes = SIZE_MAX;
  }

  // The next record in what was read: its arguments (kCommand) or its line
  // without "\r\n" (kAnnotation), valid until the next Fill().
  Kind Next(std::vector<std::string_view>* args, std::string_view* line,
            std::string* error) {
    const std::string_view rest = std::string_view(buffer_).substr(pos_);
    if (rest.empty()) return Kind::kNeedMore;
    record_start_ = offset();
    if (rest[0] == '#') {
      const size_t end = rest.find("\r\n");
      if (end == std::string_view::npos) return Kind::kNeedMore;
      *line = rest.substr(0, end);
      pos_ += end + 2;
      return Kind::kAnnotation;
    }
    if (rest[0] != '*') {
      *error = "expected a command ('*') or an annotation ('#')";
      return Kind::kCorrupt;
    }
    const resp::ParseResult parsed =
        resp::ParseRequest(rest, limits_, args, &scratch_);
    switch (parsed.status) {
      case resp::ParseStatus::kComplete:
        pos_ += parsed.consumed;
        return Kind::kCommand;
      case resp::ParseStatus::kIncomplete:
        needed_ = parsed.needed;
        return Kind::kNeedMore;
      case resp::ParseStatus::kEmpty:
      case resp::ParseStatus::kError:
        break;
    }
    *error = parsed.status == resp::ParseStatus::kError
                 ? std::string(parsed.error)
                 : "an empty command";
    return Kind::kCorrupt;
  }

  // Reads more of the file; false once all of it was read (or on error,
  // with *error set).
  Task<bool> Fill(std::string* error) {
    buffer_.erase(0, pos_);
    base_ += pos_;
    pos_ = 0;
    if (read_ >= size_) co_return false;
    const size_t want = std::max(kChunk, needed_ > buffer_.size()
                                             ? needed_ - buffer_.size()
                                             : size_t{0});
    const size_t count =
        static_cast<size_t>(std::min<uint64_t>(want, size_ - read_));
    const size_t at = buffer_.size();
    buffer_.resize(at + count);
    size_t done = 0;
    while (done < count) {
      const int n = co_await aio::Read(fd_, buffer_.data() + at + done,
                                       count - done, read_ + done);
      if (n <= 0) {
        *error = n == 0 ? "the file ended early" : std::strerror(-n);
        co_return false;
      }
      done += static_cast<size_t>(n);
    }
    read_ += count;
    needed_ = 0;
    co_return true;
  }

  // The file offset of the next byte to parse, and of the last record
  // Next() looked at.
  uint64_t offset() const { return base_ + pos_; }
  uint64_t record_start() const { return record_start_; }
  bool all_read() const { return read_ >= size_; }

 private:
  int fd_;
  uint64_t size_;
  resp::ParseLimits limits_;
  std::string buffer_;
  std::string scratch_;
  size_t pos_ = 0;
  uint64_t base_ = 0;   // file offset of buffer_[0]
  uint64_t read_ = 0;   // bytes of the file read so far
  size_t needed_ = 0;   // the parser's hint for an incomplete record
  uint64_t record_start_ = 0;
};

struct OpenedFile {
  int fd = -1;
  uint64_t size = 0;
  ~OpenedFile() {
    if (fd >= 0) close(fd);
  }
};

absl::Status OpenForReplay(const std::string& path, OpenedFile* file) {
  file->fd = open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (file->fd < 0) {
    return absl::DataLossError(
        absl::StrCat("cannot open log ", path, ": ", std::strerror(errno)));
  }
  const off_t end = lseek(file->fd, 0, SEEK_END);
  file->size = end < 0 ? 0 : static_cast<uint64_t>(end);
  return absl::OkStatus();
}

absl::Status Corrupt(const std::string& path, uint64_t offset,
                     std::string_view why) {
  return absl::DataLossError(absl::StrCat(
      "log ", path, " is corrupt at offset ", offset, ": ",
      absl::string_view(why.data(), why.size())));
}

}  // namespace

Recovery::Recovery(KvShards& shards, ServerView& server, std::string log_dir,
                   aio::Manifest manifest)
    : shards_(shards),
      server_(server),
      log_dir_(std::move(log_dir)),
      manifest_(std::move(manifest)),
      barrier_(shards.shard_count()),
      tables_(shards.shard_count()) {}

void Recovery::Fail(const absl::Status& status) {
  // The first failure wins; only its shard writes error_.
  bool expected = false;
  if (failed_.compare_exchange_strong(expected, true)) error_ = status;
}

bool Recovery::Whole(std::string_view id) const {
  uint32_t total = 0;
  std::vector<uint32_t> indices;
  for (const TxTable& table : tables_) {
    const auto it = table.find(std::string(id));
    if (it == table.end()) continue;
    total = std::max(total, it->second.total);
    indices.insert(indices.end(), it->second.indices.begin(),
                   it->second.indices.end());
  }
  if (total == 0) return false;
  std::sort(indices.begin(), indices.end());
  indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
  return indices.size() == total && indices.back() == total - 1;
}

Task<absl::Status> Recovery::Scan(const std::string& path, TxTable* table) {
  OpenedFile file;
  if (absl::Status s = OpenForReplay(path, &file); !s.ok()) co_return s;
  LogReader reader(file.fd, file.size);
  std::vector<std::string_view> args;
  std::string_view line;
  std::string error;
  // The block being read: where it starts (its annotation, or a bare
  // MULTI's own offset) and its mark, if annotated.
  bool in_block = false;
  uint64_t block_start = 0;
  std::string block_id;
  TxMark mark;
  bool marked = false;
  for (;;) {
    const LogReader::Kind kind = reader.Next(&args, &line, &error);
    if (kind == LogReader::Kind::kCorrupt) {
      co_return Corrupt(path, reader.record_start(), error);
    }
    if (kind == LogReader::Kind::kNeedMore) {
      error.clear();
      if (co_await reader.Fill(&error)) continue;
      if (!error.empty()) co_return Corrupt(path, reader.offset(), error);
      break;
    }
    if (kind == LogReader::Kind::kAnnotation) {
      // Other annotations (Redis's "#TS:") are skipped, as Redis does.
      if (!line.starts_with("#TX ")) continue;
      if (in_block || !ParseTxMark(line, &mark)) {
        co_return Corrupt(path, reader.record_start(),
                          "a malformed transaction mark");
      }
      in_block = marked = true;
      block_start = reader.record_start();
      block_id = std::string(mark.id);
      continue;
    }
    if (IsCommand(args, "multi")) {
      if (in_block && !marked) {
        co_return Corrupt(path, reader.record_start(), "MULTI inside MULTI");
      }
      if (!in_block) {
        in_block = true;
        marked = false;
        block_start = reader.record_start();
      }
    } else if (IsCommand(args, "exec")) {
      if (!in_block) {
        co_return Corrupt(path, reader.record_start(), "EXEC without MULTI");
      }
      if (marked) {
        TxSeen& seen = (*table)[block_id];
        seen.total = std::max(seen.total, mark.total);
        seen.indices.push_back(mark.index);
      }
      in_block = marked = false;
    }
  }
  // Whatever follows the last whole record, or the start of a block that
  // never closed, was being written when the process died.
  const uint64_t keep = in_block ? block_start : reader.offset();
  if (keep < file.size) {
    std::fprintf(stderr,
                 "shardd: log %s: the last write was torn; truncating %llu "
                 "bytes at offset %llu (the last whole record)\n",
                 path.c_str(),
                 static_cast<unsigned long long>(file.size - keep),
                 static_cast<unsigned long long>(keep));
    if (ftruncate(file.fd, static_cast<off_t>(keep)) != 0 ||
        fdatasync(file.fd) != 0) {
      co_return absl::DataLossError(absl::StrCat(
          "cannot truncate log ", path, ": ", std::strerror(errno)));
    }
  }
  co_return absl::OkStatus();
}

Task<absl::Status> Recovery::Apply(const std::string& path, uint32_t index,
                                   uint32_t files) {
  OpenedFile file;
  if (absl::Status s = OpenForReplay(path, &file); !s.ok()) co_return s;
  LogReader reader(file.fd, file.size);
  std::string output;
  ReplyQueue queue(&output);
  CommandRouter router(shards_, server_, queue, /*client_id=*/0);
  router.MarkAuthenticated();
  std::vector<std::string_view> args;
  std::string_view line;
  std::string error;
  bool skipping = false;  // inside a block of a transaction not whole
  size_t routed = 0;
  for (;;) {
    const LogReader::Kind kind = reader.Next(&args, &line, &error);
    if (kind == LogReader::Kind::kCorrupt) {
      co_return Corrupt(path, reader.record_start(), error);
    }
    if (kind == LogReader::Kind::kNeedMore) {
      // The arguments routed so far point into the reader's buffer.
      co_await router.Settle();
      output.clear();
      error.clear();
      if (co_await reader.Fill(&error)) continue;
      if (!error.empty()) co_return Corrupt(path, reader.offset(), error);
      break;
    }
    if (kind == LogReader::Kind::kAnnotation) {
      TxMark mark;
      if (line.starts_with("#TX ") && ParseTxMark(line, &mark) &&
          !Whole(mark.id)) {
        skipping = true;
        skipped_blocks_.fetch_add(1, std::memory_order_relaxed);
      }
      continue;
    }
    if (skipping) {
      if (IsCommand(args, "exec")) skipping = false;
      continue;
    }
    // A block is whole here (a torn one was cut by Scan, one of an
    // incomplete transaction skipped above); no client sees the replay, so
    // its commands run one by one.
    if (IsCommand(args, "multi") || IsCommand(args, "exec")) continue;
    records_.fetch_add(1, std::memory_order_relaxed);
    if (const uint32_t named = HighestDbNamed(args);
        named != kNoDb && named >= shards_.Local().dbs.count()) {
      // Its keys would land in another database, or be lost.
      co_return absl::FailedPreconditionError(
          absl::StrCat("log ", path, " holds keys of database ", named,
                       " at offset ", reader.record_start(),
                       ", but --databases is ", shards_.Local().dbs.count()));
    }
    uint32_t swap_a = 0;
    uint32_t swap_b = 0;
    if (args.size() == 3 && absl::EqualsIgnoreCase(Absl(args[0]), "swapdb") &&
        absl::SimpleAtoi(Absl(args[1]), &swap_a) &&
        absl::SimpleAtoi(Absl(args[2]), &swap_b) &&
        swap_a < shards_.Local().dbs.count() &&
        swap_b < shards_.Local().dbs.count()) {
      co_await router.Settle();
      if (swap_a != swap_b) co_await SwapKeysOf(index, files, swap_a, swap_b);
      continue;
    }
    const bool flushall =
        !args.empty() && absl::EqualsIgnoreCase(Absl(args[0]), "flushall");
    if (flushall ||
        (!args.empty() && absl::EqualsIgnoreCase(Absl(args[0]), "flushdb"))) {
      co_await router.Settle();
      co_await FlushKeysOf(
          index, files,
          flushall ? std::nullopt : std::optional<uint32_t>(router.db()));
      continue;
    }
    const CommandRouter::Next next = router.Route(args);
    if (next == CommandRouter::Next::kDeferred) {
      co_await router.Settle();
      output += co_await router.RunDeferred(args);
    }
    if (++routed % kRecordsPerSettle == 0) {
      co_await router.Settle();
      output.clear();
    }
  }
  co_await router.Settle();
  co_return absl::OkStatus();
}

Task<absl::Status> Recovery::RunOnShard() {
  const uint32_t here = Reactor::Current()->shard_id();
  const uint32_t shard_count = shards_.shard_count();
  // This shard's files of each generation, each after its base if any.
  struct File {
    std::string path;
    uint32_t index;
  };
  std::vector<std::vector<File>> files(manifest_.generations.size());
  for (size_t g = 0; g < manifest_.generations.size(); ++g) {
    const aio::LogGeneration& generation = manifest_.generations[g];
    for (uint32_t i = here; i < generation.files; i += shard_count) {
      if (generation.base) {
        files[g].push_back(
            {absl::StrCat(log_dir_, "/", aio::BaseFileName(generation.id, i)),
             i});
      }
      files[g].push_back(
          {absl::StrCat(log_dir_, "/", aio::LogFileName(generation.id, i)),
           i});
    }
  }
  // Every file is checked, and its transaction blocks noted, before any is
  // applied: a transaction's blocks may sit in two generations (a block
  // written at home, on a shard the transaction did not lock, after a
  // compaction's cut passed there).
  for (const std::vector<File>& generation : files) {
    for (const File& file : generation) {
      if (failed_.load()) break;
      absl::Status s = co_await Scan(file.path, &tables_[here]);
      if (!s.ok()) Fail(s);
    }
  }
  co_await barrier_.Arrive();  // every shard's marks are in
  for (size_t g = 0; g < files.size(); ++g) {
    for (const File& file : files[g]) {
      if (failed_.load()) break;
      absl::Status s = co_await Apply(file.path, file.index,
                                      manifest_.generations[g].files);
      if (!s.ok()) Fail(s);
    }
    co_await barrier_.Arrive();  // this generation is in before the next
  }
  co_return failed_.load() ? error_ : absl::OkStatus();
}

}  // namespace shardd::kv
