// JsonValue: a minimal JSON reader for shardctl, enough for the admin
// endpoint's /stats document (objects, arrays, numbers, strings, booleans,
// null; numbers are kept as doubles).
//
//   absl::StatusOr<JsonValue> doc = ParseJson(body);
//   double keys = doc->Get("totals").Get("keys").number();
#ifndef SHARDD_TOOLS_SHARDCTL_JSON_VALUE_H_
#define SHARDD_TOOLS_SHARDCTL_JSON_VALUE_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace shardd::shardctl {

class JsonValue {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  Type type() const { return type_; }
  double number() const { return number_; }
  bool boolean() const { return boolean_; }
  const std::string& string() const { return string_; }
  const std::vector<JsonValue>& array() const { return array_; }
  const std::map<std::string, JsonValue>& object() const { return object_; }

  // The member `key` of an object; a null value if absent or not an object.
  const JsonValue& Get(const std::string& key) const;

 private:
  friend class JsonParser;

  Type type_ = Type::kNull;
  double number_ = 0;
  bool boolean_ = false;
  std::string string_;
  std::vector<JsonValue> array_;
  std::map<std::string, JsonValue> object_;
};

absl::StatusOr<JsonValue> ParseJson(std::string_view text);

}  // namespace shardd::shardctl

#endif  // SHARDD_TOOLS_SHARDCTL_JSON_VALUE_H_
