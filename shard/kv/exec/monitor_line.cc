#include "shard/kv/exec/monitor_line.h"

#include <cctype>
#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "shard/kv/commands/arg_parsing.h"

namespace shardd::kv {
namespace {

// `arg` quoted as Redis's sdscatrepr quotes it.
void AppendQuoted(std::string* out, std::string_view arg) {
  out->push_back('"');
  for (const char c : arg) {
    switch (c) {
      case '\\':
        out->append("\\\\");
        break;
      case '"':
        out->append("\\\"");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\a':
        out->append("\\a");
        break;
      case '\b':
        out->append("\\b");
        break;
      default:
        if (std::isprint(static_cast<unsigned char>(c))) {
          out->push_back(c);
        } else {
          char hex[8];
          std::snprintf(hex, sizeof(hex), "\\x%02x",
                        static_cast<unsigned char>(c));
          out->append(hex);
        }
    }
  }
  out->push_back('"');
}

}  // namespace

std::string MonitorLine(int64_t unix_micros, uint32_t db,
                        std::string_view address, CommandArgs args) {
  char time[64];
  std::snprintf(time, sizeof(time), "+%lld.%06lld [%u ",
                static_cast<long long>(unix_micros / 1'000'000),
                static_cast<long long>(unix_micros % 1'000'000), db);
  std::string line = time;
  line.append(address);
  line.push_back(']');
  const bool auth = EqualsIgnoreCase(args[0], "auth");
  const bool hello = EqualsIgnoreCase(args[0], "hello");
  size_t redact_from = auth ? 1 : args.size();
  size_t redact_to = args.size();
  for (size_t i = 0; hello && i + 2 < args.size(); ++i) {
    if (EqualsIgnoreCase(args[i], "auth")) {
      redact_from = i + 1;
      redact_to = i + 3;
      break;
    }
  }
  for (size_t i = 0; i < args.size(); ++i) {
    line.push_back(' ');
    if (i >= redact_from && i < redact_to) {
      line.append("\"(redacted)\"");
    } else {
      AppendQuoted(&line, args[i]);
    }
  }
  line.append("\r\n");
  return line;
}

bool ShownToMonitors(const CommandSpec& spec, CommandArgs args) {
  // (CONFIG is an admin command in Redis. Its skip_monitor flag does not
  // hide EVAL and friends: they feed monitors themselves.)
  if ((spec.flags & kAdmin) != 0 || spec.name == "config") return false;
  if (spec.name != "client" || args.size() < 2) return true;
  // CLIENT's admin subcommands, as Redis flags them.
  for (std::string_view admin :
       {"kill", "list", "no-evict", "pause", "unpause", "unblock"}) {
    if (EqualsIgnoreCase(args[1], admin)) return false;
  }
  return true;
}

}  // namespace shardd::kv
