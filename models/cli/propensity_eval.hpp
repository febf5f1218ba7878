// `shelfwise eval --protocol propensity` (models/evaluation/propensity_evaluation.hpp).
#pragma once

#include "cli/command_line.hpp"

namespace shelfwise::cli {

int evaluate_propensity_protocol(const CommandLine& line);

}  // namespace shelfwise::cli
