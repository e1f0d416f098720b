// COMMAND against the real binary (4 shards) and redis-server 7.0: INFO
// and DOCS of every command and subcommand, LIST, GETKEYS and
// GETKEYSANDFLAGS, and the containers' HELP.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tests/integration/reference_server_test.h"
#include "tests/integration/support/reply_tree.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/resp_codec.h"

namespace shardd::integration {
namespace {

class CommandIntrospectionTest : public ReferenceServerTest {};

// How many times `needle` occurs in `text`.
size_t Occurrences(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// A COMMAND INFO or DOCS reply with every command's subcommands in name
// order: Redis lists them in its hash table's order, shardd by name.
std::string SortSubcommands(const std::string& reply) {
  std::optional<Reply> tree = ParseReply(reply);
  if (!tree.has_value()) return reply;
  const auto by_name = [](const Reply& a, const Reply& b) {
    return a.elements.empty() || b.elements.empty()
               ? false
               : a.elements[0].text < b.elements[0].text;
  };
  for (Reply& entry : tree->elements) {
    // COMMAND INFO: the tenth field of each entry.
    if (entry.type == '*' && entry.elements.size() == 10) {
      std::vector<Reply>& subs = entry.elements[9].elements;
      std::sort(subs.begin(), subs.end(), by_name);
    }
    // COMMAND DOCS (RESP3): the "subcommands" map, key by key.
    if (entry.type != '%') continue;
    for (size_t i = 0; i + 1 < entry.elements.size(); i += 2) {
      if (entry.elements[i].text != "subcommands") continue;
      std::vector<Reply>& flat = entry.elements[i + 1].elements;
      std::vector<Reply> pairs;
      for (size_t j = 0; j + 1 < flat.size(); j += 2) {
        Reply pair;
        pair.elements = {std::move(flat[j]), std::move(flat[j + 1])};
        pairs.push_back(std::move(pair));
      }
      std::sort(pairs.begin(), pairs.end(), by_name);
      flat.clear();
      for (Reply& pair : pairs) {
        for (Reply& part : pair.elements) flat.push_back(std::move(part));
      }
    }
  }
  return Encode(*tree);
}

// COMMAND INFO of every command and subcommand shardd has is redis-server
// 7.0's, byte for byte in both protocols (arity, flags, key positions, ACL
// categories, tips, key specs, subcommands), but for the commands whose key
// specs carry notes (prose shardd leaves out) and those of whose
// subcommands shardd has only some.
TEST_F(CommandIntrospectionTest, CommandInfoMatchesRedis) {
  for (const int protocol : {2, 3}) {
    absl::StatusOr<RespClient> theirs = ConnectReference();
    ASSERT_TRUE(theirs.ok()) << theirs.status();
    RespClient ours = MustConnect();
    if (protocol == 3) {
      ASSERT_TRUE(theirs->Command({"HELLO", "3"}).ok());
      ASSERT_TRUE(ours.Command({"HELLO", "3"}).ok());
    }
    const std::optional<std::vector<std::string>> names =
        BulkArrayOf(*MustConnect().Command({"COMMAND", "LIST"}));
    ASSERT_TRUE(names.has_value());
    int compared = 0;
    int subcommands = 0;
    for (const std::string& name : *names) {
      const std::string reference =
          SortSubcommands(*theirs->Command({"COMMAND", "INFO", name}));
      const std::string mine =
          SortSubcommands(*ours.Command({"COMMAND", "INFO", name}));
      // (DEBUG and MONITOR are refused inside MULTI here, so they have
      // no_multi.)
      const bool described =
          reference.find("$5\r\nnotes\r\n") == std::string::npos &&
          Occurrences(reference, name + "|") == Occurrences(mine, name + "|") &&
          name != "debug" && name != "monitor";
      EXPECT_NE(reference, protocol == 2 ? "*1\r\n$-1\r\n" : "*1\r\n_\r\n")
          << name << " is not a Redis 7.0 command";
      if (!described) continue;
      EXPECT_EQ(Printable(mine, 2000), Printable(reference, 2000))
          << name << " RESP" << protocol;
      ++compared;
      if (name.find('|') != std::string::npos) ++subcommands;
    }
    EXPECT_GT(compared, 150) << "RESP" << protocol;
    EXPECT_GT(subcommands, 40) << "RESP" << protocol;
  }
  RespClient client = MustConnect();
  std::optional<std::vector<std::string>> transaction =
      BulkArrayOf(*client.Command(
          {"COMMAND", "LIST", "FILTERBY", "ACLCAT", "TRANSACTION"}));
  ASSERT_TRUE(transaction.has_value());
  std::sort(transaction->begin(), transaction->end());
  EXPECT_EQ(*transaction, (std::vector<std::string>{"discard", "exec", "multi",
                                                    "unwatch", "watch"}));
}

// `docs` without what shardd words itself or leaves out (summaries,
// complexity, history), and without the subcommands not in `kept`
// (nor a "subcommands" field left empty).
void StripProse(Reply* docs, const std::set<std::string>& kept) {
  if (docs->type != '%') {
    for (Reply& element : docs->elements) StripProse(&element, kept);
    return;
  }
  std::vector<Reply> elements;
  for (size_t i = 0; i + 1 < docs->elements.size(); i += 2) {
    const std::string& key = docs->elements[i].text;
    if (key == "summary" || key == "complexity" || key == "history" ||
        (key.find('|') != std::string::npos && !kept.contains(key))) {
      continue;
    }
    Reply value = std::move(docs->elements[i + 1]);
    StripProse(&value, kept);
    // (None of SCRIPT's subcommands is shardd's.)
    if (key == "subcommands" && value.elements.empty()) continue;
    elements.push_back(std::move(docs->elements[i]));
    elements.push_back(std::move(value));
  }
  docs->elements = std::move(elements);
}

// The value of `key` in a RESP3 map, or null.
const Reply* MapValue(const Reply& map, const std::string& key) {
  for (size_t i = 0; i + 1 < map.elements.size(); i += 2) {
    if (map.elements[i].text == key) return &map.elements[i + 1];
  }
  return nullptr;
}

// COMMAND DOCS of every command and subcommand shardd has is redis-server
// 7.0's (since, group, doc flags, arguments, subcommands shardd has), with
// a summary and a complexity of shardd's own; the whole table is served
// without names, and a RESP2 client gets the same as flat arrays.
TEST_F(CommandIntrospectionTest, CommandDocsMatchRedis) {
  absl::StatusOr<RespClient> theirs = ConnectReference();
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  RespClient ours = MustConnect();
  ASSERT_TRUE(theirs->Command({"HELLO", "3"}).ok());
  ASSERT_TRUE(ours.Command({"HELLO", "3"}).ok());
  const std::optional<std::vector<std::string>> names =
      BulkArrayOf(*MustConnect().Command({"COMMAND", "LIST"}));
  ASSERT_TRUE(names.has_value());
  const std::set<std::string> kept(names->begin(), names->end());
  for (const std::string& name : *names) {
    std::optional<Reply> mine =
        ParseReply(*ours.Command({"COMMAND", "DOCS", name}));
    std::optional<Reply> reference =
        ParseReply(*theirs->Command({"COMMAND", "DOCS", name}));
    ASSERT_TRUE(mine.has_value() && reference.has_value()) << name;
    ASSERT_EQ(mine->elements.size(), 2u) << name;
    // Each where Redis has one (MONITOR has no complexity).
    for (const char* field : {"summary", "complexity"}) {
      if (MapValue(reference->elements[1], field) == nullptr) continue;
      const Reply* text = MapValue(mine->elements[1], field);
      EXPECT_TRUE(text != nullptr && !text->text.empty()) << name << field;
    }
    StripProse(&*mine, kept);
    StripProse(&*reference, kept);
    mine = ParseReply(SortSubcommands(Encode(*mine)));
    reference = ParseReply(SortSubcommands(Encode(*reference)));
    ASSERT_TRUE(mine.has_value() && reference.has_value()) << name;
    EXPECT_EQ(Printable(Encode(*mine), 3000),
              Printable(Encode(*reference), 3000))
        << name;
  }
  // Every command at once; unknown names are left out.
  std::optional<Reply> all = ParseReply(*ours.Command({"COMMAND", "DOCS"}));
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(static_cast<int64_t>(all->elements.size() / 2),
            IntegerOf(*ours.Command({"COMMAND", "COUNT"})).value_or(-1));
  EXPECT_EQ(*ours.Command({"COMMAND", "DOCS", "nosuch", "nosuch|x"}), "%0\r\n");
  // RESP2: the map as a flat array.
  RespClient resp2 = MustConnect();
  std::optional<Reply> get =
      ParseReply(*resp2.Command({"COMMAND", "DOCS", "GET"}));
  ASSERT_TRUE(get.has_value());
  ASSERT_EQ(get->type, '*');
  ASSERT_EQ(get->elements.size(), 2u);
  EXPECT_EQ(get->elements[0].text, "get");
  std::vector<std::string> keys;
  for (size_t i = 0; i < get->elements[1].elements.size(); i += 2) {
    keys.push_back(get->elements[1].elements[i].text);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"summary", "since", "group",
                                            "complexity", "arguments"}));
}

// COMMAND LIST names every subcommand after its command, each one Redis
// has; GETKEYS and GETKEYSANDFLAGS find the keys and their key spec flags
// as Redis does; COMMAND HELP and the other containers' HELP answer.
TEST_F(CommandIntrospectionTest, CommandSubcommandsMatchRedis) {
  absl::StatusOr<RespClient> theirs = ConnectReference();
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  RespClient ours = MustConnect();
  const std::optional<std::vector<std::string>> mine =
      BulkArrayOf(*ours.Command({"COMMAND", "LIST"}));
  const std::optional<std::vector<std::string>> reference =
      BulkArrayOf(*theirs->Command({"COMMAND", "LIST"}));
  ASSERT_TRUE(mine.has_value() && reference.has_value());
  const std::set<std::string> known(reference->begin(), reference->end());
  std::string parent;
  for (const std::string& name : *mine) {
    EXPECT_TRUE(known.contains(name)) << name;
    const size_t bar = name.find('|');
    if (bar == std::string::npos) {
      parent = name;
    } else {
      EXPECT_EQ(name.substr(0, bar), parent) << name;
    }
  }
  EXPECT_NE(std::find(mine->begin(), mine->end(), "client|list"), mine->end());
  // CLIENT TRACKING is refused, so it is not listed.
  EXPECT_EQ(std::find(mine->begin(), mine->end(), "client|tracking"),
            mine->end());
  for (const int protocol : {2, 3}) {
    RespClient a = MustConnect();
    absl::StatusOr<RespClient> b = ConnectReference();
    ASSERT_TRUE(b.ok()) << b.status();
    if (protocol == 3) {
      ASSERT_TRUE(a.Command({"HELLO", "3"}).ok());
      ASSERT_TRUE(b->Command({"HELLO", "3"}).ok());
    }
    const std::vector<std::vector<std::string>> commands = {
        {"COMMAND", "GETKEYSANDFLAGS", "set", "a", "b"},
        {"COMMAND", "GETKEYSANDFLAGS", "set", "a", "b", "get"},
        {"COMMAND", "GETKEYSANDFLAGS", "get", "a"},
        {"COMMAND", "GETKEYSANDFLAGS", "lmove", "a", "b", "left", "right"},
        {"COMMAND", "GETKEYSANDFLAGS", "mset", "a", "1", "b", "2"},
        {"COMMAND", "GETKEYSANDFLAGS", "del", "a", "b", "c"},
        {"COMMAND", "GETKEYSANDFLAGS", "zunionstore", "d", "2", "a", "b"},
        {"COMMAND", "GETKEYSANDFLAGS", "zunionstore", "d", "x", "a", "b"},
        {"COMMAND", "GETKEYSANDFLAGS", "zunionstore", "d", "3", "a", "b"},
        {"COMMAND", "GETKEYSANDFLAGS", "zunionstore", "d", "0", "a"},
        {"COMMAND", "GETKEYSANDFLAGS", "sintercard", "2", "a"},
        {"COMMAND", "GETKEYSANDFLAGS", "sintercard", "2", "a", "b", "LIMIT",
         "1"},
        {"COMMAND", "GETKEYSANDFLAGS", "eval", "return 1", "0"},
        {"COMMAND", "GETKEYSANDFLAGS", "eval", "return 1", "2", "a", "b"},
        {"COMMAND", "GETKEYSANDFLAGS", "object", "encoding", "k"},
        {"COMMAND", "GETKEYSANDFLAGS", "memory", "usage", "k"},
        {"COMMAND", "GETKEYSANDFLAGS", "object", "nosuch", "k"},
        {"COMMAND", "GETKEYSANDFLAGS", "spublish", "ch", "m"},
        {"COMMAND", "GETKEYS", "object", "encoding", "k"},
        {"COMMAND", "GETKEYS", "memory", "usage", "k"},
        {"COMMAND", "GETKEYS", "memory", "usage", "k", "SAMPLES", "5"},
        {"COMMAND", "GETKEYS", "memory", "usage"},
        {"COMMAND", "GETKEYS", "memory", "stats"},
        {"COMMAND", "GETKEYS", "memory", "nosuch", "k"},
        {"COMMAND", "GETKEYS", "object", "nosuch", "k"},
        {"COMMAND", "GETKEYS", "config", "get", "x"},
        {"COMMAND", "GETKEYSANDFLAGS", "blpop", "a", "b", "0"},
        {"COMMAND", "GETKEYSANDFLAGS", "rename", "a", "b"},
        {"COMMAND", "GETKEYSANDFLAGS", "ping"},
        {"COMMAND", "GETKEYSANDFLAGS", "ping", "x"},
        {"COMMAND", "GETKEYSANDFLAGS", "nosuch", "x"},
        {"COMMAND", "GETKEYSANDFLAGS", "get", "a", "b"},
        {"COMMAND", "GETKEYS", "get"},
        {"COMMAND", "GETKEYS", "ping", "x"},
        {"COMMAND", "INFO", "client|list", "CLIENT|ID", "client|nosuch"},
        {"COMMAND", "LIST", "FILTERBY", "PATTERN", "config*"},
        {"COMMAND", "LIST", "FILTERBY", "ACLCAT", "pubsub"},
        {"OBJECT", "HELP", "x"},
        {"CONFIG", "HELP", "x"},
        {"COMMAND", "HELP", "x"},
        {"FUNCTION", "HELP", "x"},
        {"OBJECT", "IDLETIME"},
        {"OBJECT", "REFCOUNT", "nosuch"},
        {"OBJECT", "IDLETIME", "nosuch"},
    };
    for (const std::vector<std::string>& command : commands) {
      const std::string x = *a.Command(command);
      const std::string y = *b->Command(command);
      if (command[1] == "LIST") {
        // Redis's list is in its table's order; compare as sets.
        std::optional<std::vector<std::string>> xs = BulkArrayOf(x);
        std::optional<std::vector<std::string>> ys = BulkArrayOf(y);
        ASSERT_TRUE(xs.has_value() && ys.has_value());
        std::sort(xs->begin(), xs->end());
        std::sort(ys->begin(), ys->end());
        EXPECT_EQ(*xs, *ys) << absl::StrJoin(command, " ");
        continue;
      }
      EXPECT_EQ(Printable(x, 1000), Printable(y, 1000))
          << absl::StrJoin(command, " ") << " RESP" << protocol;
    }
  }
  for (const char* container :
       {"COMMAND", "CONFIG", "FUNCTION", "OBJECT", "CLIENT", "MEMORY",
        "SLOWLOG", "LATENCY", "PUBSUB", "ACL"}) {
    const std::string help = *ours.Command({container, "HELP"});
    EXPECT_TRUE(help.starts_with("*")) << container << Printable(help);
    EXPECT_NE(help.find(absl::StrCat(container, " <subcommand>")),
              std::string::npos)
        << container;
  }
}

}  // namespace
}  // namespace shardd::integration
