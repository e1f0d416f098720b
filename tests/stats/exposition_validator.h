// A checker for the Prometheus text exposition format 0.0.4, written from the
// format's description, independent of the renderer: metric and label name
// syntax, label value escaping, float values, and HELP/TYPE given at most once
// per family, before its samples, with each family's samples contiguous.
//
//   std::vector<std::string> errors = ValidateExposition(text);
//   EXPECT_TRUE(errors.empty()) << absl::StrJoin(errors, "\n");
#ifndef SHARDD_TESTS_STATS_EXPOSITION_VALIDATOR_H_
#define SHARDD_TESTS_STATS_EXPOSITION_VALIDATOR_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace shardd::stats {

struct ExpositionSample {
  std::string name;
  std::map<std::string, std::string> labels;  // unescaped values
  double value = 0;
};

// One message per invalid line ("line 7: ..."); empty if all is valid.
// Valid samples are appended to `samples` when it is not null.
std::vector<std::string> ValidateExposition(
    std::string_view text, std::vector<ExpositionSample>* samples = nullptr);

}  // namespace shardd::stats

#endif  // SHARDD_TESTS_STATS_EXPOSITION_VALIDATOR_H_
