// Directory listings: ReadDirectory on a real temporary directory (sorted,
// bounded, temporaries left out, symlinks not followed) and the JSON form
// (escaping of every kind of name byte).
#include "shard/files/listing.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace shardd::files {
namespace {

class ListingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/shardd-listing-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override {
    std::error_code error;
    std::filesystem::remove_all(dir_, error);
  }
  void Write(const std::string& name, const std::string& bytes) {
    std::ofstream(absl::StrCat(dir_, "/", name)) << bytes;
  }
  int OpenDir() const { return open(dir_.c_str(), O_RDONLY | O_DIRECTORY); }

  std::string dir_;
};

TEST_F(ListingTest, EntriesAreSortedTypedAndSized) {
  Write("b.txt", "12345");
  Write("a.txt", "");
  std::filesystem::create_directory(dir_ + "/sub");
  std::filesystem::create_symlink("/etc/passwd", dir_ + "/link");
  Write(".shardd-tmp-1-2", "partial");
  const Listing listing = ReadDirectory(OpenDir(), 100);
  EXPECT_EQ(listing.error, 0);
  EXPECT_FALSE(listing.truncated);
  ASSERT_EQ(listing.entries.size(), 4u);
  EXPECT_EQ(listing.entries[0].name, "a.txt");
  EXPECT_EQ(listing.entries[0].type, "file");
  EXPECT_EQ(listing.entries[0].size, 0u);
  EXPECT_EQ(listing.entries[1].name, "b.txt");
  EXPECT_EQ(listing.entries[1].size, 5u);
  EXPECT_EQ(listing.entries[2].name, "link");
  EXPECT_EQ(listing.entries[2].type, "other");  // not followed
  EXPECT_EQ(listing.entries[2].size, 0u);
  EXPECT_EQ(listing.entries[3].name, "sub");
  EXPECT_EQ(listing.entries[3].type, "dir");
}

TEST_F(ListingTest, LongDirectoriesAreCut) {
  for (int i = 0; i < 10; ++i) Write(absl::StrCat("f", i), "x");
  const Listing listing = ReadDirectory(OpenDir(), 3);
  EXPECT_TRUE(listing.truncated);
  // The first three by name, whatever order the directory gives them in.
  ASSERT_EQ(listing.entries.size(), 3u);
  EXPECT_EQ(listing.entries[0].name, "f0");
  EXPECT_EQ(listing.entries[1].name, "f1");
  EXPECT_EQ(listing.entries[2].name, "f2");
  EXPECT_FALSE(ReadDirectory(OpenDir(), 10).truncated);
}

TEST_F(ListingTest, ABadDescriptorIsAnError) {
  EXPECT_NE(ReadDirectory(-1, 10).error, 0);
}

TEST(JsonEscapeTest, EscapesWhatJsonRequires) {
  EXPECT_EQ(JsonEscape("plain name.txt"), "plain name.txt");
  EXPECT_EQ(JsonEscape("q\"b\\s"), "q\\\"b\\\\s");
  EXPECT_EQ(JsonEscape(std::string("a\nb\x01\x7f", 5)),
            "a\\u000ab\\u0001\\u007f");
  // Valid UTF-8 stays as it is; any other byte above 0x7f is \u00XX.
  EXPECT_EQ(JsonEscape("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  EXPECT_EQ(JsonEscape("\xff\xc3"), "\\u00ff\\u00c3");
  EXPECT_EQ(JsonEscape("\xc0\x80"), "\\u00c0\\u0080");          // overlong
  EXPECT_EQ(JsonEscape("\xed\xa0\x80"), "\\u00ed\\u00a0\\u0080");  // surrogate
}

TEST(ListingJsonTest, Shape) {
  Listing listing;
  listing.entries.push_back(
      {.name = "a\"b", .type = "file", .size = 3, .mtime_s = 7});
  listing.entries.push_back({.name = "d", .type = "dir", .size = 0, .mtime_s = 8});
  listing.truncated = true;
  EXPECT_EQ(ListingJson("/x/", listing),
            "{\"path\":\"/x/\",\"entries\":["
            "{\"name\":\"a\\\"b\",\"type\":\"file\",\"size\":3,\"mtime\":7},"
            "{\"name\":\"d\",\"type\":\"dir\",\"size\":0,\"mtime\":8}],"
            "\"truncated\":true}\n");
}

}  // namespace
}  // namespace shardd::files
