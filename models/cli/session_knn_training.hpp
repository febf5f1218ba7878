// The `--algo sknn` part of `shelfwise train`: its flags, the stored sessions and the tuning of
// the inference settings on --valid (settings given as flags stay fixed).
#pragma once

#include <string>

#include "cli/command_line.hpp"
#include "training/model_bundle.hpp"
#include "training/session_knn_tuning.hpp"

namespace shelfwise::cli {

struct SessionKnnSettings {
  training::SessionKnnOptions storage;
  SessionKnnConfig inference;
  training::SessionKnnTuningOptions tuning;
};

// Reads --neighbours, --sample-size, --position-weighting, --match-weighting, --idf-weight,
// --max-session-items, --neighbour-position-decay, --session-position-decay,
// --neighbour-recency-half-life, --session-item-weight, --similarity-idf-weight,
// --neighbour-length-exponent, --similarity-exponent and --max-sessions; INVALID_ARGUMENT naming
// the flag when one is bad.
Result<SessionKnnSettings> parse_session_knn_flags(const CommandLine& line);

// Fills `tables` and points `parts` at them; with a validation log, tunes parts->session_knn_inference
// (printing each trial) and records the validation metrics in parts->training.
Status train_session_knn(const SessionKnnSettings& settings, const training::InteractionLog& log,
                         const training::InteractionLog* validation, const std::string& validation_path,
                         training::SessionKnnTables* tables, training::ModelBundleParts* parts);

}  // namespace shelfwise::cli
