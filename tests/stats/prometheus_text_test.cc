#include "shard/stats/prometheus_text.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "shard/kv/kv_stats_part.h"
#include "tests/stats/exposition_validator.h"
#include "tests/stats/sample_snapshots.h"

namespace shardd::stats {
namespace {

// Every part shardd renders besides the runtime's: the KV service's, which
// includes net/'s connections.
const kv::KvStatsPart kKvPart;
const StatsPart* const kParts[] = {&kKvPart};

TEST(ExpositionValidatorTest, RejectsWhatTheFormatForbids) {
  const std::vector<std::string> bad = {
      "# TYPE m counter\n1m 1\n",                      // name starts with digit
      "# TYPE m counter\nm{a=\"x\"} one\n",            // value not a float
      "# TYPE m counter\nm{a=x} 1\n",                  // unquoted label value
      "# TYPE m counter\nm{a=\"\\q\"} 1\n",            // bad escape
      "# TYPE m counter\nm{1a=\"x\"} 1\n",             // bad label name
      "m 1\n",                                         // no TYPE before sample
      "# TYPE m counter\n# TYPE m counter\nm 1\n",     // TYPE twice
      "# TYPE m counter\nm 1\n# HELP m late\n",        // HELP after samples
      "# TYPE m counter\n# TYPE n gauge\nm 1\nn 1\nm{a=\"b\"} 2\n",  // split
      "# TYPE m counter\nm 1\nm 2\n",                  // duplicate series
      "# TYPE m counter\nm 1",                         // no final newline
  };
  for (const std::string& text : bad) {
    EXPECT_FALSE(ValidateExposition(text).empty()) << text;
  }
  EXPECT_TRUE(ValidateExposition("# HELP m h\n# TYPE m summary\n"
                                 "m{quantile=\"0.5\"} 1.5e-05\nm_sum 3\n"
                                 "m_count 2\n# TYPE g gauge\ng +Inf\n")
                  .empty());
}

TEST(PrometheusTextTest, EveryLineIsValidExposition) {
  const std::string text = RenderPrometheusText(SampleSnapshots(4), kParts);
  std::vector<ExpositionSample> samples;
  const std::vector<std::string> errors = ValidateExposition(text, &samples);
  EXPECT_TRUE(errors.empty()) << absl::StrJoin(errors, "\n") << "\n" << text;
  EXPECT_GT(samples.size(), 100u);
}

TEST(PrometheusTextTest, EverySampleHasAShardLabel) {
  std::vector<ExpositionSample> samples;
  ValidateExposition(RenderPrometheusText(SampleSnapshots(3), kParts), &samples);
  std::set<std::string> shards;
  for (const ExpositionSample& s : samples) {
    ASSERT_TRUE(s.labels.contains("shard")) << s.name;
    shards.insert(s.labels.at("shard"));
  }
  EXPECT_EQ(shards, (std::set<std::string>{"0", "1", "2"}));
}

TEST(PrometheusTextTest, CountersEndInTotalAndCarryTheirValues) {
  const std::string text = RenderPrometheusText(SampleSnapshots(2), kParts);
  EXPECT_NE(text.find("# TYPE shardd_commands_total counter\n"),
            std::string::npos);
  EXPECT_NE(text.find("shardd_commands_total{shard=\"1\",command=\"get\"} 100\n"),
            std::string::npos);
  EXPECT_NE(text.find("shardd_command_failures_total{shard=\"1\",command=\"set\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("shardd_messages_sent_total{shard=\"0\",peer=\"1\"} 101\n"),
            std::string::npos);
  EXPECT_NE(text.find("shardd_connections{shard=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("shardd_memory_resident_bytes{shard=\"0\"} 3145728\n"),
            std::string::npos);
  EXPECT_NE(text.find("shardd_request_duration_seconds_count{shard=\"0\"} 10\n"),
            std::string::npos);
  std::vector<ExpositionSample> samples;
  ValidateExposition(text, &samples);
  bool found_escaped = false;
  for (const ExpositionSample& s : samples) {
    if (s.labels.contains("command") &&
        s.labels.at("command") == "we\"ird\\na\nme") {
      found_escaped = true;
    }
  }
  EXPECT_TRUE(found_escaped);
  for (const ExpositionSample& s : samples) {
    if (s.name.find("_total") != std::string::npos) {
      EXPECT_TRUE(s.name.ends_with("_total")) << s.name;
    }
  }
}

TEST(PrometheusTextTest, QuantilesAreSecondsWithinTheHistogramBound) {
  std::vector<ExpositionSample> samples;
  ValidateExposition(RenderPrometheusText(SampleSnapshots(1), kParts), &samples);
  for (const ExpositionSample& s : samples) {
    if (s.name == "shardd_request_duration_seconds") {
      EXPECT_NEAR(s.value, 50e-6, 50e-6 / 64) << s.labels.at("quantile");
    }
  }
}

TEST(PrometheusTextTest, NoShardsStillValid) {
  EXPECT_TRUE(ValidateExposition(RenderPrometheusText({}, kParts)).empty());
}

}  // namespace
}  // namespace shardd::stats
