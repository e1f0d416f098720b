// DbKey: keys of different databases never share a name, and each name
// gives back its database and key.
#include "shard/kv/exec/db_key.h"

#include <string>
#include <string_view>

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"

namespace shardd::kv {
namespace {

TEST(DbKeyTest, DatabaseZeroKeysAreTheirOwnNames) {
  EXPECT_EQ(DbKey(0, "user:1").view(), "user:1");
  EXPECT_EQ(DbKey(0, "").view(), "");
}

TEST(DbKeyTest, NamesAreOneToOne) {
  // Keys chosen to collide under a careless encoding: one that looks like
  // another database's name, and the \xff prefix itself.
  const std::string_view keys[] = {"",
                                   "k",
                                   "\xff"
                                   "1:k",
                                   "\xff",
                                   "1:k",
                                   "\xff"
                                   "0:k"};
  absl::flat_hash_set<std::string> names;
  for (uint32_t db : {0u, 1u, 10u, 65535u}) {
    for (std::string_view key : keys) {
      const DbKey name(db, key);
      EXPECT_TRUE(names.insert(std::string(name.view())).second)
          << db << " " << key;
      uint32_t parsed_db = 99;
      std::string_view parsed_key;
      ParseDbKey(name.view(), &parsed_db, &parsed_key);
      EXPECT_EQ(parsed_db, db);
      EXPECT_EQ(parsed_key, key);
    }
  }
}

}  // namespace
}  // namespace shardd::kv
