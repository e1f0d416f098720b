// RandomChoices: the seeded choices the command generators are made of. The
// same seed gives the same choices, so a failing stream can be replayed.
//
//   class MyGenerator : private RandomChoices {
//     ... Pick(keys) ... Chance(0.1) ... Spell("GET") ...
//   };
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_RANDOM_CHOICES_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_RANDOM_CHOICES_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace shardd::integration {

class RandomChoices {
 public:
  explicit RandomChoices(uint64_t seed) : random_(seed) {}

  int Uniform(int low, int high);  // inclusive
  bool Chance(double probability);
  template <typename T>
  const T& Pick(const std::vector<T>& options) {
    return options[static_cast<size_t>(
        Uniform(0, static_cast<int>(options.size()) - 1))];
  }
  // `name` in a random mix of upper and lower case, mostly upper as clients
  // send it.
  std::string Spell(std::string name);

 private:
  std::mt19937_64 random_;
};

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_RANDOM_CHOICES_H_
