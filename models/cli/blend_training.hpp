// `shelfwise train --algo blend --models a.swm,b.swm --valid valid.csv --out blend.swm`: mixes
// a trained session-kNN bundle with an item-kNN or GRU bundle; the weight is tuned on --valid unless
// --sknn-weight fixes it.
#pragma once

#include "cli/command_line.hpp"

namespace shelfwise::cli {

// Returns the process exit code, like the subcommands.
int train_blend(const CommandLine& line);

}  // namespace shelfwise::cli
