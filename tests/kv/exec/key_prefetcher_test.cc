// KeyPrefetcher keeps the requests it parsed for the connection that asked,
// so that the session does not parse them again: each one it gives back is
// exactly what resp::ParseRequest makes of the same input, in order, and it
// gives nothing to another connection, for input that moved, or for an
// inline request whose arguments live in its scratch.
#include "shard/kv/exec/key_prefetcher.h"

#include <functional>
#include <future>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "net/resp/request_parser.h"
#include "shard/kv/kv_service.h"
#include "shard/shard_set.h"

namespace shardd::kv {
namespace {

struct Taken {
  resp::ParseStatus status;
  size_t consumed;
  std::vector<std::string> args;
  bool operator==(const Taken&) const = default;
};

// Runs `body` on the shard of a real one-shard set (Prefetch asks the
// reactor for thread mates) and returns what it returns.
template <typename T>
T OnAShard(const std::function<T(KvShards&)>& body) {
  KvService service(KvOptions{}, 1);
  ShardSet set({.shard_count = 1});
  std::promise<T> result;
  const bool started =
      set.Start([&](Reactor&) { result.set_value(body(service.shards())); })
          .ok();
  EXPECT_TRUE(started);
  T out = started ? result.get_future().get() : T{};
  set.Stop();
  return out;
}

using TakenAndReparsed = std::pair<std::vector<Taken>, std::vector<Taken>>;

// What TakeParsed gives `reader_for_take` (null: the reader that asked)
// for each request of `input`, consuming as the session does, until it
// gives nothing; then what ParseRequest makes of as many requests.
TakenAndReparsed TakeAll(std::string input, const void* reader_for_take) {
  return OnAShard<TakenAndReparsed>([&](KvShards& shards) {
    const resp::ParseLimits limits;
    KeyPrefetcher prefetcher;
    const int reader = 0;
    std::string_view rest = input;
    prefetcher.Prefetch(shards, limits, rest, 0, &reader);
    std::vector<Taken> taken;
    std::vector<std::string_view> args;
    resp::ParseResult parsed;
    while (prefetcher.TakeParsed(
        reader_for_take == nullptr ? &reader : reader_for_take, rest, &args,
        &parsed)) {
      taken.push_back(
          {parsed.status, parsed.consumed, {args.begin(), args.end()}});
      rest.remove_prefix(parsed.consumed);
    }
    std::vector<Taken> reparsed;
    std::string scratch;
    std::string_view again = input;
    for (size_t i = 0; i < taken.size(); ++i) {
      parsed = resp::ParseRequest(again, limits, &args, &scratch);
      reparsed.push_back(
          {parsed.status, parsed.consumed, {args.begin(), args.end()}});
      again.remove_prefix(parsed.consumed);
    }
    return TakenAndReparsed{taken, reparsed};
  });
}

TEST(KeyPrefetcherTest, GivesBackEachRequestItParsedInOrder) {
  const std::string pipeline =
      "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n"
      "\r\n"  // an empty inline request
      "*2\r\n$3\r\nGET\r\n$1\r\na\r\n"
      "*3\r\n$4\r\nMGET\r\n$1\r\na\r\n$0\r\n\r\n"
      "PING\r\n";
  const auto [taken, reparsed] = TakeAll(pipeline, nullptr);
  ASSERT_EQ(taken.size(), 5u);
  EXPECT_EQ(taken, reparsed);
  EXPECT_EQ(taken[1].status, resp::ParseStatus::kEmpty);
  EXPECT_EQ(taken[3].args, (std::vector<std::string>{"MGET", "a", ""}));
}

TEST(KeyPrefetcherTest, StopsAtARequestItCannotKeep) {
  // The quoted inline argument is unescaped into the parser's scratch: that
  // request, and every one after it, is parsed again by the session.
  const std::string pipeline =
      "*2\r\n$3\r\nGET\r\n$1\r\na\r\n"
      "SET b \"x\\ty\"\r\n"
      "*2\r\n$3\r\nGET\r\n$1\r\nb\r\n";
  const auto [taken, reparsed] = TakeAll(pipeline, nullptr);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken, reparsed);
}

TEST(KeyPrefetcherTest, KeepsNoEmptyArgumentOfItsScratch) {
  // An empty quoted argument views the scratch too, if no byte of it.
  const auto [taken, reparsed] =
      TakeAll("SET k \"\"\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", nullptr);
  EXPECT_TRUE(taken.empty());
}

TEST(KeyPrefetcherTest, KeepsABoundedNumberOfArguments) {
  // A request of more arguments than it keeps over one look ahead (1,024)
  // is parsed again, and so is every request after it.
  std::string pipeline =
      "*2\r\n$3\r\nGET\r\n$1\r\na\r\n*1200\r\n$4\r\nMGET\r\n";
  for (int i = 1; i < 1200; ++i) pipeline += "$1\r\nk\r\n";
  pipeline += "*1\r\n$4\r\nPING\r\n";
  const auto [taken, reparsed] = TakeAll(pipeline, nullptr);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken, reparsed);
}

TEST(KeyPrefetcherTest, GivesNothingToAnotherConnection) {
  const int other = 0;
  const auto [taken, reparsed] =
      TakeAll("*2\r\n$3\r\nGET\r\n$1\r\na\r\n*1\r\n$4\r\nPING\r\n", &other);
  EXPECT_TRUE(taken.empty());
}

TEST(KeyPrefetcherTest, GivesNothingForInputThatMoved) {
  EXPECT_FALSE(OnAShard<bool>([](KvShards& shards) {
    const std::string input =
        "*2\r\n$3\r\nGET\r\n$1\r\na\r\n*1\r\n$4\r\nPING\r\n";
    const std::string moved = input;  // same bytes, elsewhere
    KeyPrefetcher prefetcher;
    const int reader = 0;
    prefetcher.Prefetch(shards, resp::ParseLimits{}, input, 0, &reader);
    std::vector<std::string_view> args;
    resp::ParseResult parsed;
    return prefetcher.TakeParsed(&reader, moved, &args, &parsed);
  }));
}

}  // namespace
}  // namespace shardd::kv
