// The validators and dates of a file's response headers, from its statx:
// a strong ETag (inode, size and modification time: any write changes it)
// and Last-Modified as an HTTP-date (RFC 9110 5.6.7).
//
//   std::string headers = MetadataHeaders(st);  // "ETag: ...\r\nLast-Modified: ...\r\n"
#ifndef SHARDD_SHARD_FILES_FILE_METADATA_H_
#define SHARDD_SHARD_FILES_FILE_METADATA_H_

#include <sys/stat.h>

#include <string>

namespace shardd::files {

// "\"<inode>-<size>-<mtime ns>\"" in hex.
std::string ETagOf(const struct statx& st);

// "Sun, 06 Nov 1994 08:49:37 GMT".
std::string HttpDateOf(const struct statx_timestamp& t);

// "ETag: ...\r\nLast-Modified: ...\r\nAccept-Ranges: bytes\r\n".
std::string MetadataHeaders(const struct statx& st);

}  // namespace shardd::files

#endif  // SHARDD_SHARD_FILES_FILE_METADATA_H_
