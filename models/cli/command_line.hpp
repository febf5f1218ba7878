// `--flag value` / `--switch` parsing for the CLI's subcommands. Each subcommand declares its
// flags up front, so a misspelt flag is an error rather than silently ignored.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "shelfwise/status.hpp"

namespace shelfwise::cli {

class CommandLine {
 public:
  // `value_flags` take one value; `switches` take none. Names are given without the dashes.
  static Result<CommandLine> parse(const std::vector<std::string>& arguments, const std::set<std::string>& value_flags,
                                   const std::set<std::string>& switches);

  bool has(const std::string& flag) const { return values_.count(flag) != 0 || switches_.count(flag) != 0; }
  std::optional<std::string> value(const std::string& flag) const;
  Result<std::string> required(const std::string& flag) const;
  Result<double> number(const std::string& flag, double fallback) const;
  // Integers in [minimum, maximum].
  Result<long long> integer(const std::string& flag, long long fallback, long long minimum, long long maximum) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> switches_;
  std::vector<std::string> positional_;
};

}  // namespace shelfwise::cli
