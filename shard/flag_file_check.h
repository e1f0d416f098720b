// The lines of --flagfile files that name no flag. gflags fails on an
// unknown flag on the command line but passes over one in a flag file, so
// a misspelt setting there would go unnoticed; shardd refuses to start
// instead.
//
//   const std::string files = FlagFilesOnCommandLine(argc, argv);
//   gflags::ParseCommandLineNonHelpFlags(&argc, &argv, true);
//   for (const std::string& problem : UnknownFlagsInFiles(files))
//     std::fprintf(stderr, "shardd: %s\n", problem.c_str());
#ifndef SHARDD_SHARD_FLAG_FILE_CHECK_H_
#define SHARDD_SHARD_FLAG_FILE_CHECK_H_

#include <string>
#include <vector>

namespace shardd {

// The values of the command line's --flagfile flags, joined by commas:
// read before gflags parses it, since FLAGS_flagfile then holds only the
// last file read (one a file names replaces it).
std::string FlagFilesOnCommandLine(int argc, char** argv);

// One "<file>:<line>: unknown flag '<name>'" per such line of the files in
// `flagfiles` (comma-separated, as --flagfile takes them) and of those
// they name with --flagfile in turn. A file's lines after its first line
// that is neither a flag nor a comment are not checked: they are for the
// programs that line names (gflags' file-name sections).
std::vector<std::string> UnknownFlagsInFiles(const std::string& flagfiles);

}  // namespace shardd

#endif  // SHARDD_SHARD_FLAG_FILE_CHECK_H_
