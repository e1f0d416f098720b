#include "tests/integration/support/temp_dir.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace shardd::integration {

absl::StatusOr<TempDir> TempDir::Create(std::string_view prefix) {
  const char* tmpdir = getenv("TMPDIR");
  const std::string base =
      tmpdir != nullptr && tmpdir[0] != '\0' ? tmpdir : "/tmp";
  std::string pattern =
      (std::filesystem::path(base) / (std::string(prefix) + "XXXXXX"))
          .string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(
        absl::StrCat("mkdtemp ", pattern, ": ", std::strerror(errno)));
  }
  return TempDir(std::move(pattern));
}

TempDir::TempDir(TempDir&& other) noexcept
    : path_(std::exchange(other.path_, std::string())) {}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    Remove();
    path_ = std::exchange(other.path_, std::string());
  }
  return *this;
}

void TempDir::Remove() {
  if (path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
  path_.clear();
}

}  // namespace shardd::integration
