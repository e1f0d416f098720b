// The keys and scores ListZSetGenerator draws from, shared by the files that
// implement it: list_zset_generator.cc (keys, arguments and the mix of
// commands), list_generator.cc (list commands) and zset_generator.cc
// (sorted-set commands).
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_LIST_ZSET_POOLS_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_LIST_ZSET_POOLS_H_

#include <string>
#include <vector>

namespace shardd::integration::list_zset_pools {

// Two hash tags, {L} for lists and {Z} for sorted sets, give multi-key
// commands keys on one shard; untagged keys spread over the others.
inline const std::vector<std::string> kLists = {"list:1", "list:2", "{L}:a",
                                                "{L}:b", "{L}:c"};
// Sorted sets that never grow past the compact encoding (ZSCAN is safe).
inline const std::vector<std::string> kSmallZSets = {"zset:1", "{Z}:a"};
// Sorted sets that may: batch adds, long members, store destinations.
inline const std::vector<std::string> kGrowingZSets = {"zset:2", "zset:big",
                                                       "{Z}:b", "{Z}:big"};
// Sorted sets whose members all score 0, for BYLEX.
inline const std::vector<std::string> kLexZSets = {"lex:1", "{Z}:lex"};
inline const std::vector<std::string> kStrings = {"str:1", "{L}:s", "{Z}:s"};

inline const std::vector<std::string> kScores = {"0",
                                                 "1",
                                                 "2",
                                                 "3",
                                                 "-1",
                                                 "-2.5",
                                                 "1.5",
                                                 "0.1",
                                                 "10",
                                                 "100",
                                                 "inf",
                                                 "-inf",
                                                 "+inf",
                                                 "1e20",
                                                 "7",
                                                 "0x10",
                                                 "-0",
                                                 "1e-5",
                                                 "3.0000000000000004"};

}  // namespace shardd::integration::list_zset_pools

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_LIST_ZSET_POOLS_H_
