#include "shard/flag_file_check.h"

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gflags/gflags.h"

namespace shardd {
namespace {

// Nested --flagfile lines deeper than this are left to gflags (a file that
// names itself would otherwise never end).
constexpr int kMaxDepth = 8;

bool IsFlag(const std::string& name) {
  gflags::CommandLineFlagInfo info;
  if (gflags::GetCommandLineFlagInfo(name.c_str(), &info)) return true;
  // A bool's --noname.
  return name.starts_with("no") &&
         gflags::GetCommandLineFlagInfo(name.substr(2).c_str(), &info) &&
         info.type == "bool";
}

void CheckFiles(const std::string& flagfiles, int depth,
                std::vector<std::string>* problems) {
  for (absl::string_view path :
       absl::StrSplit(flagfiles, ',', absl::SkipWhitespace())) {
    // (A file that cannot be read is gflags' to report.)
    std::ifstream in{std::string(path)};
    int number = 0;
    for (std::string line; std::getline(in, line);) {
      ++number;
      const absl::string_view text = absl::StripAsciiWhitespace(line);
      if (text.empty() || text[0] == '#') continue;
      if (text[0] != '-') break;  // a file-name section: other programs'
      absl::string_view flag =
          text.substr(absl::StartsWith(text, "--") ? 2 : 1);
      const size_t equals = flag.find('=');
      const std::string name(flag.substr(0, equals));
      if (!IsFlag(name)) {
        problems->push_back(
            absl::StrCat(path, ":", number, ": unknown flag '", name, "'"));
      } else if (name == "flagfile" && equals != absl::string_view::npos &&
                 depth < kMaxDepth) {
        CheckFiles(std::string(flag.substr(equals + 1)), depth + 1, problems);
      }
    }
  }
}

}  // namespace

std::string FlagFilesOnCommandLine(int argc, char** argv) {
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--") break;  // gflags reads no flags after it
    if (!absl::ConsumePrefix(&arg, "--")) absl::ConsumePrefix(&arg, "-");
    if (absl::ConsumePrefix(&arg, "flagfile=")) {
      files.emplace_back(arg);
    } else if (arg == "flagfile" && i + 1 < argc) {
      files.emplace_back(argv[++i]);
    }
  }
  return absl::StrJoin(files, ",");
}

std::vector<std::string> UnknownFlagsInFiles(const std::string& flagfiles) {
  std::vector<std::string> problems;
  CheckFiles(flagfiles, 0, &problems);
  return problems;
}

}  // namespace shardd
