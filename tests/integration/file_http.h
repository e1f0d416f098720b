// What the file service's integration tests share: a fixture that starts
// shardd (4 shards, a free HTTP port, a fresh --dir) and runs curl against
// it, reading back status, headers and body; and small file helpers.
//
//   TEST_F(FileServiceTest, X) {
//     HttpResult put = Put("/a.txt", "hello\n");   // put.status == 201
//   }
#ifndef SHARDD_TESTS_INTEGRATION_FILE_HTTP_H_
#define SHARDD_TESTS_INTEGRATION_FILE_HTTP_H_

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/admin_http.h"
#include "tests/integration/support/eventually.h"
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"
#include "tests/integration/support/temp_dir.h"

namespace shardd::integration {

namespace fs = std::filesystem;

constexpr char kTempPrefix[] = ".shardd-tmp-";

inline std::optional<std::string> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline bool WriteFileBytes(const std::string& path,
                           const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

// `size` bytes of every value; another `seed`, another sequence.
inline std::string Pattern(size_t size, int seed) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<char>((i * 131 + i / 4096 + seed * 7) & 0xff);
  }
  return bytes;
}

// Every PUT's temporary left under `root` (none once all PUTs are answered).
inline std::vector<std::string> TempFilesUnder(const std::string& root) {
  std::vector<std::string> found;
  std::error_code error;
  for (fs::recursive_directory_iterator it(root, error), end;
       !error && it != end; it.increment(error)) {
    if (it->path().filename().string().starts_with(kTempPrefix)) {
      found.push_back(it->path().string());
    }
  }
  return found;
}

// What one curl run saw.
struct HttpResult {
  int status = 0;         // 0: no response (curl printed 000)
  std::string all_heads;  // every head curl dumped, a 100 Continue included
  std::string head;       // the final response's status line and headers
  std::string body;
  std::string curl_error;

  // The final response's header `name` (case-insensitive), if it has one.
  std::optional<std::string> Header(const std::string& name) const {
    for (absl::string_view line : absl::StrSplit(head, "\r\n")) {
      const size_t colon = line.find(':');
      if (colon != absl::string_view::npos &&
          absl::EqualsIgnoreCase(line.substr(0, colon), name)) {
        return std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
      }
    }
    return std::nullopt;
  }
  std::string Describe() const {
    return absl::StrCat("status ", status, "; heads:\n", all_heads,
                        "body: ", Printable(body, 200), "\ncurl: ", curl_error);
  }
};

enum class Expect { kNone, kContinue };

class FileServiceTest : public ShardServerTest {
 protected:
  void SetUp() override {
    ShardServerTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_GT(server().http_port(), 0) << "no http_port in the ready line";
    ASSERT_FALSE(server().data_dir().empty());
    absl::StatusOr<TempDir> work = TempDir::Create("shardd-curl-");
    ASSERT_TRUE(work.ok()) << work.status();
    work_ = *std::move(work);
  }

  std::string Root() const { return server().data_dir() + "/files"; }
  std::string Url(const std::string& path) const {
    return absl::StrCat("http://127.0.0.1:", server().http_port(), path);
  }
  // A new file name in the test's scratch directory.
  std::string WorkFile(const std::string& what) {
    return absl::StrCat(work_.path(), "/", what, "-", ++work_files_);
  }

  // curl `args` `path`, the status, heads and body captured in files.
  HttpResult Curl(const std::string& path,
                  const std::vector<std::string>& args) {
    const std::string body_file = WorkFile("body");
    const std::string head_file = WorkFile("head");
    std::vector<std::string> argv = {
        "curl", "-s", "-S", "--path-as-is", "--max-time", "60", "-o",
        body_file, "-D", head_file, "-w", "%{http_code}"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back(Url(path));
    const ProgramResult run = RunProgram(argv, {}, absl::Seconds(90));
    HttpResult result;
    if (!absl::SimpleAtoi(run.stdout_text, &result.status)) result.status = 0;
    result.curl_error = absl::StrCat("exit ", run.exit_code, ": ",
                                     run.stderr_text);
    result.all_heads = ReadFileBytes(head_file).value_or("");
    const std::vector<std::string> heads =
        absl::StrSplit(result.all_heads, "\r\n\r\n", absl::SkipEmpty());
    if (!heads.empty()) result.head = heads.back();
    result.body = ReadFileBytes(body_file).value_or("");
    return result;
  }
  HttpResult Get(const std::string& path,
                 const std::vector<std::string>& args = {}) {
    return Curl(path, args);
  }
  // -T sends the body with a Content-Length; Expect is chosen explicitly,
  // since curl versions differ on when they add it.
  HttpResult Put(const std::string& path, const std::string& content,
                 Expect expect = Expect::kNone,
                 std::vector<std::string> args = {}) {
    const std::string file = WorkFile("put");
    if (!WriteFileBytes(file, content)) return HttpResult();  // status 0
    args.insert(args.end(),
                {"-T", file, "-H",
                 expect == Expect::kNone ? "Expect:" : "Expect: 100-continue"});
    return Curl(path, args);
  }
  HttpResult Delete(const std::string& path,
                    std::vector<std::string> args = {}) {
    args.insert(args.end(), {"-X", "DELETE"});
    return Curl(path, args);
  }

  TempDir work_;
  int work_files_ = 0;
};

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_FILE_HTTP_H_
