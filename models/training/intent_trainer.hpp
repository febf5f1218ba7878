// Fits and evaluates the session-intent heads (core/include/shelfwise/intent.hpp) on an
// interaction log with event types. Examples are the prefixes of each visit that hold no
// purchase yet (a prefix of t events predicts from events 1..t); features come from the core's
// SessionFeatureExtractor, so training and the device read the very same numbers; labels are
// the ones intent.hpp lists.
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "shelfwise/model.hpp"
#include "training/interaction_log.hpp"

namespace shelfwise::training {

struct IntentWeights {
  std::vector<float> feature_mean;   // F
  std::vector<float> feature_scale;  // F
  std::vector<float> purchase;       // F + 1
  std::vector<float> stage;          // 3 (F + 1)
  std::vector<float> category;       // 3, or empty without a catalogue
};

struct IntentFitOptions {
  double l2 = 1e-3;  // ridge on every weight but the biases, per example
  int stage_iterations = 400;
  int category_iterations = 300;
};

// `model` supplies the vocabulary, popularity and catalogue the features read (its own intent
// heads, if any, are ignored). INVALID_ARGUMENT when the log has no usable prefix or never
// ends a visit in a purchase (nothing to learn the purchase head from).
Result<IntentWeights> fit_intent(const Model& model, const InteractionLog& log, const IntentFitOptions& options = {});

struct IntentMetrics {
  std::uint64_t examples = 0;
  double purchase_rate = 0.0;             // share of examples whose visit ends in a purchase
  double purchase_auc = 0.0;
  double purchase_brier = 0.0;
  double purchase_calibration_error = 0.0;  // expected calibration error, 10 equal-width bins
  double purchase_accuracy = 0.0;           // at probability 0.5
  double purchase_majority_accuracy = 0.0;
  double stage_accuracy = 0.0;
  double stage_majority_accuracy = 0.0;
  std::vector<double> stage_shares;         // browsing, comparing, about_to_buy
  std::uint64_t category_examples = 0;      // examples whose next item has a category
  double category_accuracy = 0.0;
  double category_majority_accuracy = 0.0;
  double category_latest_accuracy = 0.0;    // baseline: the latest item's category

  nlohmann::json to_json() const;
};

// Scores every example through the core's IntentScorer; FAILED_PRECONDITION-like
// INVALID_ARGUMENT when the model has no intent heads or the log no usable prefix.
Result<IntentMetrics> evaluate_intent(const Model& model, const InteractionLog& log);

}  // namespace shelfwise::training
