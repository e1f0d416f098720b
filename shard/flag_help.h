// shardd --help: shardd's own flags, grouped by what they configure, with
// their defaults; gflags' own flags (--flagfile, --fromenv, ...) are left
// to --helpfull.
#ifndef SHARDD_SHARD_FLAG_HELP_H_
#define SHARDD_SHARD_FLAG_HELP_H_

#include <string>

namespace shardd {

// The text --help prints: every flag defined in `defining_file` (a suffix
// of the path gflags records), each under its group; flags no group names
// come last, under "other", so that none is left out.
std::string FlagHelp(const std::string& defining_file);

}  // namespace shardd

#endif  // SHARDD_SHARD_FLAG_HELP_H_
