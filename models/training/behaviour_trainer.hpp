// Trains the behaviour part of a bundle (`shelfwise train --segments K --propensity`): the
// standardisation of the features, k-means micro-segments and the purchase / return propensity
// models, from the same log the item model is trained on. The result is merged into the bundle.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shelfwise/model.hpp"
#include "training/behaviour_examples.hpp"
#include "training/interaction_log.hpp"

namespace shelfwise::training {

struct BehaviourTrainingOptions {
  std::size_t segments = 0;  // k; 0 = no segments
  std::size_t restarts = 5;
  std::uint64_t seed = 42;
  bool propensity = false;
  BehaviourExampleOptions examples;
};

struct FloatTensor {
  std::string name;
  std::vector<std::uint64_t> shape;
  std::vector<float> values;
};

struct BehaviourParts {
  nlohmann::json manifest = nlohmann::json::object();  // "behaviour", and "segments" / "propensity"
  std::vector<FloatTensor> tensors;
};

// `model` is the bundle being trained (its catalogue defines the features); its vocabulary must
// be the log's items first (as the trainer builds it). `say` receives progress lines.
// INVALID_ARGUMENT when asked for propensity and the log has neither purchases nor returning users.
Result<BehaviourParts> train_behaviour(const Model& model, const InteractionLog& log, const BehaviourTrainingOptions& options,
                                       const std::function<void(const std::string&)>& say);

}  // namespace shelfwise::training
