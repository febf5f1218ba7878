#include "cli/command_line.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace shelfwise::cli {

Result<CommandLine> CommandLine::parse(const std::vector<std::string>& arguments, const std::set<std::string>& value_flags,
                                       const std::set<std::string>& switches) {
  CommandLine line;
  for (std::size_t index = 0; index < arguments.size(); ++index) {
    const std::string& argument = arguments[index];
    if (argument.rfind("--", 0) != 0 || argument.size() == 2) {
      line.positional_.push_back(argument);
      continue;
    }
    std::string name = argument.substr(2);
    std::optional<std::string> inline_value;
    if (const auto equals = name.find('='); equals != std::string::npos) {
      inline_value = name.substr(equals + 1);
      name = name.substr(0, equals);
    }
    if (switches.count(name) != 0 && !inline_value) {
      line.switches_.insert(name);
    } else if (value_flags.count(name) != 0) {
      if (inline_value) {
        line.values_[name] = *inline_value;
      } else if (index + 1 < arguments.size()) {
        line.values_[name] = arguments[++index];
      } else {
        return Status(ErrorCode::invalid_argument, "--" + name + " needs a value");
      }
    } else {
      return Status(ErrorCode::invalid_argument, "unknown option --" + name);
    }
  }
  return line;
}

std::optional<std::string> CommandLine::value(const std::string& flag) const {
  const auto found = values_.find(flag);
  if (found == values_.end()) return std::nullopt;
  return found->second;
}

Result<std::string> CommandLine::required(const std::string& flag) const {
  auto found = value(flag);
  if (!found || found->empty()) return Status(ErrorCode::invalid_argument, "--" + flag + " is required");
  return *found;
}

Result<double> CommandLine::number(const std::string& flag, double fallback) const {
  const auto text = value(flag);
  if (!text) return fallback;
  char* end = nullptr;
  errno = 0;
  const double parsed = std::strtod(text->c_str(), &end);
  if (text->empty() || end != text->c_str() + text->size() || errno != 0 || !std::isfinite(parsed)) {
    return Status(ErrorCode::invalid_argument, "--" + flag + " '" + *text + "' is not a number");
  }
  return parsed;
}

Result<long long> CommandLine::integer(const std::string& flag, long long fallback, long long minimum, long long maximum) const {
  const auto text = value(flag);
  if (!text) return fallback;
  char* end = nullptr;
  errno = 0;
  const long long parsed = std::strtoll(text->c_str(), &end, 10);
  if (text->empty() || end != text->c_str() + text->size() || errno != 0) {
    return Status(ErrorCode::invalid_argument, "--" + flag + " '" + *text + "' is not an integer");
  }
  if (parsed < minimum || parsed > maximum) {
    return Status(ErrorCode::invalid_argument, "--" + flag + " must be between " + std::to_string(minimum) + " and " +
                                                   std::to_string(maximum));
  }
  return parsed;
}

}  // namespace shelfwise::cli
