// TempDir owns a fresh temporary directory and removes it, with everything
// in it, when destroyed. A shardd started by a test gets one as its --dir, so
// that no test touches the default data directory or another test's one.
//
//   absl::StatusOr<TempDir> dir = TempDir::Create();
//   ... use dir->path() ...
//   // removed when `dir` goes out of scope
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_TEMP_DIR_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_TEMP_DIR_H_

#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"

namespace shardd::integration {

class TempDir {
 public:
  // A new directory <base>/<prefix>XXXXXX (mkdtemp), where <base> is $TMPDIR
  // when set and non-empty, /tmp otherwise.
  static absl::StatusOr<TempDir> Create(
      std::string_view prefix = "shardd-test-");

  // Owns no directory.
  TempDir() = default;
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() { Remove(); }

  // The directory's path, "" when this owns none.
  const std::string& path() const { return path_; }
  bool empty() const { return path_.empty(); }

  // Removes the directory recursively now (best effort: errors are ignored)
  // and owns none afterwards.
  void Remove();

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}

  std::string path_;
};

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_TEMP_DIR_H_
