#include "aio/log/manifest.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace shardd::aio {
namespace {

class LogDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/manifest-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
    dir_ = root_ + "/aof";
  }
  void TearDown() override {
    ASSERT_EQ(std::system(("rm -rf " + root_).c_str()), 0);
  }
  bool Exists(const std::string& name) const {
    struct stat st {};
    return stat((dir_ + "/" + name).c_str(), &st) == 0;
  }
  static void CloseAll(const OpenLogs& logs) {
    for (int fd : logs.fds) close(fd);
  }

  std::string root_;
  std::string dir_;
};

TEST(ManifestTest, TextRoundTrips) {
  const Manifest manifest{{{1, 4}, {3, 2}}};
  const std::string text = FormatManifest(manifest);
  EXPECT_EQ(text, "shardd-aof 1\ngeneration 1 files 4\ngeneration 3 files 2\n");
  absl::StatusOr<Manifest> parsed = ParseManifest(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->generations.size(), 2u);
  EXPECT_EQ(parsed->generations[1].id, 3u);
  EXPECT_EQ(parsed->generations[1].files, 2u);
  EXPECT_EQ(LogFileName(3, 1), "g3-1.aof");
}

TEST(ManifestTest, BadTextIsRefusedWithTheLine) {
  for (const char* bad :
       {"", "shardd-aof 2\n", "shardd-aof 1\ngeneration x files 1\n",
        "shardd-aof 1\ngeneration 1 files 0\n",
        "shardd-aof 1\ngeneration 2 files 1\ngeneration 2 files 1\n",
        "shardd-aof 1\ngen 1 files 1\n"}) {
    absl::StatusOr<Manifest> parsed = ParseManifest(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    EXPECT_NE(parsed.status().message().find("manifest line"),
              std::string::npos)
        << parsed.status();
  }
}

TEST_F(LogDirTest, FirstStartMakesAGenerationAndTheSameCountReusesIt) {
  absl::StatusOr<OpenLogs> first = OpenLogDir(dir_, 3);
  ASSERT_TRUE(first.ok()) << first.status();
  CloseAll(*first);
  ASSERT_EQ(first->manifest.generations.size(), 1u);
  EXPECT_EQ(first->fds.size(), 3u);
  EXPECT_TRUE(Exists("g1-2.aof"));
  EXPECT_TRUE(Exists("manifest"));

  absl::StatusOr<OpenLogs> again = OpenLogDir(dir_, 3);
  ASSERT_TRUE(again.ok()) << again.status();
  CloseAll(*again);
  EXPECT_EQ(again->manifest.generations.size(), 1u);

  absl::StatusOr<OpenLogs> other = OpenLogDir(dir_, 2);
  ASSERT_TRUE(other.ok()) << other.status();
  CloseAll(*other);
  ASSERT_EQ(other->manifest.generations.size(), 2u);
  EXPECT_EQ(other->manifest.generations[1].id, 2u);
  EXPECT_EQ(other->manifest.generations[1].files, 2u);
  absl::StatusOr<Manifest> read = ReadManifest(dir_);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->generations.size(), 2u);
}

TEST_F(LogDirTest, FilesTheManifestDoesNotNameAreRemoved) {
  absl::StatusOr<OpenLogs> first = OpenLogDir(dir_, 1);
  ASSERT_TRUE(first.ok()) << first.status();
  CloseAll(*first);
  std::ofstream(dir_ + "/g7-0.aof") << "left by a crash";
  std::ofstream(dir_ + "/manifest.tmp") << "half";
  absl::StatusOr<OpenLogs> again = OpenLogDir(dir_, 1);
  ASSERT_TRUE(again.ok()) << again.status();
  CloseAll(*again);
  EXPECT_FALSE(Exists("g7-0.aof"));
  EXPECT_FALSE(Exists("manifest.tmp"));
  EXPECT_TRUE(Exists("g1-0.aof"));
}

}  // namespace
}  // namespace shardd::aio
