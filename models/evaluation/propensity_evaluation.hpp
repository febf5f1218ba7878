// Offline evaluation of a bundle's propensity models on a held-out log: the examples are built
// exactly as in training (training/behaviour_examples.hpp) from the target log's sessions, with
// `history` giving returning users their earlier events; each model's calibrated and raw
// probabilities are scored (evaluation/binary_metrics.hpp).
#pragma once

#include <optional>

#include "evaluation/binary_metrics.hpp"
#include "shelfwise/model.hpp"
#include "training/behaviour_examples.hpp"

namespace shelfwise::evaluation {

struct TargetEvaluation {
  BinaryMetrics calibrated;
  BinaryMetrics raw;  // before the isotonic calibration
};

struct PropensityEvaluation {
  std::optional<TargetEvaluation> purchase;   // absent: no model, or no purchase events in the log
  std::optional<TargetEvaluation> returning;  // absent: no model, or no returning users with timestamps
  std::string purchase_note, return_note;     // why a target is absent
};

// UNSUPPORTED_MODEL when the bundle has no propensity model at all.
Result<PropensityEvaluation> evaluate_propensity(const Model& model, const training::InteractionLog& events,
                                                 const std::vector<const training::InteractionLog*>& history,
                                                 double utc_offset_hours);

}  // namespace shelfwise::evaluation
