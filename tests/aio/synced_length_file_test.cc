// SyncedLengthFile (--record_synced_lengths): the mark beside a log file
// says what the last completed sync covered, never what was only written,
// so that power_loss_test cuts no more than a power loss could.
#include "aio/log/synced_length_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/aio/run_on_shard.h"

namespace shardd::aio {
namespace {

class SyncedLengthFileTest : public testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/synced-length-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    path_ = dir_ + "/g1-0.aof";
    std::ofstream(path_) << "*1\r\n";  // 4 bytes from an earlier run
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The mark's value (-1 if there is none).
  int64_t Mark() const {
    std::ifstream in(path_ + ".synced");
    int64_t value = -1;
    in >> value;
    return value;
  }
  int OpenLog() const { return open(path_.c_str(), O_RDWR | O_CLOEXEC); }

  std::string dir_;
  std::string path_;
};

TEST_F(SyncedLengthFileTest, MarksOnlyWhatACompletedSyncCovered) {
  std::vector<int64_t> marks;
  RunOnShard([&]() -> Task<void> {
    SyncedLengthFile file(OpenLog());
    marks.push_back(Mark());  // what the file held when opened
    EXPECT_EQ(co_await file.Write("$1\r\n", 4), 4);
    marks.push_back(Mark());  // written, not synced
    EXPECT_EQ(co_await file.Sync(), 0);
    marks.push_back(Mark());
    const WriteSyncResult both = co_await file.WriteAndSync("a\r\n", 8);
    EXPECT_EQ(both.written, 3);
    EXPECT_EQ(both.synced, 0);
    marks.push_back(Mark());
  });
  EXPECT_EQ(marks, (std::vector<int64_t>{4, 4, 8, 11}));
  // After the loop: the shutdown's last flush.
  SyncedLengthFile file(OpenLog());
  EXPECT_EQ(file.WriteAndSyncBlocking("*1\r\n", 11), 0);
  EXPECT_EQ(Mark(), 15);
  EXPECT_EQ(std::filesystem::file_size(path_), 15u);
}

TEST_F(SyncedLengthFileTest, MadeOnlyWhenAsked) {
  set_record_synced_lengths(false);
  MakeLogFile(OpenLog()).reset();
  EXPECT_FALSE(std::filesystem::exists(path_ + ".synced"));
  set_record_synced_lengths(true);
  MakeLogFile(OpenLog()).reset();
  set_record_synced_lengths(false);
  EXPECT_EQ(Mark(), 4);
}

}  // namespace
}  // namespace shardd::aio
