// Fair randomness: SRANDMEMBER, SPOP, HRANDFIELD and ZRANDMEMBER pick every
// member with the same chance, and RANDOMKEY every key of a shard (the
// weighting of shards is keyspace_scan_test's), in every encoding, with single
// picks and positive and negative counts. As Redis's own tests do, a histogram
// of the picks from 10 members must pass a chi-square test (9 degrees of
// freedom, failing above 40); and a large set, whose picks take the bucketed
// path, one with as many degrees of freedom as members. The generator is
// seeded; the large set's layout follows the process's hash seed, hence a bound
// 6.7 deviations out.
#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

// The bulk strings of a reply, in order (an array's, or a lone bulk).
std::vector<std::string> Bulks(const std::string& reply) {
  std::vector<std::string> bulks;
  size_t at = 0;
  while ((at = reply.find('$', at)) != std::string::npos) {
    const size_t eol = reply.find("\r\n", at);
    const int64_t length = std::stoll(reply.substr(at + 1, eol - at - 1));
    if (length >= 0) {
      bulks.push_back(reply.substr(eol + 2, static_cast<size_t>(length)));
      at = eol + 2 + static_cast<size_t>(length);
    } else {
      at = eol;
    }
  }
  return bulks;
}

// Pearson's statistic of `counts` against the same count for each of
// `members` names.
double ChiSquare(const std::map<std::string, int64_t>& counts,
                 const std::vector<std::string>& members) {
  int64_t total = 0;
  for (const auto& [member, count] : counts) total += count;
  const double expected = static_cast<double>(total) / members.size();
  double chi = 0;
  for (const std::string& member : members) {
    const auto it = counts.find(member);
    const double observed = it == counts.end() ? 0 : it->second;
    chi += (observed - expected) * (observed - expected) / expected;
  }
  return chi;
}

class FairnessTest : public ::testing::Test {
 protected:
  FairnessTest() { run.random = absl::BitGen(std::seed_seq{7, 11, 13}); }

  // Ten members named `prefix`0 ... `prefix`9.
  static std::vector<std::string> Names(const std::string& prefix,
                                        int count = 10) {
    std::vector<std::string> names;
    for (int i = 0; i < count; ++i) names.push_back(absl::StrCat(prefix, i));
    return names;
  }

  // Counts the members the command's replies name, over `rounds` calls.
  std::map<std::string, int64_t> Histogram(
      const std::vector<std::string_view>& command, int rounds,
      const std::vector<std::string>& members) {
    std::map<std::string, int64_t> counts;
    for (int i = 0; i < rounds; ++i) {
      for (const std::string& bulk : Bulks(run(command))) {
        if (std::find(members.begin(), members.end(), bulk) != members.end()) {
          ++counts[bulk];
        }
      }
    }
    return counts;
  }

  // The histograms of single picks and of counts -1000, 8 and 2 (each
  // about 1000 picks) all pass.
  void ExpectFair(const std::string& command, const std::string& key,
                  const std::vector<std::string>& members) {
    struct Case {
      std::vector<std::string_view> args;
      int rounds;
    };
    const std::vector<Case> cases = {
        {{command, key}, 1000},
        {{command, key, "-1000"}, 1},
        {{command, key, "8"}, 125},
        {{command, key, "2"}, 500},
    };
    for (const Case& c : cases) {
      const std::map<std::string, int64_t> counts =
          Histogram(c.args, c.rounds, members);
      EXPECT_LT(ChiSquare(counts, members), 40)
          << command << " " << (c.args.size() > 2 ? c.args[2] : "(single)");
    }
  }

  HandlerRunner run;
};

TEST_F(FairnessTest, SRandMemberIntset) {
  const std::vector<std::string> members = Names("");
  for (const std::string& m : members) run({"sadd", "s", m});
  ASSERT_EQ(run({"object", "encoding", "s"}), "$6\r\nintset\r\n");
  ExpectFair("srandmember", "s", members);
}

TEST_F(FairnessTest, SRandMemberHashtable) {
  const std::vector<std::string> members = Names("member-");
  for (const std::string& m : members) run({"sadd", "s", m});
  ASSERT_EQ(run({"object", "encoding", "s"}), "$9\r\nhashtable\r\n");
  ExpectFair("srandmember", "s", members);
}

TEST_F(FairnessTest, HRandFieldListpackAndHashtable) {
  const std::vector<std::string> fields = Names("field-");
  const std::string long_value(100, 'v');  // past hash-max-listpack-value
  for (const std::string& f : fields) {
    run({"hset", "small", f, "v"});
    run({"hset", "large", f, long_value});
  }
  ASSERT_EQ(run({"object", "encoding", "small"}), "$8\r\nlistpack\r\n");
  ASSERT_EQ(run({"object", "encoding", "large"}), "$9\r\nhashtable\r\n");
  ExpectFair("hrandfield", "small", fields);
  ExpectFair("hrandfield", "large", fields);
}

TEST_F(FairnessTest, ZRandMemberListpackAndSkiplist) {
  const std::vector<std::string> short_names = Names("m");
  const std::vector<std::string> long_names = Names(std::string(100, 'm'));
  for (int i = 0; i < 10; ++i) {
    const std::string score = std::to_string(i);
    run({"zadd", "small", score, short_names[i]});
    run({"zadd", "large", score, long_names[i]});
  }
  ASSERT_EQ(run({"object", "encoding", "small"}), "$8\r\nlistpack\r\n");
  ASSERT_EQ(run({"object", "encoding", "large"}), "$8\r\nskiplist\r\n");
  ExpectFair("zrandmember", "small", short_names);
  ExpectFair("zrandmember", "large", long_names);
}

// SPOP takes its picks out: each round pops from a fresh copy.
TEST_F(FairnessTest, SPopIntsetAndHashtable) {
  for (const std::string prefix : {"", "member-"}) {
    const std::vector<std::string> members = Names(prefix);
    for (const std::string_view count : {"", "1", "2"}) {
      std::map<std::string, int64_t> counts;
      for (int round = 0; round < 1000; ++round) {
        run({"del", "s"});
        for (const std::string& m : members) run({"sadd", "s", m});
        const std::string reply =
            count.empty() ? run({"spop", "s"}) : run({"spop", "s", count});
        for (const std::string& bulk : Bulks(reply)) ++counts[bulk];
      }
      EXPECT_LT(ChiSquare(counts, members), 40)
          << "prefix '" << prefix << "' count '" << count << "'";
    }
  }
}

// A set too large to walk: the bucketed pick. 1000 members, 200 picks of
// each expected; with 999 degrees of freedom the statistic's deviation is
// about 45, so 1300 is far out. (A probe at a random hash, weighted by the
// gap below each member, scores in the tens of thousands.)
TEST_F(FairnessTest, LargeSetPicksUniformly) {
  const std::vector<std::string> members = Names("big-", 1000);
  for (const std::string& m : members) run({"sadd", "big", m});
  const std::map<std::string, int64_t> counts =
      Histogram({"srandmember", "big", "-200000"}, 1, members);
  EXPECT_LT(ChiSquare(counts, members), 1300);
  EXPECT_EQ(counts.size(), members.size());
}

TEST_F(FairnessTest, RandomKeySmallKeyspace) {
  const std::vector<std::string> keys = Names("key-");
  for (const std::string& k : keys) run({"set", k, "v"});
  const std::map<std::string, int64_t> counts =
      Histogram({"randomkey"}, 1000, keys);
  EXPECT_LT(ChiSquare(counts, keys), 40);
}

// 3000 keys, more than a bounded walk of the table would reach: every key
// comes up, 20 times each expected (2999 degrees of freedom, a deviation of
// about 77; 3600 is 7.8 deviations out).
TEST_F(FairnessTest, RandomKeyLargeKeyspace) {
  const std::vector<std::string> keys = Names("key-", 3000);
  for (const std::string& k : keys) run({"set", k, "v"});
  const std::map<std::string, int64_t> counts =
      Histogram({"randomkey"}, 60000, keys);
  EXPECT_LT(ChiSquare(counts, keys), 3600);
  EXPECT_EQ(counts.size(), keys.size());
}

}  // namespace
}  // namespace shardd::kv
