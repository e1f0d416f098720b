#include "shard/stats/stats_json.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "shard/kv/kv_stats_part.h"
#include "tests/stats/sample_snapshots.h"

namespace shardd::stats {
namespace {

// Every part shardd renders besides the runtime's: the KV service's, which
// includes net/'s connections.
const kv::KvStatsPart kKvPart;
const StatsPart* const kParts[] = {&kKvPart};

// Runs python3 (an independent JSON parser) with `script` on `json` as stdin;
// returns its exit code.
int RunPythonOn(const std::string& json, const std::string& script) {
  char path[] = "/tmp/stats_json_testXXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return -1;
  close(fd);
  std::ofstream(path) << json;
  const std::string command =
      "python3 -c '" + script + "' < " + std::string(path);
  const int status = std::system(command.c_str());
  std::remove(path);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(StatsJsonTest, ParsesAsJsonWithNoFieldTwice) {
  // Parts append fields to the same objects: none may write a name another
  // wrote (Python would silently keep the last).
  const std::string json = RenderStatsJson(SampleSnapshots(4), kParts);
  const std::string script =
      "import json,sys\n"
      "def unique(pairs):\n"
      "    names = [k for k, _ in pairs]\n"
      "    assert len(names) == len(set(names)), names\n"
      "    return dict(pairs)\n"
      "json.load(sys.stdin, object_pairs_hook=unique)\n";
  EXPECT_EQ(RunPythonOn(json, script), 0) << json;
}

TEST(StatsJsonTest, TotalsAreTheSumOfShards) {
  const std::string json = RenderStatsJson(SampleSnapshots(4), kParts);
  const std::string script =
      "import json,sys\n"
      "d = json.load(sys.stdin)\n"
      "assert len(d[\"shards\"]) == 4\n"
      "assert [s[\"shard\"] for s in d[\"shards\"]] == [0, 1, 2, 3]\n"
      "for k in (\"connections\", \"commands_total\", \"keys\", \"bytes_in\",\n"
      "          \"messages_sent\", \"memory_allocated\"):\n"
      "    assert d[\"totals\"][k] == sum(s[k] for s in d[\"shards\"]), k\n"
      "assert d[\"shards\"][0][\"commands\"][\"get\"][\"calls\"] == 100\n"
      "assert d[\"shards\"][1][\"commands\"][\"we\\\"ird\\\\na\\nme\"][\"calls\"] == 1\n"
      "assert len(d[\"shards\"][0][\"peers\"]) == 3\n"
      "assert d[\"shards\"][0][\"utilisation\"] == 0.25\n"
      "assert d[\"shards\"][0][\"request_ns\"][\"count\"] == 10\n";
  // The script contains no single quote, so it survives the shell quoting.
  ASSERT_EQ(script.find('\''), std::string::npos);
  EXPECT_EQ(RunPythonOn(json, script), 0) << json;
}

}  // namespace
}  // namespace shardd::stats
