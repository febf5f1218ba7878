#include <cstdio>

#include "cli/commands.hpp"

namespace shelfwise::cli {

int report_failure(const char* command, const Status& status) {
  std::fprintf(stderr, "shelfwise %s: %s\n", command, status.to_string().c_str());
  return status.code() == ErrorCode::invalid_argument ? 2 : 1;
}

}  // namespace shelfwise::cli
