// Reads and parses an interaction log file for a CLI command, printing skipped-row warnings.
#pragma once

#include <string>

#include "training/interaction_log.hpp"

namespace shelfwise::cli {

Result<training::InteractionLog> load_interaction_log(const std::string& path, bool skip_bad_rows);

}  // namespace shelfwise::cli
