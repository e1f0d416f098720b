#include "aio/file.h"

#include <unistd.h>

#include <cstdlib>
#include <future>
#include <string>

#include "gtest/gtest.h"
#include "shard/shard_set.h"

namespace shardd {
namespace {

struct FileResult {
  int write_result = 0;
  int fsync_result = 0;
  int read_result = 0;
  std::string read_back;
  int open_missing = 0;
};

Task<void> WriteSyncReadBack(std::string path, std::promise<FileResult>& out) {
  FileResult r;
  const std::string payload = "shard-per-core\n";
  int fd = co_await aio::Open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC);
  EXPECT_GE(fd, 0);
  r.write_result = co_await aio::Write(fd, payload.data(), payload.size(), 0);
  r.fsync_result = co_await aio::Fsync(fd);
  char buffer[64] = {};
  r.read_result = co_await aio::Read(fd, buffer, sizeof(buffer), 0);
  if (r.read_result > 0) r.read_back.assign(buffer, r.read_result);
  EXPECT_EQ(co_await aio::Close(fd), 0);
  const std::string missing = path + ".does-not-exist/x";
  r.open_missing = co_await aio::Open(missing.c_str(), O_RDONLY);
  out.set_value(r);
}

TEST(FileTest, WriteFsyncReadThroughTheShardRing) {
  char dir_template[] = "/tmp/shardd-file-test-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string path = std::string(dir_template) + "/data";

  ShardSet shards({.shard_count = 1});
  std::promise<FileResult> result;
  ASSERT_TRUE(shards.Start([&](Reactor& r) {
    r.Spawn(WriteSyncReadBack(path, result));
  }).ok());
  FileResult r = result.get_future().get();
  shards.Stop();

  EXPECT_EQ(r.write_result, 15);
  EXPECT_EQ(r.fsync_result, 0);
  EXPECT_EQ(r.read_result, 15);
  EXPECT_EQ(r.read_back, "shard-per-core\n");
  EXPECT_EQ(r.open_missing, -ENOENT);
  unlink(path.c_str());
  rmdir(dir_template);
}

}  // namespace
}  // namespace shardd
