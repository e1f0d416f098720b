#include "tests/integration/support/random_choices.h"

#include <cctype>

namespace shardd::integration {

int RandomChoices::Uniform(int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(random_);
}

bool RandomChoices::Chance(double probability) {
  return std::uniform_real_distribution<double>(0, 1)(random_) < probability;
}

std::string RandomChoices::Spell(std::string name) {
  const int style = Uniform(0, 5);
  for (char& c : name) {
    if (style == 0 || (style == 1 && Chance(0.5))) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return name;
}

}  // namespace shardd::integration
