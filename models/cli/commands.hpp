// The subcommands of build/bin/shelfwise. Each takes the arguments after its own name and returns
// the process exit code: 0 success, 1 failure (reported on stderr), 2 bad usage.
#pragma once

#include <string>
#include <vector>

#include "shelfwise/status.hpp"

namespace shelfwise::cli {

int run_train(const std::vector<std::string>& arguments);
int run_eval(const std::vector<std::string>& arguments);
int run_inspect(const std::vector<std::string>& arguments);
int run_generate(const std::vector<std::string>& arguments);
int run_keygen(const std::vector<std::string>& arguments);
int run_publish(const std::vector<std::string>& arguments);
int run_features(const std::vector<std::string>& arguments);
int run_quantize(const std::vector<std::string>& arguments);

// Prints "shelfwise <command>: CODE: message" and returns the exit code for it.
int report_failure(const char* command, const Status& status);

}  // namespace shelfwise::cli
