// One call that turns a shopper's events into everything the bundle can say about them: the raw
// behaviour features, the segment (with the distance to every centroid) and the propensities.
// The device (wasm/engine.hpp) and the CLI (`shelfwise features`) both go through it.
#pragma once

#include <cmath>
#include <vector>

#include "shelfwise/json_value.hpp"
#include "shelfwise/model.hpp"

namespace shelfwise {

struct BehaviourScores {
  std::vector<float> features;      // raw, NaN = unknown (behaviour_features.hpp)
  std::vector<float> standardised;  // empty without a standardisation in the bundle
  int segment = -1;                 // -1: the bundle has no segments
  std::vector<float> distances;     // one per segment
  double purchase = NAN;            // NaN: the bundle has no such model
  double returning = NAN;
};

// Fills `out` (its vectors are reused, so a caller that keeps one allocates only once).
Status score_behaviour(const Model& model, ArrayView<BehaviourEvent> events, const BehaviourContext& context,
                       BehaviourScores* out);

// {"features": {name: value or null}, "segment": {"id", "distances"} or null, "propensity":
// {"purchase": p or null, "return": p or null}}: what the SDK returns and the CLI prints.
JsonValue behaviour_scores_json(const Model& model, const BehaviourScores& scores);

}  // namespace shelfwise
