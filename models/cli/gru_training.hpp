// The `--algo gru` part of `shelfwise train`: its flags, the training run with a line per epoch
// (loss, events/s, and with --valid the validation metrics: the learning curve), and what goes
// into the bundle (weights, hyper-parameters, the curve under "training").
#pragma once

#include <set>
#include <string>

#include "cli/command_line.hpp"
#include "training/gru_parameters.hpp"
#include "training/interaction_log.hpp"
#include "training/model_bundle.hpp"

namespace shelfwise::cli {

extern const char* const kGruTrainHelp;
// Value flags only --algo gru reads.
const std::set<std::string>& gru_value_flags();

struct GruRun {
  const training::InteractionLog* log = nullptr;
  const training::InteractionLog* valid = nullptr;  // optional
  std::size_t item_count = 0;
  std::size_t k = 20;
  unsigned threads = 1;
};

// Trains into *parameters and sets parts.gru, hyper-parameters and training notes. Bad flag
// values are INVALID_ARGUMENT naming the flag.
Status train_gru_model(const CommandLine& line, const GruRun& run, training::ModelBundleParts& parts,
                       training::GruParameters* parameters);

}  // namespace shelfwise::cli
