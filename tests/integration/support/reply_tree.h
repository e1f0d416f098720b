// Reply: a RESP2 or RESP3 reply parsed into a tree, for the tests that
// compare replies with Redis's tolerantly (as multisets, or without some
// fields) rather than byte for byte; Encode writes a tree back.
//
//   std::optional<Reply> reply = ParseReply("*1\r\n:1\r\n");
//   reply->elements[0].text;  // "1"
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_REPLY_TREE_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_REPLY_TREE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardd::integration {

struct Reply {
  char type = 0;                // '+', '-', ':', '$', '*', '~', '%', '_' ...
  bool null = false;            // $-1, *-1 or _
  std::string text;             // the line, or the bulk's payload
  std::vector<Reply> elements;  // of an aggregate (a map's keys and values)
};

// Arrays, sets, maps and pushes.
bool IsAggregate(char type);

// The first reply of `bytes`, or nullopt if it does not start with a whole
// one.
std::optional<Reply> ParseReply(std::string_view bytes);

// The reply's bytes again.
std::string Encode(const Reply& reply);

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_REPLY_TREE_H_
